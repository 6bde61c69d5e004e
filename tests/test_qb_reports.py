"""Reading QuickBooks Desktop's Trial Balance and transaction detail exports (recon_tui.quickbooks)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recon_tui.quickbooks.detail import DetailReport, DetailRow, read_detail
from recon_tui.quickbooks.periods import parse_period
from recon_tui.quickbooks.report_csv import QBAccountNotFound, QBReportError, parse_amount, parse_date
from recon_tui.quickbooks.trial_balance import TrialBalanceRow, read_trial_balance

FIXTURES = Path(__file__).parent / "fixtures" / "quickbooks"
AMOUNT_FORMS = "QuickBooks writes e.g. 1,234.56, -1,234.56, (1,234.56) or 1,234.56-"
DETAIL_HINT = ("in QuickBooks Desktop run Reports > Accountant & Taxes > Transaction Detail by Account (Dates: All, "
               "or this fiscal year) and save it with Excel > Create New Worksheet > Create a comma separated "
               "values (.csv) file")
TB_HINT = ("in QuickBooks Desktop run Reports > Accountant & Taxes > Trial Balance as of the current date and save it "
           "with Excel > Create New Worksheet > Create a comma separated values (.csv) file")


def fixture(name: str) -> Path:
    return FIXTURES / name


def write(tmp_path: Path, rows: list[list[str]], name: str = "report.csv") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def failure(reader, path: Path, **kwargs) -> str:
    with pytest.raises(QBReportError) as caught:
        reader(path, **kwargs)
    return str(caught.value)


# ------------------------------------------------------------------------------------------------
# Trial Balance

NUMBERED = [
    TrialBalanceRow("Checking", "1000", 4821055, 0, 7),
    TrialBalanceRow("Accounts Receivable", "1200", 779465, 0, 8),
    TrialBalanceRow("Undeposited Funds", "1499", 1240618, 0, 9),
    TrialBalanceRow("Customer Deposits", "2100", 0, 1174557, 10),
    TrialBalanceRow("In-Store Credit", "2150", 0, 65941, 11),
    TrialBalanceRow("Sales Tax Payable", "2200", 0, 283763, 12),
    TrialBalanceRow("Opening Balance Equity", "3000", 0, 2000000, 13),
    TrialBalanceRow("Retained Earnings", "3900", 0, 1537315, 14),
    TrialBalanceRow("Income:Session Fees", "4010", 0, 533400, 16),
    TrialBalanceRow("Income:Print Sales", "4020", 0, 267100, 17),
    TrialBalanceRow("Income:Frames & Albums", "4030", 0, 726900, 18),
    TrialBalanceRow("Income:Digital Files", "4040", 0, 340450, 19),
    TrialBalanceRow("Income:Discounts", "4050", 0, -32637, 20),
    TrialBalanceRow("Income:Other Income", "4090", 0, 1500, 21),
    TrialBalanceRow("Bad Debt", "6100", 44651, 0, 23),
    TrialBalanceRow("In-Store Credit Expense", "6200", 12500, 0, 24),
]


def test_numbered_trial_balance_is_read_row_by_row():
    tb = read_trial_balance(fixture("trial_balance.csv"))
    assert list(tb.rows) == NUMBERED
    assert tb.as_of == date(2026, 10, 31)
    assert tb.path == fixture("trial_balance.csv")


def test_the_header_is_found_below_the_preamble_and_preamble_dates_are_not_amounts():
    # lines 1-5: time / print date "11/01/26" / basis, a blank row, the column date "Oct 31, 26"; header on 6
    assert read_trial_balance(fixture("trial_balance.csv")).rows[0].line == 7


def test_parent_heading_and_total_rows_give_parent_child_names_and_no_rows_of_their_own():
    tb = read_trial_balance(fixture("trial_balance.csv"))
    names = [row.account for row in tb.rows]
    assert "Income" not in names and not any(name.casefold().startswith("total") for name in names)
    assert [r.account for r in tb.rows if r.number.startswith("40")] == [
        "Income:Session Fees", "Income:Print Sales", "Income:Frames & Albums", "Income:Digital Files",
        "Income:Discounts", "Income:Other Income"]


def test_plain_trial_balance_with_parent_child_names():
    tb = read_trial_balance(fixture("trial_balance_plain.csv"))
    assert tb.as_of == date(2026, 10, 31)
    assert [(r.account, r.number, r.debit, r.credit, r.line) for r in tb.rows] == [
        ("Checking", None, 4821055, 0, 6),
        ("Accounts Receivable", None, 779465, 0, 7),
        ("Undeposited Funds", None, 1240618, 0, 8),
        ("Customer Deposits", None, 0, 1174557, 9),
        ("In-Store Credit", None, -65941, 0, 10),
        ("Sales Tax Payable", None, 0, 283763, 11),
        ("Opening Balance Equity", None, 0, 2000000, 12),
        ("Retained Earnings", None, 0, 1537315, 13),
        ("Income:Session Fees", None, 0, 533400, 14),
        ("Income:Print Sales", None, 0, 267100, 15),
        ("Income:Frames & Albums", None, 0, 726900, 16),
        ("Income:Digital Files", None, 0, 340450, 17),
        ("Income:Discounts", None, 32637, 0, 18),
        ("Income:Other Income", None, 0, 1500, 19),
        ("Bad Debt", None, 44651, 0, 20),
        ("In-Store Credit Expense", None, 12500, 0, 21),
    ]


def test_negatives_both_ways_give_the_same_balances_in_both_layouts():
    numbered = read_trial_balance(fixture("trial_balance.csv"))
    plain = read_trial_balance(fixture("trial_balance_plain.csv"))
    assert {r.account: r.balance for r in numbered.rows} == {r.account: r.balance for r in plain.rows}
    assert numbered.balance_of("Income:Discounts") == 32637  # "(326.37)" in the Credit column
    assert plain.balance_of("In-Store Credit") == -65941  # "-659.41" in the Debit column


def test_balance_of_matches_names_loosely_but_only_whole_names():
    tb = read_trial_balance(fixture("trial_balance.csv"))
    assert tb.balance_of("Accounts Receivable") == 779465
    assert tb.balance_of("  accounts   RECEIVABLE ") == 779465
    assert tb.balance_of("1200 · Accounts Receivable") == 779465
    assert tb.balance_of("Customer Deposits") == -1174557
    assert tb.balance_of("income : session fees") == -533400
    assert tb.balance_of("4000 · Income:4010 · Session Fees") == -533400
    plain = read_trial_balance(fixture("trial_balance_plain.csv"))
    assert plain.balance_of("1200 · Accounts Receivable") == 779465


def test_balance_of_an_absent_account_lists_the_accounts():
    tb = read_trial_balance(fixture("trial_balance_plain.csv"))
    with pytest.raises(QBAccountNotFound) as caught:
        tb.balance_of("Session Fees")  # a sub-account is found by its full name only
    names = ", ".join(row.account for row in tb.rows)
    assert str(caught.value) == (f"{fixture('trial_balance_plain.csv')}: account 'Session Fees' not found "
                                 f"(accounts in the file: {names})")
    assert isinstance(caught.value, LookupError)


def test_windows_1252_and_utf8_without_bom_read_the_same(tmp_path):
    text = fixture("trial_balance.csv").read_bytes().decode("utf-8-sig")
    cp1252 = tmp_path / "tb_cp1252.csv"
    cp1252.write_bytes(text.encode("cp1252"))
    assert b"\xb7" in cp1252.read_bytes()  # the middle dot as Windows writes it
    plain = tmp_path / "tb_utf8.csv"
    plain.write_bytes(text.encode("utf-8"))
    utf16 = tmp_path / "tb_utf16.csv"
    utf16.write_bytes(text.encode("utf-16"))
    expected = [(r.account, r.number, r.debit, r.credit, r.line) for r in NUMBERED]
    for path in (cp1252, plain, utf16):
        assert [(r.account, r.number, r.debit, r.credit, r.line) for r in read_trial_balance(path).rows] == expected


def test_the_bom_does_not_stick_to_the_first_header_cell(tmp_path):
    path = tmp_path / "detail.csv"
    path.write_bytes("\ufeffType,Date,Num,Account,Amount\r\nPayment,10/01/2026,7,Accounts Receivable,-1.00\r\n"
                     "TOTAL,,,,-1.00\r\n"
                     .encode("utf-8"))
    assert [(r.type, r.amount) for r in read_detail(path).rows] == [("Payment", -100)]


def test_a_heading_with_no_amounts_and_no_children_is_a_zero_account(tmp_path):
    path = write(tmp_path, [["", "Debit", "Credit"], ["Checking", "10.00", ""], ["Petty Cash", "", ""],
                            ["Owner Equity", "", "10.00"], ["TOTAL", "10.00", "10.00"]])
    tb = read_trial_balance(path)
    assert [(r.account, r.balance, r.line) for r in tb.rows] == [
        ("Checking", 1000, 2), ("Petty Cash", 0, 3), ("Owner Equity", -1000, 4)]


def test_indented_sub_accounts_in_one_column(tmp_path):
    path = write(tmp_path, [["", "Debit", "Credit"], ["Income", "", ""], ["   Session Fees", "", "5.00"],
                            ["      Minis", "", "1.00"], ["   Total Session Fees", "", "6.00"],
                            ["   Print Sales", "", "2.00"], ["Total Income", "", "8.00"], ["Checking", "8.00", ""],
                            ["TOTAL", "8.00", "8.00"]])
    tb = read_trial_balance(path)
    assert [(r.account, r.credit) for r in tb.rows] == [
        ("Income:Session Fees", 500), ("Income:Session Fees:Minis", 100), ("Income:Print Sales", 200),
        ("Checking", 0)]


def test_flat_full_names_with_a_number_on_every_part(tmp_path):
    path = write(tmp_path, [["", "Debit", "Credit"], ["4000 · Income:4010 · Session Fees", "", "5.00"],
                            ["1000 · Checking", "5.00", ""], ["TOTAL", "5.00", "5.00"]])
    assert [(r.account, r.number) for r in read_trial_balance(path).rows] == [
        ("Income:Session Fees", "4010"), ("Checking", "1000")]


# ------------------------------------------------------------------------------------------------
# Transaction detail

def row(account, type, on, num, name, memo, amount, line):
    return DetailRow(account, type, on, num, name, memo, amount, line)


GL_DETAIL = [
    row("Accounts Receivable", "General Journal", date(2026, 10, 3), "SP-000101", "Avery Chen", "order:1041 completed", 125000, 7),
    row("Accounts Receivable", "Payment", date(2026, 10, 7), "4417", "Avery Chen", "", -50000, 8),
    row("Accounts Receivable", "General Journal", date(2026, 10, 15), "SP-000117", "Blake Rivera", "payment:2210 check", -20535, 9),
    row("Accounts Receivable", "General Journal", date(2026, 10, 28), "SP-000130", "Dana Okafor", "order:1077 completed", 75000, 10),
    row("Undeposited Funds", "Payment", date(2026, 10, 7), "4417", "Avery Chen", "", 50000, 13),
    row("Undeposited Funds", "General Journal", date(2026, 10, 15), "SP-000117", "Blake Rivera", "payment:2210 check", 20535, 14),
    row("Undeposited Funds", "General Journal", date(2026, 10, 20), "SP-000121", "Casey Liu", "payment:2231 credit_card", 170083, 15),
    row("Customer Deposits", "General Journal", date(2026, 10, 20), "SP-000121", "Casey Liu", "payment:2231 credit_card", -170083, 18),
    row("Customer Deposits", "General Journal", date(2026, 10, 28), "SP-000130", "Dana Okafor", "order:1077 completed", 145526, 19),
    row("Income:Session Fees", "General Journal", date(2026, 10, 3), "SP-000101", "Avery Chen", "order:1041 completed", -125000, 23),
    row("Income:Frames & Albums", "General Journal", date(2026, 10, 28), "SP-000130", "Dana Okafor", "order:1077 completed", -210000, 26),
    row("Income:Frames & Albums", "General Journal", date(2026, 10, 30), "SP-000133", "Eli Brooks", "order:1050 voided", 15000, 27),
    row("Income", "Sales Receipt", date(2026, 10, 30), "1088", "Walk-in, Saturday", 'Mini session "Fall"', -9500, 29),
]


def test_general_ledger_with_debit_and_credit_columns():
    report = read_detail(fixture("gl_detail.csv"))
    assert list(report.rows) == GL_DETAIL
    assert report.accounts == ("Accounts Receivable", "Undeposited Funds", "Customer Deposits", "Income",
                               "Income:Session Fees", "Income:Frames & Albums")


def test_opening_balances_come_from_the_heading_rows_debit_positive():
    report = read_detail(fixture("gl_detail.csv"))
    assert report.opening == {"Accounts Receivable": 650000, "Undeposited Funds": 1000000,
                              "Customer Deposits": -1150000}  # a liability's balance prints negative
    assert report.opening_lines == {"Accounts Receivable": 6, "Undeposited Funds": 12, "Customer Deposits": 17}
    assert report.opening_of("customer deposits") == -1150000 and report.opening_of("Income") is None
    assert (report.period.start, report.period.end, report.period.line) == (date(2026, 10, 1), date(2026, 10, 31), 3)


def test_amount_only_file_is_debit_positive_for_every_account_type():
    """DOMAIN §9: a deposit received on the liability prints negative, income prints negative."""
    report = read_detail(fixture("gl_detail_amount.csv"))
    debit_credit = read_detail(fixture("gl_detail.csv"))
    for account in ("Accounts Receivable", "Customer Deposits", "Income:Session Fees"):
        got = [(r.on, r.num, r.amount) for r in report.rows_for(account)]
        assert got == [(r.on, r.num, r.amount) for r in debit_credit.rows_for(account)]
    assert [(r.account, r.amount, r.line) for r in report.rows] == [
        ("Accounts Receivable", 125000, 8), ("Accounts Receivable", -50000, 9),  # "(500.00)"
        ("Accounts Receivable", -20535, 10), ("Accounts Receivable", 75000, 11),  # "-205.35"
        ("Customer Deposits", -170083, 15), ("Customer Deposits", 145526, 16),  # "1,700.83-"
        ("Income:Session Fees", -125000, 20)]
    assert report.opening == {"Accounts Receivable": 650000, "Customer Deposits": -1150000}
    assert report.total == -20092 and not report.balanced  # filtered to three accounts


def test_amount_file_is_windows_1252_with_indented_sub_accounts():
    report = read_detail(fixture("gl_detail_amount.csv"))
    assert report.rows[2] == row("Accounts Receivable", "General Journal", date(2026, 10, 15), "SP-000117",
                                 "Zoë Rivera", "payment:2210 check", -20535, 10)
    assert report.rows[-1] == row("Income:Session Fees", "General Journal", date(2026, 10, 3), "SP-000101",
                                  "Avery Chen", "order:1041 completed", -125000, 20)  # date written 10/3/2026
    assert report.accounts == ("Accounts Receivable", "Customer Deposits", "Income", "Income:Session Fees")


def test_a_fiscal_year_export_has_each_accounts_opening_and_a_zero_total():
    report = read_detail(fixture("detail_fiscal_year.csv"))
    assert report.period.start == date(2026, 1, 1) and report.period.end == date(2026, 10, 31)
    assert report.opening == {"Accounts Receivable": 100000, "Undeposited Funds": 500000,
                              "Customer Deposits": -250000, "Sales Tax Payable": -30000}
    assert report.total == 0 and report.balanced
    ar = report.rows_for("Accounts Receivable")
    assert report.opening_of("Accounts Receivable") + sum(r.amount for r in ar) == 96000  # its Balance: 960.00
    deposits = report.rows_for("Customer Deposits")
    assert [(r.num, r.amount) for r in deposits] == [("SP000000101", -5000), ("SP000000102", 5000)]


def test_a_transaction_list_by_date_is_read_by_its_account_column():
    """No sections: the period row "Jan - Dec 26" is the rows' dates, never an account."""
    report = read_detail(fixture("transaction_list.csv"))
    assert report.by_account_column and report.opening == {}
    assert "Jan - Dec 26" not in report.accounts
    assert report.accounts == ("Undeposited Funds", "Customer Deposits", "Accounts Receivable",
                               "Income:Session Fees", "Income:Print Sales", "Sales Tax Payable")
    assert [(r.num, r.amount, r.line) for r in report.rows_for("Accounts Receivable")] == [
        ("SP000000102", 26600, 9), ("SP000000103", -26600, 14), ("4520", -4000, 16)]
    assert [r.amount for r in report.rows_for("Customer Deposits")] == [-5000, 5000]
    assert report.total == 0
    assert (report.period.start, report.period.end, report.period.text) == (
        date(2026, 1, 1), date(2026, 12, 31), "January through December 2026")
    one = read_detail(fixture("transaction_list.csv"), only=["Accounts Receivable"])
    assert one.rows_for("Accounts Receivable") == report.rows_for("Accounts Receivable")


def test_the_transaction_lists_period_row_gives_the_dates_when_the_title_does_not(tmp_path):
    path = write(tmp_path, [["", "Type", "Date", "Num", "Account", "Amount"], ["Oct 26"],
                            ["", "Payment", "10/01/2026", "7", "Accounts Receivable", "-1.00"],
                            ["", "Payment", "10/01/2026", "7", "Undeposited Funds", "1.00"],
                            ["Total Oct 26", "", "", "", "", "0.00"]])
    report = read_detail(path)
    assert (report.period.start, report.period.end, report.period.line) == (date(2026, 10, 1), date(2026, 10, 31), 2)
    assert report.accounts == ("Accounts Receivable", "Undeposited Funds") and report.total == 0


@pytest.mark.parametrize(("text", "start", "end"), [
    ("All Transactions", None, None), ("As of October 31, 2026", None, date(2026, 10, 31)),
    ("January 1 through October 31, 2026", date(2026, 1, 1), date(2026, 10, 31)),
    ("December 15, 2025 through January 14, 2026", date(2025, 12, 15), date(2026, 1, 14)),
    ("December 15 through January 14, 2026", date(2025, 12, 15), date(2026, 1, 14)),
    ("October 2026", date(2026, 10, 1), date(2026, 10, 31)),
    ("October 1 - 31, 2026", date(2026, 10, 1), date(2026, 10, 31)),
    ("January through December 2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("Jan - Dec 26", date(2026, 1, 1), date(2026, 12, 31)), ("Oct 26", date(2026, 10, 1), date(2026, 10, 31)),
    ("Feb 28", date(2028, 2, 1), date(2028, 2, 29)),
    ("Jan 1 - Oct 31, 26", date(2026, 1, 1), date(2026, 10, 31)),
])
def test_report_periods_as_quickbooks_prints_them(text, start, end):
    found = parse_period(text)
    assert (found.start, found.end) == (start, end)


@pytest.mark.parametrize("text", ["October 31, 2026", "11/01/26", "10:22 AM", "Accrual Basis", "Sunset Portrait Studio",
                                  "May 2026 Studio", "Total", "Smarch 2026", "October 40, 2026", ""])
def test_other_title_cells_are_no_period(text):
    assert parse_period(text) is None


def test_rows_for_matches_like_balance_of():
    report = read_detail(fixture("gl_detail.csv"))
    assert report.rows_for("1200 · Accounts Receivable") == GL_DETAIL[:4]
    assert report.rows_for("accounts  receivable") == GL_DETAIL[:4]
    assert report.rows_for("Income") == GL_DETAIL[-1:]  # its own rows, not its sub-accounts'
    assert report.rows_for("Income:Frames & Albums") == GL_DETAIL[10:12]


def test_rows_for_a_heading_without_rows_is_empty_but_an_unknown_account_is_an_error():
    report = read_detail(fixture("gl_detail_amount.csv"))
    assert report.rows_for("Income") == []
    with pytest.raises(QBAccountNotFound) as caught:
        report.rows_for("Sales Tax Payable")
    assert str(caught.value) == (
        f"{fixture('gl_detail_amount.csv')}: account 'Sales Tax Payable' not found (accounts in the file: "
        "Accounts Receivable, Customer Deposits, Income, Income:Session Fees)")


def test_a_report_built_by_hand_answers_rows_for():
    one = row("Customer Deposits", "General Journal", date(2026, 1, 2), "SP-1", "A", "", -100, 3)
    report = DetailReport(Path("x.csv"), (one,))
    assert report.rows_for("customer deposits") == [one] and report.opening == {}


def test_rows_without_account_headings_take_the_account_column(tmp_path):
    path = write(tmp_path, [["Type", "Date", "Num", "Account", "Amount"],
                            ["General Journal", "10/01/2026", "SP-1", "1200 · Accounts Receivable", "5.00"],
                            ["General Journal", "10/01/2026", "SP-1", "Income:Session Fees", "-5.00"],
                            ["TOTAL", "", "", "", "0.00"]])
    report = read_detail(path)
    assert [(r.account, r.amount) for r in report.rows] == [("Accounts Receivable", 500), ("Income:Session Fees", -500)]


def test_line_numbers_are_physical_lines_when_a_memo_holds_a_line_break(tmp_path):
    path = write(tmp_path, [["", "Type", "Date", "Num", "Memo", "Amount"], ["Checking", "", "", "", "", ""],
                            ["", "Check", "10/01/2026", "101", "two\r\nlines", "-5.00"],
                            ["", "Check", "10/02/2026", "102", "one", "-6.00"], ["TOTAL", "", "", "", "", "-11.00"]])
    report = read_detail(path)
    assert [(r.memo, r.line) for r in report.rows] == [("two\r\nlines", 3), ("one", 5)]


def test_two_digit_years_and_unpadded_dates(tmp_path):
    path = write(tmp_path, [["", "Date", "Num", "Amount"], ["Checking", "", "", ""], ["", "1/2/26", "1", "1.00"],
                            ["", "12/31/49", "2", "1.00"], ["", "01/01/50", "3", "1.00"], ["TOTAL", "", "", "3.00"]])
    assert [r.on for r in read_detail(path).rows] == [date(2026, 1, 2), date(2049, 12, 31), date(1950, 1, 1)]


def test_a_balance_forward_row_in_the_type_column_is_an_opening_balance(tmp_path):
    path = write(tmp_path, [["", "Type", "Date", "Num", "Amount", "Balance"], ["Customer Deposits"],
                            ["", "Balance Forward", "", "", "", "1,000.00"],
                            ["", "Deposit", "10/01/2026", "SP-1", "25.00", "1,025.00"], ["TOTAL", "", "", "", "25.00"]])
    report = read_detail(path)
    assert report.opening == {"Customer Deposits": 100000} and report.opening_lines == {"Customer Deposits": 3}
    assert [(r.amount, r.line) for r in report.rows] == [(2500, 4)]


def test_the_garbage_collector_is_left_as_it_was(tmp_path):
    import gc

    assert gc.isenabled()
    read_detail(fixture("gl_detail.csv"))
    with pytest.raises(QBReportError):
        read_detail(fixture("bad_date.csv"))
    assert gc.isenabled()


# ------------------------------------------------------------------------------------------------
# Broken files: every error names the file and the line

def test_broken_amount():
    path = fixture("broken_amount.csv")
    assert failure(read_trial_balance, path) == f"{path}:6: Credit '11.745,57' is not an amount ({AMOUNT_FORMS})"


def test_no_header():
    path = fixture("no_header.csv")
    assert failure(read_detail, path) == (f"{path}:4: '6,500.00' comes before the header row; expected a header "
                                          f"row with the columns Date, Num and Debit/Credit or Amount ({DETAIL_HINT})")
    assert failure(read_trial_balance, path) == (f"{path}:4: '6,500.00' comes before the header row; expected a "
                                                 f"header row with the columns Debit and Credit ({TB_HINT})")


def test_bad_date():
    path = fixture("bad_date.csv")
    assert failure(read_detail, path) == f"{path}:8: date '10/32/2026' is not a date (QuickBooks writes MM/DD/YYYY)"


def test_the_wrong_report():
    tb, gl = fixture("trial_balance.csv"), fixture("gl_detail.csv")
    assert failure(read_detail, tb) == (f"{tb}:7: '48,210.55' comes before the header row; expected a header row "
                                        f"with the columns Date, Num and Debit/Credit or Amount ({DETAIL_HINT})")
    assert failure(read_trial_balance, gl) == (f"{gl}:5: the header has a Type column: this is a transaction "
                                               "detail report, not a Trial Balance")


def test_a_file_with_no_header_at_all(tmp_path):
    path = write(tmp_path, [["Sunset Portrait Studio"], ["Trial Balance"]])
    assert failure(read_trial_balance, path) == (f"{path}:1: no header row with the columns Debit and Credit: not a "
                                                 f"QuickBooks report of this kind; {TB_HINT}")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert failure(read_detail, empty).startswith(f"{empty}:1: no header row with the columns Date, Num")


@pytest.mark.parametrize(("content", "what"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
    (b"PK\x03\x04\x14\x00\x06\x00", "an Excel workbook (.xlsx) or another zip file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an Excel 97-2003 workbook (.xls)"),
])
def test_a_file_that_is_not_csv_says_what_it_is_and_what_to_export(tmp_path, content, what):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    assert failure(read_detail, path) == f"{path}:1: this is {what}, not a CSV file: {DETAIL_HINT}"
    assert failure(read_trial_balance, path) == f"{path}:1: this is {what}, not a CSV file: {TB_HINT}"


def test_a_file_saved_with_semicolons_is_refused_with_what_to_do():
    path = fixture("semicolons.csv")
    assert failure(read_trial_balance, path) == (f"{path}:1: the values are separated by ';', not ',' (a spreadsheet "
                                                 f"saved it in a European format?): {TB_HINT}")


def test_an_order_systems_report_is_not_a_quickbooks_export():
    path = fixture("spectra_payments.csv")
    assert failure(read_detail, path) == (f"{path}:5: '1041' comes before the header row; expected a header row with "
                                          f"the columns Date, Num and Debit/Credit or Amount ({DETAIL_HINT})")


def test_a_file_cut_short_is_refused_also_when_only_one_account_is_read():
    path = fixture("truncated.csv")
    message = (f"{path}:12: the file ends without the report's TOTAL row (cut short, or saved from part of the "
               f"report?): {DETAIL_HINT}")
    assert failure(read_detail, path) == message
    assert failure(read_detail, path, only=["Accounts Receivable"]) == message  # stops early, checks the end


def test_a_balance_column_that_does_not_follow_the_amounts_is_refused():
    """A row deleted by hand: the running Balance shows it, so the file is refused, not read short."""
    path = fixture("not_adding_up.csv")
    assert failure(read_detail, path) == (
        f"{path}:9: the Balance column does not follow the amounts: Accounts Receivable goes from 6,500.00 "
        "(line 7) to 7,794.65, but its rows add up to 1,794.65 (a row missing, or the file edited?)")


def test_an_opening_balance_that_is_not_where_the_balance_column_starts_is_refused(tmp_path):
    path = write(tmp_path, [["", "Type", "Date", "Num", "Amount", "Balance"], ["Accounts Receivable", "", "", "", "",
                                                                                 "100.00"],
                            ["", "Invoice", "10/01/2026", "1", "25.00", "225.00"], ["TOTAL", "", "", "", "25.00", ""]])
    assert failure(read_detail, path) == (f"{path}:3: Accounts Receivable: the opening balance 100.00 (line 2) is not "
                                          "where the Balance column starts, 200.00")


def test_without_a_printed_opening_the_first_balance_gives_it(tmp_path):
    path = write(tmp_path, [["", "Type", "Date", "Num", "Amount", "Balance"], ["Accounts Receivable"],
                            ["", "Invoice", "10/01/2026", "1", "25.00", "225.00"],
                            ["", "Payment", "10/02/2026", "2", "-5.00", "220.00"], ["TOTAL", "", "", "", "20.00", ""]])
    report = read_detail(path)
    assert report.opening == {"Accounts Receivable": 20000} and report.opening_lines == {"Accounts Receivable": 3}


def test_missing_and_undecodable_files(tmp_path):
    missing = tmp_path / "missing.csv"
    assert failure(read_trial_balance, missing) == f"{missing}: cannot read the file (No such file or directory)"
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b",Debit,Credit\r\nA\x81,1.00,\r\n")  # 0x81: undefined in Windows-1252 too
    assert failure(read_trial_balance, junk) == f"{junk}: neither UTF-8 nor Windows-1252 text (byte 0x81 at offset 16)"


def test_csv_errors_name_their_line(tmp_path):
    huge = "x" * 200_000  # over the csv module's field size limit
    path = tmp_path / "huge.csv"
    path.write_text(f",Debit,Credit\r\nA,1.00,\r\n{huge},2.00,\r\n")
    assert failure(read_trial_balance, path) == (f"{path}:3: not readable as CSV "
                                                 "(field larger than field limit (131072))")
    detail = tmp_path / "huge_detail.csv"
    detail.write_text(f",Date,Num,Amount\r\nA,,,\r\n,10/01/2026,1,1.00\r\n,10/01/2026,{huge},1.00\r\n")
    assert failure(read_detail, detail) == (f"{detail}:4: not readable as CSV "
                                            "(field larger than field limit (131072))")


@pytest.mark.parametrize(("rows", "message"), [
    ([["", "Debit", "Credit"], ["Income", "", ""], ["  Session Fees", "", "5.00"], ["Total Income", "", "4.00"]],
     "4: 'Total Income' shows -4.00 but the accounts above add up to -5.00"),
    ([["", "Debit", "Credit"], ["Checking", "5.00", ""], ["Total Income", "", "5.00"]],
     "3: 'Total Income' closes no open account (open: 'Checking')"),
    ([["", "Debit", "Credit"], ["Checking", "5.00", ""], ["TOTAL", "5.00", "1.00"]],
     "3: 'TOTAL' shows 1.00 but the credits above add up to 0.00"),
    ([["", "Debit", "Credit"], ["Checking", "5.00", ""], ["TOTAL", "5.00", ""], ["Later", "1.00", ""]],
     "4: a row after the TOTAL row (line 3)"),
    ([["", "Debit", "Credit"], ["", "5.00", ""]], "2: an amount with no account name"),
    ([["", "Debit", "Credit", "Debit"], ["Checking", "5.00", "", ""]], "1: the header row has two 'Debit' columns"),
    ([["", "Debit", "Credit"], ["Checking", "5", "$"]], f"2: Credit '$' is not an amount ({AMOUNT_FORMS})"),
])
def test_trial_balance_errors(tmp_path, rows, message):
    path = write(tmp_path, rows)
    assert failure(read_trial_balance, path) == f"{path}:{message}"


def test_a_duplicate_account_is_reported_on_its_second_line(tmp_path):
    path = write(tmp_path, [["", "Debit", "Credit"], ["Checking", "5.00", ""], ["checking", "1.00", ""]])
    assert failure(read_trial_balance, path) == f"{path}:3: account 'checking' appears twice (also on line 2)"


HEADER = ["", "", "Type", "Date", "Num", "Name", "Memo", "Debit", "Credit", "Balance"]


@pytest.mark.parametrize(("rows", "message"), [
    ([HEADER, ["", "", "Check", "10/01/2026", "1", "", "", "", "5.00", ""]],
     "2: a transaction outside any account heading (and no Account column to say whose)"),
    ([HEADER, ["Checking"], ["", "", "Check", "", "1", "", "", "", "5.00", ""]], "3: no date on this Check row"),
    ([HEADER, ["Checking"], ["", "", "Check", "2026-10-01", "1", "", "", "", "5.00", ""]],
     "3: date '2026-10-01' is not a date (QuickBooks writes MM/DD/YYYY)"),
    ([HEADER, ["Checking"], ["", "", "Check", "10/01/2026", "1", "", "", "", "5,00", ""]],
     f"3: Credit '5,00' is not an amount ({AMOUNT_FORMS})"),
    ([HEADER, ["Checking"], ["", "", "Check", "10/01/2026", "1", "", "", "1.5.0", "", ""]],
     f"3: Debit '1.5.0' is not an amount ({AMOUNT_FORMS})"),
    ([HEADER, ["Checking"], ["", "", "Check", "10/01/2026", "1", "", "", "", "5.00", ""],
      ["Total Checking", "", "", "", "", "", "", "", "4.00", ""]],
     "4: 'Total Checking' shows -4.00 but the rows above add up to -5.00"),
    ([HEADER, ["Checking"], ["", "", "Check", "10/01/2026", "1", "", "", "", "5.00", ""],
      ["TOTAL", "", "", "", "", "", "", "", "5.00", ""], ["", "", "Check", "10/02/2026", "2", "", "", "", "1.00", ""]],
     "5: a row after the TOTAL row (line 4)"),
    ([HEADER, ["Checking", "", "", "", "", "", "", "", "", "", "oops"]], "2: cells beyond the header's last column"),
    ([HEADER, ["", "Beginning Balance", "", "", "", "", "", "", "", "5.00"]],
     "2: an opening balance outside any account heading"),
    ([HEADER, ["Checking", "", "", "", "", "", "", "", "", "5..00"]], f"2: Balance '5..00' is not an amount ({AMOUNT_FORMS})"),
])
def test_detail_errors(tmp_path, rows, message):
    path = write(tmp_path, rows)
    assert failure(read_detail, path) == f"{path}:{message}"


# ------------------------------------------------------------------------------------------------
# Amounts and dates

@pytest.mark.parametrize(("text", "cents"), [
    ("", 0), ("0.00", 0), ("-0.00", 0), ("1,234.56", 123456), ("-1,234.56", -123456), ("(1,234.56)", -123456),
    ("1,234.56-", -123456), ("$1,234.56", 123456), ("-$5.00", -500), ("($5.00)", -500), ("$-5.00", -500),
    ("1234567.89", 123456789), ("12,345,678.90", 1234567890), ("5", 500), ("5.5", 550), ("  7.25 ", 725),
    ("999.99", 99999), ("1,000", 100000),
])
def test_amounts_quickbooks_writes(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", [
    "1.234,56", "1,23.00", "12,34.00", "1234,567.00", ",123.00", "1.234", "1.", ".50", "--5.00", "(5.00", "5.00)",
    "-(5.00)", "(5.00)-", "5.00--", "$", "abc", "1 234.56", "1_000.00", "١٢.٣٤", "+5.00", "5e2", "$$5.00", "£5.00",
])
def test_anything_else_is_not_an_amount(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize("text", ["10/32/2026", "13/01/2026", "2026-10-01", "10/01/226", "10-01-2026", "Oct 1, 2026",
                                  "10/1", "", "１０/01/2026"])
def test_dates_quickbooks_does_not_write(text):
    with pytest.raises(ValueError):
        parse_date(text)


# ------------------------------------------------------------------------------------------------
# Round trip: random reports written the way QuickBooks writes them, read back exactly

NAME_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
WORD = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz&'-/ "), min_size=1, max_size=12)


def account_name(text: str) -> str:
    return " ".join(text.split()) or "X"


def money(cents: int, negative: str, dollar: bool, grouped: bool) -> str:
    units, rest = divmod(abs(cents), 100)
    body = ("$" if dollar else "") + (f"{units:,}" if grouped else str(units)) + f".{rest:02d}"
    if cents >= 0:
        return body
    return {"minus": "-" + body, "parens": f"({body})", "trailing": body + "-"}[negative]


@st.composite
def ledgers(draw):
    tops = draw(st.lists(WORD.map(account_name), min_size=1, max_size=3, unique_by=str.casefold))
    tree = []
    for top in tops:
        if top.casefold().startswith("total") or top.casefold() in ("beginning balance", "balance forward",
                                                                       "opening balance"):
            top = "Acct " + top
        children = draw(st.lists(WORD.map(account_name), max_size=2, unique_by=str.casefold))
        children = ["Sub " + c for c in children]
        tree.append((top, children))
    numbered = draw(st.booleans())
    transaction = st.tuples(
        st.integers(-10**11, 10**11), st.dates(date(1950, 1, 1), date(2049, 12, 31)),
        st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"), max_size=11),
        st.text(NAME_CHARS, max_size=15), st.text(NAME_CHARS | st.sampled_from(',"\n'), max_size=20))
    accounts = []
    for top, children in tree:
        for name in [None] + children:
            accounts.append((top, name, draw(st.lists(transaction, max_size=4)),
                             draw(st.none() | st.integers(-10**9, 10**9))))
    style = dict(negative=draw(st.sampled_from(["minus", "parens", "trailing"])), dollar=draw(st.booleans()),
                 grouped=draw(st.booleans()))
    return dict(accounts=accounts, numbered=numbered, style=style,
                debit_credit=draw(st.booleans()), columns=draw(st.booleans()), spacers=draw(st.booleans()),
                padded_dates=draw(st.booleans()), totals=draw(st.booleans()))


def write_ledger(path: Path, spec: dict) -> tuple[list[DetailRow], dict[str, int]]:
    """Writes ``spec`` as QuickBooks would; returns the rows and openings read_detail must give back."""
    style, dc = spec["style"], spec["debit_credit"]
    fmt = lambda cents: money(cents, **style)  # noqa: E731
    names = ["Type", "Date", "Num", "Name", "Memo"] + (["Debit", "Credit"] if dc else ["Amount"]) + ["Balance"]
    labels = 2 if spec["columns"] else 1
    header = [""] * labels + [c for n in names for c in ([n, ""] if spec["spacers"] else [n])]
    at = {n: header.index(n) for n in names}
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    line = 1

    def emit(cells: list[str]) -> int:
        nonlocal line
        start = line
        before = buffer.tell()
        out.writerow(cells)
        line += buffer.getvalue()[before:].count("\n")
        return start

    def blank() -> list[str]:
        return [""] * len(header)

    def label(cells, text, level):
        if spec["columns"]:
            cells[level] = text
        else:
            cells[0] = " " * (3 * level) + text

    def put_amount(cells, natural_cents, debit_positive):
        if dc:
            if debit_positive > 0:
                cells[at["Debit"]] = fmt(debit_positive)
            elif debit_positive < 0:
                cells[at["Credit"]] = fmt(-debit_positive)
        else:
            cells[at["Amount"]] = fmt(natural_cents)

    emit(["Sunset Portrait Studio"])
    emit(["General Ledger"])
    emit(header)
    rows, opening, grand = [], {}, 0
    previous_top = None
    open_sum = {}
    for index, (top, child, transactions, balance) in enumerate(spec["accounts"]):
        number = f"{1000 + index} · " if spec["numbered"] else ""
        full = top if child is None else f"{top}:{child}"
        if child is None:
            if previous_top is not None and spec["totals"]:
                cells = blank()
                label(cells, f"Total {previous_top[0]}", 0)
                put_amount(cells, previous_top[1], previous_top[2])
                emit(cells)
            cells = blank()
            label(cells, number + top, 0)
        else:
            cells = blank()
            label(cells, number + child, 1)
        if balance is not None:
            cells[at["Balance"]] = fmt(balance)
            opening[full] = balance
        emit(cells)
        natural_total = debit_total = 0
        for cents, on, num, name, memo in transactions:
            cells = blank()
            cells[at["Type"]] = "General Journal"
            cells[at["Date"]] = f"{on:%m/%d/%Y}" if spec["padded_dates"] else f"{on.month}/{on.day}/{on.year}"
            cells[at["Num"]], cells[at["Name"]], cells[at["Memo"]] = num, name, memo
            natural = cents  # debit-positive for every account type (DOMAIN §9)
            put_amount(cells, natural, cents)
            line_no = emit(cells)
            rows.append(DetailRow(full, "General Journal", on, num, name, memo, cents, line_no))
            natural_total += natural
            debit_total += cents
        if child is not None and spec["totals"]:
            cells = blank()
            label(cells, f"Total {number}{child}", 1)
            put_amount(cells, natural_total, debit_total)
            emit(cells)
        if child is None:
            previous_top = [number + top, 0, 0]
        previous_top[1] += natural_total
        previous_top[2] += debit_total
        grand += debit_total if dc else natural_total
    if spec["totals"]:
        cells = blank()
        label(cells, f"Total {previous_top[0]}", 0)
        put_amount(cells, previous_top[1], previous_top[2])
        emit(cells)
    cells = blank()  # every QuickBooks report ends with its TOTAL row
    label(cells, "TOTAL", 0)
    put_amount(cells, grand, grand)
    emit(cells)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return rows, opening


@settings(max_examples=50, deadline=None)
@given(ledgers())
def test_detail_round_trip(tmp_path_factory, spec):
    path = tmp_path_factory.mktemp("ledger") / "gl.csv"
    rows, opening = write_ledger(path, spec)
    report = read_detail(path)
    assert list(report.rows) == rows
    assert dict(report.opening) == opening


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(WORD.map(account_name), st.integers(-10**11, 10**11), st.booleans()), min_size=1,
                max_size=8, unique_by=lambda t: t[0].casefold()),
       st.sampled_from(["minus", "parens", "trailing"]), st.booleans(), st.booleans(), st.booleans())
def test_trial_balance_round_trip(tmp_path_factory, accounts, negative, dollar, grouped, numbered):
    accounts = [("Acct " + name if name.casefold().startswith("total") else name, cents, on_debit_side)
                for name, cents, on_debit_side in accounts]
    fmt = lambda cents: money(cents, negative, dollar, grouped)  # noqa: E731
    lines = [["Sunset Portrait Studio"], ["Trial Balance"], ["As of December 31, 2025"], ["", "Dec 31, 25", ""],
             ["", "Debit", "Credit"]]
    debits = credits = 0
    for index, (name, cents, on_debit_side) in enumerate(accounts):
        label = f"{100 + index} · {name}" if numbered else name
        lines.append([label, fmt(cents), ""] if on_debit_side else [label, "", fmt(cents)])
        debits += cents if on_debit_side else 0
        credits += 0 if on_debit_side else cents
    lines.append(["TOTAL", fmt(debits), fmt(credits)])
    path = write(tmp_path_factory.mktemp("tb"), lines)
    tb = read_trial_balance(path)
    assert tb.as_of == date(2025, 12, 31)
    assert [(r.account, r.number, r.debit, r.credit, r.line) for r in tb.rows] == [
        (name, f"{100 + i}" if numbered else None, cents if debit_side else 0, 0 if debit_side else cents, 6 + i)
        for i, (name, cents, debit_side) in enumerate(accounts)]


@settings(max_examples=50)
@given(st.integers(-10**15, 10**15), st.sampled_from(["minus", "parens", "trailing"]), st.booleans(), st.booleans())
def test_every_quickbooks_form_of_an_amount_parses_back(cents, negative, dollar, grouped):
    assert parse_amount(money(cents, negative, dollar, grouped)) == cents


def test_only_keeps_the_rows_of_the_accounts_asked_for():
    full = read_detail(FIXTURES / "gl_detail.csv")
    one = read_detail(FIXTURES / "gl_detail.csv", only=["accounts receivable"])
    assert one.rows_for("Accounts Receivable") == full.rows_for("Accounts Receivable")
    assert {row.account for row in one.rows} == {"Accounts Receivable"}
    # reading stops after the section: the headings up to it are known
    assert one.accounts == full.accounts[:full.accounts.index("Accounts Receivable") + 1]


def test_only_stops_reading_after_the_accounts_asked_for(tmp_path):
    """Nothing after the wanted section is read: a broken row there does not matter (a full read
    still refuses it), and a section further down is found when it is the one asked for."""
    rows = ["Transaction Detail by Account\n", ",,Type,Date,Num,Name,Memo,Debit,Credit,Balance\n",
            ",Accounts Receivable,,,,,,,,\n",
            ",,General Journal,04/05/2026,SP3,Bo,sale,20.00,,20.00\n",
            ",Total Accounts Receivable,,,,,,20.00,0.00,20.00\n",
            ",Undeposited Funds,,,,,,,,\n",
            ",,General Journal,04/06/2026,SP4,Bo,pay,1.2.3,,1.00\n",
            ",Total Undeposited Funds,,,,,,1.00,0.00,1.00\n",
            ",Customer Deposits,,,,,,,,\n",
            ",,General Journal,04/07/2026,SP5,Cy,deposit,,7.00,-7.00\n",
            ",Total Customer Deposits,,,,,,0.00,7.00,-7.00\n",
            "TOTAL,,,,,,,21.00,7.00,14.00\n"]
    path = tmp_path / "detail.csv"
    path.write_text("".join(rows))
    one = read_detail(path, only=["Accounts Receivable"])
    assert [(r.num, r.amount, r.line) for r in one.rows_for("Accounts Receivable")] == [("SP3", 2000, 4)]
    assert one.accounts == ("Accounts Receivable",)
    with pytest.raises(QBReportError, match=r"detail\.csv:7: Debit '1\.2\.3' is not an amount"):
        read_detail(path)
    later = read_detail(path, only=["Customer Deposits"])  # passes over the broken row unread
    assert [(r.num, r.amount, r.line) for r in later.rows] == [("SP5", -700, 10)]


def test_only_passes_over_other_accounts_rows_and_keeps_line_numbers(tmp_path):
    """Rows of other accounts are passed over (a multi-line memo there included), and a problem
    further down is reported on its real line."""
    header = ",,Type,Date,Num,Name,Memo,Debit,Credit,Balance\n"
    rows = ["Sunset Portrait Studio\n", "Transaction Detail by Account\n", header,
            ",Undeposited Funds,,,,,,,,\n",
            ',,General Journal,04/01/2026,SP1,Ann,"two\nlines, 04/02/2026",10.00,,10.00\n',
            ",,General Journal,04/03/2026,SP2,Ann,plain,5.00,,15.00\n",
            ",Total Undeposited Funds,,,,,,15.00,0.00,15.00\n",
            ",Accounts Receivable,,,,,,,,\n",
            ",,General Journal,04/05/2026,SP3,Bo,sale,20.00,,20.00\n",
            ",,General Journal,04/06/2026,SP4,Bo,payment,,5.00,15.00\n",
            ",Total Accounts Receivable,,,,,,20.00,5.00,15.00\n", "TOTAL,,,,,,,35.00,5.00,\n"]
    path = tmp_path / "detail.csv"
    path.write_text("".join(rows))
    one = read_detail(path, only=["Accounts Receivable"])
    assert [(r.num, r.amount, r.line) for r in one.rows] == [("SP3", 2000, 10), ("SP4", -500, 11)]
    assert read_detail(path).rows_for("Accounts Receivable") == one.rows_for("Accounts Receivable")
    broken = tmp_path / "broken.csv"
    broken.write_text("".join(rows[:10]) + ",,General Journal,04/07/2026,SP5,Bo,bad,1.2.3,,15.00\n")
    with pytest.raises(QBReportError, match=r"broken\.csv:12: "):
        read_detail(broken, only=["Accounts Receivable"])
