"""The Customer Deposit Reconciliation as of a date (DOMAIN §6)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DepositRow:
    order_id: str
    customer_id: str
    customer: str
    status: str
    order_total: int  # 0 for a voided order
    deposits: int

    @property
    def outstanding(self) -> int:
        return self.order_total - self.deposits


@dataclass(frozen=True)
class DepositReconciliation:
    as_of: date
    rows: tuple[DepositRow, ...]

    @property
    def deposits(self) -> int:
        return sum(r.deposits for r in self.rows)

    @property
    def outstanding(self) -> int:
        return sum(r.outstanding for r in self.rows)


def deposit_reconciliation(as_of: date, orders: Iterable[tuple]) -> DepositReconciliation:
    """The report from the orders WIP or BUILT at ``as_of`` and those VOIDED with money: (order_id,
    customer_id, customer name, status, order total, paid)."""
    rows = tuple(
        DepositRow(order_id, customer_id, name, status, 0 if status == "VOIDED" else total, paid)
        for order_id, customer_id, name, status, total, paid in orders)
    return DepositReconciliation(as_of, rows)
