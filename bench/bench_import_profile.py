"""Benchmark: importing the studio system's own exports through an import profile (DOMAIN §14).

    .venv/bin/python bench/bench_import_profile.py [--runs 3] [--years 1] [--orders-per-year 20000]

Builds the demo studio (``build_demo``), writes it three ways into a scratch folder: the plain §3
CSV files, the exports as the studio system writes them as CSV (title rows, a total row, dates
``MM/DD/YYYY``, ``$1,234.50`` and ``($1,234.50)``, its own names for methods and categories) and the
same exports as .xlsx workbooks (xlsxwriter: date cells, number cells). Each is imported into a
fresh database with ``import_dir`` (the profile's rows pass the same §3 checks); prints a table of
the best of --runs. Never run in CI.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import xlsxwriter
from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recon_tui.config import load_config  # noqa: E402
from recon_tui.demo import build_demo, write_csv  # noqa: E402
from recon_tui.store.importer import import_dir  # noqa: E402
from recon_tui.store.schema import open_store  # noqa: E402

#: the config's commented ``oms`` example profile (config/recon.yaml), as used here
PROFILE = """
import_profiles:
  oms:
    date_format: "%m/%d/%Y"
    amounts: {currency: "$", thousands: ",", negative: parentheses}
    files:
      customers:
        match: "Client List*"
        columns: {customer_id: Client No, name: Bill-To Name}
        skip_rows_where: {Client No: "Total"}
      orders:
        match: "Invoice List*"
        columns: {order_id: Invoice No, customer_id: Client No, ordered_on: Invoice Date,
                  built_on: Built Date, completed_on: Delivered Date, voided_on: Void Date, sales_tax: Sales Tax}
        skip_rows_where: {Invoice No: "Total"}
      order_lines:
        match: "Invoice Items*"
        columns: {order_id: Invoice No, line_no: Line, category: Item Type, description: Description, amount: Amount}
        values:
          category: {Session: sessions, Print: prints, Frame: frames, Album: albums, Digital: digital,
                     Discount: discounts}
        skip_rows_where: {Invoice No: "Total"}
      payments:
        match: "Payment List*"
        columns: {payment_id: Payment No, order_id: Invoice No, paid_on: Payment Date,
                  method: Payment Method, amount: Amount, reference: Check/CC No}
        values:
          method: {Cash: cash, Check: check, ACH: eft, Visa: credit_card, Other: other,
                   Gift Card: in_store_credit, Write Off: bad_debt}
        skip_rows_where: {Payment No: "Total"}
      credit_adjustments:
        match: "Credit Adjustments*"
        columns: {adjustment_id: Adjustment No, customer_id: Client No, adjusted_on: Date,
                  amount: Amount, reason: Reason}
        skip_rows_where: {Adjustment No: "Total"}
"""
METHOD = {"cash": "Cash", "check": "Check", "eft": "ACH", "credit_card": "Visa", "other": "Other",
          "in_store_credit": "Gift Card", "bad_debt": "Write Off"}
CATEGORY = {"sessions": "Session", "prints": "Print", "frames": "Frame", "albums": "Album", "digital": "Digital",
            "discounts": "Discount"}
#: file -> (header, row -> cells with ``D`` a date and ``M`` an amount marked for the writers)
SHAPES = {
    "Client List": (["Client No", "Bill-To Name"], lambda r: [r[0], r[1]]),
    "Invoice List": (["Invoice No", "Client No", "Invoice Date", "Built Date", "Delivered Date", "Void Date", "Sales Tax"],
                     lambda r: [r[0], r[1], ("D", r[2]), ("D", r[3]), ("D", r[4]), ("D", r[5]), ("M", r[6])]),
    "Invoice Items": (["Invoice No", "Line", "Item Type", "Description", "Amount"],
                      lambda r: [r[0], r[1], CATEGORY[r[2]], r[3], ("M", r[4])]),
    "Payment List": (["Payment No", "Invoice No", "Payment Date", "Payment Method", "Amount", "Check/CC No"],
                     lambda r: [r[0], r[1], ("D", r[2]), METHOD[r[3]], ("M", r[4]), r[5]]),
    "Credit Adjustments": (["Adjustment No", "Client No", "Date", "Amount", "Reason"],
                           lambda r: [r[0], r[1], ("D", r[2]), ("M", r[3]), r[4]]),
}


def money_text(cents: int) -> str:
    units, rest = divmod(abs(cents), 100)
    text = f"${units:,}.{rest:02d}"
    return f"({text})" if cents < 0 else text


def csv_cell(cell) -> str:
    if isinstance(cell, tuple):
        kind, value = cell
        if value is None:
            return ""
        return value.strftime("%m/%d/%Y") if kind == "D" else money_text(value)
    return "" if cell is None else str(cell)


def write_exports(studio, directory: Path, excel: bool) -> None:
    directory.mkdir()
    for (name, (header, shape)), rows in zip(SHAPES.items(), (studio.customers, studio.orders, studio.order_lines,
                                                               studio.payments, studio.credit_adjustments)):
        titles = [["Sunset Portrait Studio"], [f"{name} - all dates"], []]
        if not excel:
            with (directory / f"{name}.csv").open("w", newline="", encoding="utf-8-sig") as f:
                out = csv.writer(f, lineterminator="\r\n")
                out.writerows(titles + [header])
                out.writerows([csv_cell(c) for c in shape(r)] for r in rows)
                out.writerow(["Total", *[""] * (len(header) - 1)])
            continue
        book = xlsxwriter.Workbook(str(directory / f"{name}.xlsx"), {"constant_memory": True})
        dates = book.add_format({"num_format": "mm/dd/yyyy"})
        sheet = book.add_worksheet(name[:31])
        for r, row in enumerate(titles + [header]):
            for c, text in enumerate(row):
                sheet.write_string(r, c, text)
        for r, row in enumerate(rows, len(titles) + 1):
            for c, cell in enumerate(shape(row)):
                if isinstance(cell, tuple):
                    kind, value = cell
                    if value is None:
                        continue
                    if kind == "D":
                        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), dates)
                    else:
                        sheet.write_number(r, c, value / 100)
                elif isinstance(cell, int):
                    sheet.write_number(r, c, cell)
                elif cell:
                    sheet.write_string(r, c, cell)
        sheet.write_string(len(titles) + 1 + len(rows), 0, "Total")
        book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--orders-per-year", type=int, default=20000)
    args = parser.parse_args()
    studio = build_demo(years=args.years, orders_per_year=args.orders_per_year)
    rows = sum(map(len, (studio.customers, studio.orders, studio.order_lines, studio.payments,
                         studio.credit_adjustments)))
    with tempfile.TemporaryDirectory(prefix="recon-bench-profile-") as scratch:
        scratch = Path(scratch)
        config_path = scratch / "recon.yaml"
        config_path.write_text((ROOT / "config" / "recon.yaml").read_text() + PROFILE)
        config = load_config(config_path)
        write_csv(studio, scratch / "plain")
        write_exports(studio, scratch / "csv", excel=False)
        write_exports(studio, scratch / "xlsx", excel=True)
        cases = [("plain §3 CSV (no profile)", "plain", None), ("CSV exports through the profile", "csv", "oms"),
                 ("Excel (.xlsx) exports through the profile", "xlsx", "oms")]
        table = []
        for label, folder, profile in cases:
            best = None
            for run in range(args.runs):
                db = open_store(scratch / f"{folder}{run}.db", create=True)
                started = time.perf_counter()
                import_dir(db, scratch / folder, config,
                           profile=config.import_profiles[profile] if profile else None)
                took = time.perf_counter() - started
                db.close()
                best = took if best is None else min(best, took)
            table.append([label, f"{rows:,}", f"{best:.2f} s", f"{rows / best:,.0f}"])
    print(tabulate(table, headers=["import", "rows", f"time (best of {args.runs})", "rows/s"], tablefmt="github"))


if __name__ == "__main__":
    main()
