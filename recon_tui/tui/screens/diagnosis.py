"""Why the studio figure and the QuickBooks balance differ (DOMAIN §9): the causes, then the records.

The diagnosis arrives whole from the tie-out's worker. A cause can hold many records (a studio that
never posted has one per event), so its list mounts a page at a time as the cursor nears the end;
the total line is the cause's amount either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from recon_tui.ledger.diagnosis import Cause, Diagnosis, Item
from recon_tui.money import format_grouped
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.widgets.breadcrumb import Breadcrumb

PAGE = 200
AHEAD = 50  # mount the next page when the cursor is this close to the last mounted row


def money(cents: int, style: str = "") -> Text:
    return Text(format_grouped(cents), justify="right", style=style)


def cell(text: str, style: str = "") -> Text:
    """A cell that is never read as markup (names and memos come from files) and ends in … if cut."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")


class PagedTable(DataTable):
    """A DataTable over a list already in memory that mounts PAGE rows at a time.

    Mounting is what is slow (about a second per 10,000 rows), not holding the list; the next page
    is added when the cursor comes within AHEAD rows of the last one mounted.
    """

    BINDINGS = [Binding("end", "last", "Last loaded row (loads the next page)", show=False),
                Binding("home", "first", "First row", show=False)]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.items: Sequence[Any] = ()
        self.render_item: Callable[[Any], tuple] = tuple
        self.shown = 0

    def show(self, items: Sequence[Any], render_item: Callable[[Any], tuple]) -> None:
        self.clear()
        self.items, self.render_item, self.shown = items, render_item, 0
        self._mount_page()

    def _mount_page(self) -> None:
        page = self.items[self.shown:self.shown + PAGE]
        self.shown += len(page)  # first: adding rows moves the cursor, which asks for more
        self.add_rows([self.render_item(item) for item in page])

    def highlighted_item(self) -> Any | None:
        row = self.cursor_row
        return self.items[row] if self.row_count and 0 <= row < self.shown else None

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if self.shown < len(self.items) and new.row >= self.shown - AHEAD:
            self._mount_page()

    def action_last(self) -> None:
        self.move_cursor(row=self.row_count - 1)

    def action_first(self) -> None:
        self.move_cursor(row=0)


class CauseTable(DataTable):
    """The causes; Enter (named in the footer) opens the records behind the highlighted one."""

    BINDINGS = [Binding("enter", "screen.open_cause", "Records", id="open_cause",
                        tooltip="The records behind this cause")]


class ItemTable(PagedTable):
    """A cause's records; Enter (named in the footer) opens the order behind an order's or payment's."""

    BINDINGS = [Binding("enter", "screen.open_order", "Open order", id="open_order",
                        tooltip="The order behind this record")]


def opening_text(opening) -> str:
    shown = f"{format_grouped(opening.amount)} (line {opening.line})" if opening.line else "none (0.00)"
    return f"The export starts on {opening.start}: QuickBooks' opening balance {shown}."


def header_text(d: Diagnosis) -> str:
    return (f"{d.account} as of {d.as_of} ({d.method})\n"
            f"Studio figure {format_grouped(d.studio_figure)} − QuickBooks balance {format_grouped(d.qb_balance)}"
            f" = difference {format_grouped(d.difference)}")


class DiagnosisScreen(ReconScreen):
    """The causes of the difference, in DOMAIN §9 order, zero ones dimmed; their total is the difference."""

    SUB_TITLE = "Diagnosis"

    def __init__(self, diagnosis: Diagnosis, crumbs: tuple[str, ...] = ("Review", "Tie-out", "Diagnosis")) -> None:
        super().__init__()
        self.diagnosis, self.crumbs = diagnosis, crumbs

    def compose(self) -> ComposeResult:
        d = self.diagnosis
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        yield Static(header_text(d), id="diag-context", markup=False)
        yield CauseTable(id="causes", cursor_type="row", zebra_stripes=True)
        if d.detail_file:
            source = f"QuickBooks detail: {d.detail_file}"
            if d.opening is not None:
                source += f"\n{opening_text(d.opening)}"
        else:
            source = "No QuickBooks transaction detail given: QuickBooks-side causes (never imported, " \
                     "imported twice, changed, not from the studio) stay unexplained."
        if d.cause("unposted").items:
            source += "\nF8 at the tie-out (p at the start) posts the events never posted."
        source += "".join(f"\nNote: {note}" for note in d.notes)
        yield Static(source, id="diag-source", classes="hint", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        d = self.diagnosis
        table = self.query_one("#causes", DataTable)
        table.add_column("Cause", key="cause")
        table.add_column(Text("Records", justify="right"), key="records")
        table.add_column(Text("Amount", justify="right"), key="amount")
        for c in d.causes:
            quiet = "dim" if c.amount == 0 and not c.items else ""
            records = "" if c.code == "unexplained" else f"{len(c.items):,}"
            table.add_row(cell(c.title, style=quiet), Text(records, justify="right", style=quiet),
                          money(c.amount, quiet), key=c.code)
        total = sum(c.amount for c in d.causes)
        table.add_row(Text("Total (= the difference)", style="bold"), "", money(total, "bold"), key="total")
        first = next((i for i, c in enumerate(d.causes) if c.amount or c.items), 0)
        table.move_cursor(row=first)
        table.focus()

    def highlighted_cause(self) -> Cause | None:
        row = self.query_one("#causes", DataTable).cursor_row
        causes = self.diagnosis.causes
        return causes[row] if 0 <= row < len(causes) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_cause":
            cause = self.highlighted_cause()
            return cause is not None and bool(cause.items)
        return super().check_action(action, parameters)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_cause()

    def action_open_cause(self) -> None:
        cause = self.highlighted_cause()
        if cause is not None and cause.items:
            self.app.push_screen(CauseScreen(self.diagnosis, cause, self.crumbs + (cause.title,)))


class CauseScreen(ReconScreen):
    """The records behind one cause; Enter on an order's or a payment's record opens the order."""

    SUB_TITLE = "Diagnosis"
    FIXED = 10 + 11 + 14 + 4 * 2 + 2  # Date, DOCNUM and Amount columns, cell padding, scrollbar
    # the detail column takes what is left at most; longer details end in … and show in full below

    def __init__(self, diagnosis: Diagnosis, cause: Cause, crumbs: tuple[str, ...]) -> None:
        super().__init__()
        self.diagnosis, self.cause, self.crumbs = diagnosis, cause, crumbs

    def compose(self) -> ComposeResult:
        c = self.cause
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        yield Static(f"{c.title}: {format_grouped(c.amount)} of the difference "
                     f"{format_grouped(self.diagnosis.difference)}", id="cause-context", markup=False)
        yield ItemTable(id="cause-items")
        noun = "record" if len(c.items) == 1 else "records"
        yield Static(f"{len(c.items):,} {noun} · Total {format_grouped(sum(i.amount for i in c.items))} "
                     f"(= the cause's amount)", id="cause-total", markup=False)
        yield Static("", id="cause-detail", classes="hint", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        longest = max((len(i.detail) for i in self.cause.items[:PAGE]), default=0)
        width = max(16, min(self.app.size.width - self.FIXED, max(longest, len("Record detail"))))
        table.add_column("Date", key="on")
        table.add_column("DOCNUM", key="docnum")
        table.add_column("Record detail", key="detail", width=width)
        table.add_column(Text("Amount", justify="right"), key="amount")
        table.show(self.cause.items, lambda i: (i.on.isoformat() if i.on else "", cell(i.docnum or "—"),
                                                cell(i.detail), money(i.amount)))
        table.focus()
        self._describe()

    def _describe(self) -> None:
        item = self.query_one(PagedTable).highlighted_item()
        self.query_one("#cause-detail", Static).update(item.detail if item is not None else "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_order()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_order":
            item = self.query_one(PagedTable).highlighted_item()
            return item is not None and item.record is not None and item.record[0] in ("order", "payment")
        return super().check_action(action, parameters)

    def action_open_order(self) -> None:
        item: Item | None = self.query_one(PagedTable).highlighted_item()
        if item is not None and item.record is not None and item.record[0] in ("order", "payment"):
            self.find_order(*item.record)

    @work(thread=True, exclusive=True, group="open")
    def find_order(self, kind: str, record_id: str) -> None:
        order_id = record_id if kind == "order" else self.app.service.order_of_payment(record_id)
        if order_id is None:
            self.app.call_from_thread(self.notify, f"Payment {record_id} is no longer in the database",
                                      severity="warning")
        else:
            self.app.call_from_thread(self._push_order, order_id)

    def _push_order(self, order_id: str) -> None:
        from recon_tui.tui.screens.order import OrderScreen

        if self.is_current:
            self.app.push_screen(OrderScreen(self.crumbs + (f"Order {order_id}",), order_id, self.diagnosis.as_of))
