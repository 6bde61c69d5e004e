"""The tie-out to QuickBooks (DOMAIN §7) and the whole reconciliation of a period (§5-7)."""

from __future__ import annotations

from dataclasses import dataclass

from recon_tui.config import Config
from recon_tui.ledger.aging import AgingReport
from recon_tui.ledger.deposits import DepositReconciliation
from recon_tui.ledger.summary import Summary
from recon_tui.model import ACCRUAL, CASH, Method, Period


class TieOutError(AssertionError):
    """The two computations of the studio figure disagree: the engine is wrong."""


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
    figures = {
        ACCRUAL: (aging.total - deposits.outstanding, summary.line(ACCRUAL.line_key).current),
        CASH: (deposits.deposits, summary.line(CASH.line_key).current),
    }
    for each, (from_reports, from_sheet) in figures.items():
        if from_reports != from_sheet:
            raise TieOutError(f"{each.name} tie-out at {summary.period.current}: the reports give {from_reports} "
                              f"cents, the balance sheet {from_sheet} cents")
    chosen = Method.of(method)
    figure = figures[chosen]
    return TieOut(chosen.name, chosen.account(config.gl_accounts), figure[0], figure[1], aging.total,
                  deposits.deposits, deposits.outstanding)


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


def reconciliation(method: str, config: Config, summary: Summary, aging: AgingReport,
                   deposits: DepositReconciliation) -> Reconciliation:
    """The period's figures with the reports as of its current date, tied out (checked both ways)."""
    return Reconciliation(method, summary, aging, deposits, tie_out(method, config, summary, aging, deposits))
