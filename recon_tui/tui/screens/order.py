"""One order as of the period's current date: lines, status dates, payments and balance (DOMAIN §4).

Every list of records opens an order the same way, with ``open_order`` (a payment's order is looked
up in a worker).
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from recon_tui.money import format_grouped
from recon_tui.service import OrderDetail
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import money, number_header


def open_order(screen: ReconScreen, kind: str, record_id: str, as_of: date) -> None:
    """Open the order behind an order's or a payment's record, one crumb deeper than ``screen``'s.

    Nothing opens if the user left ``screen`` meanwhile; a payment that is gone by now says so."""
    def push(order_id: str) -> None:
        if screen.is_current:
            screen.app.push_screen(OrderScreen(screen.crumbs + (f"Order {order_id}",), order_id, as_of))

    def find() -> None:  # in a worker: one query
        order_id = screen.app.service.order_of_payment(record_id)
        if order_id is None:
            screen.app.call_from_thread(screen.notify, f"Payment {record_id} is no longer in the database",
                                        severity="warning")
        else:
            screen.app.call_from_thread(push, order_id)

    if kind == "order":
        push(record_id)
    elif kind == "payment":
        screen.run_worker(find, thread=True, exclusive=True, group="open", exit_on_error=False)


class OrderScreen(ReconScreen):
    SUB_TITLE = "Order"

    def __init__(self, crumbs: tuple[str, ...], order_id: str, as_of: date) -> None:
        super().__init__()
        self.crumbs, self.order_id, self.as_of = crumbs, order_id, as_of

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        with VerticalScroll(id="order", can_focus=False):
            yield Static(f"Order {self.order_id}", id="order-head", markup=False)
            yield Static("", id="order-dates", markup=False)
            yield Label("Lines", classes="section-title")
            yield DataTable(id="order-lines", cursor_type="row")
            yield Label("Payments", classes="section-title")
            yield DataTable(id="order-payments", cursor_type="row")
            yield Static("", id="order-balance", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load_order()

    @work(thread=True, exclusive=True, group="order", exit_on_error=False)
    def load_order(self) -> None:
        detail = self.app.service.order_detail(self.order_id, self.as_of)
        self.app.call_from_thread(self._show, detail)

    def _show(self, o: OrderDetail | None) -> None:
        if o is None:
            self.query_one("#order-head", Static).update(f"Order {self.order_id} is not in the database")
            return
        status = o.status.value if o.status else "not yet ordered"
        self.query_one("#order-head", Static).update(
            f"Order {o.order_id} · {o.customer} · {status} as of {o.as_of}")
        dates = [("Ordered", o.ordered_on), ("Built", o.built_on), ("Completed", o.completed_on), ("Voided", o.voided_on)]
        self.query_one("#order-dates", Static).update(
            "   ".join(f"{name} {day or '—'}" for name, day in dates))
        lines = self.query_one("#order-lines", DataTable)
        lines.add_columns("#", "Category", "Description", number_header("Amount"))
        for line in o.lines:
            lines.add_row(str(line.line_no), line.category, line.description, money(line.amount))
        lines.add_row("", "Sales tax", "", money(o.sales_tax))
        lines.add_row("", Text("Total", style="bold"), "", money(o.total, "bold"))
        pays = self.query_one("#order-payments", DataTable)
        pays.add_columns("Date", "Payment", "Method", "Reference", number_header("Amount"))
        for p in o.payments:
            later = " (later)" if p.paid_on > o.as_of else ""
            pays.add_row(f"{p.paid_on}{later}", p.payment_id, p.method, p.reference, money(p.amount))
        if not o.payments:
            pays.add_row("", "(no payments)", "", "", "")
        lines.focus()
        voided = " (voided: total counts as 0)" if o.status is not None and o.status.value == "VOIDED" else ""
        self.query_one("#order-balance", Static).update(
            f"As of {o.as_of}: total {format_grouped(o.total)} · paid {format_grouped(o.paid)} · "
            f"balance {format_grouped(o.balance)}{voided}")
