"""The figures of DOMAIN §5-7 on one connection: the totals and rows read through the store, the
figures computed by the ledger. Every job that needs a figure comes here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from recon_tui.config import Config
from recon_tui.ledger import aging, deposits, summary, tie_out
from recon_tui.ledger.aging import AgingReport
from recon_tui.ledger.deposits import DepositReconciliation
from recon_tui.ledger.summary import BalanceSheetAt, Summary
from recon_tui.ledger.tie_out import Reconciliation
from recon_tui.model import Period
from recon_tui.store import queries

if TYPE_CHECKING:  # only for annotations: importing sqlite_utils costs start-up time
    import sqlite_utils


def balance_sheet_at(db: sqlite_utils.Database, d: str) -> BalanceSheetAt:
    """DOMAIN §5's balance sheet at one date (ISO text), from whole-history aggregates."""
    return summary.balance_sheet_at(queries.payment_totals(db, None, d), queries.order_totals(db, d),
                                    queries.credit_adjustment_total(db, None, d))


def summarize(db: sqlite_utils.Database, config: Config, period: Period) -> Summary:
    """The §5 summary of the period (its identity checked)."""
    p, c = period.previous.isoformat(), period.current.isoformat()
    return summary.summarize(config, period, balance_sheet_at(db, p), balance_sheet_at(db, c),
                             queries.payment_totals(db, p, c), queries.credit_adjustment_total(db, p, c),
                             queries.income_changes(db, p, c))


def aging_report(db: sqlite_utils.Database, config: Config, as_of: date) -> AgingReport:
    return aging.aging_report(config, as_of, queries.aging_rows(db, as_of.isoformat()))


def deposit_reconciliation(db: sqlite_utils.Database, as_of: date) -> DepositReconciliation:
    return deposits.deposit_reconciliation(as_of, queries.deposit_rows(db, as_of.isoformat()))


def reconcile(db: sqlite_utils.Database, config: Config, period: Period, method: str) -> Reconciliation:
    """Everything §5-7 says about the period for one method, tied out both ways."""
    figures = summarize(db, config, period)
    return tie_out.reconciliation(method, config, figures, aging_report(db, config, period.current),
                                  deposit_reconciliation(db, period.current))
