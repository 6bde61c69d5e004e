"""The records behind one figure, with a total line that equals the figure.

The first page shows at once; the count and total (a full scan on a long history) arrive later
from their own worker, so even a list of a million payments opens immediately.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.widgets import Static
from textual.worker import get_current_worker

from recon_tui.ledger.period import Period
from recon_tui.money import format_grouped
from recon_tui.service import DrillSource
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.figures import Figure
from recon_tui.tui.widgets.records import PAGE, RecordTable


class DrilldownScreen(ReconScreen):
    SUB_TITLE = "Drill-down"

    def __init__(self, crumbs: tuple[str, ...], figure: Figure, period: Period | None = None) -> None:
        super().__init__()
        self.crumbs, self.figure = crumbs, figure
        self.period = period
        self.source: DrillSource | None = None

    def compose(self) -> ComposeResult:
        self.period = self.period or self.app.wizard.period(self.app.today)
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        yield Static(f"{self.figure.title}: {format_grouped(self.figure.amount)}  ·  after "
                     f"{self.period.previous} through {self.period.current}", id="context", markup=False)
        table = RecordTable(id="records")
        table.loading = True
        yield table
        yield Static("Counting records…", id="drill-total", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load_first_page()

    @work(thread=True, exclusive=True, group="page")
    def load_first_page(self) -> None:
        f = self.figure
        self.source = self.app.service.drilldown(self.period, f.section, f.key, f.column)
        rows = self.source.page(0, PAGE)
        self.app.call_from_thread(self._append, rows)
        self.app.call_from_thread(self.load_totals)

    @work(thread=True, exclusive=True, group="page")
    def load_page(self, offset: int) -> None:
        rows = self.source.page(offset, PAGE)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._append, rows)

    @work(thread=True, exclusive=True, group="totals")
    def load_totals(self) -> None:
        count, total = self.source.count(), self.source.total()
        self.app.call_from_thread(self._show_totals, count, total)

    def _append(self, rows) -> None:
        table = self.query_one(RecordTable)
        table.loading = False
        table.append_page(rows)
        if self.focused is None:
            table.focus()

    def _show_totals(self, count: int, total: int) -> None:
        agree = "= the figure" if total == self.figure.amount else f"≠ the figure {format_grouped(self.figure.amount)}"
        noun = "record" if count == 1 else "records"
        self.query_one("#drill-total", Static).update(f"{count:,} {noun} · Total {format_grouped(total)} ({agree})")

    def on_record_table_need_more(self, message: RecordTable.NeedMore) -> None:
        if self.source is not None:
            self.load_page(message.offset)

    def on_record_table_open(self, message: RecordTable.Open) -> None:
        self.open_order(message.row.kind, message.row.record_id)

    @work(thread=True, exclusive=True, group="open")
    def open_order(self, kind: str, record_id: str) -> None:
        order_id = record_id if kind == "order" else self.app.service.order_of_payment(record_id)
        if order_id is not None:
            self.app.call_from_thread(self._push_order, order_id)

    def _push_order(self, order_id: str) -> None:
        from recon_tui.tui.screens.order import OrderScreen

        self.app.push_screen(OrderScreen(self.crumbs + (f"Order {order_id}",), order_id, self.period.current))
