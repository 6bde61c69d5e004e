"""Issue 11, items 4, 12, 13 and 14 in the history: a finalized record read to its end at 80x24,
the QuickBooks difference always in view, figures and changes in words with money grouped, and an
import that changes a finalized period said at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from recon_tui.ledger.closing import Drift, SourceChange
from recon_tui.reporting import diagnosis_table, drift_lines, drift_warning, figure_words
from recon_tui.tui.widgets.figures import FigureTable

from conftest import FIXTURES, fixed_app
from test_start_post import finalize
from wizard_keys import settle


def edit_april(own_db: Path, tmp_path: Path, app) -> list[str]:
    """An import that changes payment P3 (dated in April) to 35.00; the warnings it gives."""
    edit = tmp_path / "edit"
    edit.mkdir()
    (edit / "payments.csv").write_text("payment_id,order_id,paid_on,method,amount\nP3,B,2026-04-10,check,35.00\n")
    result, warnings = app.service.import_checked(edit)
    return warnings


async def open_record(pilot) -> None:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "RecordScreen"


def record_lines(app) -> list[str]:
    """The record as shown: one list (``#record``) of the printed record's lines."""
    return [str(line) for line in app.screen.query_one("#record").items]


def line_in_view(table, index: int) -> bool:
    return table.scroll_y <= index < table.scroll_y + table.scrollable_content_region.height


# -- item 4: the record to its end -------------------------------------------------------------------

@pytest.mark.parametrize("key", ["end", "ctrl+end", "pagedown"])
async def test_a_finalized_record_scrolls_to_its_end_at_80x24(app_on, key):
    app = app_on()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(pilot)
        page = app.screen.query_one("#record")  # the record is one list of its lines now
        assert app.focused is page
        assert page.max_scroll_y > 0 and page.scroll_y == 0
        for _ in range(1 if key != "pagedown" else 10):
            await pilot.press(key)
            await pilot.pause()
        assert page.scroll_y == page.max_scroll_y
        lines = record_lines(app)
        for start in ("TIE-OUT (", "Notes: closed", "— end of the record —"):  # now on screen
            index = next(i for i, line in enumerate(lines) if line.startswith(start))
            assert line_in_view(page, index), start
        await pilot.press("home")
        await pilot.pause()
        assert page.scroll_y == 0


async def test_a_table_that_has_the_focus_does_not_keep_the_page_keys(app_on):
    # the record is one list of lines now (no figure table inside a page to take the keys): the
    # page keys reach its end from the list itself
    app = app_on()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(pilot)
        assert not app.screen.query(FigureTable)
        page = app.screen.query_one("#record")
        assert app.focused is page
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert page.scroll_y == page.max_scroll_y


async def test_the_reopen_line_of_a_record_is_whole(app_on):
    app = app_on()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    app.service.reopen(1, "a late refund was found in the April bank statement")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(pilot)
        # the reason is no longer in #record-context: it is the record's REOPENED line, in the list
        assert "REOPENED 2026-05-02 17:30 UTC by bookkeeper" in str(app.screen.query_one("#record-context").render())
        page = app.screen.query_one("#record")
        lines = record_lines(app)
        start = next(i for i, line in enumerate(lines) if line.startswith("REOPENED"))
        said = " ".join(line.strip() for line in lines[start:start + 2])  # a long line wraps: every word shows
        assert said.endswith("by bookkeeper: a late refund was found in the April bank statement")
        assert all(len(line) <= page.scrollable_content_region.width for line in lines)  # none cut at 80


# -- item 12: the QuickBooks difference in view ------------------------------------------------------

async def test_history_keeps_the_qb_difference_in_view_when_a_record_changed(app_on, own_db, tmp_path):
    app = app_on()
    finalize(app, "cash", "2026-03-31", "2026-04-30")
    edit_april(own_db, tmp_path, app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        table = app.screen.query_one("#history")
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[3] == "in force, changed" and row[4] == "30.00"
        width = sum(column.get_render_width(table) for column in table.columns.values())
        assert width <= table.size.width  # every column, the difference last, inside 80 columns
        assert "changed since finalized" in str(app.screen.query_one("#history-status").render())


# -- item 13: words and money ------------------------------------------------------------------------

def test_figure_keys_in_words():
    assert figure_words("payments.credit_card") == "Payments: Credit Cards"
    assert figure_words("balance_sheet.accounts_receivable.current") == "Balance Sheet: Accounts Receivable (current)"
    assert figure_words("income.Print Sales") == "Income: Print Sales"
    assert figure_words("income_total") == "Total Income"
    assert figure_words("expenses.bad_debt") == "Expenses: Bad Debt"
    assert figure_words("tie_out.studio_figure") == "Tie-out: Studio figure"
    assert figure_words("deposit_reconciliation.outstanding") == "Deposit Reconciliation: Outstanding"


def test_changes_in_words_with_money_grouped():
    drift = Drift(1, (SourceChange("payment:P3", 779465, 750000),),
                  (("balance_sheet.accounts_receivable.current", "7794.65", "7500.00"),))
    assert drift_lines(drift) == ["payment P3 changed by -294.65 (7,794.65 -> 7,500.00)",
                                  "Balance Sheet: Accounts Receivable (current): 7,794.65 -> 7,500.00"]
    assert drift_warning(drift).startswith("this import changed the period of finalized reconciliation #1: "
                                           "payment P3 changed by -294.65")


def test_a_diagnosis_counts_records_unlike_money():
    stored = {"causes": [{"title": "Not imported in QuickBooks", "cause": "not_imported", "items": [{}] * 12813,
                          "amount": "128.13"}], "difference": "128.13"}
    table = diagnosis_table(stored)
    assert "12,813" in table and " 12813 " not in table


async def test_the_record_and_finalize_views_name_the_payment_methods(app_on):
    app = app_on()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(pilot)
        lines = record_lines(app)
        counts = "\n".join(lines[lines.index("MONEY COUNTED"):])
        assert "Credit Cards" in counts and "credit_card" not in counts
        tie = lines[next(i for i, line in enumerate(lines) if line.startswith("TIE-OUT")):]
        assert any(line.startswith("Studio figure") and line.split()[-1] == "0.00" for line in tie)
        assert any(line.startswith("QuickBooks balance of Accounts Receivable") for line in tie)


async def test_a_changed_record_says_what_moved_in_words(app_on, own_db, tmp_path):
    app = app_on()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    edit_april(own_db, tmp_path, app)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_record(pilot)
        lines = record_lines(app)
        drift = "\n".join(lines[lines.index("CHANGED SINCE IT WAS FINALIZED"):])
        assert "payment P3 changed by 5.00 (30.00 -> 35.00)" in drift
        assert "Payments: Check: 30.00 -> 35.00" in drift
        assert "balance_sheet." not in drift and "payments." not in drift


# -- item 14: an import that changes a finalized period ---------------------------------------------

def test_an_import_that_changes_a_finalized_period_warns(app_on, own_db, tmp_path):
    app = app_on()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    warnings = edit_april(own_db, tmp_path, app)
    assert len(warnings) == 1 and warnings[0].startswith(
        "this import changed the period of finalized reconciliation #1: payment P3 changed by 5.00")
    again = tmp_path / "again"
    again.mkdir()
    (again / "payments.csv").write_text("payment_id,order_id,paid_on,method,amount\nP3,B,2026-04-10,check,35.00\n")
    assert app.service.import_checked(again)[1] == []  # the same again: nothing new to say


def test_the_cli_import_prints_the_warning(own_db, tmp_path, capsys):
    from recon_tui.cli import main

    app = fixed_app(own_db)()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    edit = tmp_path / "edit"
    edit.mkdir()
    (edit / "payments.csv").write_text("payment_id,order_id,paid_on,method,amount\nP3,B,2026-04-10,check,35.00\n")
    code = main(["import", str(edit), "--config", str(FIXTURES / "worked_example.yaml"), "--db", str(own_db)])
    err = capsys.readouterr().err
    assert code == 0
    assert "warning: this import changed the period of finalized reconciliation #1: payment P3 changed by 5.00" in err
    conn = sqlite3.connect(own_db)
    assert conn.execute("SELECT amount FROM payments WHERE payment_id = 'P3'").fetchone()[0] == 3500
    conn.close()


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24")])
def test_snapshot_record_scrolled_to_its_end(snap_compare, own_db, tmp_path, size):
    """A changed record read to its end: money counted, tie-out, notes, what moved since."""
    app = fixed_app(own_db)()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    edit_april(own_db, tmp_path, app)

    async def run_before(pilot):
        await open_record(pilot)
        await pilot.press("end")
        await pilot.pause()
    assert snap_compare(fixed_app(own_db)(), terminal_size=size, run_before=run_before)
