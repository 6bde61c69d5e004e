"""DOMAIN §16, checked on every place of the app's registry (places.PLACES), so a new screen cannot
forget it: every table is an item table whose list keys work (j/k, g/G, Home/End, ``/`` with the
filter shown, Esc clearing the filter before anything else); every key in the footer works there
and is in that screen's help, and the footer fits 80 columns; q closes what was opened on top (and
nothing else); Esc goes back; every way to quit asks while a reconciliation is in progress.

Each place is opened the shortest way (a dialog is pushed with its own words): the flows that lead
to them are tested elsewhere.
"""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, TextArea

from recon_tui.service import QBFigures
from recon_tui.tui.places import PLACES, STEPS
from recon_tui.tui.screens.confirm import ConfirmQuit
from recon_tui.tui.screens.help import key_rows, our_bindings
from recon_tui.tui.widgets.items import FilterPrompt, ItemTable

from wizard_keys import finalize_april, open_at, settle



async def push(pilot, screen) -> None:
    pilot.app.push_screen(screen)
    await settle(pilot)


async def to_review_drill(pilot) -> None:
    await open_at(pilot, "Review")
    await pilot.press("enter")  # the income table's first figure
    await settle(pilot)


def diagnosis(app):
    return app.service.diagnose("accrual", date(2026, 4, 30), QBFigures(1250, None, None))


# -- opening each place ---------------------------------------------------------------------------------

async def open_place(pilot, title: str) -> None:
    app = pilot.app
    place = next(p for p in PLACES if p.title == title)
    if title == "Start":
        await settle(pilot)
    elif title in ("Dates", "Count", "Review", "Tie-out"):
        await open_at(pilot, title)
    elif title == "Finalize":
        await open_at(pilot, "Tie-out")
        await pilot.press(*"0", "enter")
        await settle(pilot)
    elif title == "Drill-down":
        await to_review_drill(pilot)
    elif title == "Order":
        await to_review_drill(pilot)
        await pilot.press("enter")
        await settle(pilot)
    elif title in ("A/R Aging", "Deposit Reconciliation"):
        await open_at(pilot, "Tie-out")
        await pilot.press("f5" if title == "A/R Aging" else "f6")
        await settle(pilot)
    elif title == "Diagnosis":
        await open_at(pilot, "Tie-out")
        await push(pilot, place.screen(diagnosis(app)))
    elif title == "Cause":
        await open_at(pilot, "Tie-out")
        d = diagnosis(app)
        cause = next(c for c in d.causes if c.items)
        await push(pilot, place.screen(d, cause, ("Review", "Tie-out", "Diagnosis", cause.title)))
    elif title in ("History", "Record", "Reopen?"):
        finalize_april(app.service)
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        if title == "Record":
            await pilot.press("enter")
            await settle(pilot)
        elif title == "Reopen?":
            await pilot.press("r")
            await settle(pilot)
    elif title == "Post to QuickBooks":
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
    elif title in ("Post?", "Re-export?"):
        await push(pilot, place.screen(f"{title} batch 2", "3 entries dated through 2026-04-30.", "Fixed once posted."))
    elif title == "First batch?":
        await push(pilot, place.screen("Post batch 1 by the accrual method?", "3 entries.", "Fixes the method.",
                                       "accrual"))
    elif title == "Import":
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
    elif title == "Import?":
        await push(pilot, place.screen("Import 2 records?", "2 records will be written.", "A backup first.", []))
    elif title == "Finalize?":
        await push(pilot, place.screen("Reconciliation #1 (accrual)", "Notes:\n  line one\n  line two"))
    elif title == "Help":
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
    elif title == "Quit?":
        app.wizard = app.wizard.entered(started=True)
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert isinstance(app.screen, place.screen), (title, type(app.screen).__name__)


# -- the checks -----------------------------------------------------------------------------------------

def typing(screen) -> bool:
    return isinstance(screen.focused, (Input, TextArea))


async def check_tables(pilot, screen) -> None:
    """Every table is an item table; on one with rows, the list keys and the filter work."""
    tables = [t for t in screen.query(DataTable) if t.display]
    assert all(isinstance(t, ItemTable) for t in tables), [type(t).__name__ for t in tables]
    table = next((t for t in tables if t.row_count >= 3 and t.can_focus), None)
    if table is None:
        return
    table.focus()
    table.move_cursor(row=0)
    await pilot.pause()
    await pilot.press("j")
    assert table.cursor_row == 1
    await pilot.press("k")
    assert table.cursor_row == 0
    await pilot.press("G")
    await settle(pilot)
    assert table.cursor_row >= 2
    await pilot.press("g")
    assert table.cursor_row == 0
    await pilot.press("end")
    await settle(pilot)
    assert table.cursor_row >= 2
    await pilot.press("home")
    assert table.cursor_row == 0
    if table._arrange is None:
        return
    needle = str(table.get_row_at(0)[1 if len(table.columns) > 1 else 0]).strip()[:6] or "a"
    await pilot.press("slash")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FilterPrompt)
    await pilot.press(*needle, "enter")
    await settle(pilot)
    assert pilot.app.screen is screen and table.filter_text == needle
    assert needle in str(table.border_title) and "kept" in str(table.border_title)  # the filter, its count
    await pilot.press("escape")  # the innermost thing first: the filter, not the screen
    await settle(pilot)
    assert pilot.app.screen is screen and table.filter_text == "" and not table.border_title


def check_footer(screen) -> None:
    """The keys in the footer work here, are in this screen's help, and fit 80 columns."""
    app = screen.app
    title = getattr(screen, "STEP", "") or getattr(screen, "SUB_TITLE", "") or type(screen).__name__
    helped = {(row.key, row.does) for row in key_rows(screen, title)}
    width = 0
    for key, (namespace, binding, enabled, _) in screen.active_bindings.items():
        if not binding.show:
            continue
        shown = binding.key_display or app.get_key_display(binding)
        width += len(shown) + len(binding.description) + 2
        assert any(does == binding.description and shown in keys.split(" / ") + [keys] for keys, does in helped), \
            (shown, binding.description, sorted(helped))
        action = binding.action.split("(")[0]
        target = app if action.startswith("app.") else namespace
        assert hasattr(target, f"action_{action.removeprefix('app.')}"), binding.action
    assert width <= 80, f"the footer needs {width} columns"
    # the screen's own keys that work now are all in the footer (q, the same everywhere, is in the help)
    hidden = [b.key for b in our_bindings(screen) if not b.show and b.action != "close"
              and screen.check_action(b.action.split("(")[0], ()) is True]
    assert hidden == [], f"keys that work here but are not in the footer: {hidden}"


async def check_quit_asks(pilot) -> None:
    app = pilot.app
    before = list(app.screen_stack)
    app.wizard = app.wizard.entered(started=True)
    await pilot.press("ctrl+q")
    await settle(pilot)
    assert isinstance(app.screen, ConfirmQuit)
    await pilot.press("n")
    await settle(pilot)
    assert app.screen_stack == before
    await app.run_action("quit")  # the palette's "Quit recon-tui": the same question
    await settle(pilot)
    assert isinstance(app.screen, ConfirmQuit)
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen_stack == before


async def check_q_and_esc(pilot, screen, title: str) -> None:
    app = pilot.app
    depth = len(app.screen_stack)
    is_step = title in {s.title for s in STEPS}
    await pilot.press("q")
    await settle(pilot)
    if is_step or typing(screen) or depth <= 2:
        assert app.screen is screen, "q closed a step (or typed into a field and closed)"
        if not typing(screen):
            screen.set_focus(None)
        await pilot.press("escape")
        await settle(pilot)
        if depth > 2 and title != "Finalize":
            assert len(app.screen_stack) == depth - 1, "Esc did not go back"
    else:
        assert len(app.screen_stack) == depth - 1, "q did not close what was opened on top"


@pytest.mark.parametrize("title", [p.title for p in PLACES])
async def test_every_place_keeps_the_keyboard_contract(app_on, title):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_place(pilot, title)
        screen = app.screen
        if title not in ("Quit?",):
            await check_tables(pilot, screen)
            check_footer(screen)
            if title != "Help":
                await check_quit_asks(pilot)
        await check_q_and_esc(pilot, screen, title)


def test_the_contract_test_opens_every_place():
    """A new place in the registry needs a way here to open it (else the contract goes unchecked)."""
    import inspect
    source = inspect.getsource(open_place)
    missing = [p.title for p in PLACES if f'"{p.title}"' not in source]
    assert missing == []
