"""The review of a period: its figures, the money count, the records behind any figure, one order."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from recon_tui.ledger.aging import AgingReport
from recon_tui.ledger.deposits import DepositReconciliation
from recon_tui.ledger.status import status_at
from recon_tui.ledger.summary import Summary
from recon_tui.ledger.tie_out import Reconciliation
from recon_tui.model import BANK_METHODS, PAYMENT_LABELS, Period, Status
from recon_tui.service import figures
from recon_tui.service.books import Books
from recon_tui.store import orders as order_sql
from recon_tui.store.drilldown import DrillRow, drilldown
from recon_tui.store.queries import payment_totals


@dataclass(frozen=True)
class CountLine:
    """A bank method's net receipts in the period (refunds included): what the count must match."""

    method: str
    label: str
    system: int


@dataclass(frozen=True)
class OrderLine:
    line_no: int
    category: str
    description: str
    amount: int


@dataclass(frozen=True)
class OrderPayment:
    payment_id: str
    paid_on: date
    method: str
    amount: int
    reference: str


@dataclass(frozen=True)
class OrderDetail:
    """An order as of a date: DOMAIN §4's status, paid and balance."""

    order_id: str
    customer: str
    ordered_on: date
    built_on: date | None
    completed_on: date | None
    voided_on: date | None
    sales_tax: int
    lines: tuple[OrderLine, ...]
    payments: tuple[OrderPayment, ...]  # every payment, also those after as_of
    as_of: date
    status: Status | None

    @property
    def subtotal(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        return self.subtotal + self.sales_tax

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments if p.paid_on <= self.as_of)

    @property
    def balance(self) -> int:
        return (0 if self.status is Status.VOIDED else self.total) - self.paid


class DrillSource:
    """The records behind one figure; every call reads on a fresh connection (any thread)."""

    def __init__(self, books: Books, period: Period, section: str, key: str, column: str, text: str = "",
                 order: tuple[int | None, bool] = (None, False)) -> None:
        self._books, self._args, self.text, self.order = books, (period, section, key, column), text, order

    @contextmanager
    def _drill(self):
        with self._books.connection() as db:
            found = drilldown(db, self._books.config, *self._args)
            found = found.matching(self.text) if self.text else found
            yield found.sorted_by(*self.order) if self.order[0] is not None else found

    def matching(self, text: str) -> DrillSource:
        """The records that hold ``text`` (an order or record id, a customer, an amount); "" : all."""
        return DrillSource(self._books, *self._args, text=text, order=self.order)

    def sorted_by(self, column: int | None, descending: bool = False) -> DrillSource:
        """The records in the order of a column (date, record, customer, detail, amount); None: by date."""
        return DrillSource(self._books, *self._args, text=self.text, order=(column, descending))

    def count(self) -> int:
        with self._drill() as d:
            return d.count()

    def total(self) -> int:
        with self._drill() as d:
            return d.total()

    def page(self, offset: int, limit: int) -> list[DrillRow]:
        with self._drill() as d:
            return d.page(offset, limit)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class Review:
    """The figures of a period (DOMAIN §5-7) and what lies behind them."""

    def __init__(self, books: Books) -> None:
        self.books = books

    def reconcile(self, period: Period, method: str) -> Reconciliation:
        with self.books.connection() as db:
            return figures.reconcile(db, self.books.config, period, method)

    def summary(self, period: Period) -> Summary:
        """The §5 figures alone: what the review shows (the reports of §6-7 take longer)."""
        with self.books.connection() as db:
            return figures.summarize(db, self.books.config, period)

    def aging(self, as_of: date) -> AgingReport:
        with self.books.connection() as db:
            return figures.aging_report(db, self.books.config, as_of)

    def deposit_reconciliation(self, as_of: date) -> DepositReconciliation:
        with self.books.connection() as db:
            return figures.deposit_reconciliation(db, as_of)

    def count_lines(self, period: Period) -> tuple[CountLine, ...]:
        with self.books.connection() as db:
            totals = payment_totals(db, period.previous.isoformat(), period.current.isoformat())
        return tuple(CountLine(m, PAYMENT_LABELS[m], totals.net(m)) for m in BANK_METHODS)

    def drilldown(self, period: Period, section: str, key: str, column: str = "amount") -> DrillSource:
        source = DrillSource(self.books, period, section, key, column)
        with source._drill():  # an unknown figure fails here, not on the first page
            pass
        return source

    def order_of_payment(self, payment_id: str) -> str | None:
        with self.books.connection() as db:
            return order_sql.order_of_payment(db, payment_id)

    def order_detail(self, order_id: str, as_of: date) -> OrderDetail | None:
        with self.books.connection() as db:
            row = order_sql.order_row(db, order_id)
            if row is None:
                return None
            lines = tuple(OrderLine(*line) for line in order_sql.order_lines(db, order_id))
            pays = tuple(OrderPayment(pid, date.fromisoformat(on), method, amount, ref)
                         for pid, on, method, amount, ref in order_sql.order_payments(db, order_id))
        oid, customer, ordered, built, completed, voided, tax = row
        dates = [_day(d) for d in (ordered, built, completed, voided)]
        return OrderDetail(oid, customer, *dates, tax, lines, pays, as_of, status_at(as_of, *dates))
