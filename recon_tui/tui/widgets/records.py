"""The records behind a figure, fetched from SQL a page at a time as the cursor nears the end.

The built-in DataTable needs about a second per 10,000 rows to mount, so a list of tens of
thousands of rows is never loaded whole (see ItemTable).
"""

from __future__ import annotations

from textual.binding import Binding

from recon_tui.service import DrillRow
from recon_tui.tui.widgets.cells import money, number_header
from recon_tui.tui.widgets.items import ItemTable


def record_row(row: DrillRow) -> tuple:
    return row.on.isoformat(), row.record_id, row.customer, row.detail, money(row.amount)


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
        self.add_column("Customer", key="customer")
        self.add_column("Detail", key="detail")
        self.add_column(number_header("Amount"), key="amount")

    def load_records(self, pages, on_page=None) -> None:
        """Show the records ``pages(offset, limit)`` reads (in a worker: it runs a query)."""
        self.load(pages, record_row, openable=opens_an_order, on_page=on_page)

    @property
    def records(self) -> list[DrillRow]:
        """The records loaded so far."""
        return self.items
