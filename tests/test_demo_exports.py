"""Issue 13, "An example": `recon-tui demo --csv DIR --profile-example` writes the demo studio as an
order system exports it, and config/recon.yaml's commented `oms` profile reads exactly that back.

The files look like real report exports (title rows, a totals row, US dates, `$1,234.50` and
`($150.00)`, BOM + CRLF, the Payment List as an Excel workbook); the important test imports the
folder through the profile and finds the same database as importing the plain §3 CSV of the demo."""

from __future__ import annotations

import csv
import re
import sqlite3
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from recon_tui.cli import main
from recon_tui.config import load_config
from recon_tui.demo import DEMO_END, build_demo
from recon_tui.demo_exports import CARD_BRANDS, card_brand, money, payment_methods, write_exports
from recon_tui.import_profiles import value_key
from recon_tui.money import parse_cents

CONFIG = Path(__file__).resolve().parent.parent / "config" / "recon.yaml"
SMALL = ["--years", "1", "--orders-per-year", "300", "--seed", "5"]
CSV_FILES = ("Client List.csv", "Invoice List.csv", "Invoice Items.csv", "Credit Adjustments.csv")
ALL_FILES = sorted((*CSV_FILES, "Payment List.xlsx"))
KIND_OF = {"Client List.csv": "customers", "Invoice List.csv": "orders", "Invoice Items.csv": "order_lines",
           "Credit Adjustments.csv": "credit_adjustments", "Payment List.xlsx": "payments"}
TABLES = {"customers": "customer_id", "orders": "order_id", "order_lines": "order_id, line_no",
          "payments": "payment_id", "credit_adjustments": "adjustment_id"}


def uncommented(text: str) -> str:
    """config/recon.yaml with its example profile switched on: the leading "# " of each line of the
    block (from "# import_profiles:" to the end) removed, as the README tells a user to."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("# import_profiles:"))
    return "".join(lines[:start]) + "".join(
        line[2:] if line.startswith("# ") else line[1:] if line.startswith("#") else line for line in lines[start:])


@pytest.fixture(scope="module")
def profile_config(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("config") / "recon.yaml"
    path.write_text(uncommented(CONFIG.read_text(encoding="utf-8")), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    """The example folder of a small demo, written by the CLI."""
    base = tmp_path_factory.mktemp("exports")
    assert main(["demo", "--db", str(base / "demo.db"), "--config", str(CONFIG), "--csv", str(base / "oms"),
                 "--profile-example", *SMALL]) == 0
    return base / "oms"


def test_the_money_and_card_brand_rules():
    assert money(123450) == "$1,234.50" and money(-15000) == "($150.00)" and money(0) == "$0.00"
    assert money(5) == "$0.05" and money(-100000000) == "($1,000,000.00)"
    assert card_brand("P0000001", "Mastercard x1234", None) == "MasterCard"
    assert card_brand("P0000001", "amex x1234", "Visa") == "AMEX"
    assert card_brand("P0000009", "Refund: order returned", "Discover") == "Discover"  # back to the same card
    assert card_brand("P0000009", None, None) == CARD_BRANDS[9 % len(CARD_BRANDS)]
    studio = build_demo(seed=2, years=1, orders_per_year=300)
    names = payment_methods(studio.payments)
    cards = {n for n, p in zip(names, studio.payments) if p[3] == "credit_card"}
    assert cards == set(CARD_BRANDS)  # spread over every brand
    assert names == payment_methods(studio.payments)


def test_the_folder_holds_csv_and_excel_and_nothing_else(exports):
    assert sorted(p.name for p in exports.iterdir()) == ALL_FILES


def test_csv_files_are_windows_report_exports(exports):
    for name in CSV_FILES:
        raw = (exports / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # UTF-8 with a byte-order mark
        assert raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n"), name  # CRLF only
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
        assert rows[0] == ["Sunset Portrait Studio"] and rows[1][0].startswith(name.removesuffix(".csv"))
        assert rows[2][0].startswith("Printed 10/31/2026")
        assert rows[-1][0] == "Total", name
    text = (exports / "Invoice Items.csv").read_bytes().decode("utf-8-sig")
    assert "Invoice No,Line,Item Type,Description,Amount\r\n" in text
    assert ",Discount," in text and ",($" in text  # discounts are negative, in parentheses
    invoice_text = (exports / "Invoice List.csv").read_bytes().decode("utf-8-sig")
    assert re.search(r',"\$[1-9][0-9]{0,2},[0-9]{3}\.[0-9]{2}"\r\n', invoice_text)  # $1,234.50, quoted
    invoices = list(csv.reader(invoice_text.splitlines()))
    assert invoices[4][3][2] == "/" and invoices[4][3][5] == "/" and len(invoices[4][3]) == 10  # MM/DD/YYYY
    clients = (exports / "Client List.csv").read_text(encoding="utf-8-sig")
    assert not clients.isascii()  # names like Tomás and Núñez: the BOM tells Excel it is UTF-8


def test_the_payment_list_workbook_has_date_and_currency_cells(exports):
    book = CalamineWorkbook.from_path(str(exports / "Payment List.xlsx"))
    assert book.sheet_names == ["Payment List"]
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Sunset Portrait Studio" and rows[1][0].startswith("Payment List: ")
    assert rows[3] == ["Payment No", "Payment Date", "Invoice No", "Invoice Date", "Client No", "Bill-To Name",
                       "Payment Method", "Check/CC No", "Amount"]
    body, total = rows[4:-1], rows[-1]
    assert body and all(isinstance(r[1], date) and isinstance(r[3], date) for r in body)
    assert all(isinstance(r[8], float) and r[8] == round(r[8] * 100) / 100 for r in body)  # whole cents
    assert any(r[8] < 0 for r in body)  # refunds
    assert total[0] == "Total" and round(total[8] * 100) == sum(round(r[8] * 100) for r in body)
    with zipfile.ZipFile(exports / "Payment List.xlsx") as z:
        styles = z.read("xl/styles.xml").decode()
        core = z.read("docProps/core.xml").decode()
    assert "mm/dd/yyyy" in styles and "#,##0.00;(" in styles  # shown as dates and as $1,234.50 / ($150.00)
    assert "2026-01-01T00:00:00Z" in core  # the fixed creation date


def test_same_seed_same_bytes_xlsx_included(tmp_path, capsys):
    folders = []
    for name in ("a", "b"):
        assert main(["demo", "--db", str(tmp_path / f"{name}.db"), "--config", str(CONFIG),
                     "--csv", str(tmp_path / name), "--profile-example", *SMALL]) == 0
        folders.append(tmp_path / name)
    for file in ALL_FILES:
        assert (folders[0] / file).read_bytes() == (folders[1] / file).read_bytes(), file
    studio = build_demo(seed=6, years=1, orders_per_year=300)
    write_exports(studio, tmp_path / "c", "Sunset Portrait Studio", DEMO_END)
    assert (tmp_path / "c" / "Payment List.xlsx").read_bytes() != (folders[0] / "Payment List.xlsx").read_bytes()


def test_profile_example_needs_a_folder(tmp_path, capsys):
    assert main(["demo", "--db", str(tmp_path / "x.db"), "--config", str(CONFIG), "--profile-example", *SMALL]) == 2
    err = capsys.readouterr().err
    assert "--csv" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "x.db").exists()


def test_the_uncommented_example_profile_is_a_valid_config(profile_config):
    profile = load_config(profile_config).import_profiles["oms"]
    assert [f.kind for f in profile.files] == ["customers", "orders", "order_lines", "payments",
                                               "credit_adjustments"]
    assert profile.date_format == "%m/%d/%Y" and profile.amounts.negative == "parentheses"


# -- reading the exports back by the profile, in the test (independent of the importer) --------------

def _records(path: Path, fmap, profile) -> list[dict[str, object]]:
    """The §3 records of one export as the profile describes it: the header found among the title
    rows, the rows its skip_rows_where names dropped, values mapped, dates and amounts parsed."""
    if path.suffix == ".xlsx":
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    else:
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    headers = [h for _, h in fmap.columns]
    at = next(i for i, row in enumerate(rows) if all(h in row for h in headers))
    index = {column: rows[at].index(header) for column, header in fmap.columns}
    skip = [(rows[at].index(header), prefix) for header, prefix in fmap.skip_rows_where]
    style = profile.amounts
    out = []
    for row in rows[at + 1:]:
        if all(cell == "" for cell in row):
            continue
        if any(str(row[i]).startswith(prefix) for i, prefix in skip):
            continue
        record: dict[str, object] = {}
        for column, i in index.items():
            cell = row[i]
            if column in fmap.values:
                record[column] = fmap.values[column][value_key(cell)]  # KeyError: a value the map lacks
            elif column.endswith("_on"):
                record[column] = cell if isinstance(cell, date) else (
                    datetime.strptime(cell, profile.date_format).date() if cell else None)
            elif column in ("amount", "sales_tax"):
                if isinstance(cell, float):
                    record[column] = round(cell * 100)
                else:
                    negative = cell.startswith("(") and cell.endswith(")")
                    body = cell.strip("()").replace(style.currency, "").replace(style.thousands, "")
                    record[column] = -parse_cents(body) if negative else parse_cents(body)
            elif column == "line_no":
                record[column] = int(cell)
            else:
                record[column] = cell or None
        out.append(record)
    return out


def test_the_exports_carry_exactly_the_demo_records(exports, profile_config):
    """What the profile reads from each file is the demo's records, field for field (the §3 files
    hold the same, so an importer that follows §14 finds the same database)."""
    profile = load_config(profile_config).import_profiles["oms"]
    studio = build_demo(seed=5, years=1, orders_per_year=300)
    for name, kind in KIND_OF.items():
        fmap = profile.file(kind)
        assert Path(name).match(fmap.match), (name, fmap.match)
        read = _records(exports / name, fmap, profile)
        columns = [c for c, _ in fmap.columns]
        assert set(columns) == set(_demo_columns(kind))  # the profile names every §3 column
        expected = [dict(zip(_demo_columns(kind), rec)) for rec in getattr(studio, kind)]
        assert read == [{c: e[c] for c in columns} for e in expected], name


def _demo_columns(kind: str) -> tuple[str, ...]:
    """The field order of demo.DemoStudio's tuples (its §3 file's header)."""
    return {"customers": ("customer_id", "name"),
            "orders": ("order_id", "customer_id", "ordered_on", "built_on", "completed_on", "voided_on", "sales_tax"),
            "order_lines": ("order_id", "line_no", "category", "description", "amount"),
            "payments": ("payment_id", "order_id", "paid_on", "method", "amount", "reference"),
            "credit_adjustments": ("adjustment_id", "customer_id", "adjusted_on", "amount", "reason")}[kind]


# -- the important one: through the real importer ------------------------------------------------------

def _tables(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as con:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
                for table, key in TABLES.items()}


def test_the_store_importer_reads_the_exports_into_the_same_records(exports, profile_config, tmp_path):
    """The same comparison one layer down (store.importer.import_dir with the profile), so it holds
    whatever the command line does around it."""
    from recon_tui.demo import write_csv
    from recon_tui.store.importer import import_dir
    from recon_tui.store.schema import open_store

    config = load_config(profile_config)
    write_csv(build_demo(seed=5, years=1, orders_per_year=300), tmp_path / "plain")
    for name, folder, profile in (("plain", tmp_path / "plain", None),
                                  ("oms", exports, config.import_profiles["oms"])):
        db = open_store(tmp_path / f"{name}.db", create=True)
        try:
            import_dir(db, folder, config, profile=profile)
        finally:
            db.close()
    by_profile, by_csv = _tables(tmp_path / "oms.db"), _tables(tmp_path / "plain.db")
    assert all(by_csv[table] for table in TABLES)
    for table in TABLES:
        assert by_profile[table] == by_csv[table], table


def test_importing_the_exports_by_profile_gives_the_same_database_as_the_plain_csv(
        exports, profile_config, tmp_path, capsys):
    plain = tmp_path / "plain"
    assert main(["demo", "--db", str(tmp_path / "demo.db"), "--config", str(CONFIG), "--csv", str(plain),
                 *SMALL]) == 0
    assert main(["import", str(plain), "--db", str(tmp_path / "plain.db"), "--config", str(profile_config)]) == 0
    before = _tables(tmp_path / "plain.db")
    capsys.readouterr()
    # a dry run over the §3 import: every record is there already (unchanged), and nothing is written
    assert main(["import", str(exports), "--profile", "oms", "--dry-run", "--db", str(tmp_path / "plain.db"),
                 "--config", str(profile_config)]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert _tables(tmp_path / "plain.db") == before
    assert main(["import", str(exports), "--profile", "oms", "--db", str(tmp_path / "oms.db"),
                 "--config", str(profile_config)]) == 0
    by_profile, by_csv = _tables(tmp_path / "oms.db"), _tables(tmp_path / "plain.db")
    assert all(by_csv[table] for table in TABLES)  # a real comparison: every kind has records
    for table in TABLES:
        assert by_profile[table] == by_csv[table], table
