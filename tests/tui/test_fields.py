"""The fields as people use them (issue 11): amounts typed as QuickBooks shows them, date words and
pastes, the Count step's Enter, F4 and empty periods, the tie-out's Difference line and footer."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from textual import events
from wizard_keys import open_at, settle

from conftest import FIXTURES, WORKED_TODAY, fresh_copy
from recon_tui.config import load_config
from recon_tui.tui.app import make_app

SIZE = (80, 24)


def text(widget) -> str:
    return str(widget.render())


def shown(app, selector: str) -> str:
    return text(app.screen.query_one(selector))


async def type_into(pilot, selector: str, value: str) -> None:
    """Focus a field, empty it and type ``value`` (as one paste: see conftest)."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
    await pilot.press("ctrl+u", *value)
    await settle(pilot)


async def paste(pilot, value: str) -> None:
    pilot.app.focused.post_message(events.Paste(value))
    await settle(pilot)


def footer_line(app) -> str:
    """The screen's last line as it is drawn (the footer)."""
    svg = app.export_screenshot()
    last = max(int(n) for n in re.findall(r"-line-(\d+)\)", svg))
    cells = re.findall(rf'x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" clip-path="url\(#[^)]*-line-{last}\)">([^<]*)<',
                       svg)
    out = ""
    for x, chunk in sorted(cells, key=lambda c: float(c[0])):
        out = out.ljust(round(float(x) / 12.2)) + chunk.replace("&#160;", " ")
    return out


# -- amounts (item 6) -------------------------------------------------------------------------------

async def test_count_takes_amounts_as_quickbooks_shows_them_and_shows_them_formatted(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Count", counts={})
        for method, typed in (("cash", "1,234.5"), ("check", "$30"), ("eft", "(150.00)"),
                              ("credit_card", "$266.00"), ("other", "-0")):
            await type_into(pilot, f"#counted-{method}", typed)
            await pilot.press("tab")
            await settle(pilot)
        screen = app.screen
        assert [screen.query_one(f"#counted-{m}").value for m in ("cash", "check", "eft", "credit_card", "other")] \
            == ["1,234.50", "30.00", "-150.00", "266.00", "0.00"]  # formatted once left
        assert app.wizard.counted == {"cash": "1234.50", "check": "30.00", "eft": "-150.00",
                                      "credit_card": "266.00", "other": "0.00"}  # the plain form, for finalize
        assert shown(app, "#diff-cash").strip() == "1,234.50" and shown(app, "#diff-eft").strip() == "0.00"
        assert "Cash: a note is required" in shown(app, "#count-status")


async def test_count_refuses_an_amount_above_the_importers_limit_in_words(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Count")
        await type_into(pilot, "#counted-cash", "99999999999999999999")
        await pilot.press("tab")
        await settle(pilot)
        field = app.screen.query_one("#counted-cash")
        assert field.value == "99999999999999999999" and field.has_class("-invalid")  # never clipped
        assert "Cash: '99999999999999999999' is too large (at most 999,999,999.99)" in shown(app, "#count-status")
        assert not app.screen.complete
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.STEP == "Count"


async def test_tie_out_takes_a_typed_balance_and_shows_the_difference(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Tie-out")  # accrual: the studio figure is 0.00
        figures = shown(app, "#tie-figures")
        assert "Difference (studio − QuickBooks)" in figures and figures.rstrip().endswith("—")
        await type_into(pilot, "#qb-balance", "($1,234.50)")
        assert app.wizard.qb_balance == "-1234.50"
        assert shown(app, "#tie-figures").splitlines()[-1].split()[-1] == "1,234.50"
        assert "Difference 1,234.50: a note is required" in shown(app, "#tie-status")
        await pilot.press("tab")
        await settle(pilot)
        assert app.screen.query_one("#qb-balance").value == "-1,234.50"
        await type_into(pilot, "#qb-balance", "99999999999999999999")
        assert "too large (at most 999,999,999.99)" in shown(app, "#tie-status")
        assert not app.screen.ready


async def test_tie_out_hints_at_a_sign_flipped_balance(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Tie-out", "cash")  # cash: the studio figure is the deposits, 30.00
        await type_into(pilot, "#qb-balance", "-30.00")
        status = shown(app, "#tie-status")
        assert "Difference 60.00 is twice the studio figure: is the QuickBooks balance's sign flipped?" in status
        await type_into(pilot, "#qb-balance", "-29.00")
        assert "sign flipped" not in shown(app, "#tie-status")


async def test_the_tie_out_footer_fits_80_columns_with_finalize_lit(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Tie-out")
        await type_into(pilot, "#qb-balance", "0")
        assert app.screen.ready
        line = footer_line(app)
        # F8 is in the footer now (description "Post")
        for key in ("f5 Aging", "f6 Deposits", "^n Finalize", "f7 Diagnose", "f8 Post", "^q Quit", "? Help"):
            assert key in line, line


# -- dates (items 5, 13) ----------------------------------------------------------------------------

def _finalized_april(worked_db, tmp_path):
    from recon_tui.model import Period
    from recon_tui.service.closing import FinalizeRequest, finalize
    from recon_tui.store import open_store

    db = fresh_copy(worked_db, tmp_path)
    store = open_store(db)
    april = Period(datetime(2026, 3, 31).date(), datetime(2026, 4, 30).date())
    finalize(store, load_config(FIXTURES / "worked_example.yaml"), FinalizeRequest(
        method="accrual", period=april, counted={"check": 3000, "credit_card": 26600, "eft": -15000}, qb_balance=0),
        today=WORKED_TODAY, user="ada", now=datetime(2026, 5, 1, 9, tzinfo=timezone.utc))
    store.conn.close()
    return lambda: make_app(load_config(FIXTURES / "worked_example.yaml"), db, WORKED_TODAY, blink=False)


async def test_a_locked_previous_date_still_shows_the_current_dates_error(worked_db, tmp_path):
    app = _finalized_april(worked_db, tmp_path)()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Dates", previous="", current="")
        assert app.screen.query_one("#previous").disabled
        for current, reason in (("2026-04-15", "current date 2026-04-15 must be after the previous date 2026-04-30"),
                                ("2026-04-30", "current date 2026-04-30 must be after the previous date 2026-04-30"),
                                ("2026-05-03", "current date 2026-05-03 is after today (2026-05-02)")):
            await type_into(pilot, "#current", current)
            assert reason in shown(app, "#current-error"), current
            assert "Starts where the last finalized" in shown(app, "#previous-note")  # moved from #previous-error
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.STEP == "Dates" and app.focused.id == "current"
        await type_into(pilot, "#current", "2026-05-01")
        assert shown(app, "#period") == "Period: after 2026-04-30 through 2026-05-01 (1 day). Enter continues."


async def test_date_words(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Dates")
        await type_into(pilot, "#current", "2026-02-30")
        assert shown(app, "#current-error") == "current date 2026-02-30: February 2026 has no day 30"
        await type_into(pilot, "#current", "2026-13-01")
        assert shown(app, "#current-error") == "current date 2026-13-01: there is no month 13"
        await type_into(pilot, "#previous", "")
        assert shown(app, "#previous-error") == "previous date is required (YYYY-MM-DD)"
        await type_into(pilot, "#previous", "2026-04-29")
        await type_into(pilot, "#current", "2026-04-30")
        assert "(1 day)" in shown(app, "#period")


# -- pastes (item 11) -------------------------------------------------------------------------------

async def test_a_date_pasted_with_spaces_is_taken_trimmed(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Dates")
        await type_into(pilot, "#current", "")
        await paste(pilot, " 2026-04-30 \n")
        assert app.screen.query_one("#current").value == "2026-04-30"
        assert app.wizard.current == "2026-04-30"


async def test_a_longer_text_pasted_into_a_date_field_says_why_it_was_refused(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Dates")
        await type_into(pilot, "#current", "")
        await paste(pilot, "2026-04-30 end of April")
        assert app.screen.query_one("#current").value == ""
        [notice] = list(app._notifications)
        assert notice.message == "Not pasted: '2026-04-30 end of April' is not a date (YYYY-MM-DD, 10 characters)."


async def test_a_two_line_paste_into_a_note_keeps_both_lines(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Count", counts={"cash": "12.50"})
        await type_into(pilot, "#note-cash", "")
        await paste(pilot, "found in\nthe till\n")
        assert app.wizard.notes["cash"] == "found in\nthe till"  # a note keeps every line now (DOMAIN §16)
        app.pop_screen()  # Count -> Review -> Tie-out for the QuickBooks note
        await settle(pilot)
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Tie-out")
        await type_into(pilot, "#qb-note", "")
        await paste(pilot, "timing:\r\n  deposit B posted in May")
        assert app.wizard.qb_note == "timing:\n  deposit B posted in May"  # every line, as pasted


# -- the Count step (item 10) -----------------------------------------------------------------------

async def test_count_placeholder_and_hint(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Count", counts={})
        assert app.screen.query_one("#counted-cash").placeholder == "amount"
        assert shown(app, "#count-hint").startswith("System = receipts less refunds")


async def test_a_period_with_nothing_to_count_needs_no_typing(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Count", previous="2020-01-01", current="2020-01-31", counts={})
        assert all(shown(app, f"#system-{m}").strip() == "0.00" for m in ("cash", "check", "eft", "credit_card", "other"))
        assert "No payments in this period: nothing to count" in shown(app, "#count-status")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.STEP == "Review"
        assert app.wizard.counted == {m: "0.00" for m in ("cash", "check", "eft", "credit_card", "other")}


async def test_enter_in_a_count_field_moves_on_and_f4_lists_the_payments(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Count")
        app.screen.query_one("#counted-cash").focus()
        await pilot.pause()
        await pilot.press("enter")  # a difference of 0: the row's note is skipped (DOMAIN §16)
        await pilot.pause()
        assert app.focused.id == "counted-check"
        await type_into(pilot, "#counted-cash", "12.50")
        await pilot.press("enter")  # a difference: its note is next
        await pilot.pause()
        assert app.focused.id == "note-cash"
        await pilot.press(*"till over", "enter")
        await settle(pilot)
        assert app.focused.id == "counted-check"
        await pilot.press("f4")
        await settle(pilot)
        assert type(app.screen).__name__ == "DrilldownScreen"
        assert "Check received" in str(app.screen.figure.title)
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#note-other").focus()
        await pilot.pause()
        await pilot.press("enter")  # the last field, the counts complete: on to the review
        await settle(pilot)
        assert app.screen.STEP == "Review"


@pytest.mark.keyboard  # key by key, as a bookkeeper types it
async def test_an_amount_typed_key_by_key_is_formatted_when_tab_leaves_it(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Count", counts={})
        app.screen.query_one("#counted-check").focus()
        await pilot.pause()
        await pilot.press(*"$1,030", "tab")
        await settle(pilot)
        assert app.screen.query_one("#counted-check").value == "1,030.00"
        assert app.wizard.counted["check"] == "1030.00"
        assert shown(app, "#diff-check").strip() == "1,000.00"
