"""Pure accounting: status at a date, the period summary, reports, the tie-out.

Nothing here imports textual; everything the screens show, the CLI can print.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: importing sqlite_utils costs start-up time
    import sqlite_utils

from recon_tui.config import Config
from recon_tui.ledger.period import Period, PeriodError
from recon_tui.ledger.reports import (AgingReport, DepositReconciliation, TieOut, aging_report,
                                      deposit_reconciliation, tie_out)
from recon_tui.ledger.summary import Summary, summarize

__all__ = ["Period", "PeriodError", "Reconciliation", "Summary", "reconcile"]


@dataclass(frozen=True)
class Reconciliation:
    """Everything DOMAIN §5-7 says about one period, for one accounting method."""

    method: str
    summary: Summary
    aging: AgingReport
    deposits: DepositReconciliation
    tie_out: TieOut

    @property
    def period(self) -> Period:
        return self.summary.period


def reconcile(db: sqlite_utils.Database, config: Config, period: Period, method: str) -> Reconciliation:
    summary = summarize(db, config, period)
    aging = aging_report(db, config, period.current)
    deposits = deposit_reconciliation(db, period.current)
    return Reconciliation(method, summary, aging, deposits, tie_out(method, config, summary, aging, deposits))
