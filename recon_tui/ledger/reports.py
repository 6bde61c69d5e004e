"""Reports as of a date (DOMAIN §6) and the tie-out to QuickBooks (§7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: importing sqlite_utils costs start-up time
    import sqlite_utils

from recon_tui.config import Config
from recon_tui.ledger.summary import Summary
from recon_tui.store import queries


class TieOutError(AssertionError):
    """The two computations of the studio figure disagree: the engine is wrong."""


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


def aging_report(db: sqlite_utils.Database, config: Config, as_of: date) -> AgingReport:
    bounds = config.aging_buckets
    labels = bucket_labels(bounds)
    rows = []
    for order_id, customer_id, name, ordered_on, completed_on, status, balance in queries.aging_rows(db, as_of.isoformat()):
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


def deposit_reconciliation(db: sqlite_utils.Database, as_of: date) -> DepositReconciliation:
    rows = tuple(
        DepositRow(order_id, customer_id, name, status, 0 if status == "VOIDED" else total, paid)
        for order_id, customer_id, name, status, total, paid in queries.deposit_rows(db, as_of.isoformat()))
    return DepositReconciliation(as_of, rows)


@dataclass(frozen=True)
class TieOut:
    """The studio figure that must equal a QuickBooks GL balance (DOMAIN §7)."""

    method: str
    gl_account: str
    studio_figure: int  # from the reports (§6)
    balance_sheet_figure: int  # the same figure from the §5 balance sheet
    aging_total: int
    deposits_total: int
    outstanding_total: int


def tie_out(method: str, config: Config, summary: Summary, aging: AgingReport,
            deposits: DepositReconciliation) -> TieOut:
    """Both methods' figures are computed two ways and must agree; the chosen one is returned."""
    accrual = (aging.total - deposits.outstanding, summary.line("accounts_receivable").current)
    cash = (deposits.deposits, summary.line("deposits").current)
    for name, (from_reports, from_sheet) in (("accrual", accrual), ("cash", cash)):
        if from_reports != from_sheet:
            raise TieOutError(f"{name} tie-out at {summary.period.current}: the reports give {from_reports} "
                              f"cents, the balance sheet {from_sheet} cents")
    if method == "accrual":
        account, figure = config.gl_accounts.accounts_receivable, accrual
    elif method == "cash":
        account, figure = config.gl_accounts.customer_deposits, cash
    else:
        raise ValueError(f"unknown accounting method {method!r}")
    return TieOut(method, account, figure[0], figure[1], aging.total, deposits.deposits, deposits.outstanding)
