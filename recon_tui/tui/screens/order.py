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
from textual.widgets import Label, Static

from recon_tui.model import PAYMENT_LABELS
from recon_tui.money import format_grouped
from recon_tui.service import OrderDetail
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import cell, money, number_header
from recon_tui.tui.widgets.items import ItemTable


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


#: every payment method a record may carry, as the screens name it
METHOD_WORDS = {**PAYMENT_LABELS, "in_store_credit": "In-Store Credit", "bad_debt": "Bad Debt"}


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
            yield ItemTable(id="order-lines")
            yield Label("Payments", classes="section-title")
            yield ItemTable(id="order-payments")
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
        accounts = self.app.service.config.category_accounts
        lines = self.query_one("#order-lines", ItemTable)
        lines.add_column("#", key="no")
        lines.add_column("Income account", key="account")
        lines.add_column("Description", key="description")
        lines.add_column(number_header("Amount"), key="amount")
        lines.show(o.lines, lambda line: (str(line.line_no), cell(accounts.get(line.category, line.category)),
                                          cell(line.description), money(line.amount)),
                   total=(("", "Sales tax", "", money(o.sales_tax)), ("", Text("Total", style="bold"), "",
                                                                       money(o.total, "bold"))))
        pays = self.query_one("#order-payments", ItemTable)
        pays.add_column("Date", key="on")
        pays.add_column("Payment", key="payment")
        pays.add_column("Method", key="method")
        pays.add_column("Reference", key="reference")
        pays.add_column(number_header("Amount"), key="amount")
        pays.show(o.payments, lambda p: (f"{p.paid_on}{' (later)' if p.paid_on > o.as_of else ''}", p.payment_id,
                                         METHOD_WORDS.get(p.method, p.method), cell(p.reference), money(p.amount)),
                  total=None if o.payments else ("", "(no payments)", "", "", ""))
        lines.focus()
        voided = " (voided: total counts as 0)" if o.status is not None and o.status.value == "VOIDED" else ""
        self.query_one("#order-balance", Static).update(
            f"As of {o.as_of}: total {format_grouped(o.total)} · paid {format_grouped(o.paid)} · "
            f"balance {format_grouped(o.balance)}{voided}")
