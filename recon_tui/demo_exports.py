"""The demo studio as an order system exports it (issue 13, DOMAIN §14): the example folder that the
commented ``oms`` profile in config/recon.yaml reads.

Each file imitates a real report export, so the profile importer meets what studios really send:

- the columns of the order system's list reports (Spectra/myStratus: the Payment List has payment
  date, invoice number, invoice date, client number, bill-to name, card or check number, amount),
  with a few columns no profile names (they are ignored);
- title rows above the header (studio, report, when printed) and a totals row at the end whose id
  cell starts with "Total" (the profile's ``skip_rows_where``);
- US dates (MM/DD/YYYY), amounts as ``$1,234.50`` with negatives in parentheses ``($150.00)``;
  the system's own names for methods (card brands, ACH, Gift Card, Write Off) and item types;
- CSV as Windows programs write it: UTF-8 with a byte-order mark, CRLF line ends; and the Payment
  List as an Excel workbook (hubs export to Excel) with real date cells and currency number cells.

Every byte follows from the demo's seed: the "Printed" line shows the demo's last day, and the
workbook's creation date is fixed, so the same arguments give byte-identical files.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from recon_tui.demo import DemoStudio
from recon_tui.files import whole_file, write_whole
from recon_tui.money import format_grouped

#: §3 category key -> the order system's item type (the ``oms`` profile's ``values.category``)
ITEM_TYPES = {"sessions": "Session", "prints": "Print", "frames": "Frame", "albums": "Album",
              "digital": "Digital", "discounts": "Discount"}
#: §3 method -> the order system's payment method (credit cards: their brand, see ``card_brand``)
METHOD_NAMES = {"cash": "Cash", "check": "Check", "eft": "ACH", "other": "Other",
                "in_store_credit": "Gift Card", "bad_debt": "Write Off"}
#: the brands a card payment is shown as; the demo's references name one ("Visa x1234")
CARD_BRANDS = ("Visa", "MasterCard", "AMEX", "Discover")
#: the workbook's creation date (docProps/core.xml): fixed, so the same demo gives the same bytes
WORKBOOK_CREATED = datetime(2026, 1, 1, 0, 0, 0)

PAYMENT_HEADER = ("Payment No", "Payment Date", "Invoice No", "Invoice Date", "Client No", "Bill-To Name",
                  "Payment Method", "Check/CC No", "Amount")


def money(cents: int) -> str:
    """Int cents as the export prints them: ``$1,234.50``, ``($150.00)``."""
    text = "$" + format_grouped(abs(cents))
    return f"({text})" if cents < 0 else text


def us_date(day: date | None) -> str:
    return "" if day is None else f"{day:%m/%d/%Y}"


def card_brand(payment_id: str, reference: str | None, earlier: str | None) -> str:
    """The brand a card payment is shown with: the one its reference names, else the card the order
    was paid with before (a refund goes back to that card), else one picked by the payment number."""
    words = (reference or "").split()
    if words:
        named = {b.casefold(): b for b in CARD_BRANDS}.get(words[0].casefold())
        if named:
            return named
    if earlier:
        return earlier
    digits = "".join(ch for ch in payment_id if ch.isdigit()) or "0"
    return CARD_BRANDS[int(digits) % len(CARD_BRANDS)]


def payment_methods(payments: Iterable[tuple]) -> list[str]:
    """The export's method name of each payment, in order (card brands spread deterministically)."""
    last_card: dict[str, str] = {}  # order -> brand of its latest card payment
    names = []
    for payment_id, order_id, _, method, _, reference in payments:
        if method == "credit_card":
            brand = card_brand(payment_id, reference, last_card.get(order_id))
            last_card[order_id] = brand
            names.append(brand)
        else:
            names.append(METHOD_NAMES[method])
    return names


def _titles(studio_name: str, report: str, printed: date, days: Iterable[date] | None = None) -> list[str]:
    """The report's title rows: the studio, the report (with the span of its dates), when printed."""
    if days is not None:
        days = list(days)
        report += f": {us_date(min(days))} - {us_date(max(days))}" if days else ": no records"
    return [studio_name, report, f"Printed {us_date(printed)} by recon-tui demo"]


def _write_report_csv(path: Path, titles: Sequence[str], header: Sequence[str],
                      rows: Iterable[Sequence[str]], total: Sequence[str]) -> None:
    """One report as a Windows program saves it: BOM, CRLF, title rows, header, rows, totals row;
    put in place whole."""
    with whole_file(path, encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerows([title] for title in titles)
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow(total)


def write_exports(studio: DemoStudio, directory: Path, studio_name: str, printed: date) -> dict[str, int]:
    """Write the demo as the order system's exports into ``directory``; returns {file name: records}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    names = dict(studio.customers)
    orders = {o[0]: o for o in studio.orders}
    counts = {}

    def titles(report: str, days: Iterable[date] | None = None) -> list[str]:
        return _titles(studio_name, report, printed, days)

    name = "Client List.csv"
    _write_report_csv(directory / name, titles("Client List"),
                      ("Client No", "Bill-To Name"), studio.customers,
                      ("Total", f"{len(studio.customers):,} clients"))
    counts[name] = len(studio.customers)

    subtotal: dict[str, int] = defaultdict(int)
    for order_id, _, _, _, amount in studio.order_lines:
        subtotal[order_id] += amount
    name = "Invoice List.csv"
    _write_report_csv(
        directory / name, titles("Invoice List", (o[2] for o in studio.orders)),
        ("Invoice No", "Client No", "Bill-To Name", "Invoice Date", "Built Date", "Delivered Date", "Void Date",
         "Sales Tax", "Invoice Total"),
        ((oid, cid, names[cid], us_date(on), us_date(built), us_date(done), us_date(void), money(tax),
          money(subtotal[oid] + tax)) for oid, cid, on, built, done, void, tax in studio.orders),
        ("Total", f"{len(studio.orders):,} invoices", "", "", "", "", "",
         money(sum(o[6] for o in studio.orders)), money(sum(subtotal.values()) + sum(o[6] for o in studio.orders))))
    counts[name] = len(studio.orders)

    name = "Invoice Items.csv"
    _write_report_csv(
        directory / name, titles("Invoice Items", (o[2] for o in studio.orders)),
        ("Invoice No", "Line", "Item Type", "Description", "Amount"),
        ((oid, str(line), ITEM_TYPES[category], description or "", money(amount))
         for oid, line, category, description, amount in studio.order_lines),
        ("Total", "", "", f"{len(studio.order_lines):,} items", money(sum(r[4] for r in studio.order_lines))))
    counts[name] = len(studio.order_lines)

    name = "Credit Adjustments.csv"
    _write_report_csv(
        directory / name, titles("Credit Adjustments", (a[2] for a in studio.credit_adjustments)),
        ("Adjustment No", "Date", "Client No", "Bill-To Name", "Amount", "Reason"),
        ((aid, us_date(on), cid, names[cid], money(amount), reason or "")
         for aid, cid, on, amount, reason in studio.credit_adjustments),
        ("Total", "", "", f"{len(studio.credit_adjustments):,} adjustments",
         money(sum(a[3] for a in studio.credit_adjustments)), ""))
    counts[name] = len(studio.credit_adjustments)

    name = "Payment List.xlsx"
    write_whole(directory / name, payment_workbook(studio, studio_name, printed, names, orders))
    counts[name] = len(studio.payments)
    return counts


def payment_workbook(studio: DemoStudio, studio_name: str, printed: date, names: dict[str, str],
                     orders: dict[str, tuple]) -> bytes:
    """The Payment List report as an Excel workbook: title rows, a bold header, date cells, currency
    number cells, a totals row."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"title": "Payment List", "author": studio_name, "created": WORKBOOK_CREATED})
    sheet = book.add_worksheet("Payment List")
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    day = book.add_format({"num_format": "mm/dd/yyyy"})
    currency = book.add_format({"num_format": '"$"#,##0.00;("$"#,##0.00)'})
    total_currency = book.add_format({"num_format": '"$"#,##0.00;("$"#,##0.00)', "bold": True, "top": 1})
    total_label = book.add_format({"bold": True, "top": 1})

    head = 0  # the header's row: after the title rows
    for head, text in enumerate(_titles(studio_name, "Payment List", printed, (p[2] for p in studio.payments)), 1):
        sheet.write_string(head - 1, 0, text, title if head == 1 else None)
    sheet.write_row(head, 0, PAYMENT_HEADER, bold)
    sheet.freeze_panes(head + 1, 0)
    for width, col in zip((11, 12, 11, 12, 10, 24, 15, 30, 12), range(len(PAYMENT_HEADER))):
        sheet.set_column(col, col, width)

    row = head
    for (pid, oid, paid_on, _, amount, reference), method in zip(studio.payments, payment_methods(studio.payments)):
        row += 1
        cid = orders[oid][1]
        sheet.write_string(row, 0, pid)
        sheet.write_datetime(row, 1, paid_on, day)
        sheet.write_string(row, 2, oid)
        sheet.write_datetime(row, 3, orders[oid][2], day)
        sheet.write_string(row, 4, cid)
        sheet.write_string(row, 5, names[cid])
        sheet.write_string(row, 6, method)
        if reference:
            sheet.write_string(row, 7, reference)
        # The one float for money in the program: an Excel number cell holds dollars as a double, as
        # every real export's does; cents / 100 is the nearest double to the exact amount, and the
        # importer takes it back to int cents (whole cents only).
        sheet.write_number(row, 8, amount / 100, currency)
    row += 1
    sheet.write_string(row, 0, "Total", total_label)
    sheet.write_string(row, 5, f"{len(studio.payments):,} payments", total_label)
    sheet.write_number(row, 8, sum(p[4] for p in studio.payments) / 100, total_currency)
    book.close()
    return out.getvalue()
