"""The one table for every list of records: drill-down, reports, history, diagnosis, posting.

Mounting rows is what is slow in a DataTable (about a second per 10,000), not holding a list, so
the table asks its source for a page at a time, and for the next page when the cursor comes
within AHEAD rows of the last one shown. The source is a callable ``(offset, limit) -> items``: a
SQL query runs in a thread worker, a list already in memory is sliced at once. Enter (or a click
on the highlighted row) posts ``Selected`` with the item behind the row, when ``openable`` says
there is something to open; a total line after the last page is no item.

The list habits live here, so every list and table has them (DOMAIN §16): the first rows arrive
highlighted and focused (unless the user is already elsewhere); j/k, g/G, Home/End and
PageUp/PageDown move the row; ``/`` filters (the table's top line then says by what and how many rows
it kept) and Esc clears the filter before anything else; ``s``/``S`` sort, through the source's
``arrange`` (in SQL for a query, see drill-down).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label
from textual.worker import Worker, get_current_worker

from recon_tui.tui.widgets.workers import pass_on_failure

PAGE = 200
AHEAD = 50  # ask for the next page when the cursor is this close to the last row shown

Pages = Callable[[int, int], Sequence[Any]]
#: ``total(items, filtered)``: the total row of the items shown (all of them, or the filter's)
Totals = Callable[[Sequence[Any], bool], tuple]
#: ``arrange(text, column, descending)``: the pages of the items holding ``text`` ("" : all), sorted
#: by the column of that index (None: the list's own order). A SQL source does both in SQL.
Arrange = Callable[[str, "int | None", bool], Pages]


class FilterPrompt(ModalScreen[str | None]):
    """The text a list is filtered by: Enter applies it (empty: the whole list), Esc leaves it."""

    DEFAULT_CSS = """
    FilterPrompt { align: center middle; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_filter")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="filter", classes="dialog"):
            yield Label("Filter by order, record, customer or amount (empty: all)")
            yield Input(self.text, id="filter-text")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


def sort_key(value: Any) -> tuple:
    """Amounts and counts (right-aligned cells) by their number, anything else as text, any case."""
    text = str(value).strip()
    if getattr(value, "justify", None) == "right":
        try:
            return (0, float(text.replace(",", "")), "")
        except ValueError:
            pass
    return (1, 0.0, text.casefold())


def unsorted(label):
    """A column title without the ▲/▼ of a sort."""
    label = label.copy()
    if label.plain.endswith((" ▲", " ▼")):
        label.right_crop(2)
    return label


def matching(text: str, render: Callable[[Any], tuple]) -> Callable[[Any], bool]:
    """Whether an item's cells, as shown, hold ``text`` (any case; "" : every item)."""
    needle = text.casefold()
    return lambda item: not needle or any(needle in str(c).casefold() for c in render(item))


def read_once(make: Callable[[], Pages]) -> Pages:
    """Pages made on the first call (in the table's worker, for a source that must read everything)."""
    made: list[Pages] = []

    def page(offset: int, limit: int) -> Sequence[Any]:
        if not made:
            made.append(make())
        return made[0](offset, limit)
    return page


def in_memory(items: Sequence[Any], render: Callable[[Any], tuple]) -> Arrange:
    """Filter and sort a list already in memory by its cells as shown."""
    def arrange(text: str, column: int | None, descending: bool) -> Pages:
        found = list(filter(matching(text, render), items))
        if column is not None:
            found.sort(key=lambda item: sort_key(render(item)[column]), reverse=descending)
        return lambda offset, limit: found[offset:offset + limit]
    return arrange


class ItemTable(DataTable):
    """Rows of items, a page at a time; the subclasses name what Enter opens (the footer shows it)."""

    DEFAULT_CSS = """
    ItemTable.-filtered { border-top: solid $accent; border-title-align: left; border-title-style: bold; }
    """
    BINDINGS = [Binding("escape", "clear_filter", "All rows", id="clear_filter",
                        tooltip="Clear the filter: every row again"),
                Binding("down,j", "cursor_down", "Next row", key_display="↓/j", show=False),
                Binding("up,k", "cursor_up", "Previous row", key_display="↑/k", show=False),
                Binding("end,G", "last", "Last row (loads the next page)", key_display="end/G", show=False),
                Binding("home,g", "first", "First row", key_display="home/g", show=False),
                Binding("pagedown", "page_down", "Page down", key_display="pgdn", show=False),
                Binding("pageup", "page_up", "Page up", key_display="pgup", show=False),
                Binding("slash", "filter", "Filter", key_display="/", id="filter",
                        tooltip="Show only the rows that hold a text: order, customer, amount"),
                Binding("s", "sort", "Sort by the next column", show=False),
                Binding("S", "reverse", "Reverse the sort", show=False)]

    @dataclass
    class Selected(Message):
        """Enter on a row whose item can be opened."""

        table: ItemTable
        item: Any

    @dataclass
    class Filtered(Message):
        """The list now shows only the rows holding ``text`` ("" : all of them again)."""

        table: ItemTable
        text: str

    def __init__(self, *, zebra_stripes: bool = True, cursor_type: str = "row", **kwargs) -> None:
        super().__init__(cursor_type=cursor_type, zebra_stripes=zebra_stripes, **kwargs)
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
        self._arrange: Arrange | None = None
        self._all: Pages | None = None  # the list's own pages
        self._total_all: tuple | None = None
        self._labels: list = []
        self.filter_text = ""
        self.sort_column: int | None = None
        self.descending = False

    def load(self, pages: Pages, render: Callable[[Any], tuple], *, openable: Callable[[Any], bool] | None = None,
             key: Callable[[Any], str] | None = None, total: tuple | Totals | None = None, thread: bool = True,
             on_page: Callable[[int], None] | None = None, arrange: Arrange | None = None) -> None:
        """Show the items ``pages`` returns, ``render`` making each a row; ``total`` follows the last page.

        ``total``: a row, or ``total(items, filtered)`` giving the row for the items shown (a list in
        memory: with a filter on, the total of the rows the filter kept).
        ``thread``: read each page in a worker (a query); False for a list already in memory.
        ``on_page(offset)`` runs as soon as a page is on screen (offset 0: the first rows).
        ``arrange``: the items filtered (``/``) and sorted (``s``, ``S``); None: neither."""
        self._arrange, self._all, self._total_all = arrange, pages, total
        self.filter_text, self.sort_column, self.descending = "", None, False
        self._labels = [unsorted(column.label) for column in self.ordered_columns]
        self._show_sort()
        self._reload(pages, render, openable=openable, key=key, total=total, thread=thread, on_page=on_page)

    def _reload(self, pages: Pages, render, *, openable=None, key=None, total=None, thread=True,
                on_page=None) -> None:
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
        kwargs.setdefault("arrange", in_memory(items, render))
        self.load(lambda offset, limit: items[offset:offset + limit], render, thread=False, **kwargs)

    def action_filter(self) -> None:
        if self._arrange is not None:
            self.app.push_screen(FilterPrompt(self.filter_text), self._filter)

    def _filter(self, text: str | None) -> None:
        if text is None or text == self.filter_text:
            return
        self.filter_text = text
        self._rearrange()
        self.post_message(self.Filtered(self, text))

    def action_clear_filter(self) -> None:
        """Esc: the whole list again (the innermost thing Esc undoes, DOMAIN §16)."""
        self._filter("")

    def _show_filter(self) -> None:
        """The filter and how many rows it kept, on the table's top line (nothing without a filter)."""
        self.set_class(bool(self.filter_text), "-filtered")
        if not self.filter_text:
            self.border_title = None
            return
        kept = len(self.items)
        count = f"{kept:,} row{'' if kept == 1 else 's'}" if self.complete else f"{kept:,}+ rows so far"
        self.border_title = f"Filter {self.filter_text!r}: {count} kept · Esc: all rows"

    def action_sort(self) -> None:
        """Sort by the next column; after the last, back to the list's own order."""
        if self._arrange is None or not self.columns:
            return
        column = 0 if self.sort_column is None else self.sort_column + 1
        self.sort_column = column if column < len(self.columns) else None
        self.descending = False
        self._rearrange()

    def action_reverse(self) -> None:
        if self._arrange is None or not self.columns:
            return
        if self.sort_column is None:
            self.sort_column = 0
        self.descending = not self.descending
        self._rearrange()

    def _rearrange(self) -> None:
        plain = not self.filter_text and self.sort_column is None
        pages = self._all if plain else self._arrange(self.filter_text, self.sort_column, self.descending)
        self._show_sort()
        self._reload(pages, self._render, openable=self._openable, key=self._key,
                     total=self._total_all if callable(self._total_all) or not self.filter_text else None,
                     thread=self._thread, on_page=self._on_page)

    def _show_sort(self) -> None:
        """The sorted column's title ends in ▲ (ascending) or ▼."""
        columns = self.ordered_columns
        if len(self._labels) != len(columns):  # columns added since the list was loaded
            self._labels = [unsorted(column.label) for column in columns]
        for index, (column, label) in enumerate(zip(columns, self._labels)):
            column.label = label.copy()
            if index == self.sort_column:
                column.label.append(" ▼" if self.descending else " ▲")
        self._require_update_dimensions = True
        self.refresh()

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
            total = self._total(self.items, bool(self.filter_text)) if callable(self._total) else self._total
            rows = total if total and isinstance(total[0], tuple) else (total,)  # one total row, or several
            for index, row in enumerate(rows):
                self.add_row(*row, key="total" if index == 0 else f"total-{index}")
        self.loading = False
        self._show_filter()
        if offset == 0:  # the first rows: highlighted, and the keys go to them
            self.move_cursor(row=0, column=0, animate=False)
            if self.screen.focused is None or self.screen.focused is self:
                self.focus()
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
        if action in ("filter", "sort", "reverse"):
            return self._arrange is not None
        if action == "clear_filter":
            return bool(self.filter_text)  # else Esc goes on to the dialog or the screen
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_highlighted()
