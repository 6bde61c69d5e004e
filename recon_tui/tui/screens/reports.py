"""The two reports behind the tie-out (DOMAIN §6): A/R Aging and Customer Deposit Reconciliation.

They list at most a few thousand open orders even on a long history, so a DataTable holds them
whole; Enter on an order opens it.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from recon_tui.ledger.reports import AgingReport, DepositReconciliation
from recon_tui.money import format_grouped
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.widgets.breadcrumb import Breadcrumb


def _money(cents: int, bold: bool = False) -> Text:
    return Text(format_grouped(cents), justify="right", style="bold" if bold else "")


class ReportScreen(ReconScreen):
    """A report as of a date: one row per order, a total line, Enter opens the order."""

    BINDINGS = [Binding("enter", "open_order", "Open order", id="open", tooltip="Lines, dates and payments")]

    def __init__(self, crumbs: tuple[str, ...], as_of: date) -> None:
        super().__init__()
        self.crumbs, self.as_of = crumbs, as_of
        self.order_ids: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        table = DataTable(id="report", cursor_type="row", zebra_stripes=True)
        table.loading = True
        yield table
        yield Static("", id="report-total", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#report", DataTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="report")
    def load(self) -> None:
        report = self.fetch()
        self.app.call_from_thread(self._show, report)

    def fetch(self):
        """The report, read in the worker thread (each report screen says which)."""
        raise NotImplementedError

    def _show(self, report) -> None:
        table = self.query_one("#report", DataTable)
        self.fill(table, report)
        table.loading = False
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_order":
            table = self.query_one("#report", DataTable)
            return bool(self.order_ids) and self.order_ids[table.cursor_row] is not None
        return super().check_action(action, parameters)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_order()

    def action_open_order(self) -> None:
        from recon_tui.tui.screens.order import OrderScreen

        row = self.query_one("#report", DataTable).cursor_row
        if self.order_ids and self.order_ids[row] is not None:
            order_id = self.order_ids[row]
            self.app.push_screen(OrderScreen(self.crumbs + (f"Order {order_id}",), order_id, self.as_of))


class AgingScreen(ReportScreen):
    def fetch(self) -> AgingReport:
        return self.app.service.aging(self.as_of)

    def fill(self, table: DataTable, report: AgingReport) -> None:
        table.add_column("Customer / order", key="who")
        table.add_column("Status", key="status")
        table.add_column("Days", key="days")
        for label in report.labels:
            table.add_column(Text(label, justify="right"), key=label)
        for customer in report.customers:
            for row in customer.rows:
                cells = [Text("")] * len(report.labels)
                cells[row.bucket] = _money(row.balance)
                table.add_row(f"{customer.customer} · {row.order_id}", row.status, str(row.age_days), *cells)
                self.order_ids.append(row.order_id)
        table.add_row(Text("Total", style="bold"), "", "", *(_money(x, bold=True) for x in report.buckets))
        self.order_ids.append(None)
        self.query_one("#report-total", Static).update(
            f"A/R Aging as of {report.as_of}: {len(report.rows)} order{'' if len(report.rows) == 1 else 's'}, "
            f"total {format_grouped(report.total)}")


class DepositsScreen(ReportScreen):
    def fetch(self) -> DepositReconciliation:
        return self.app.service.deposit_reconciliation(self.as_of)

    def fill(self, table: DataTable, report: DepositReconciliation) -> None:
        table.add_column("Order", key="order")
        table.add_column("Customer", key="customer")
        table.add_column("Status", key="status")
        for label in ("Order total", "Deposits", "Outstanding"):
            table.add_column(Text(label, justify="right"), key=label)
        for row in report.rows:
            table.add_row(row.order_id, row.customer, row.status, _money(row.order_total), _money(row.deposits),
                          _money(row.outstanding))
            self.order_ids.append(row.order_id)
        table.add_row(Text("Total", style="bold"), "", "", "", _money(report.deposits, bold=True),
                      _money(report.outstanding, bold=True))
        self.order_ids.append(None)
        self.query_one("#report-total", Static).update(
            f"Deposit Reconciliation as of {report.as_of}: deposits {format_grouped(report.deposits)}, "
            f"outstanding {format_grouped(report.outstanding)}")
