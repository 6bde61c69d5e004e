"""The two reports behind the tie-out (DOMAIN §6): A/R Aging and Customer Deposit Reconciliation.

They list at most a few thousand open orders even on a long history: the report is read whole
and its table mounts a page at a time; Enter on an order opens it.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from recon_tui.money import format_grouped
from recon_tui.service import AgingReport, DepositReconciliation
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.screens.order import open_order
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import cell, money, number_header
from recon_tui.tui.widgets.items import ItemTable


class ReportTable(ItemTable):
    """A report's orders; Enter (named in the footer: the focused table's key is the one shown) opens one."""

    BINDINGS = [Binding("enter", "select_cursor", "Open order", id="open_order",
                        tooltip="Lines, dates and payments")]


class ReportScreen(ReconScreen):
    """A report as of a date: one row per order, a total line, Enter opens the order."""

    BINDINGS = [Binding("enter", "open_order", "Open order", id="open", tooltip="Lines, dates and payments")]

    def __init__(self, crumbs: tuple[str, ...], as_of: date) -> None:
        super().__init__()
        self.crumbs, self.as_of = crumbs, as_of
        self.report = None

    def name_width(self, fixed: int, columns: int) -> int:
        """The width of the name column that leaves the amounts in view: what ``fixed`` columns of
        text and ``columns`` cells' padding leave of the screen (the scroll bar too), longer names in …."""
        return max(12, min(40, self.app.size.width - fixed - 2 * columns - 2))

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        table = ReportTable(id="report")
        table.loading = True
        yield table
        yield Static("", id="report-total", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#report", ItemTable).focus()
        self.load()

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def load(self) -> None:
        report = self.fetch()
        self.app.call_from_thread(self._show, report)

    def fetch(self):
        """The report, read in the worker thread (each report screen says which)."""
        raise NotImplementedError

    def _show(self, report) -> None:
        self.report = report
        self.fill(self.query_one("#report", ItemTable), report)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_order":
            return self.query_one("#report", ItemTable).can_open()
        return super().check_action(action, parameters)

    def action_open_order(self) -> None:
        self.query_one("#report", ItemTable).open_highlighted()

    def on_item_table_selected(self, message: ItemTable.Selected) -> None:
        open_order(self, "order", message.item.order_id, self.as_of)


def total_label(filtered: bool) -> Text:
    """A report's total row: of every row, or of the rows a filter kept (the figure under the
    table stays the whole report's)."""
    return Text("Total shown" if filtered else "Total", style="bold")


class AgingScreen(ReportScreen):
    def fetch(self) -> AgingReport:
        return self.app.service.aging(self.as_of)

    def fill(self, table: ItemTable, report: AgingReport) -> None:
        """One amount column, so every figure fits 80 columns: the row's balance, in the bucket named
        beside it; the bucket totals and the total (the tie-out's figure) under the table."""
        table.add_column("Customer / order", key="who", width=self.name_width(9 + 4 + 7 + 12, 5))
        table.add_column("Status", key="status", width=9)
        table.add_column(number_header("Days"), key="days", width=4)
        table.add_column("Age", key="age", width=7)
        table.add_column(number_header("Balance"), key="balance", width=12)

        def render(row) -> tuple:
            return (cell(f"{row.customer} · {row.order_id}"), row.status, Text(str(row.age_days), justify="right"),
                    report.labels[row.bucket], money(row.balance))

        def total(rows, filtered: bool) -> tuple:
            return total_label(filtered), "", "", "", money(sum(row.balance for row in rows), "bold")
        table.show(report.rows, render, total=total)
        orders = f"{len(report.rows):,} order{'' if len(report.rows) == 1 else 's'}"
        buckets = "  ·  ".join(f"{label} {format_grouped(x)}" for label, x in zip(report.labels, report.buckets))
        self.query_one("#report-total", Static).update(
            f"{buckets}\nA/R Aging as of {report.as_of}: {orders}, total {format_grouped(report.total)}")


class DepositsScreen(ReportScreen):
    def fetch(self) -> DepositReconciliation:
        return self.app.service.deposit_reconciliation(self.as_of)

    def fill(self, table: ItemTable, report: DepositReconciliation) -> None:
        table.add_column("Order", key="order")
        table.add_column("Customer", key="customer", width=self.name_width(8 + 9 + 3 * 12, 6))
        table.add_column("Status", key="status", width=9)
        for label in ("Order total", "Deposits", "Outstanding"):
            table.add_column(number_header(label), key=label, width=12)
        table.show(report.rows, lambda row: (row.order_id, cell(row.customer), row.status, money(row.order_total),
                                             money(row.deposits), money(row.outstanding)),
                   total=lambda rows, filtered: (total_label(filtered), "", "", "",
                                                 money(sum(row.deposits for row in rows), "bold"),
                                                 money(sum(row.outstanding for row in rows), "bold")))
        self.query_one("#report-total", Static).update(
            f"Deposit Reconciliation as of {report.as_of}:\ndeposits {format_grouped(report.deposits)}, "
            f"outstanding {format_grouped(report.outstanding)}")
