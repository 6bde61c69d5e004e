"""The wizard by keyboard alone at 80x24, on the DOMAIN §11 worked example: walked from the start to
the review, and each step's own keys from that step (``open_at``)."""

from __future__ import annotations

import pytest
from wizard_keys import WORKED_COUNTS, open_at, settle, to_review, type_counts, type_dates

from recon_tui.tui.screens.count import CountScreen
from recon_tui.tui.screens.dates import DatesScreen
from recon_tui.tui.screens.review import ReviewScreen
from recon_tui.tui.screens.start import StartScreen
from recon_tui.tui.widgets.figures import FigureTable

pytestmark = pytest.mark.keyboard  # the wizard's own tests type every key

SIZE = (80, 24)


def text(widget) -> str:
    return str(widget.render())


def column(table: FigureTable, index: int = 1) -> dict[str, str]:
    return {str(table.get_row_at(r)[0]).strip(): str(table.get_row_at(r)[index]) for r in range(table.row_count)}


@pytest.mark.parametrize("method", ["accrual", "cash"])
async def test_walk_to_review_shows_the_worked_example(worked_app, method):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert "No finalized reconciliation yet" in text(app.screen.query_one("#last-finalized"))
        await to_review(pilot, method)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert f"{method.title()} method · after 2026-03-31 through 2026-04-30" in text(screen.query_one("#context"))
        income = column(screen.query_one("#table-income"))
        assert income == {"Session Fees": "-50.00", "Print Sales": "200.00", "Total Income": "150.00"}
        assert column(screen.query_one("#table-expenses")) == {
            "Bad Debt": "0.00", "In-Store Credit": "25.00", "Total Expenses": "25.00"}
        assert column(screen.query_one("#table-payments")) == {
            "Cash": "0.00", "Check": "30.00", "EFT": "0.00", "Credit Cards": "266.00", "Other": "0.00",
            "Refunds": "-150.00", "SubTotal": "146.00", "In-Store Credit": "0.00"}
        sheet = screen.query_one("#table-balance_sheet")
        change, current = column(sheet, 1), column(sheet, 2)
        expected = {"Undeposited Funds": ("146.00", "346.00"), "Accounts Receivable": ("0.00", "0.00"),
                    "Orders in WIP": ("-300.00", "0.00"), "Orders in BUILT": ("80.00", "80.00"),
                    "In-Store Credit": ("25.00", "25.00"), "Deposits": ("-20.00", "30.00"),
                    "Orders Not Complete": ("-220.00", "80.00"), "Sales Tax": ("16.00", "16.00")}
        assert {k: (change[k], current[k]) for k in expected} == expected
        identity = text(screen.query_one("#identity"))
        assert identity.startswith("Identity OK: Change(assets) − Change(liabilities) = Income − Expenses")
        assert "-74.00 − (-199.00) = 125.00 = 150.00 − 25.00" in identity


async def test_invalid_dates_block_continuing_and_say_why(worked_app):
    cases = [("2026-3-31", "2026-04-30", "is not a date (expected YYYY-MM-DD)"),
             # said under the current date now (DOMAIN §16): "current date X must be after the previous date Y"
             ("2026-04-30", "2026-04-30", "must be after the previous date"),
             ("2026-05-01", "2026-04-30", "must be after the previous date"),
             ("2026-03-31", "2026-05-03", "is after today (2026-05-02)"),
             ("2026-03-31", "2026-02-30", "current date 2026-02-30: February 2026 has no day 30")]
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Dates", previous="", current="")  # the fields as the screen fills them
        screen = app.screen
        for previous, current, reason in cases:
            if app.screen.focused.id == "current":
                await pilot.press("shift+tab")  # back to the previous date
            await type_dates(pilot, previous, current)
            errors = text(screen.query_one("#previous-error")) + text(screen.query_one("#current-error"))
            assert reason in errors, (previous, current)
            await pilot.press("enter", "ctrl+n")
            await settle(pilot)
            assert app.screen is screen


async def test_count_shows_differences_and_requires_a_note(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Count", counts={})
        screen = app.screen
        assert isinstance(screen, CountScreen)
        assert text(screen.query_one("#system-eft")).strip() == "-150.00"
        await type_counts(pilot, {**WORKED_COUNTS, "cash": "12.5"})
        assert text(screen.query_one("#diff-cash")).strip() == "12.50"
        assert "Cash: a note is required" in text(screen.query_one("#count-status"))
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen is screen  # blocked until the difference is explained
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab",
                          "shift+tab", "shift+tab", "shift+tab", "shift+tab", *"till over")
        assert app.wizard.notes["cash"] == "till over"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_going_back_keeps_every_entry(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Review", "cash")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CountScreen)
        assert app.screen.query_one("#counted-eft").value == "-150.00"  # shown formatted
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DatesScreen)
        assert app.screen.query_one("#previous").value == "2026-03-31"
        await pilot.press("escape")
        await settle(pilot)
        assert app.wizard.method.name == "cash"
        assert app.screen.query_one("#method").highlighted == 1


async def test_quit_asks_first_once_a_reconciliation_is_in_progress(worked_app):
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, "Dates")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmQuit"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DatesScreen)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    assert app.return_code == 0


def help_keys(app) -> set[str]:
    table = app.screen.query_one("#help-keys")
    return {str(table.get_row_at(r)[1]) for r in range(table.row_count)}


async def test_help_lists_every_key(worked_app):
    # the help lists the keys of the screen it was opened on (DOMAIN §16), as the footer shows them
    app = worked_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        keys = help_keys(app)
        assert {"^q", "?", "⏎", "^p", "h", "p", "i"} <= keys
        assert "esc" not in keys and "^n" not in keys  # the start screen has no step before or Next
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DatesScreen)
        await pilot.press("f1")  # ? is text in a date field
        await pilot.pause()
        assert {"^q", "?", "esc", "⏎", "^n", "^p"} <= help_keys(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DatesScreen)
