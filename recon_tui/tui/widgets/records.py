"""The records behind a figure, fetched from SQL a page at a time as the cursor nears the end.

The built-in DataTable needs about a second per 10,000 rows to mount, so a list of tens of
thousands of rows is never loaded whole: the screen appends the next page when asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from recon_tui.money import format_grouped
from recon_tui.store.drilldown import DrillRow

PAGE = 200
AHEAD = 50  # ask for the next page when the cursor is this close to the last loaded row


class RecordTable(DataTable):
    BINDINGS = [Binding("enter", "open", "Open order", id="open_order", tooltip="Show the order behind this record"),
                Binding("end", "last", "Last loaded row (loads the next page)", show=False),
                Binding("home", "first", "First row", show=False)]

    @dataclass
    class Open(Message):
        row: DrillRow

    @dataclass
    class NeedMore(Message):
        offset: int

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.records: list[DrillRow] = []
        self.complete = False  # the last page has been read
        self.fetching = False

    def on_mount(self) -> None:
        self.add_column("Date", key="on")
        self.add_column("Record", key="record")
        self.add_column("Customer", key="customer")
        self.add_column("Detail", key="detail")
        self.add_column(Text("Amount", justify="right"), key="amount")

    def append_page(self, rows: list[DrillRow]) -> None:
        self.fetching = False
        self.complete = len(rows) < PAGE
        self.records += rows
        self.add_rows([(row.on.isoformat(), row.record_id, row.customer, row.detail,
                        Text(format_grouped(row.amount), justify="right")) for row in rows])
        self.refresh_bindings()

    def highlighted_record(self) -> DrillRow | None:
        row = self.cursor_row
        return self.records[row] if 0 <= row < len(self.records) else None

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self.complete and not self.fetching and new.row >= len(self.records) - AHEAD:
            self.fetching = True
            self.post_message(self.NeedMore(len(self.records)))
        self.refresh_bindings()

    def action_last(self) -> None:
        self.move_cursor(row=self.row_count - 1)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            record = self.highlighted_record()
            return record is not None and record.kind in ("order", "payment")
        return True

    def action_open(self) -> None:
        record = self.highlighted_record()
        if record is not None and record.kind in ("order", "payment"):
            self.post_message(self.Open(record))
