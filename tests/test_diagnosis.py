"""DOMAIN §9: the difference between the studio figure and QuickBooks, split exactly into causes.

Every scenario posts the studio to IIF, "imports" the files into a small simulated QuickBooks
(tests/qb_sim.py) the way a bookkeeper would (or would not), exports QuickBooks' reports as CSV and
asks for the diagnosis, as the CLI does.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from qb_sim import QuickBooks
from recon_tui.cli import main
from recon_tui.config import load_config
from recon_tui.service import QBFigures, QBFileError
from recon_tui.service import ReconService
from recon_tui.store import open_store
from recon_tui.store.importer import import_dir

FIXTURES = Path(__file__).parent / "fixtures"
CONFIG = FIXTURES / "worked_example.yaml"
APRIL_END = date(2026, 4, 30)
NOW = datetime(2026, 5, 1, 9, tzinfo=timezone.utc)
AR = "Accounts Receivable"
DEPOSITS = "Customer Deposits"


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)


@pytest.fixture
def studio(tmp_path) -> ReconService:
    """The worked example plus order D (Dee Ray): completed 04-20 for 100.00, 40.00 paid on 04-25.
    Accounts Receivable at 2026-04-30 is then 60.00."""
    config = load_config(CONFIG)
    db = open_store(tmp_path / "studio.db", create=True)
    import_dir(db, FIXTURES / "worked_example", config)
    extra = tmp_path / "d"
    write(extra, "customers.csv", "customer_id,name\nC4,Dee Ray\n")
    write(extra, "orders.csv", "order_id,customer_id,ordered_on,built_on,completed_on,voided_on,sales_tax\n"
                               "D,C4,2026-04-18,,2026-04-20,,0.00\n")
    write(extra, "order_lines.csv", "order_id,line_no,category,amount\nD,1,prints,100.00\n")
    write(extra, "payments.csv", "payment_id,order_id,paid_on,method,amount\nP6,D,2026-04-25,cash,40.00\n")
    import_dir(db, extra, config)
    db.conn.close()
    return ReconService(config, tmp_path / "studio.db", date(2026, 5, 2), user="ada", clock=lambda: NOW)


def reimport(service: ReconService, name: str, text: str) -> None:
    folder = service.db_path.parent / "edit"
    write(folder, name, text)
    db = open_store(service.db_path)
    import_dir(db, folder, service.config)
    db.conn.close()
    (folder / name).unlink()


def summary(d) -> dict[str, int]:
    """The causes that carry something, and always the unexplained rest."""
    return {c.code: c.amount for c in d.causes if c.amount or c.items or c.code == "unexplained"}


def diagnose(service, qb: QuickBooks | None, method="accrual", balance=None):
    detail = qb.write_detail(service.db_path.parent / "detail.csv", APRIL_END) if qb is not None else None
    d = service.diagnose(method, APRIL_END, QBFigures(balance=balance, detail=detail))
    assert sum(c.amount for c in d.causes) == d.difference  # the causes always add up
    return d


def test_everything_posted_and_imported_ties_to_zero(studio):
    batch = studio.post("accrual", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    d = diagnose(studio, qb)
    assert (d.studio_figure, d.qb_balance, d.difference) == (6000, 6000, 0)
    assert summary(d) == {"unexplained": 0}


def test_events_never_posted(studio):
    batch = studio.post("accrual", date(2026, 4, 21))
    qb = QuickBooks()
    qb.import_iif(batch.file)
    d = diagnose(studio, qb)
    assert (d.studio_figure, d.qb_balance) == (6000, 10000)
    assert summary(d) == {"unposted": -4000, "unexplained": 0}
    [item] = d.cause("unposted").items
    assert (item.key, item.on, item.amount, item.record) == ("payment:P6", date(2026, 4, 25), -4000, ("payment", "P6"))


def test_a_record_edited_after_posting(studio):
    batch = studio.post("accrual", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    reimport(studio, "payments.csv", "payment_id,order_id,paid_on,method,amount\nP6,D,2026-04-25,cash,45.00\n")
    d = diagnose(studio, qb)
    assert (d.studio_figure, d.qb_balance) == (5500, 6000)
    assert summary(d) == {"edited": -500, "unexplained": 0}
    [item] = d.cause("edited").items
    assert item.key == "payment:P6" and "posted -40.00 on 2026-04-25, now -45.00 on 2026-04-25" in item.detail


def test_a_posted_event_that_no_longer_exists(studio):
    batch = studio.post("accrual", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    # D was not completed after all: its completion is gone, and P6 now sits on an open order
    reimport(studio, "orders.csv", "order_id,customer_id,ordered_on,built_on,completed_on,voided_on,sales_tax\n"
                                   "D,C4,2026-04-18,,,,0.00\n")
    d = diagnose(studio, qb)
    assert (d.studio_figure, d.qb_balance) == (0, 6000)
    assert summary(d) == {"vanished": -10000, "edited": 4000, "unexplained": 0}
    assert [i.key for i in d.cause("vanished").items] == ["order:D:completed"]


def test_a_batch_never_imported(studio):
    first = studio.post("accrual", date(2026, 4, 21))
    studio.post("accrual", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(first.file)  # batch 2 forgotten
    d = diagnose(studio, qb)
    assert summary(d) == {"not_imported": -4000, "unexplained": 0}
    [item] = d.cause("not_imported").items
    assert item.detail.startswith("batch 2: payment P6")


def test_a_batch_imported_twice(studio):
    first = studio.post("accrual", date(2026, 4, 21))
    second = studio.post("accrual", APRIL_END)
    again, _ = studio.reexport(1)
    qb = QuickBooks()
    for path in (first.file, second.file, again):  # the re-export imported without deleting batch 1
        qb.import_iif(path)
    d = diagnose(studio, qb)
    assert (d.studio_figure, d.qb_balance) == (6000, 16000)
    assert summary(d) == {"imported_twice": -10000, "unexplained": 0}
    assert sorted(i.amount for i in d.cause("imported_twice").items) == [-26600, -10000, 26600]


def test_a_studio_entry_changed_in_quickbooks(studio):
    batch = studio.post("accrual", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    docnum = next(s.num for s in qb.splits if s.memo == "order:D:completed")
    qb.change(docnum, AR, 9000)
    d = diagnose(studio, qb)
    assert summary(d) == {"changed_in_qb": 1000, "unexplained": 0}
    assert "QuickBooks has 90.00" in d.cause("changed_in_qb").items[0].detail


def test_a_foreign_entry_on_the_account(studio):
    batch = studio.post("accrual", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    qb.add(date(2026, 4, 28), "JE-77", "Dee Ray", "write-up by hand", AR, 2500, against="Print Sales")
    qb.add(date(2026, 5, 3), "JE-78", "Dee Ray", "after the date: not counted", AR, 999, against="Print Sales")
    d = diagnose(studio, qb)
    assert summary(d) == {"foreign": -2500, "unexplained": 0}
    [item] = d.cause("foreign").items
    assert (item.docnum, item.on) == ("JE-77", date(2026, 4, 28)) and "write-up by hand" in item.detail


def test_without_the_detail_export_the_rest_is_unexplained(studio):
    studio.post("accrual", date(2026, 4, 21))
    d = diagnose(studio, None, balance=12500)
    assert summary(d) == {"unposted": -4000, "unexplained": -2500}


def test_the_cash_method_ties_out_customer_deposits(studio):
    batch = studio.post("cash", date(2026, 4, 12))
    qb = QuickBooks()
    qb.import_iif(batch.file)
    qb.add(date(2026, 4, 29), "", "", "deposit typed in QuickBooks", DEPOSITS, -1000, against="Undeposited Funds")
    d = diagnose(studio, qb, method="cash")
    # the studio holds 30.00 (order B); QuickBooks has what was posted through 04-12 plus 10.00 by hand
    assert d.studio_figure == 3000 and d.account == DEPOSITS
    assert d.qb_balance == -qb.balance(DEPOSITS, APRIL_END)  # a credit balance, shown positive
    causes = summary(d)
    assert causes["foreign"] == -1000 and causes["unexplained"] == 0
    # C's void and refund move deposits (150.00 back, then refunded); D's completion and P6 do not
    assert [(i.key, i.amount) for i in d.cause("unposted").items] == [("order:C:voided", 15000), ("payment:P5", -15000)]


def test_the_cli_reads_quickbooks_exports_and_prints_json(studio, capsys):
    batch = studio.post("accrual", date(2026, 4, 21))
    qb = QuickBooks()
    qb.import_iif(batch.file)
    folder = studio.db_path.parent
    qb.write_trial_balance(folder / "tb.csv", APRIL_END)
    qb.write_detail(folder / "detail.csv", APRIL_END)
    common = ["--db", str(studio.db_path), "--config", str(CONFIG)]
    assert main(["diagnose", "--current", "2026-04-30", "--qb-trial-balance", str(folder / "tb.csv"),
                 "--qb-detail", str(folder / "detail.csv"), "--format", "json", *common]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["studio_figure"], out["qb_balance"], out["difference"]) == ("60.00", "100.00", "-40.00")
    causes = {c["cause"]: c for c in out["causes"]}
    assert causes["unposted"]["amount"] == "-40.00" and causes["unposted"]["items"][0]["event"] == "payment:P6"
    assert main(["diagnose", "--current", "2026-04-30", "--qb-balance", "100", *common]) == 0
    text = capsys.readouterr().out
    assert "Events never posted" in text and "-40.00" in text
    assert main(["diagnose", "--current", "2026-04-30", *common]) == 2
    assert "give the QuickBooks balance" in capsys.readouterr().err
    (folder / "broken.csv").write_text("not,a,quickbooks,report\n")
    assert main(["diagnose", "--current", "2026-04-30", "--qb-detail", str(folder / "broken.csv"), *common]) == 2
    assert "broken.csv" in capsys.readouterr().err


# -- QuickBooks' exports as they really are (DOMAIN §9): debit-positive, cut at a fiscal year ------

APRIL_FIRST = date(2026, 4, 1)


def test_a_fiscal_year_export_of_the_liability_reads_in_its_own_sign_with_its_opening(studio):
    """Cash method ties out Customer Deposits, a liability: QuickBooks prints its amounts and its
    opening balance negative; the diagnosis reads them as the credit balance the studio shows."""
    batch = studio.post("cash", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    for layout in ("amount", "debit_credit"):
        for opening_row in (False, True):
            detail = qb.write_detail(studio.db_path.parent / "detail.csv", APRIL_END, start=APRIL_FIRST,
                                     layout=layout, opening_row=opening_row)
            d = studio.diagnose("cash", APRIL_END, QBFigures(detail=detail))
            assert (d.studio_figure, d.qb_balance) == (3000, 3000)
            assert summary(d) == {"unexplained": 0}
            assert (d.opening.start, d.opening.amount, d.opening.posted) == (APRIL_FIRST, 5000, 5000)
            assert "January" not in d.opening.how and "'April 1, 2026 through April 30, 2026'" in d.opening.how


def test_what_happened_before_the_exports_first_date_is_its_own_cause(studio):
    march = studio.post("cash", date(2026, 3, 31))
    april = studio.post("cash", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(april.file)  # March's batch never reached QuickBooks: its opening on April 1 is 0.00
    detail = qb.write_detail(studio.db_path.parent / "detail.csv", APRIL_END, start=APRIL_FIRST)
    d = studio.diagnose("cash", APRIL_END, QBFigures(detail=detail))
    assert (d.studio_figure, d.qb_balance) == (3000, -2000)
    assert summary(d) == {"before_start": 5000, "unexplained": 0}
    [item] = d.cause("before_start").items
    assert item.on == date(2026, 3, 31) and "the studio posted 50.00; QuickBooks' opening balance 0.00" in item.detail
    assert march.number == 1
    # exported for All dates instead, the same gap shows entry by entry
    every = qb.write_detail(studio.db_path.parent / "all.csv", APRIL_END)
    d = studio.diagnose("cash", APRIL_END, QBFigures(detail=every))
    assert summary(d) == {"not_imported": 5000, "unexplained": 0} and d.opening is None
    stored = d.to_json()
    assert stored["qb_opening"] is None


def test_the_opening_used_is_kept_in_the_diagnosis_json(studio):
    batch = studio.post("cash", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    detail = qb.write_detail(studio.db_path.parent / "detail.csv", APRIL_END, start=APRIL_FIRST)
    stored = studio.diagnose("cash", APRIL_END, QBFigures(detail=detail)).to_json()
    assert stored["qb_opening"] == {"start": "2026-04-01", "amount": "50.00", "studio_posted_before": "50.00",
                                    "line": 7, "how": "the report's dates 'April 1, 2026 through April 30, 2026' "
                                                      "(line 3)"}
    assert {c["cause"]: c["amount"] for c in stored["causes"]}["before_start"] == "0.00"


def test_a_transaction_list_by_date_is_read_by_its_account_column(studio):
    batch = studio.post("accrual", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    listed = qb.write_detail(studio.db_path.parent / "list.csv", APRIL_END, layout="list")
    d = studio.diagnose("accrual", APRIL_END, QBFigures(detail=listed))
    assert (d.studio_figure, d.qb_balance) == (6000, 6000) and summary(d) == {"unexplained": 0}
    # a list with one row per transaction (the first line's account) misses lines: it does not balance
    lines = listed.read_text().splitlines(keepends=True)
    (studio.db_path.parent / "short.csv").write_text("".join(
        line for line in lines if "Customer Deposits" not in line and "Session Fees" not in line)
        .replace("Total Jan - Apr 26,,,,,,,,0.00", "Total Jan - Apr 26,,,,,,,,130.00"))
    with pytest.raises(QBFileError, match=r"short\.csv: this Transaction List does not balance \(its total is "
                                          r"130\.00\), so it does not show every line"):
        studio.diagnose("accrual", APRIL_END, QBFigures(detail=studio.db_path.parent / "short.csv"))
    cut = qb.write_detail(studio.db_path.parent / "list-fy.csv", APRIL_END, start=APRIL_FIRST, layout="list")
    with pytest.raises(QBFileError, match=r"list-fy\.csv:3: this Transaction List by Date starts on 2026-04-01 and "
                                          r"has no opening balances: run it with Dates: All"):
        studio.diagnose("accrual", APRIL_END, QBFigures(detail=cut))


def test_an_export_from_a_date_without_an_opening_reads_zero_but_one_that_cannot_show_it_is_refused(studio):
    """QuickBooks prints an opening balance in the Balance column when the account has one: none printed is
    0.00 (here March's batch never reached QuickBooks). Without a Balance column it could not be printed."""
    studio.post("cash", APRIL_END)
    path = studio.db_path.parent / "detail.csv"
    head = 'Worked Example Studio\r\nTransaction Detail by Account\r\n"April 1 through April 30, 2026"\r\n'
    path.write_text(head + ",Type,Date,Num,Amount,Balance\r\nCustomer Deposits\r\n"
                    ",General Journal,04/10/2026,SP000000009,-30.00,-30.00\r\nTotal Customer Deposits,,,,-30.00,-30.00\r\n"
                    "TOTAL,,,,-30.00,\r\n")
    d = studio.diagnose("cash", APRIL_END, QBFigures(detail=path))
    assert (d.opening.amount, d.opening.line, d.opening.posted) == (0, None, 5000)
    assert d.cause("before_start").amount == 5000 and d.cause("unexplained").amount == 0
    assert "QuickBooks' opening balance none, so 0.00" in d.cause("before_start").items[0].detail
    path.write_text(head + ",Type,Date,Num,Amount\r\nCustomer Deposits\r\n"
                    ",General Journal,04/10/2026,SP000000009,-30.00\r\nTotal Customer Deposits,,,,-30.00\r\n"
                    "TOTAL,,,,-30.00\r\n")
    with pytest.raises(QBFileError) as caught:
        studio.diagnose("cash", APRIL_END, QBFigures(detail=path))
    assert str(caught.value) == (f"{path}:3: this export starts on 2026-04-01 and has no Balance column, so it cannot "
                                 "show opening balances: run it with Dates: All (or with the Balance column)")


def test_an_export_of_the_wrong_company_or_without_the_account_is_refused(studio):
    studio.post("accrual", APRIL_END)
    folder = studio.db_path.parent
    other = QuickBooks(company="Lakeside Bakery")
    other.add(date(2026, 4, 2), "101", "Flour Co", "", "Inventory", 5000, against="Checking")
    with pytest.raises(QBFileError, match="none of the configured GL accounts is in this export .*Checking, "
                                          "Inventory.*right company"):
        studio.diagnose("accrual", APRIL_END, QBFigures(detail=other.write_detail(folder / "bakery.csv", APRIL_END)))
    # a whole ledger (TOTAL 0.00) without A/R: QuickBooks leaves out an account with no transactions
    quiet = QuickBooks()
    quiet.add(date(2026, 4, 2), "DEP-1", "Bank", "", "Undeposited Funds", 5000, against="Customer Deposits")
    d = studio.diagnose("accrual", APRIL_END, QBFigures(detail=quiet.write_detail(folder / "quiet.csv", APRIL_END)))
    assert d.qb_balance == 0 and "a whole ledger (its TOTAL is 0.00) with no Accounts Receivable" in d.notes[0]
    # the same file filtered to one account: its TOTAL is not 0.00, so A/R's absence proves nothing
    quiet.splits = [s for s in quiet.splits if s.account == "Undeposited Funds"]
    with pytest.raises(QBFileError, match="no Accounts Receivable in this export, which holds only some accounts"):
        studio.diagnose("accrual", APRIL_END, QBFigures(detail=quiet.write_detail(folder / "one.csv", APRIL_END)))


def test_an_export_that_ends_before_the_current_date_is_refused(studio):
    batch = studio.post("accrual", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    early = qb.write_detail(studio.db_path.parent / "early.csv", date(2026, 4, 20), start=date(2026, 1, 1))
    with pytest.raises(QBFileError, match=r"early\.csv:3: the export ends on 2026-04-20 .* before the current date "
                                          r"2026-04-30: run it again through 2026-04-30"):
        studio.diagnose("accrual", APRIL_END, QBFigures(detail=early))


def test_the_cli_says_which_opening_it_used_and_refuses_a_bad_export_in_one_line(studio, capsys):
    batch = studio.post("cash", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    folder = studio.db_path.parent
    detail = qb.write_detail(folder / "detail.csv", APRIL_END, start=APRIL_FIRST, layout="amount")
    common = ["--db", str(studio.db_path), "--config", str(CONFIG)]
    assert main(["diagnose", "--current", "2026-04-30", "--method", "cash", "--qb-detail", str(detail), *common]) == 0
    out = capsys.readouterr().out
    assert "the export starts on 2026-04-01" in out and "QuickBooks' opening balance 50.00 (line 7)" in out
    assert "Before the export's first date" in out
    listed = qb.write_detail(folder / "list.csv", APRIL_END, start=APRIL_FIRST, layout="list")
    assert main(["diagnose", "--current", "2026-04-30", "--method", "cash", "--qb-detail", str(listed), *common]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {listed}:3: this Transaction List by Date")


# -- any studio, any posting history, any QuickBooks mishap: the causes add up, nothing unexplained --

import tempfile  # noqa: E402

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from test_ledger_properties import DAYS, START, imported, studios  # noqa: E402


@settings(max_examples=int(__import__("os").environ.get("EXAMPLES", 30)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studio=studios(), method=st.sampled_from(["accrual", "cash"]), data=st.data())
def test_the_causes_always_add_up_to_the_difference(studio, method, data):
    from datetime import timedelta

    config = load_config(FIXTURES / "property.yaml")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        imported(studio, folder, config).conn.close()
        service = ReconService(config, folder / "studio.db", START + timedelta(days=DAYS + 5), user="t", clock=lambda: NOW)
        cuts = sorted(data.draw(st.lists(st.integers(0, DAYS), max_size=3, unique=True)))
        files = [b.file for b in (service.post(method, START + timedelta(days=c)) for c in cuts) if b is not None]
        qb = QuickBooks()
        for path in files:
            for _ in range(data.draw(st.sampled_from([1, 1, 1, 0, 2]))):  # imported, forgotten, or twice
                qb.import_iif(path)
        account = config.gl_accounts.accounts_receivable if method == "accrual" else config.gl_accounts.customer_deposits
        if data.draw(st.booleans()):
            qb.add(START + timedelta(days=data.draw(st.integers(0, DAYS))), "JE-1", "Someone", "by hand", account,
                   data.draw(st.integers(-5000, 5000).filter(bool)), against="Bad Debt")
        mine = [s for s in qb.splits if s.account == account]
        if mine and data.draw(st.booleans()):
            s = data.draw(st.sampled_from(mine))
            qb.change(s.num, account, s.amount + data.draw(st.integers(-900, 900)))
        if studio.payments and data.draw(st.booleans()):  # a payment edited after posting
            p = data.draw(st.sampled_from(studio.payments))
            if p["method"] != "bad_debt":
                reimport(service, "payments.csv", "payment_id,order_id,paid_on,method,amount\n"
                         f"{p['payment_id']},{p['order_id']},{p['paid_on']},{p['method']},"
                         f"{(p['amount'] + 100) / 100:.2f}\n".replace("0.00\n", "1.00\n"))
        as_of = START + timedelta(days=data.draw(st.integers(0, DAYS)))
        # QuickBooks' export as it really is (DOMAIN §9): debit-positive, for All dates or cut at a fiscal
        # year's start with each account's opening balance, in any of the three layouts
        layout = data.draw(st.sampled_from(["debit_credit", "amount", "list"]))
        start = data.draw(st.none() | st.integers(0, DAYS).map(lambda n: START + timedelta(days=n)))
        start = min(start, as_of) if start is not None else None
        detail = qb.write_detail(folder / "detail.csv", as_of, start=start, layout=layout,
                                 opening_row=data.draw(st.booleans()))
        try:
            d = service.diagnose(method, as_of, QBFigures(detail=detail))
        except QBFileError as error:  # a Transaction List has no opening balances: refused when cut at a date
            assert layout == "list" and start is not None and "Dates: All" in str(error)
            return
        assert not (layout == "list" and start is not None)
        sign = 1 if method == "accrual" else -1
        assert d.qb_balance == sign * qb.balance(account, as_of)
        assert sum(c.amount for c in d.causes) == d.difference
        assert d.cause("unexplained").amount == 0
        for cause in d.causes:
            assert cause.amount == sum(i.amount for i in cause.items)


def test_finalize_keeps_the_diagnosis_and_prints_it(studio, capsys):
    batch = studio.post("accrual", date(2026, 4, 21))
    qb = QuickBooks()
    qb.import_iif(batch.file)
    detail = qb.write_detail(studio.db_path.parent / "detail.csv", APRIL_END)
    common = ["--db", str(studio.db_path), "--config", str(CONFIG)]
    april = ["--previous", "2026-03-31", "--current", "2026-04-30", "--count", "check=30", "--count", "eft=-150",
             "--count", "credit_card=266", "--count", "cash=40", "--qb-balance", "100"]
    assert main(["finalize", *april, "--qb-note", "P6 not posted yet", "--qb-detail", str(detail), *common]) == 0
    out = capsys.readouterr().out
    import sqlite3

    conn = sqlite3.connect(studio.db_path)
    stored = json.loads(conn.execute("SELECT diagnosis FROM reconciliations").fetchone()[0])
    conn.close()
    assert stored["difference"] == "-40.00"
    assert {c["cause"]: c["amount"] for c in stored["causes"]}["unposted"] == "-40.00"
    printed = Path(out.split("printed report: ")[1].strip()).read_text()
    assert "WHY THE DIFFERENCE (DIAGNOSIS)" in printed and "Events never posted" in printed


def test_matching_finds_every_row_that_does_not_simply_match():
    """match_detail compares the rows with the posted DOCNUMs as sets, then looks at the odd ones:
    an exact repeat, a second row with another amount, a missing DOCNUM, a changed amount, a row
    without a number, and one dated after C (left out)."""
    from recon_tui.ledger.diagnosis import PostedAmount, QBRow, match_detail

    on = date(2026, 4, 10)
    posted = {f"SP{n}": PostedAmount(f"SP{n}", f"payment:P{n}", 1, on, amount)
              for n, amount in ((1, 100), (2, 200), (3, 300), (4, 400), (5, 500))}
    rows = [QBRow(on, "SP1", "A", "", 100, 10), QBRow(on, "SP1", "A", "", 100, 11),  # the same row twice
            QBRow(on, "SP2", "B", "", 200, 12), QBRow(on, "SP2", "B", "", 250, 13),  # again, another amount
            QBRow(on, "SP4", "D", "", 444, 14),  # changed in QuickBooks
            QBRow(on, "SP5", "E", "", 500, 15),  # simply matches
            QBRow(on, "", "F", "by hand", 70, 16),  # not from the studio
            QBRow(date(2026, 5, 1), "SP9", "G", "", 1, 17)]  # after C: not counted
    asked: list[set[str]] = []

    def lookup(nums):
        asked.append(set(nums))
        return {num: posted[num] for num in nums if num in posted}
    matched = match_detail(rows, {num: p.amount for num, p in posted.items()}, lookup, APRIL_END, "SP")
    assert matched.balance == 100 + 100 + 200 + 250 + 444 + 500 + 70
    found = {code: sorted((i.docnum, i.amount) for i in items) for code, items in matched.items.items() if items}
    assert found == {"imported_twice": [("SP1", -100), ("SP2", -250)], "not_imported": [("SP3", 300)],
                     "changed_in_qb": [("SP4", -44)], "foreign": [("", -70)]}
    assert asked == [{"SP1", "SP2", "SP3", "SP4"}]  # never the rows that simply match


def test_a_broken_export_or_database_stops_the_diagnosis_with_its_error(studio, monkeypatch):
    """The posted side runs in a second thread: its errors and the reader's both reach the caller."""
    import sqlite3

    from recon_tui.quickbooks.report_csv import QBReportError
    from recon_tui.store import posted_amounts as posting

    batch = studio.post("accrual", APRIL_END)
    qb = QuickBooks()
    qb.import_iif(batch.file)
    detail = qb.write_detail(studio.db_path.parent / "detail.csv", APRIL_END)
    broken = studio.db_path.parent / "broken.csv"
    broken.write_text(detail.read_text().replace("100.00", "1.0.0", 1))
    with pytest.raises(QBReportError, match=r"broken\.csv:\d+: "):
        studio.diagnose("accrual", APRIL_END, QBFigures(detail=broken))

    def fails(*args):
        raise sqlite3.OperationalError("database is locked")
    for step in ("expected", "changes"):
        with monkeypatch.context() as patch:
            patch.setattr(posting, step, fails)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                studio.diagnose("accrual", APRIL_END, QBFigures(detail=detail))
    assert summary(studio.diagnose("accrual", APRIL_END, QBFigures(detail=detail))) == {"unexplained": 0}


def test_a_trial_balance_without_the_account_reads_zero_but_another_companys_is_refused(studio, tmp_path):
    """QuickBooks leaves a zero-balance account out of its Trial Balance."""
    def trial_balance(name: str, rows: list[tuple[str, str, str]]) -> Path:
        path = tmp_path / name
        lines = ["Trial Balance", '"As of April 30, 2026"', ",Debit,Credit"]
        lines += [f"{account},{debit},{credit}" for account, debit, credit in rows]
        path.write_text("\r\n".join(lines) + "\r\n")
        return path
    zero = trial_balance("tb.csv", [("Undeposited Funds", "30.00", ""), ("Customer Deposits", "", "30.00"),
                                    ("TOTAL", "30.00", "30.00")])
    d = studio.diagnose("accrual", APRIL_END, QBFigures(trial_balance=zero))
    assert d.qb_balance == 0 and "no Accounts Receivable in the Trial Balance" in d.notes[0]
    bakery = trial_balance("bakery.csv", [("Checking", "30.00", ""), ("Flour", "", "30.00"), ("TOTAL", "30.00", "30.00")])
    with pytest.raises(QBFileError, match="none of the configured GL accounts is in this Trial Balance"):
        studio.diagnose("accrual", APRIL_END, QBFigures(trial_balance=bakery))
