"""The count step's Ctrl+N: dimmed until every count is entered and explained, then lit at once."""

from __future__ import annotations

from textual.widgets._footer import FooterKey
from wizard_keys import WORKED_COUNTS, settle

from recon_tui.tui.screens.count import CountScreen
from recon_tui.tui.screens.dates import DatesScreen


def footer_key(app, description: str) -> FooterKey:
    [key] = [k for k in app.screen.query(FooterKey) if k.description == description]
    return key


async def at_count(pilot, counts: dict[str, str]) -> None:
    app = pilot.app
    await settle(pilot)
    app.wizard = app.wizard.entered(started=True, previous="2026-03-31", current="2026-04-30", counted=counts)
    for screen in (DatesScreen, CountScreen):
        app.push_screen(screen())
        await settle(pilot)


async def test_ctrl_n_lights_up_as_the_last_count_is_typed(worked_app):
    app = worked_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await at_count(pilot, {m: v for m, v in WORKED_COUNTS.items() if m != "other"})
        assert footer_key(app, "Review").has_class("-disabled")
        app.screen.query_one("#counted-other").focus()
        await pilot.pause()
        await pilot.press("0")  # no Tab: the focus stays in the field
        await settle(pilot)
        assert "Counts complete" in str(app.screen.query_one("#count-status").render())
        assert not footer_key(app, "Review").has_class("-disabled")
        await pilot.press("backspace")  # and dims again when a count goes missing
        await settle(pilot)
        assert footer_key(app, "Review").has_class("-disabled")
        await pilot.press("0", "ctrl+n")
        await settle(pilot)
        assert app.screen.STEP == "Review"
