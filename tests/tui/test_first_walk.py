"""The faults a new user met on a first walk at 80x24 (issue 18), one test each, typed key by key
where the fault is about typing. The general rules are checked on every screen in
test_keyboard_contract.py; these are the walks that found them.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from textual import events

from recon_tui.tui.commands import word_start_score
from recon_tui.tui.screens.confirm import ConfirmQuit
from recon_tui.tui.widgets.breadcrumb import fitted
from recon_tui.tui.wizard import WizardState, default_current

from conftest import fixed_app, fresh_copy
from wizard_keys import WORKED_COUNTS, finalize_april, open_at, settle


@pytest.fixture
def own_db(worked_db, tmp_path, shown) -> Path:
    return fresh_copy(worked_db, shown("walk", tmp_path / "walk"))


@pytest.fixture
def walk_app(own_db):
    return fixed_app(own_db)


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


# 1. Palette > Quit asks, in the same words as Ctrl+Q -------------------------------------------------

@pytest.mark.keyboard
async def test_1_quitting_from_the_palette_asks_as_ctrl_q_does(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Count")
        await pilot.press("ctrl+q")
        await settle(pilot)
        asked = " ".join(str(label.render()) for label in app.screen.query("Label"))
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+p", *"quit", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmQuit), "the palette's Quit left at once"
        assert " ".join(str(label.render()) for label in app.screen.query("Label")) == asked
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.STEP == "Count" and app.is_running


# 2. Count: Enter goes to the next field to fill; the focused field is plain to see ------------------

@pytest.mark.keyboard
async def test_2_enter_after_a_matching_count_skips_its_note(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Count", counts={})
        await pilot.press("0", "enter")  # cash: the system says 0.00, difference 0.00
        await settle(pilot)
        assert app.focused.id == "counted-check", "Enter went to the cash note, though no note is needed"
        await pilot.press("1", "enter")  # check: 1.00 against 30.00, a difference: its note is needed
        await settle(pilot)
        assert app.focused.id == "note-check"
        await pilot.press(*"short", "enter")
        await settle(pilot)
        assert app.focused.id == "counted-eft"
        for amount in ("-150", "266", "0"):
            await pilot.press(*amount, "enter")
            await settle(pilot)
        assert app.screen.STEP == "Review"  # the last field filled: Enter reviews


async def test_2_the_focused_field_is_marked_beyond_colour(walk_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Count")
        label = app.screen.query_one("#row-check .c-method")
        other = app.screen.query_one("#row-cash .c-method")
        app.screen.query_one("#counted-check").focus()
        await pilot.pause()
        assert label.rich_style.reverse and label.rich_style.bold
        assert not other.rich_style.reverse
        assert app.focused.rich_style.bold


# 3. Dates: month ends, never today; Enter on the previous date goes to the current date -------------

def test_3_the_default_dates_are_the_next_month_end():
    assert default_current(date(2026, 3, 31), date(2026, 5, 2)) == date(2026, 4, 30)  # April has ended
    assert default_current(date(2026, 4, 30), date(2026, 5, 2)) == date(2026, 4, 30)  # May has not: its latest
    assert default_current(None, date(2026, 5, 2)) == date(2026, 4, 30)
    assert default_current(None, date(2026, 5, 31)) == date(2026, 5, 31)
    assert default_current(date(2025, 12, 31), date(2026, 5, 2)) == date(2026, 1, 31)


@pytest.mark.keyboard
async def test_3_enter_on_the_previous_date_moves_to_the_current_date(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.STEP == "Dates"
        assert app.screen.query_one("#previous").value == ""  # a first reconciliation: no guess
        assert app.screen.query_one("#current").value == "2026-04-30"  # the latest month ended, not today
        await pilot.press(*"2026-03-31", "enter")
        await settle(pilot)
        assert app.screen.STEP == "Dates" and app.focused.id == "current"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.STEP == "Count"
        assert (app.wizard.previous, app.wizard.current) == ("2026-03-31", "2026-04-30")


async def test_3_after_a_finalized_period_the_dates_are_the_next_one(walk_app):
    app = walk_app()
    finalize_april(app.service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#previous").value == "2026-04-30" and app.screen.query_one("#previous").disabled
        assert app.screen.query_one("#current").value == "2026-04-30" or app.screen.query_one("#current").value
        note = app.screen.query_one("#previous-note")
        assert "Starts where the last finalized" in str(note.render()) and not note.has_class("error")


async def test_3_current_before_previous_is_said_under_the_current_date(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Dates", previous="2026-04-30", current="2026-03-31")
        assert text(app, "#previous-error") == ""
        assert "must be after the previous date 2026-04-30" in text(app, "#current-error")


# 4. Notes keep every line, and the confirmation shows what will be locked ------------------------------

async def test_4_a_pasted_two_line_note_is_kept_whole_and_shown_before_locking(walk_app, own_db):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("0", "enter")
        await settle(pilot)
        assert app.screen.STEP == "Finalize"
        app.focused.post_message(events.Paste("April close\r\ndeposit slip 118 filed"))
        await settle(pilot)
        await pilot.press("enter")  # the last field: the confirmation
        await settle(pilot)
        shown = text(app, "#locked-notes")
        assert "April close" in shown and "deposit slip 118 filed" in shown
        await pilot.press("y")
        await settle(pilot)
    conn = sqlite3.connect(own_db)
    assert conn.execute("SELECT notes FROM reconciliations").fetchall() == [("April close\ndeposit slip 118 filed",)]
    conn.close()


async def test_4_count_and_tie_out_notes_keep_every_line(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Count", counts={**WORKED_COUNTS, "cash": "5"})
        app.screen.query_one("#note-cash").focus()
        await pilot.pause()
        app.focused.post_message(events.Paste("till over\nfound a 5"))
        await settle(pilot)
        assert app.wizard.notes["cash"] == "till over\nfound a 5"


# 5. and 6. Esc clears a filter first; History's filter keeps the "changed" flag ----------------------

@pytest.mark.keyboard
async def test_5_esc_in_a_filtered_list_clears_the_filter_and_stays(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("f5")
        await settle(pilot)
        screen, table = app.screen, app.screen.query_one("#report")
        everything = table.row_count
        await pilot.press("slash", *"Ada", "enter")
        await settle(pilot)
        assert table.row_count < everything and "Ada" in str(table.border_title)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and table.row_count == everything and table.filter_text == ""
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.STEP == "Tie-out"


async def test_6_the_history_filter_keeps_the_changed_flag(walk_app, tmp_path):
    app = walk_app()
    finalize_april(app.service)
    edit = tmp_path / "edit"  # a payment of April changed by an import after it was finalized
    edit.mkdir()
    (edit / "payments.csv").write_text("payment_id,order_id,paid_on,method,amount\nP3,B,2026-04-10,check,35.00\n")
    app.service.import_files(edit)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        table = app.screen.query_one("#history")
        assert "changed" in str(table.get_row_at(0)[3])
        await pilot.press("slash", *"#1", "enter")
        await settle(pilot)
        assert table.filter_text == "#1" and "changed" in str(table.get_row_at(0)[3])


# 7. The list keys in the Review tables, a record and the help; q closes what was opened on top --------

async def test_7_list_keys_in_the_review_tables_and_q_closes_a_drill_down(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Review")
        table = app.focused
        assert table.id == "table-income"
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "DrilldownScreen"
        await pilot.press("q")
        await settle(pilot)
        assert app.screen.STEP == "Review"
        await pilot.press("q")  # a step is not "opened on top": q does nothing
        await settle(pilot)
        assert app.screen.STEP == "Review"


async def test_7_a_records_view_and_the_help_take_the_list_keys(walk_app):
    app = walk_app()
    finalize_april(app.service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h", "enter")
        await settle(pilot)
        lines = app.screen.query_one("#record")
        await pilot.press("G")
        assert lines.cursor_row == lines.row_count - 1
        assert "end of the record" in str(lines.get_row_at(lines.cursor_row)[0])
        await pilot.press("g", "j")
        assert lines.cursor_row == 1
        await pilot.press("question_mark")
        await settle(pilot)
        keys = app.screen.query_one("#help-keys")
        await pilot.press("G")
        assert keys.cursor_row == keys.row_count - 1
        await pilot.press("q", "q")
        await settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"


# 8. An amount never shows as another figure; its own error first, at once ----------------------------

@pytest.mark.keyboard
async def test_8_a_long_amount_shows_whole_with_its_own_error_first(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Count", counts={})
        app.screen.query_one("#counted-check").focus()
        await pilot.pause()
        await pilot.press(*"9,999,999,999.99")
        await settle(pilot)
        field = app.screen.query_one("#counted-check")
        assert field.size.width >= len(field.value) + 2, "the field shows only the figure's tail"
        status = text(app, "#count-status")
        assert status.startswith("Check: '9,999,999,999.99' is too large"), status
        await pilot.press("enter")  # its own error: Enter stays
        assert app.focused is field
        await pilot.press("ctrl+u")
        field.post_message(events.Paste("5,457.64 Total"))
        await settle(pilot)
        assert field.value == "5,457.64 Total" and field.size.width >= len(field.value) + 2
        assert text(app, "#count-status").startswith("Check: '5,457.64 Total' is not an amount")


async def test_8_amounts_as_quickbooks_shows_them_are_taken(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        for typed, plain in (("$(7,794.65)", "-7794.65"), ("7794.65-", "-7794.65")):
            field = app.screen.query_one("#qb-balance")
            field.value = ""
            field.post_message(events.Paste(typed))
            await settle(pilot)
            assert app.wizard.qb_balance == plain


# 9. After an action the focus goes where the next key belongs ------------------------------------------

async def test_9_after_posting_r_re_exports_instead_of_typing(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        through = screen.query_one("#through").value
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("a")  # the first batch names its method
        await settle(pilot)
        assert screen.focused.id == "batches"
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmReexport"
        assert screen.query_one("#through").value == through


# 10. F8 is in the tie-out's footer; the help is the screen's own -------------------------------------

async def test_10_the_tie_out_footer_and_help_list_its_keys(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        shown = {b.key for _, b, _, _ in app.screen.active_bindings.values() if b.show}
        assert {"f5", "f6", "f7", "f8", "ctrl+n"} <= shown
        await pilot.press("f1")  # ? would be typed into the balance field
        await settle(pilot)
        does = [row.does for row in app.screen.rows]
        assert "Post" in does and "Diagnose" in does
        assert "Post batch…" not in does and "Finalize…" not in does  # other screens' keys are not listed


# Also from the walk -------------------------------------------------------------------------------------

async def test_after_a_reopen_the_chain_line_counts_it_at_once(walk_app):
    app = walk_app()
    finalize_april(app.service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h", "r")
        await settle(pilot)
        await pilot.press(*"late refund", "enter")
        await settle(pilot)
        assert "1 reopening" in text(app, "#history-chain")


def test_a_long_breadcrumb_keeps_where_you_are():
    crumbs = ("Review", "Balance Sheet", "Customer Deposits (Current)", "Order O0012345")
    shown = fitted(crumbs, 40)
    assert shown.endswith("Order O0012345") and len(shown) <= 40 and shown.startswith("…")


def test_the_palette_puts_a_words_start_first():
    assert word_start_score("tie", "Go to step: Tie-out") > word_start_score("tie", "Import the studio's files")


async def test_the_cash_review_says_its_figures_are_the_studios(walk_app):
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Review", method="cash")
        assert "studio's figures" in text(app, "#cash-note")


async def test_the_order_view_names_accounts_and_methods(walk_app):
    app = walk_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_at(pilot, "Review")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        payments = app.screen.query_one("#order-payments")
        methods = {str(payments.get_row_at(i)[2]) for i in range(payments.row_count)}
        assert not methods & {"credit_card", "in_store_credit", "bad_debt"}
        lines = app.screen.query_one("#order-lines")
        accounts = {str(lines.get_row_at(i)[1]) for i in range(lines.row_count)}
        assert not accounts & {"sessions", "prints"} and "Session Fees" in accounts, accounts  # the config's names


def test_a_diagnosis_is_dropped_when_what_it_explained_changes():
    state = WizardState(method="accrual", previous="2026-03-31", current="2026-04-30", qb_balance="12.50",
                        diagnosis={"qb_balance": "12.50", "method": "accrual", "as_of": "2026-04-30"})
    assert state.entered(qb_balance="12.50").diagnosis is not None
    assert state.entered(qb_note="x").diagnosis is not None
    assert state.entered(qb_balance="13.00").diagnosis is None
    assert state.entered(current="2026-04-29").diagnosis is None
    assert state.entered(method="cash").diagnosis is None
    assert state.books_changed().diagnosis is None
    with pytest.raises(Exception):
        state.previous = "x"  # frozen


