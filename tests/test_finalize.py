"""Finalized reconciliation records (DOMAIN §10): the chain, immutability, reopening, re-checks."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.config import load_config
from recon_tui.model import Period
from recon_tui.service.closing import (FinalizeError, FinalizeRequest, finalize, first_previous_date, history,
                                       recheck, reopen)
from recon_tui.service.figures import reconcile
from recon_tui.reporting import report_json
from recon_tui.store import open_store
from recon_tui.store.importer import import_dir

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 18, 30, tzinfo=timezone.utc)
APRIL = Period(date(2026, 3, 31), date(2026, 4, 30))
# what the worked example's April really took in, per bank method (EFT: the 150.00 refund)
APRIL_COUNT = {"check": 3000, "credit_card": 26600, "eft": -15000}


@pytest.fixture
def config():
    return load_config(FIXTURES / "worked_example.yaml")


@pytest.fixture
def db(tmp_path, config):
    db = open_store(tmp_path / "studio.db", create=True)
    import_dir(db, FIXTURES / "worked_example", config)
    yield db
    db.close()


def close(db, config, period=APRIL, method="accrual", counted=None, qb_balance=0, **kwargs):
    request = FinalizeRequest(method=method, period=period, counted=APRIL_COUNT if counted is None else counted,
                              qb_balance=qb_balance, **kwargs)
    return finalize(db, config, request, today=TODAY, user="ada", now=NOW)


def test_a_record_keeps_every_figure_as_finalized(db, config):
    record = close(db, config, notes="April close")
    assert (record.number, record.method, record.previous_on, record.current_on) == (1, "accrual", "2026-03-31", "2026-04-30")
    assert (record.finalized_at, record.finalized_by, record.notes) == ("2026-11-21T18:30:00+00:00", "ada", "April close")
    assert record.figures == report_json(reconcile(db, config, APRIL, "accrual"))
    assert record.figures["income_total"] == "150.00"
    assert [(c["method"], c["system"], c["counted"], c["difference"]) for c in record.counts] == [
        ("cash", 0, 0, 0), ("check", 3000, 3000, 0), ("eft", -15000, -15000, 0),
        ("credit_card", 26600, 26600, 0), ("other", 0, 0, 0)]
    assert (record.qb_balance, record.qb_difference) == (0, 0)
    assert record.gl_mapping["income_categories"] == {"sessions": "Session Fees", "prints": "Print Sales"}
    assert record.gl_mapping["gl_accounts"]["accounts_receivable"] == "Accounts Receivable"
    assert len(record.fingerprint) == 64 and record.in_force
    # the records dated in the period (C: voided in April), each with its amount
    assert set(record.sources) == {"order:A", "order:B", "order:C", "payment:P2", "payment:P3", "payment:P5",
                                   "adjustment:J1"}
    assert record.sources["payment:P5"][1] == -15000


def test_every_problem_is_listed_and_nothing_is_written(db, config):
    with pytest.raises(FinalizeError) as failed:
        close(db, config, counted={"check": 3000, "credit_card": 26000}, qb_balance=100)
    problems = failed.value.problems
    assert any(p.startswith("EFT: counted 0.00 but the system says -150.00") for p in problems)
    assert any(p.startswith("Credit Cards: counted 260.00 but the system says 266.00; a difference of -6.00 needs a note")
               for p in problems)
    assert any("QuickBooks balance 1.00 of Accounts Receivable differ by -1.00; that needs a note" in p for p in problems)
    assert history(db) == []


def test_notes_allow_differences(db, config):
    record = close(db, config, counted={**APRIL_COUNT, "credit_card": 26000},
                   count_notes={"credit_card": "one slip missing"}, qb_balance=100, qb_note="journal 88 not posted")
    card = next(c for c in record.counts if c["method"] == "credit_card")
    assert (card["difference"], card["note"]) == (-600, "one slip missing")
    assert (record.qb_difference, record.qb_note) == (-100, "journal 88 not posted")


def test_current_may_not_be_after_today(db, config):
    with pytest.raises(FinalizeError, match=r"the current date 2026-11-22 is after today \(2026-11-21\)"):
        close(db, config, period=Period(date(2026, 3, 31), date(2026, 11, 22)), counted={}, qb_balance=0,
              count_notes={m: "n" for m in ("check", "credit_card", "eft")}, qb_note="n")


def test_the_chain_rule(db, config):
    assert first_previous_date(db) is None
    close(db, config)
    assert first_previous_date(db) == date(2026, 4, 30)
    with pytest.raises(FinalizeError, match="the previous date must be 2026-04-30"):
        close(db, config, period=Period(date(2026, 4, 15), date(2026, 5, 31)), counted={})
    may = close(db, config, period=Period(date(2026, 4, 30), date(2026, 5, 31)), counted={}, method="cash",
                qb_balance=3000)
    assert (may.number, may.method, may.figures["tie_out"]["studio_figure"]) == (2, "cash", "30.00")


def test_the_database_refuses_to_change_or_delete_a_record(db, config):
    close(db, config)
    reopen(db, 1, "counted twice", user="ada", now=NOW)
    for sql in ("UPDATE reconciliations SET notes = 'edited'", "UPDATE reconciliations SET qb_balance = 1",
                "DELETE FROM reconciliations", "UPDATE reopenings SET reason = 'x'", "DELETE FROM reopenings"):
        with pytest.raises(sqlite3.IntegrityError, match="never"):
            db.execute(sql)
    assert history(db)[0].notes == "" and history(db)[0].reopen_reason == "counted twice"


def test_the_database_refuses_a_broken_chain_even_from_outside_the_program(db, config):
    close(db, config)
    row = db.execute("SELECT * FROM reconciliations").fetchone()
    columns = [d[0] for d in db.execute("SELECT * FROM reconciliations").description]
    values = dict(zip(columns, row), number=2, previous_on="2026-04-20", current_on="2026-05-31")
    with pytest.raises(sqlite3.IntegrityError, match="must start at the last finalized current date"):
        db.execute(f"INSERT INTO reconciliations ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                   list(values.values()))
    values.update(previous_on="2026-04-30", current_on="2026-04-30")
    with pytest.raises(sqlite3.IntegrityError):  # previous < current
        db.execute(f"INSERT INTO reconciliations ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                   list(values.values()))


def test_reopen_only_the_latest_with_a_reason_and_numbers_go_on(db, config):
    close(db, config)
    close(db, config, period=Period(date(2026, 4, 30), date(2026, 5, 31)), counted={})
    with pytest.raises(FinalizeError, match="needs a reason"):
        reopen(db, 2, "  ", user="ada")
    with pytest.raises(FinalizeError, match=r"only the latest reconciliation in force \(#2\)"):
        reopen(db, 1, "wrong month", user="ada")
    with pytest.raises(FinalizeError, match="no reconciliation #9"):
        reopen(db, 9, "typo", user="ada")
    with pytest.raises(sqlite3.IntegrityError, match="only the latest"):  # the database says so too
        db.execute("INSERT INTO reopenings VALUES (1, 'x', 'y', 'z')")
    reopened = reopen(db, 2, "late refund", user="bo", now=NOW)
    assert (reopened.in_force, reopened.reopened_by, reopened.reopen_reason) == (False, "bo", "late refund")
    with pytest.raises(FinalizeError, match="already reopened"):
        reopen(db, 2, "again", user="bo")
    assert first_previous_date(db) == date(2026, 4, 30)  # the next one starts where #1 ended
    again = close(db, config, period=Period(date(2026, 4, 30), date(2026, 5, 31)), counted={})
    assert again.number == 3
    assert [(r.number, r.in_force) for r in history(db)] == [(1, True), (2, False), (3, True)]


def test_recheck_names_changed_records_and_by_how_much(db, config, tmp_path):
    close(db, config)
    assert recheck(db, config) == []
    edit = tmp_path / "edit"
    edit.mkdir()
    (edit / "payments.csv").write_text("payment_id,order_id,paid_on,method,amount\n"
                                       "P3,B,2026-04-10,check,35.00\nP9,B,2026-04-12,cash,5.00\n")
    (edit / "orders.csv").write_text("order_id,customer_id,ordered_on,built_on,completed_on,voided_on,sales_tax\n"
                                     "B,C2,2026-04-10,2026-05-02,,,6.40\n")
    import_dir(db, edit, config)
    [drift] = recheck(db, config)
    assert drift.number == 1
    assert drift.describe() == [
        "order B edited (amount unchanged, 86.40)", "payment P3 changed by 5.00 (30.00 -> 35.00)",
        "payment P9 added (5.00)",
        # and by how much every figure of the period moved (B is WIP again at 2026-04-30 and holds 40.00)
        "payments.cash: 0.00 -> 5.00", "payments.check: 30.00 -> 35.00", "payments.subtotal: 146.00 -> 156.00",
        "balance_sheet.undeposited_funds.change: 146.00 -> 156.00",
        "balance_sheet.undeposited_funds.current: 346.00 -> 356.00",
        "balance_sheet.orders_wip.change: -300.00 -> -220.00", "balance_sheet.orders_wip.current: 0.00 -> 80.00",
        "balance_sheet.orders_built.change: 80.00 -> 0.00", "balance_sheet.orders_built.current: 80.00 -> 0.00",
        "balance_sheet.deposits.change: -20.00 -> -10.00", "balance_sheet.deposits.current: 30.00 -> 40.00",
        "ar_aging_total: 56.40 -> 46.40", "deposit_reconciliation.deposits: 30.00 -> 40.00",
        "deposit_reconciliation.outstanding: 56.40 -> 46.40"]


def test_recheck_catches_an_older_record_that_moves_the_periods_figures(db, config, tmp_path):
    close(db, config)
    edit = tmp_path / "edit"
    edit.mkdir()  # order C (completed 2026-03-01, before the period) gets 10.00 of tax
    (edit / "orders.csv").write_text("order_id,customer_id,ordered_on,built_on,completed_on,voided_on,sales_tax\n"
                                     "C,C3,2026-02-01,,2026-03-01,2026-04-15,10.00\n")
    import_dir(db, edit, config)
    [drift] = recheck(db, config)
    lines = drift.describe()
    # C was voided in the period, so it is one of its records; at 03-31 it was COMPLETED and owed its tax
    assert lines == ["order C changed by 10.00 (150.00 -> 160.00)",
                     "balance_sheet.accounts_receivable.change: 0.00 -> -10.00",
                     "balance_sheet.sales_tax.change: 16.00 -> 6.00"]


def test_recheck_catches_an_edit_before_the_period(db, config, tmp_path):
    close(db, config)
    edit = tmp_path / "edit"
    edit.mkdir()  # P4 (2026-02-01, before the period) was really 140.00: Undeposited Funds moves
    (edit / "payments.csv").write_text("payment_id,order_id,paid_on,method,amount\nP4,C,2026-02-01,eft,140.00\n")
    import_dir(db, edit, config)
    [drift] = recheck(db, config)
    assert drift.changes == ()
    assert drift.describe()[0] == "records dated before the period changed"
    assert "balance_sheet.undeposited_funds.current: 346.00 -> 336.00" in drift.describe()
    assert "balance_sheet.deposits.change: -20.00 -> -20.00" not in drift.describe()


def test_cli_finalize_history_show_and_reopen(tmp_path, capsys):
    config = tmp_path / "recon.yaml"
    config.write_text((FIXTURES / "worked_example.yaml").read_text())
    db = tmp_path / "studio.db"
    common = ["--db", str(db), "--config", str(config)]
    assert main(["import", str(FIXTURES / "worked_example"), *common]) == 0
    capsys.readouterr()
    april = ["--current", "2026-04-30", "--qb-balance", "0", "--count", "check=30", "--count", "credit_card=266.00"]
    assert main(["finalize", *april, *common]) == 2
    assert "give --previous" in capsys.readouterr().err
    assert main(["finalize", "--previous", "2026-03-31", *april, *common]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: EFT: counted 0.00 but the system says -150.00")
    assert err[-1] == "error: nothing was finalized"
    assert main(["finalize", "--previous", "2026-03-31", *april, "--count", "eft=-150", "--notes", "April", *common]) == 0
    out = capsys.readouterr().out
    printed = tmp_path / "reconciliation-0001.txt"
    assert out.splitlines() == ["finalized reconciliation #1 (accrual, after 2026-03-31 through 2026-04-30)",
                                f"printed report: {printed}"]
    text = printed.read_text()
    assert "reconciliation #1 (accrual method)" in text and "Print Sales     200.00" in text and "Notes: April" in text
    assert main(["history", *common]) == 0
    listing = capsys.readouterr().out
    assert "#1" in listing and "in force" in listing
    assert main(["history", "--show", "1", *common]) == 0
    assert capsys.readouterr().out == text
    assert main(["history", "--reopen", "1", *common]) == 2
    assert "needs a reason" in capsys.readouterr().err
    may = ["--current", "2026-05-31", "--qb-balance", "0", "--method", "cash", "--qb-note", "B's deposit"]
    assert main(["finalize", "--previous", "2026-04-01", *may, *common]) == 2
    assert "--previous must be 2026-04-30" in capsys.readouterr().err
    assert main(["finalize", *may, *common]) == 0
    assert "#2 (cash, after 2026-04-30 through 2026-05-31)" in capsys.readouterr().out
    assert main(["history", "--reopen", "1", "--reason", "recount", *common]) == 2
    assert "only the latest reconciliation in force (#2)" in capsys.readouterr().err
    assert main(["history", "--reopen", "2", "--reason", "recount", *common]) == 0
    assert "the next reconciliation starts after 2026-04-30" in capsys.readouterr().out
    assert main(["history", "--reopen", "1", "--reason", "wrong month", *common]) == 0
    assert "no reconciliation is in force: the next one's previous date is entered" in capsys.readouterr().out


def test_the_stored_summary_is_the_finalized_one(db, config):
    from recon_tui.ledger.record import stored_summary

    record = close(db, config)
    live = reconcile(db, config, APRIL, "accrual").summary
    assert stored_summary(record) == live
    stored_summary(record).check_identity()
