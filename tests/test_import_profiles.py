"""Importing the studio system's own exports through an import profile (DOMAIN §14), and the dry
run (DOMAIN §12): every profile option, every bad input the brief names, §3's rules still applied
with the original file, line and header, and a dry run that writes nothing.

The .xlsx files are made here with xlsxwriter; the .xls (BIFF8) fixtures are committed under
``fixtures/exports/`` (their generator and what each imitates are beside them).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import shutil
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import xlsxwriter

from recon_tui.cli import main
from recon_tui.config import load_config
from recon_tui.model import Period
from recon_tui.service import FinalizeRequest, ReconService
from recon_tui.store import open_store
from recon_tui.store.importer import ImportFailed, import_dir

FIXTURES = Path(__file__).parent / "fixtures"
WORKED = FIXTURES / "worked_example"
EXPORTS = FIXTURES / "exports"
TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 18, 30, tzinfo=timezone.utc)
TABLES = ("customers", "orders", "order_lines", "payments", "credit_adjustments")
_count = itertools.count(1)

PROFILE = """
import_profiles:
  studio:
    date_format: "{date_format}"
    amounts: {{currency: "$", thousands: ",", negative: {negative}}}
    files:
      customers:
        match: "client list*"
        columns: {{customer_id: Client No, name: Bill-To Name}}
        skip_rows_where: {{Client No: "Total"}}
      orders:
        match: "Invoice List*"
        columns: {{order_id: Invoice No, customer_id: Client No, ordered_on: Invoice Date, built_on: Built Date,
                  completed_on: Delivered Date, voided_on: Void Date, sales_tax: Sales Tax}}
      order_lines:
        match: "Invoice Items*"
        columns: {{order_id: Invoice No, line_no: Line, category: Item Type, description: Description,
                  amount: Amount}}
        values:
          category: {{Session: sessions, Print: prints, Frame: frames}}
      payments:
        match: "Payment List*"
{payments_sheet}        columns: {{payment_id: Payment No, order_id: Invoice No, paid_on: Payment Date,
                  method: Payment Method, amount: Amount, reference: Check/CC No}}
        values:
          method: {{Cash: cash, Check: check, ACH: eft, Visa: credit_card, Master Card: credit_card}}
{payments_skip}
      credit_adjustments:
        match: "Credit Adj*"
        columns: {{adjustment_id: Adjustment No, customer_id: Client No, adjusted_on: Date, amount: Amount,
                  reason: Memo}}
  other:
    files:
      customers:
        match: "clients.csv"
        columns: {{customer_id: Id, name: Name}}
"""

#: the worked example (DOMAIN §11) as the studio system's reports show it
CLIENTS = [["Client No", "Bill-To Name"], ["C1", "Ada Park"], ["C2", "Ben Ortiz"], ["C3", "Cy Lund"],
           ["Total: 3 clients", ""]]
INVOICES = [["Invoice No", "Client No", "Invoice Date", "Built Date", "Delivered Date", "Void Date", "Sales Tax"],
            ["A", "C1", "03/10/2026", "", "04/05/2026", "", "$16.00"],
            ["B", "C2", "04/10/2026", "04/20/2026", "", "", "$6.40"],
            ["C", "C3", "02/01/2026", "", "03/01/2026", "04/15/2026", "$0.00"]]
ITEMS = [["Invoice No", "Line", "Item Type", "Description", "Amount"],
         ["A", "1", "Session", "Family session", "$100.00"], ["A", "2", " print ", "8x10 prints", "$200.00"],
         ["B", "1", "PRINT", "Canvas", "$80.00"], ["C", "1", "Session", "Headshots", "$150.00"]]
PAYMENTS = [["Payment No", "Invoice No", "Payment Date", "Payment Method", "Amount", "Check/CC No"],
            ["P1", "A", "03/10/2026", "Cash", "$50.00", ""], ["P2", "A", "04/05/2026", "visa", "$266.00", ""],
            ["P3", "B", "04/10/2026", "Check", "$30.00", "1043"], ["P4", "C", "02/01/2026", "ACH", "$150.00", ""],
            ["P5", "C", "04/16/2026", "ACH", "($150.00)", ""], ["Total", "", "", "", "$346.00", ""]]
ADJUSTMENTS = [["Adjustment No", "Client No", "Date", "Amount", "Memo"], ["J1", "C1", "04/20/2026", "$25.00", "Goodwill"]]
TITLES = [["Sunset Portrait Studio"], ["Report run 11/21/2026 6:30 PM"], []]


# -- helpers -----------------------------------------------------------------------------------------

def make_config(tmp_path: Path, date_format="%m/%d/%Y", negative="parentheses", sheet=None, skip=True) -> Path:
    text = PROFILE.format(date_format=date_format, negative=negative,
                          payments_sheet=f"        sheet: {sheet}\n" if sheet else "",
                          payments_skip='        skip_rows_where: {"Payment No": "Total"}' if skip else "")
    path = tmp_path / f"studio{next(_count)}.yaml"
    path.write_text((FIXTURES / "worked_example.yaml").read_text() + text)
    return path


@pytest.fixture
def config(tmp_path):
    return load_config(make_config(tmp_path))


def write_csv(path: Path, rows: list[list[str]], titles=TITLES, bom=True) -> Path:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([*titles, *rows])
    path.write_bytes(("\ufeff" if bom else "").encode() + out.getvalue().encode())
    return path


def folder(tmp_path: Path, **files: list[list[str]]) -> Path:
    """An export folder: each keyword a file name stem (``Payment_List`` -> ``Payment List.csv``)."""
    directory = tmp_path / f"exports{next(_count)}"
    directory.mkdir()
    for stem, rows in files.items():
        write_csv(directory / f"{stem.replace('_', ' ')}.csv", rows)
    return directory


def worked_exports(tmp_path: Path) -> Path:
    return folder(tmp_path, Client_List=CLIENTS, Invoice_List=INVOICES, Invoice_Items=ITEMS, Payment_List=PAYMENTS,
                  Credit_Adjustments=ADJUSTMENTS)


def dump(db) -> dict:
    return {t: sorted(map(tuple, db.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}


def plain_worked(tmp_path: Path, config) -> dict:
    db = open_store(tmp_path / f"plain{next(_count)}.db", create=True)
    import_dir(db, WORKED, config)
    try:
        return dump(db)
    finally:
        db.close()


@pytest.fixture
def studio(tmp_path, config):
    """A database holding the worked example (plain §3 files)."""
    db = open_store(tmp_path / "studio.db", create=True)
    import_dir(db, WORKED, config)
    yield db
    db.close()


def problems(db, directory, config, profile="studio") -> list[str]:
    before = dump(db)
    with pytest.raises(ImportFailed) as failed:
        import_dir(db, directory, config, profile=config.import_profiles[profile])
    assert dump(db) == before  # all-or-nothing
    return [str(p) for p in failed.value.result.problems]


def run(db, directory, config, profile="studio"):
    return import_dir(db, directory, config, profile=config.import_profiles[profile])


def xlsx(path: Path, sheets: dict[str, list[list]], build=None) -> Path:
    """A workbook; cells: str, float, int, date (a date cell), or ("formula", text, value)."""
    book = xlsxwriter.Workbook(str(path))
    dates = book.add_format({"num_format": "mm/dd/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if isinstance(cell, (date, datetime)):
                    sheet.write_datetime(r, c, cell if isinstance(cell, datetime) else datetime(*cell.timetuple()[:3]),
                                         dates)
                elif isinstance(cell, tuple):
                    sheet.write_formula(r, c, cell[1], None, cell[2])
                elif isinstance(cell, (int, float)):
                    sheet.write_number(r, c, cell)
                elif cell != "":
                    sheet.write_string(r, c, cell)
        if build:
            build(name, sheet)
    book.close()
    return path


XLSX_PAYMENTS = [["Sunset Portrait Studio"], [], PAYMENTS[0],
                 ["P1", "A", date(2026, 3, 10), "Cash", 50.0, ""], ["P2", "A", date(2026, 4, 5), "Visa", 266, ""],
                 ["P3", "B", "04/10/2026", "Check", 30.0, 1043.0], ["P4", "C", date(2026, 2, 1), "ACH", 150.0, ""],
                 ["P5", "C", datetime(2026, 4, 16, 14, 5), "ACH", -150.0, ""], [], ["Total", "", "", "", 346.0, ""]]


# -- the worked example through a profile -------------------------------------------------------------

def test_csv_exports_import_exactly_as_the_plain_files(tmp_path, config):
    """Title rows, a BOM, CRLF, currency signs, parentheses, mapped values in any case, total rows."""
    db = open_store(tmp_path / "p.db", create=True)
    result = run(db, worked_exports(tmp_path), config)
    assert dump(db) == plain_worked(tmp_path, config)
    assert [(f.filename, f.source, f.rows, f.new) for f in result.files] == [
        ("customers.csv", "Client List.csv", 3, 3), ("orders.csv", "Invoice List.csv", 3, 3),
        ("order_lines.csv", "Invoice Items.csv", 4, 4), ("payments.csv", "Payment List.csv", 5, 5),
        ("credit_adjustments.csv", "Credit Adjustments.csv", 1, 1)]
    db.close()


def test_xlsx_exports_with_date_and_number_cells(tmp_path, config, studio):
    directory = tmp_path / "x"
    directory.mkdir()
    xlsx(directory / "Payment List 2026.xlsx", {"Payments": XLSX_PAYMENTS})
    expected = dump(studio)
    result = run(studio, directory, config)
    assert dump(studio) == expected  # the same payments as the plain files
    [payments] = result.files
    assert (payments.source, payments.new, payments.changed, payments.unchanged) == \
        ("Payment List 2026.xlsx[Payments]", 0, 0, 5)


def test_xls_fixture_imports_the_worked_payments(tmp_path, config, studio):
    """fixtures/exports/payment_list.xls: BIFF8, the records on its second sheet (``sheet:``)."""
    config = load_config(make_config(tmp_path, sheet="payments"))  # sheet names match in any case
    directory = tmp_path / "x"
    directory.mkdir()
    shutil.copy(EXPORTS / "payment_list.xls", directory / "Payment List.xls")
    expected = dump(studio)
    result = run(studio, directory, config)
    assert dump(studio) == expected
    assert result.files[0].source == "Payment List.xls[Payments]" and result.files[0].unchanged == 5


def test_whole_number_ids_from_number_cells_have_no_decimal_point(tmp_path, config, studio):
    directory = tmp_path / "x"
    directory.mkdir()
    xlsx(directory / "Client List.xlsx", {"Clients": [["Client No", "Bill-To Name"], [1001.0, "Dee Moss"],
                                                      [1002, 1234.0]]})
    run(studio, directory, config)
    rows = dict(studio.execute("SELECT customer_id, name FROM customers WHERE customer_id LIKE '100%'").fetchall())
    assert rows == {"1001": "Dee Moss", "1002": "1234"}


@pytest.mark.parametrize("date_format, text", [("%m/%d/%Y", "04/21/2026"), ("%d.%m.%Y", "21.04.2026"),
                                               ("%Y-%m-%d", "2026-04-21"), ("%b %d, %Y", "Apr 21, 2026"),
                                               ("%d/%m/%y", "21/04/26")])
def test_date_formats(tmp_path, studio, date_format, text):
    config = load_config(make_config(tmp_path, date_format=date_format))
    run(studio, folder(tmp_path, Payment_List=[PAYMENTS[0], ["P6", "B", text, "Cash", "$5.00", ""]]), config)
    assert studio.execute("SELECT paid_on FROM payments WHERE payment_id = 'P6'").fetchone()[0] == "2026-04-21"


@pytest.mark.parametrize("negative, text, cents", [
    ("minus", "-$1,234.50", -123450), ("minus", "$-1,234.50", -123450), ("minus", "1234.5", 123450),
    ("parentheses", "($1,234.50)", -123450), ("parentheses", "$ 1,234,567.05", 123456705),
    ("both", "(1,234.50)", -123450), ("both", "-$1,234.50", -123450), ("both", "$.50", 50)])
def test_amount_styles(tmp_path, studio, negative, text, cents):
    config = load_config(make_config(tmp_path, negative=negative))
    run(studio, folder(tmp_path, Payment_List=[PAYMENTS[0], ["P6", "B", "04/21/2026", "Cash", text, ""]]), config)
    assert studio.execute("SELECT amount FROM payments WHERE payment_id = 'P6'").fetchone()[0] == cents


@pytest.mark.parametrize("negative, text, gist", [
    ("minus", "($5.00)", "writes amounts like $1,234.50, negative ones like -$1,234.50"),
    ("parentheses", "-$5.00", "negative ones like ($1,234.50)"),
    ("both", "12,34.50", "not an amount: '12,34.50'"), ("both", "€5.00", "not an amount"),
    ("both", "(-5.00)", "not an amount"), ("both", "$5.005", "5.005")])
def test_amounts_outside_the_style_are_errors(tmp_path, studio, negative, text, gist):
    config = load_config(make_config(tmp_path, negative=negative))
    directory = folder(tmp_path, Payment_List=[PAYMENTS[0], ["P6", "B", "04/21/2026", "Cash", text, ""]])
    [problem] = problems(studio, directory, config)
    assert problem.startswith(f"{directory / 'Payment List.csv'}:5: Amount: ") and gist in problem


def test_value_keys_match_trimmed_in_any_case_and_unknown_values_list_the_known(tmp_path, config, studio):
    good = folder(tmp_path, Payment_List=[PAYMENTS[0], ["P6", "B", "04/21/2026", "  MASTER   card ", "$5.00", ""]])
    run(studio, good, config)
    assert studio.execute("SELECT method FROM payments WHERE payment_id = 'P6'").fetchone()[0] == "credit_card"
    bad = folder(tmp_path, Payment_List=[PAYMENTS[0], ["P7", "B", "04/21/2026", "Venmo", "$5.00", ""]])
    [problem] = problems(studio, bad, config)
    assert problem == (f"{bad / 'Payment List.csv'}:5: Payment Method: 'Venmo' is not in the profile's values "
                       "for 'Payment Method' (known, any case: ach, cash, check, master card, visa)")


def test_a_total_row_is_an_error_unless_skip_rows_where_names_it(tmp_path, studio):
    config = load_config(make_config(tmp_path, skip=False))
    directory = folder(tmp_path, Payment_List=PAYMENTS)
    found = problems(studio, directory, config)
    assert found and all(p.startswith(f"{directory / 'Payment List.csv'}:10: ") for p in found)


def test_blank_rows_and_title_rows_are_passed_over_and_lines_count_them(tmp_path, config, studio):
    rows = [PAYMENTS[0], [], ["", "", "", "", "", ""], ["P6", "B", "03/01/2026", "Cash", "$5.00", ""]]
    directory = folder(tmp_path, Payment_List=rows)
    [problem] = problems(studio, directory, config)  # a §3 rule: paid before the order
    assert problem == (f"{directory / 'Payment List.csv'}:7: Payment Date: paid_on 2026-03-01 is before the "
                       "order's ordered_on 2026-04-10")


def test_no_header_row_is_an_error_naming_the_missing_columns(tmp_path, config, studio):
    directory = folder(tmp_path, Payment_List=[["Payment No", "Invoice", "Payment Date", "Payment Method", "Amount"]])
    [problem] = problems(studio, directory, config)
    assert problem.startswith(f"{directory / 'Payment List.csv'}:4: (header): the header row lacks 'Invoice No'")
    empty = folder(tmp_path, Payment_List=[["nothing", "here"]])
    [problem] = problems(studio, empty, config)
    assert "no header row found" in problem


def test_optional_columns_may_be_left_out_of_the_file(tmp_path, config, studio):
    rows = [[h for h in INVOICES[0] if h not in ("Built Date", "Void Date")], ["A", "C1", "03/10/2026", "", "$16.00"]]
    result = run(studio, folder(tmp_path, Invoice_List=rows), config)
    assert any("'Built Date' (built_on) is not in the header row" in w for w in result.warnings)
    assert studio.execute("SELECT completed_on FROM orders WHERE order_id = 'A'").fetchone()[0] is None
    # orders C keeps its void date: the column is not in the file
    assert result.files[0].changed == 1


def test_glob_matching_no_file_skips_the_kind_and_two_files_are_an_error(tmp_path, config, studio):
    directory = folder(tmp_path, Payment_List_March=PAYMENTS[:1], Payment_List_April=PAYMENTS[:1])
    [problem] = problems(studio, directory, config)
    assert problem == (f"{directory}: (files): payments: 2 files match 'Payment List*': 'Payment List April.csv', "
                       "'Payment List March.csv'; keep one in the folder")
    nothing = folder(tmp_path, Unrelated=[["x"]])
    [problem] = problems(studio, nothing, config)
    assert "no file matches import profile 'studio'" in problem
    only_clients = folder(tmp_path, CLIENT_LIST_NOV=CLIENTS)  # any case
    assert [f.filename for f in run(studio, only_clients, config).files] == ["customers.csv"]


def test_named_sheet_missing_lists_the_sheets(tmp_path, studio):
    config = load_config(make_config(tmp_path, sheet="Receipts"))
    directory = tmp_path / "x"
    directory.mkdir()
    xlsx(directory / "Payment List.xlsx", {"Summary": [["x"]], "Payments": XLSX_PAYMENTS})
    [problem] = problems(studio, directory, config)
    assert problem == (f"{directory / 'Payment List.xlsx'}[Receipts]: (file): no sheet named 'Receipts' "
                       "(the sheets: 'Summary', 'Payments')")


# -- bad input, each one line with file (sheet), row and column -----------------------------------------

def test_bad_workbook_cells_are_each_one_line(tmp_path, config, studio):
    directory = tmp_path / "x"
    directory.mkdir()
    rows = [["Payment List"], PAYMENTS[0],
            ["P6", "B", date(2026, 4, 21), "Cash", 12.345, ""],           # row 3: not whole cents
            ["P7", "B", "n/a", "Cash", 5.0, ""],                         # row 4: text in a date column
            ["P8", ("f", "=NA()", "#N/A"), date(2026, 4, 21), "Cash", 5.0, ""],  # row 5: a formula error
            ["P9", "B", 46133.0, "Cash", 5.0, ""],                       # row 6: a number as a date
            ["P10", "", date(2026, 4, 21), "Cash", 5.0, ""],             # row 7: A7:B7 merged
            ["P11", "B", date(2026, 4, 21), "Cash", 0.1 + 0.2, ""]]      # row 8: stored as 0.3: fine

    def merge(name, sheet):
        sheet.merge_range(6, 0, 6, 1, "P10")
        sheet.merge_range(0, 0, 0, 5, "Payment List")  # a merged title above the header: fine

    xlsx(directory / "Payment List.xlsx", {"Pay": rows}, merge)
    where = f"{directory / 'Payment List.xlsx'}[Pay]"
    assert problems(studio, directory, config) == [
        f"{where}:3: Amount: the number 12.345 is not whole cents (an amount has at most 2 decimals)",
        f"{where}:4: Payment Date: not a date: 'n/a' (the profile's date_format is '%m/%d/%Y', e.g. 03/31/2026)",
        f"{where}:5: Invoice No: the cell holds a formula error (#N/A), not a value",
        f"{where}:6: Payment Date: a number (46133), not a date; format the column as dates, or as text like 03/31/2026",
        f"{where}:7: Payment No: merged cells A7:B7; unmerge them (every record needs its own cells)",
    ]


def test_bad_xls_fixture(tmp_path, config, studio):
    """fixtures/exports/payment_list_bad.xls: the same mistakes in the old format."""
    directory = tmp_path / "x"
    directory.mkdir()
    shutil.copy(EXPORTS / "payment_list_bad.xls", directory / "Payment List.xls")
    where = f"{directory / 'Payment List.xls'}[Payments]"
    assert problems(studio, directory, config) == [
        f"{where}:5: Amount: the number 12.345 is not whole cents (an amount has at most 2 decimals)",
        f"{where}:6: Payment Date: not a date: 'soon' (the profile's date_format is '%m/%d/%Y', e.g. 03/31/2026)",
        f"{where}:7: Payment No: merged cells A7:B7; unmerge them (every record needs its own cells)",
        f"{where}:8: Payment Date: a number (46133), not a date; format the column as dates, or as text like 03/31/2026",
    ]


def test_a_renamed_pdf_is_one_line(tmp_path, config, studio):
    directory = tmp_path / "x"
    directory.mkdir()
    (directory / "Payment List.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    [problem] = problems(studio, directory, config)
    assert problem == (f"{directory / 'Payment List.xlsx'}: (file): cannot be read as an Excel workbook: it is a "
                       "PDF file; export it again as .xlsx, .xls or .csv")


def test_a_number_in_a_csv_date_column_is_an_error(tmp_path, config, studio):
    directory = folder(tmp_path, Payment_List=[PAYMENTS[0], ["P6", "B", "46133", "Cash", "$5.00", ""]])
    [problem] = problems(studio, directory, config)
    assert problem.startswith(f"{directory / 'Payment List.csv'}:5: Payment Date: not a date: '46133'")


def test_a_stray_quote_and_bad_bytes_in_a_csv_export(tmp_path, config, studio):
    directory = folder(tmp_path)
    path = directory / "Payment List.csv"
    path.write_bytes(b"Payment No,Invoice No,Payment Date,Payment Method,Amount,Check/CC No\r\n"
                     b'P6,B,04/21/2026,Cash,"5.00,\r\nP7,B,04/21/2026,Cash,5.00,caf\xe9\r\n')
    found = problems(studio, directory, config)
    assert found[0].startswith(f"{path}:2: Amount: a quoted field starting here never ends")
    assert found[1].startswith(f"{path}:3: Check/CC No: not UTF-8 text")


# -- §3's rules through a profile -----------------------------------------------------------------------

def test_section_3_rules_name_the_export_file_line_and_header(tmp_path, config, studio):
    directory = folder(tmp_path,
                       Invoice_Items=[ITEMS[0], ["B", "2", "Frame", "Oak frame", "$40.00"]],
                       Payment_List=[PAYMENTS[0], ["P6", "B", "04/01/2026", "Cash", "$5.00", ""],
                                     ["P7", "Z", "04/21/2026", "Cash", "$5.00", ""],
                                     ["P8", "B", "04/21/2026", "Cash", "$0.00", ""]])
    items, pays = directory / "Invoice Items.csv", directory / "Payment List.csv"
    assert problems(studio, directory, config) == [
        f"{items}:5: Item Type: category 'frames' is not a key of income_categories in {config.path}",
        f"{pays}:5: Payment Date: paid_on 2026-04-01 is before the order's ordered_on 2026-04-10",
        f"{pays}:6: Invoice No: unknown order 'Z'",
        f"{pays}:7: Amount: must not be 0",
    ]


def test_duplicates_in_a_workbook_name_both_rows(tmp_path, config, studio):
    directory = tmp_path / "x"
    directory.mkdir()
    xlsx(directory / "Client List.xlsx", {"C": [["Clients"], CLIENTS[0], [7.0, "Dee"], ["", ""], [7, "Dee again"]]})
    assert problems(studio, directory, config) == [
        f"{directory / 'Client List.xlsx'}[C]:5: Client No: duplicate customer_id=7 (first on line 3)"]


# -- counts and the dry run -----------------------------------------------------------------------------

def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def service(config, db_path):
    return ReconService(dataclasses.replace(config, backups_keep=5), db_path, TODAY, user="ada", clock=lambda: NOW)


def changed_exports(tmp_path: Path) -> Path:
    """One new payment, one changed (P3's reference), three unchanged; a payment in April changes
    the finalized April."""
    rows = [*PAYMENTS[:3], ["P3", "B", "04/10/2026", "Check", "$30.00", "1044"], *PAYMENTS[4:6],
            ["P6", "B", "04/21/2026", "Cash", "$5.00", ""]]
    return folder(tmp_path, Payment_List=rows)


def test_real_import_counts_new_changed_and_unchanged(tmp_path, config, studio):
    result = run(studio, changed_exports(tmp_path), config)
    [f] = result.files
    assert (f.rows, f.new, f.changed, f.unchanged) == (6, 1, 1, 4)


@pytest.fixture
def finalized(tmp_path, config):
    """A database holding the worked example with April finalized."""
    path = tmp_path / "fin.db"
    db = open_store(path, create=True)
    import_dir(db, WORKED, config)
    db.close()
    service(config, path).finalize(FinalizeRequest(method="accrual", period=Period(date(2026, 3, 31), date(2026, 4, 30)),
                                                   counted={"check": 3000, "credit_card": 26600, "eft": -15000},
                                                   qb_balance=0))
    return path


def test_dry_run_counts_writes_nothing_and_names_the_finalized_period(tmp_path, config, finalized):
    svc = service(config, finalized)
    before, backups = checksum(finalized), sorted((finalized.parent / "backups").iterdir())
    result, warnings = svc.import_preview(changed_exports(tmp_path), "studio")
    [f] = result.files
    assert (f.source, f.kind, f.new, f.changed, f.unchanged) == ("Payment List.csv", "payments", 1, 1, 4)
    assert len(warnings) == 1 and warnings[0].startswith("this import would change the period of finalized "
                                                         "reconciliation #1: ")
    assert checksum(finalized) == before  # nothing written
    assert sorted((finalized.parent / "backups").iterdir()) == backups  # and no backup made
    # the real import then says the same
    result, warnings = svc.import_checked(changed_exports(tmp_path), profile="studio")
    assert (result.files[0].new, result.files[0].changed) == (1, 1)
    assert len(warnings) == 1 and "finalized reconciliation #1" in warnings[0]


def test_dry_run_of_plain_files_and_into_no_database(tmp_path, config):
    path = tmp_path / "none" / "studio.db"
    result, warnings = service(config, path).import_preview(WORKED)
    assert [(f.filename, f.new) for f in result.files][:2] == [("customers.csv", 3), ("orders.csv", 3)]
    assert warnings == [] and not path.exists()


def test_service_profile_names_and_an_unknown_profile(tmp_path, config, finalized):
    svc = service(config, finalized)
    assert svc.import_profile_names() == ["other", "studio"]
    with pytest.raises(ImportFailed) as failed:
        svc.import_checked(WORKED, profile="nope")
    assert str(failed.value.result.problems[0]) == f"{config.path}: --profile: no import profile 'nope' (known: other, studio)"


def cli(config: Path, db: Path, *args: str) -> int:
    return main(["import", *args, "--db", str(db), "--config", str(config)])


def test_cli_dry_run_prints_a_table_and_writes_nothing(tmp_path, config, finalized, capsys):
    before = checksum(finalized)
    assert cli(config.path, finalized, str(changed_exports(tmp_path)), "--profile", "studio", "--dry-run") == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[:3] == ["file              kind        new    changed    unchanged",
                                     "----------------  --------  -----  ---------  -----------",
                                     "Payment List.csv  payments      1          1            4"]
    assert "finalized periods it would change: #1" in out and "would change the period" in err
    assert checksum(finalized) == before


def test_cli_profile_import_and_its_errors(tmp_path, config, capsys):
    db = tmp_path / "cli.db"
    assert cli(config.path, db, str(worked_exports(tmp_path)), "--profile", "studio") == 0
    out, _ = capsys.readouterr()
    assert "Payment List.csv (payments): 5 rows (5 new, 0 changed, 0 unchanged)" in out
    assert cli(config.path, db, str(WORKED), "--profile", "nope") == 2
    _, err = capsys.readouterr()
    assert "no import profile 'nope' (known: other, studio)" in err
    bad = folder(tmp_path, Payment_List=[PAYMENTS[0], ["P6", "B", "04/21/2026", "Venmo", "$5.00", ""]])
    digest = checksum(db)
    assert cli(config.path, db, str(bad), "--profile", "studio", "--dry-run") == 2
    _, err = capsys.readouterr()
    assert f"{bad / 'Payment List.csv'}:5: Payment Method: 'Venmo'" in err and checksum(db) == digest
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM payments").fetchone()[0] == 5


def test_cli_dry_run_without_a_profile(tmp_path, config, capsys):
    db = tmp_path / "plain.db"
    assert cli(config.path, db, str(WORKED), "--dry-run") == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[2].split() == ["customers.csv", "customers", "3", "0", "0"]
    assert "finalized periods it would change: none" in out and err == "" and not db.exists()


def test_skip_rows_where_naming_a_column_the_file_lacks(tmp_path, config, studio):
    directory = folder(tmp_path, Client_List=[["Client", "Bill-To Name", "Client No"], ["x", "Dee", "C9"]])
    directory2 = folder(tmp_path, Client_List=[["Bill-To Name", "Client No2"]])
    assert run(studio, directory, config).files[0].new == 1  # extra columns are ignored
    [problem] = problems(studio, directory2, config)
    assert "(header): the header row lacks 'Client No'" in problem


def test_progress_names_the_export(tmp_path, config, studio):
    directory = tmp_path / "x"
    directory.mkdir()
    xlsx(directory / "Payment List.xlsx", {"Payments": XLSX_PAYMENTS})
    seen = set()
    import_dir(studio, directory, config, progress=lambda name, done, total: seen.add(name),
               profile=config.import_profiles["studio"])
    assert "Payment List.xlsx[Payments]" in seen
