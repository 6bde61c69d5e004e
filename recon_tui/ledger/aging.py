"""The A/R Aging report as of a date (DOMAIN §6)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from recon_tui.config import Config


def bucket_labels(bounds: tuple[int, ...]) -> tuple[str, ...]:
    """(30, 60, 90) -> ('0-30', '31-60', '61-90', 'over 90')."""
    lows = (0,) + tuple(b + 1 for b in bounds[:-1])
    return tuple(f"{lo}-{hi}" for lo, hi in zip(lows, bounds)) + (f"over {bounds[-1]}",)


def bucket_of(age_days: int, bounds: tuple[int, ...]) -> int:
    for index, bound in enumerate(bounds):
        if age_days <= bound:
            return index
    return len(bounds)


@dataclass(frozen=True)
class AgingRow:
    order_id: str
    customer_id: str
    customer: str
    status: str
    aging_date: date  # completed_on if COMPLETED at the report date, else ordered_on
    age_days: int
    bucket: int
    balance: int


@dataclass(frozen=True)
class CustomerAging:
    customer_id: str
    customer: str
    rows: tuple[AgingRow, ...]
    buckets: tuple[int, ...]  # balance per bucket

    @property
    def total(self) -> int:
        return sum(self.buckets)


@dataclass(frozen=True)
class AgingReport:
    as_of: date
    labels: tuple[str, ...]
    customers: tuple[CustomerAging, ...]

    @property
    def buckets(self) -> tuple[int, ...]:
        return tuple(sum(c.buckets[i] for c in self.customers) for i in range(len(self.labels)))

    @property
    def total(self) -> int:
        return sum(c.total for c in self.customers)

    @property
    def rows(self) -> tuple[AgingRow, ...]:
        return tuple(row for c in self.customers for row in c.rows)


def aging_report(config: Config, as_of: date, orders: Iterable[tuple]) -> AgingReport:
    """The report from the orders whose balance at ``as_of`` is not 0, sorted by customer: (order_id,
    customer_id, customer name, ordered_on, completed_on, status, balance), dates as ISO text."""
    bounds = config.aging_buckets
    labels = bucket_labels(bounds)
    rows = []
    for order_id, customer_id, name, ordered_on, completed_on, status, balance in orders:
        aging_date = date.fromisoformat(completed_on if status == "COMPLETED" else ordered_on)
        age = (as_of - aging_date).days
        rows.append(AgingRow(order_id, customer_id, name, status, aging_date, age, bucket_of(age, bounds), balance))
    customers = []
    for (customer_id, name), group in groupby(rows, key=lambda r: (r.customer_id, r.customer)):
        group = tuple(group)
        buckets = [0] * len(labels)
        for row in group:
            buckets[row.bucket] += row.balance
        customers.append(CustomerAging(customer_id, name, group, tuple(buckets)))
    return AgingReport(as_of, labels, tuple(customers))
