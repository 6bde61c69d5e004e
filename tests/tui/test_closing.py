"""Steps 5 and 6 and the history, keyboard only: tie-out, finalize, the record, reopening."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from recon_tui.config import load_config

from conftest import FIXTURES, WORKED_TODAY, fixed_app, fresh_copy
from wizard_keys import WORKED_COUNTS, finalize_april, open_at, settle, to_tie_out

EXPECTED = json.loads((FIXTURES / "worked_example_report.json").read_text())


@pytest.fixture
def own_db(worked_db, tmp_path, shown) -> Path:
    """A fresh copy of the worked example per test (finalizing writes to it and beside it; the
    finalize screen prints the printed report's path: ``shown``)."""
    return fresh_copy(worked_db, shown("closing", tmp_path / "closing"))


@pytest.fixture
def closing_app(own_db):
    return fixed_app(own_db)


async def finalize(pilot, qb_balance: str, qb_note: str = "", notes: str = "April close"):
    await pilot.press(*qb_balance, "tab", *qb_note)
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    await pilot.press(*notes, "ctrl+f")
    await settle(pilot)
    await pilot.press("y")
    await settle(pilot)


async def to_history(pilot) -> None:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "HistoryScreen"


def stored(db: Path) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM reconciliations ORDER BY number")]
    conn.close()
    return rows


@pytest.mark.keyboard
@pytest.mark.parametrize("method, qb_balance, figure", [("accrual", "0", "0.00"), ("cash", "30", "30.00")])
async def test_a_whole_reconciliation_by_keyboard(closing_app, own_db, method, qb_balance, figure):
    app = closing_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_tie_out(pilot, method)
        assert app.screen.STEP == "Tie-out"
        await finalize(pilot, qb_balance)
        assert app.screen.done
        status = str(app.screen.query_one("#final-status").render())
        assert "Finalized reconciliation #1." in status and "reconciliation-0001.txt" in status
    [record] = stored(own_db)
    assert (record["number"], record["method"], record["previous_on"], record["current_on"]) == \
        (1, method, "2026-03-31", "2026-04-30")
    figures = json.loads(record["figures"])
    assert figures == {**EXPECTED, "method": method,
                       "tie_out": {"gl_account": "Accounts Receivable" if method == "accrual" else "Customer Deposits",
                                   "studio_figure": figure}}
    counts = {c["method"]: (c["counted"], c["difference"]) for c in json.loads(record["counts"])}
    assert counts == {"cash": (0, 0), "check": (3000, 0), "eft": (-15000, 0), "credit_card": (26600, 0),
                      "other": (0, 0)}
    assert (record["qb_difference"], record["notes"]) == (0, "April close")
    assert (own_db.parent / "reconciliation-0001.txt").read_text().startswith("Worked Example Studio: reconciliation #1")


async def test_a_quickbooks_difference_needs_a_note(closing_app, own_db):
    app = closing_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("1", "2", ".", "5", "0")
        await settle(pilot)
        assert "Difference -12.50: a note is required" in str(app.screen.query_one("#tie-status").render())
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.STEP == "Tie-out"  # refused
        await pilot.press("tab", *"journal 88 not posted")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.STEP == "Finalize"
        await pilot.press("escape")  # back: nothing entered is lost
        await settle(pilot)
        assert app.wizard.qb_balance == "12.50" and app.wizard.qb_note == "journal 88 not posted"
    assert stored(own_db) == []


async def test_cancelling_the_confirmation_writes_nothing(closing_app, own_db):
    app = closing_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("0", "ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.STEP == "Finalize" and not app.screen.done
    assert stored(own_db) == []


async def test_the_next_reconciliation_starts_where_the_last_ended(closing_app, own_db):
    app = closing_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await finalize(pilot, "0")
        await pilot.press("ctrl+n")  # new reconciliation
        await settle(pilot)
        assert app.screen.STEP == "Start"
        assert "#1" in str(app.screen.query_one("#last-finalized").render())
        await pilot.press("enter")
        await settle(pilot)
        previous = app.screen.query_one("#previous")
        assert previous.value == "2026-04-30" and previous.disabled


async def test_history_opens_a_record_and_reopens_the_latest(closing_app, own_db):
    app = closing_app()
    finalize_april(app.service)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_history(pilot)
        table = app.screen.query_one("#history")
        assert table.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "RecordScreen"
        lines = [str(line) for line in app.screen.query_one("#record").items]  # the record's lines, one list
        income = lines[lines.index("INCOME SUMMARY") + 3:lines.index("EXPENSE SUMMARY") - 1]
        assert [line.split()[-1] for line in income] == ["-50.00", "200.00", "150.00"]
        await pilot.press("escape", "r")
        await settle(pilot)
        await pilot.press("enter")  # an empty reason is refused
        await settle(pilot)
        assert "A reason is required." in str(app.screen.query_one("#reason-error").render())
        await pilot.press(*"late refund", "enter")
        await settle(pilot)
        assert "reopened" in str(app.screen.query_one("#history").get_row_at(0)[3])
    conn = sqlite3.connect(own_db)
    assert conn.execute("SELECT number, reason FROM reopenings").fetchall() == [(1, "late refund")]
    conn.close()


# -- snapshots ------------------------------------------------------------------------------------

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_tie_out(snap_compare, closing_app, size):
    async def run_before(pilot):
        await open_at(pilot, "Tie-out")
        await pilot.press("1", "2", ".", "5", "0")
        await settle(pilot)
    assert snap_compare(closing_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_finalize_confirmation(snap_compare, closing_app, size):
    async def run_before(pilot):
        await open_at(pilot, "Tie-out")
        await pilot.press("0", "ctrl+n")
        await settle(pilot)
        await pilot.press(*"April close", "ctrl+f")
        await settle(pilot)
    assert snap_compare(closing_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_history(snap_compare, closing_app, size):
    app = closing_app()
    finalize_april(app.service)
    assert snap_compare(app, terminal_size=size, run_before=to_history)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_finalized_record(snap_compare, closing_app, size):
    app = closing_app()
    finalize_april(app.service)

    async def run_before(pilot):
        await to_history(pilot)
        await pilot.press("enter")
        await settle(pilot)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_ar_aging(snap_compare, closing_app, size):
    async def run_before(pilot):
        await open_at(pilot, "Tie-out")
        await pilot.press("f5")
        await settle(pilot)
    assert snap_compare(closing_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_reopen_dialog(snap_compare, closing_app, size):
    app = closing_app()
    finalize_april(app.service)

    async def run_before(pilot):
        await to_history(pilot)
        await pilot.press("r")
        await settle(pilot)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_the_tie_out_reports_list_the_orders_behind_the_figure(closing_app):
    app = closing_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("f5")
        await settle(pilot)
        table = app.screen.query_one("#report")
        assert [str(c) for c in table.get_row_at(0)][:3] == ["Ben Ortiz · B", "BUILT", "20"]
        assert "total 56.40" in str(app.screen.query_one("#report-total").render())
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderScreen"
        await pilot.press("escape", "escape", "f6")
        await settle(pilot)
        assert "deposits 30.00, outstanding 56.40" in str(app.screen.query_one("#report-total").render())


def _finalize_april_and_edit_it(db: Path, tmp_path: Path) -> None:
    """#1 closes April from outside the app; then an import changes payment P3 (dated in April)."""
    from recon_tui.model import Period
    from recon_tui.service.closing import FinalizeRequest, finalize as finalize_record
    from recon_tui.store import open_store
    from recon_tui.store.importer import import_dir

    config = load_config(FIXTURES / "worked_example.yaml")
    store = open_store(db)
    april = Period(datetime(2026, 3, 31).date(), datetime(2026, 4, 30).date())
    finalize_record(store, config, FinalizeRequest(
        method="accrual", period=april, counted={"check": 3000, "credit_card": 26600, "eft": -15000}, qb_balance=0),
        today=WORKED_TODAY, user="ada", now=datetime(2026, 5, 1, 9, tzinfo=timezone.utc))
    edit = tmp_path / "edit"
    edit.mkdir()
    (edit / "payments.csv").write_text("payment_id,order_id,paid_on,method,amount\nP3,B,2026-04-10,check,35.00\n")
    import_dir(store, edit, config)
    store.conn.close()


async def to_next_review(pilot):
    """May 2026 after #1: the previous date is locked to 2026-04-30, current defaults to today."""
    await open_at(pilot, "Review", previous="2026-04-30", current=WORKED_TODAY.isoformat(),
                  counts={method: "0" for method in WORKED_COUNTS})


async def test_the_review_warns_when_a_finalized_period_changed(closing_app, own_db, tmp_path):
    _finalize_april_and_edit_it(own_db, tmp_path)
    app = closing_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_next_review(pilot)
        assert app.screen.STEP == "Review"
        drift = app.screen.query_one("#drift")
        assert drift.display
        assert str(drift.render()) == (
            "⚠ Finalized #1 changed since (h: History): payment P3 changed by 5.00 (30.00 -> 35.00); …")
        await pilot.press("h")
        await settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"


async def test_the_review_shows_no_warning_when_nothing_changed(closing_app):
    app = closing_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Review")
        assert not app.screen.query_one("#drift").display


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_review_with_a_changed_period(snap_compare, closing_app, own_db, tmp_path, size):
    _finalize_april_and_edit_it(own_db, tmp_path)

    async def run_before(pilot):
        await to_next_review(pilot)
    assert snap_compare(closing_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_deposit_reconciliation(snap_compare, closing_app, size):
    async def run_before(pilot):
        await open_at(pilot, "Tie-out")
        await pilot.press("f6")
        await settle(pilot)
    assert snap_compare(closing_app(), terminal_size=size, run_before=run_before)


@pytest.mark.shows_paths  # the printed report beside the database
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_finalized(snap_compare, closing_app, size):
    async def run_before(pilot):
        await open_at(pilot, "Tie-out")
        await finalize(pilot, "0")
    assert snap_compare(closing_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_quit_dialog(snap_compare, closing_app, size):
    async def run_before(pilot):
        await open_at(pilot, "Count", counts={})
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert snap_compare(closing_app(), terminal_size=size, run_before=run_before)
