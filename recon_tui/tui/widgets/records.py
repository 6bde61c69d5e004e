"""The records behind a figure, fetched from SQL a page at a time as the cursor nears the end.

The built-in DataTable needs about a second per 10,000 rows to mount, so a list of tens of
thousands of rows is never loaded whole (see ItemTable).
"""

from __future__ import annotations

from textual.binding import Binding

from recon_tui.service import DrillRow
from recon_tui.tui.widgets.cells import cell, money, number_header
from recon_tui.tui.widgets.items import ItemTable


def record_row(row: DrillRow) -> tuple:
    return row.on.isoformat(), row.record_id, cell(row.customer), cell(row.detail), money(row.amount)


#: Date, Record and Amount, two cells' padding for each of the five columns, the scroll bar
FIXED = 10 + 8 + 12 + 5 * 2 + 2


def text_widths(screen_width: int) -> tuple[int, int]:
    """Customer and Detail widths that leave Amount in view: they share what the others leave,
    longer names ending in … (the whole record is one Enter away)."""
    spare = max(20, screen_width - FIXED)
    customer = min(28, max(8, spare * 2 // 5))
    return customer, min(44, spare - customer)


def opens_an_order(row: DrillRow) -> bool:
    return row.kind in ("order", "payment")


class RecordTable(ItemTable):
    """A drill-down's records; Enter opens the order behind an order's or a payment's record."""

    BINDINGS = [Binding("enter", "select_cursor", "Open order", id="open_order",
                        tooltip="Show the order behind this record")]

    def __init__(self, **kwargs) -> None:
        super().__init__(zebra_stripes=False, **kwargs)

    def on_mount(self) -> None:
        self.add_column("Date", key="on")
        self.add_column("Record", key="record")
        customer, detail = text_widths(self.app.size.width)
        self.add_column("Customer", key="customer", width=customer)
        self.add_column("Detail", key="detail", width=detail)
        self.add_column(number_header("Amount"), key="amount", width=12)

    def load_records(self, pages, on_page=None, arrange=None) -> None:
        """Show the records ``pages(offset, limit)`` reads (in a worker: it runs a query);
        ``arrange(text, column, descending)``: those holding a text, sorted (see ItemTable)."""
        self.load(pages, record_row, openable=opens_an_order, on_page=on_page, arrange=arrange)

    @property
    def records(self) -> list[DrillRow]:
        """The records loaded so far."""
        return self.items
