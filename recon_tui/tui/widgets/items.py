"""The one table for every list of records: drill-down, reports, history, diagnosis, posting.

Mounting rows is what is slow in a DataTable (about a second per 10,000), not holding a list, so
the table asks its source for a page at a time, and for the next page when the cursor comes
within AHEAD rows of the last one shown. The source is a callable ``(offset, limit) -> items``: a
SQL query runs in a thread worker, a list already in memory is sliced at once. Enter (or a click
on the highlighted row) posts ``Selected`` with the item behind the row, when ``openable`` says
there is something to open; a total line after the last page is no item.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.worker import Worker, get_current_worker

from recon_tui.tui.widgets.workers import pass_on_failure

PAGE = 200
AHEAD = 50  # ask for the next page when the cursor is this close to the last row shown

Pages = Callable[[int, int], Sequence[Any]]


class ItemTable(DataTable):
    """Rows of items, a page at a time; the subclasses name what Enter opens (the footer shows it)."""

    BINDINGS = [Binding("end", "last", "Last loaded row (loads the next page)", show=False),
                Binding("home", "first", "First row", show=False)]

    @dataclass
    class Selected(Message):
        """Enter on a row whose item can be opened."""

        table: ItemTable
        item: Any

    def __init__(self, *, zebra_stripes: bool = True, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=zebra_stripes, **kwargs)
        self.items: list[Any] = []
        self.complete = True  # the last page has been read
        self.fetching = False
        self._pages: Pages | None = None
        self._render: Callable[[Any], tuple] = tuple
        self._key: Callable[[Any], str] | None = None
        self._openable: Callable[[Any], bool] = bool
        self._total: tuple | None = None
        self._on_page: Callable[[int], None] | None = None
        self._thread = False

    def load(self, pages: Pages, render: Callable[[Any], tuple], *, openable: Callable[[Any], bool] | None = None,
             key: Callable[[Any], str] | None = None, total: tuple | None = None, thread: bool = True,
             on_page: Callable[[int], None] | None = None) -> None:
        """Show the items ``pages`` returns, ``render`` making each a row; ``total`` follows the last page.

        ``thread``: read each page in a worker (a query); False for a list already in memory.
        ``on_page(offset)`` runs as soon as a page is on screen (offset 0: the first rows)."""
        self.complete, self.fetching = True, False  # nothing to fetch while clearing moves the cursor
        self.clear()
        self.items = []
        self._pages, self._render, self._key, self._total, self._thread = pages, render, key, total, thread
        self._openable = openable or (lambda item: True)
        self._on_page = on_page
        self.complete = False
        self._next_page()

    def show(self, items: Sequence[Any], render: Callable[[Any], tuple], **kwargs) -> None:
        """Show a list already in memory (it still mounts a page at a time)."""
        self.load(lambda offset, limit: items[offset:offset + limit], render, thread=False, **kwargs)

    def _next_page(self) -> None:
        self.fetching = True  # first: adding rows moves the cursor, which asks for more
        offset = len(self.items)
        if self._thread:
            self._fetch(self._pages, offset)
        else:
            self._append(self._pages, offset, self._pages(offset, PAGE))

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _fetch(self, pages: Pages, offset: int) -> None:
        rows = pages(offset, PAGE)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._append, pages, offset, rows)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        pass_on_failure(self, event)

    def _append(self, pages: Pages, offset: int, rows: Sequence[Any]) -> None:
        if pages is not self._pages or offset != len(self.items):
            return  # another list was loaded meanwhile
        self.fetching = False
        self.complete = len(rows) < PAGE
        self.items += rows
        if self._key is None:
            self.add_rows([self._render(item) for item in rows])
        else:
            for item in rows:
                self.add_row(*self._render(item), key=self._key(item))
        if self.complete and self._total is not None:
            self.add_row(*self._total, key="total")
        self.loading = False
        self.refresh_bindings()
        if self._on_page is not None:
            self._on_page(offset)

    def highlighted_item(self) -> Any | None:
        """The item under the cursor (None on a total line or in an empty table)."""
        row = self.cursor_row
        return self.items[row] if self.row_count and 0 <= row < len(self.items) else None

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if not self.complete and not self.fetching and new.row >= len(self.items) - AHEAD:
            self._next_page()
        self.refresh_bindings()

    def action_last(self) -> None:
        self.move_cursor(row=self.row_count - 1)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def can_open(self) -> bool:
        item = self.highlighted_item()
        return item is not None and self._openable(item)

    def open_highlighted(self) -> None:
        """Post ``Selected`` for the highlighted item, if it opens anything (Enter, and the screens' Enter)."""
        if self.can_open():
            self.post_message(self.Selected(self, self.highlighted_item()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return self.can_open()
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_highlighted()
