"""DOMAIN §11 worked example, end to end: CSV -> `recon-tui import` -> `report --format json` = §12."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from recon_tui.cli import main

FIXTURES = Path(__file__).parent / "fixtures"

# DOMAIN §12's JSON, verbatim (tests/fixtures/worked_example_report.json)
EXPECTED = json.loads((FIXTURES / "worked_example_report.json").read_text())

PERIOD = ["--previous", "2026-03-31", "--current", "2026-04-30"]


@pytest.fixture
def worked(tmp_path, capsys):
    """The worked example imported through the CLI; returns a runner for further commands."""
    config = tmp_path / "recon.yaml"
    shutil.copy(FIXTURES / "worked_example.yaml", config)
    db = tmp_path / "studio.db"
    common = ["--db", str(db), "--config", str(config)]
    assert main(["import", str(FIXTURES / "worked_example"), *common]) == 0
    out = capsys.readouterr().out
    assert "payments.csv: 5 rows (5 new" in out

    def run(*args: str) -> str:
        code = main([*args, *common])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        return captured.out

    return run


def test_report_json_is_exactly_the_contract(worked):
    out = worked("report", *PERIOD, "--format", "json")
    assert json.loads(out) == EXPECTED
    assert list(json.loads(out)) == list(EXPECTED)  # key order too


def test_cash_method_ties_out_deposits(worked):
    data = json.loads(worked("report", *PERIOD, "--format", "json", "--method", "cash"))
    assert data["tie_out"] == {"gl_account": "Customer Deposits", "studio_figure": "30.00"}
    assert data["method"] == "cash"
    assert {k: v for k, v in data.items() if k not in ("method", "tie_out")} == \
        {k: v for k, v in EXPECTED.items() if k not in ("method", "tie_out")}


def test_text_report_is_laid_out_like_the_reconciliation_page(worked):
    out = worked("report", *PERIOD)
    for title in ("INCOME SUMMARY", "EXPENSE SUMMARY", "PAYMENTS RECEIVED", "BALANCE SHEET",
                  "A/R AGING AS OF 2026-04-30", "CUSTOMER DEPOSIT RECONCILIATION AS OF 2026-04-30", "TIE-OUT (ACCRUAL)"):
        assert title in out
    lines = out.splitlines()
    assert any(line.split() == ["Session", "Fees", "-50.00"] for line in lines)
    assert any(line.split() == ["Undeposited", "Funds", "146.00", "346.00"] for line in lines)
    assert any(line.split() == ["SubTotal", "146.00"] for line in lines)
    assert "Identity: Change(assets) - Change(liabilities) = Income - Expenses\n" \
           "  -74.00 - (-199.00) = 125.00 = 150.00 - 25.00  OK" in out
    assert max(len(line) for line in lines) <= 80  # readable in an 80-column terminal


def test_markdown_and_csv_carry_the_same_figures(worked):
    md = worked("report", *PERIOD, "--format", "markdown")
    assert "## Balance Sheet" in md and "| Print Sales" in md and "200.00" in md
    csv_out = worked("report", *PERIOD, "--format", "csv").splitlines()
    assert csv_out[0] == "section,line,column,amount"
    assert "balance_sheet,deposits,change,-20.00" in csv_out
    assert "income,Session Fees,amount,-50.00" in csv_out
    assert "tie_out,Accounts Receivable,studio_figure,0.00" in csv_out


def test_aging_and_deposits_reports(worked):
    aging = json.loads(worked("aging", "--as-of", "2026-04-30", "--format", "json"))
    assert aging["total"] == "56.40"
    [customer] = aging["customers"]
    assert customer["customer"] == "Ben Ortiz"
    assert customer["orders"] == [{"order_id": "B", "status": "BUILT", "aging_date": "2026-04-10",
                                   "age_days": 20, "bucket": "0-30", "balance": "56.40"}]
    deposits = json.loads(worked("deposits", "--as-of", "2026-04-30", "--format", "json"))
    assert (deposits["deposits"], deposits["outstanding"]) == ("30.00", "56.40")
    assert [o["order_id"] for o in deposits["orders"]] == ["B"]
    # before the refund, voided order C still holds its 150.00 and appears
    before = json.loads(worked("deposits", "--as-of", "2026-04-15", "--format", "json"))
    voided = [o for o in before["orders"] if o["order_id"] == "C"]
    assert voided == [{"order_id": "C", "customer_id": "C3", "customer": "Cy Lund", "status": "VOIDED",
                       "order_total": "0.00", "deposits": "150.00", "outstanding": "-150.00"}]


def test_reimporting_the_same_files_changes_nothing(worked):
    before = worked("report", *PERIOD, "--format", "json")
    out = worked("import", str(FIXTURES / "worked_example"))
    assert "orders.csv: 3 rows (0 new, 0 changed, 3 unchanged)" in out
    assert worked("report", *PERIOD, "--format", "json") == before
