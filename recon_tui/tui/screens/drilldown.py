"""The records behind one figure, with a total line that equals the figure.

The first page shows at once; the count and total (a full scan on a long history) arrive later
from their own worker, so even a list of a million payments opens immediately.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.widgets import Static

from recon_tui.model import Period
from recon_tui.money import format_grouped
from recon_tui.service import DrillSource
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.screens.order import open_order
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.figures import Figure
from recon_tui.tui.widgets.items import ItemTable
from recon_tui.tui.widgets.records import RecordTable


class DrilldownScreen(ReconScreen):
    SUB_TITLE = "Drill-down"

    def __init__(self, crumbs: tuple[str, ...], figure: Figure, period: Period | None = None) -> None:
        super().__init__()
        self.crumbs, self.figure = crumbs, figure
        self.period = period
        self.source: DrillSource | None = None

    def compose(self) -> ComposeResult:
        self.period = self.period or self.wizard.period(self.app.today)
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        yield Static(f"{self.figure.title}: {format_grouped(self.figure.amount)}  ·  {self.when()}",
                     id="drill-context", markup=False)
        table = RecordTable(id="records")
        table.loading = True
        yield table
        yield Static("Counting records…", id="drill-total", markup=False)
        yield from self.compose_footer()

    def when(self) -> str:
        """A Current figure is a balance as of the date (its records go back years); the others are
        the period's."""
        if self.figure.column == "current":
            return f"as of {self.period.current}"
        return f"after {self.period.previous} through {self.period.current}"

    def on_mount(self) -> None:
        self.query_one(RecordTable).load_records(self.page, on_page=self._shown, arrange=self.arrange_records)

    def arrange_records(self, text: str, column: int | None, descending: bool):
        """The pages of the records holding ``text``, sorted by a column: both in SQL (``/``, ``s``)."""
        return self._source().matching(text).sorted_by(column, descending).page

    def _source(self) -> DrillSource:
        if self.source is None:
            f = self.figure
            self.source = self.app.service.drilldown(self.period, f.section, f.key, f.column)
        return self.source

    def page(self, offset: int, limit: int) -> list:
        """A page of the records (in the table's worker); the first finds which records they are."""
        return self._source().page(offset, limit)

    def _shown(self, offset: int) -> None:
        if offset == 0:  # the first page is on screen: now the slower count and total
            if self.focused is None:
                self.query_one(RecordTable).focus()
            if not self.query_one(RecordTable).filter_text:
                self.load_totals(self._source())

    def on_item_table_filtered(self, message: ItemTable.Filtered) -> None:
        self.query_one("#drill-total", Static).update("Counting records…")
        self.load_totals(self._source().matching(message.text) if message.text else self._source(), message.text)

    @work(thread=True, exclusive=True, group="totals", exit_on_error=False)
    def load_totals(self, source: DrillSource, text: str = "") -> None:
        count, total = source.count(), source.total()
        self.app.call_from_thread(self._show_totals, count, total, text)

    def _show_totals(self, count: int, total: int, text: str = "") -> None:
        noun = "record" if count == 1 else "records"
        if text:
            shown = f"{count:,} {noun} holding {text!r} · Total {format_grouped(total)} (Esc: all records)"
        else:
            agree = "= the figure" if total == self.figure.amount else f"≠ the figure {format_grouped(self.figure.amount)}"
            shown = f"{count:,} {noun} · Total {format_grouped(total)} ({agree})"
        self.query_one("#drill-total", Static).update(shown)

    def on_item_table_selected(self, message: ItemTable.Selected) -> None:
        open_order(self, message.item.kind, message.item.record_id, self.period.current)
