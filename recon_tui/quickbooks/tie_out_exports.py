"""The tie-out account's side of QuickBooks' exports (DOMAIN §9): its balance from a Trial Balance,
its rows and opening balance from a transaction detail export, in the account's own sign.

A file that cannot give them is refused with one line saying what to export instead
(:class:`QBFileError`), never read as a balance of 0.00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from recon_tui.config import Config
from recon_tui.model import Method
from recon_tui.money import format_cents
from recon_tui.quickbooks.detail import DetailRow, read_detail
from recon_tui.quickbooks.iif_writer import account_types
from recon_tui.quickbooks.report_csv import DETAIL_HINT, QBAccountNotFound, QBReportError, account_key
from recon_tui.quickbooks.trial_balance import read_trial_balance


def tie_out_account(config: Config, method: str) -> tuple[str, int]:
    """The account the method ties out and the sign that turns a debit-positive amount into its own."""
    chosen = Method.of(method)
    return chosen.account(config.gl_accounts), chosen.sign


def qb_balance_from_trial_balance(config: Config, method: str, path: Path, notes: list[str] | None = None) -> int:
    """The tie-out account's balance in its own sign. QuickBooks leaves an account with a zero balance
    out of its Trial Balance: when the file has the studio's other accounts, the account reads as 0.00
    (and ``notes`` says so); a file with none of them is another company's."""
    account, sign = tie_out_account(config, method)
    tb = read_trial_balance(path)
    try:
        return sign * tb.balance_of(account)
    except QBAccountNotFound:
        known = {account_key(row.account) for row in tb.rows}
        if not any(account_key(name) in known for name in configured_accounts(config)):
            listed = ", ".join(row.account for row in tb.rows[:8]) + (", ..." if len(tb.rows) > 8 else "")
            raise QBFileError(f"{path}: none of the configured GL accounts is in this Trial Balance (it has: "
                              f"{listed or 'no accounts'}): is it the right company's file?") from None
        if notes is not None:
            notes.append(f"{path}: no {account} in the Trial Balance, which QuickBooks does for an account whose "
                         "balance is 0.00: read as 0.00")
        return 0


class QBFileError(QBReportError):
    """A QuickBooks export that cannot give the tie-out account's balance; one line, says what to export."""


@dataclass(frozen=True)
class QBDetail:
    """The tie-out account's side of a transaction detail export, in the account's own sign."""

    rows: list[DetailRow]  # on the tie-out account, amounts in its own sign
    start: date | None  # the export's first date; None: it covers every date (no opening balance)
    opening: int  # QuickBooks' balance before ``start`` (0 when the export shows none)
    opening_line: int | None
    how: str  # where ``start`` comes from, said in the diagnosis
    notes: list[str]


def configured_accounts(config: Config) -> list[str]:
    return list(account_types(config))


def qb_detail(config: Config, method: str, path: Path, as_of: date) -> QBDetail:
    """Read the export's rows on the tie-out account (DOMAIN §9): debit-positive amounts turned into
    the account's sign, its opening balance and the date the export starts.

    QuickBooks leaves an account with no transactions out of a report: a whole-ledger export (its
    TOTAL is 0.00) without the account reads as no rows; any other file without it is refused, so
    a filtered or foreign file never reads as a balance of 0.00."""
    account, sign = tie_out_account(config, method)
    report = read_detail(path, only=[account])
    notes: list[str] = []
    period = report.period
    if period is not None and period.end is not None and period.end < as_of:
        raise QBFileError(f"{path}:{period.line}: the export ends on {period.end} ({period.text!r}), before the "
                          f"current date {as_of}: run it again through {as_of}")
    if not report.has_account(account):
        found = [name for name in configured_accounts(config) if report.has_account(name)]
        listed = ", ".join(report.accounts[:8]) + (", ..." if len(report.accounts) > 8 else "")
        if not found and report.accounts:
            raise QBFileError(f"{path}: none of the configured GL accounts is in this export (it has: "
                              f"{listed or 'no accounts'}): is it the right company's file? {DETAIL_HINT}")
        if not report.balanced:
            raise QBFileError(f"{path}: no {account} in this export, which holds only some accounts (its TOTAL is "
                              "not 0.00): export every account, or filter it to " + account)
        notes.append(f"{path}: a whole ledger (its TOTAL is 0.00) with no {account}: QuickBooks leaves out an "
                     "account with no transactions in the report's dates; read as none")
        rows = []
    else:
        rows = report.rows_for(account)
    if sign == 1:
        qb_rows = rows  # a debit account needs no new objects
    else:
        qb_rows = [DetailRow(r.account, r.type, r.on, r.num, r.name, r.memo, -r.amount, r.line) for r in rows]
    if (report.by_account_column and report.total and
            {account_key(name) for name in report.accounts} != {account_key(account)}):
        raise QBFileError(f"{path}: this Transaction List does not balance (its total is {format_cents(report.total)}), "
                          "so it does not show every line of each transaction: export Transaction Detail by Account")
    if report.by_account_column and period is not None and period.start is not None:
        raise QBFileError(f"{path}:{period.line}: this Transaction List by Date starts on {period.start} and has no "
                          "opening balances: run it with Dates: All")
    if period is not None and period.start is not None and not report.balance_column:
        raise QBFileError(f"{path}:{period.line}: this export starts on {period.start} and has no Balance column, so "
                          "it cannot show opening balances: run it with Dates: All (or with the Balance column)")
    opening = report.opening_of(account)
    line = report.opening_lines.get(next((a for a in report.opening if a.casefold() == account.casefold()), ""))
    start = period.start if period is not None else None
    how = f"the report's dates {period.text!r} (line {period.line})" if start is not None else ""
    if opening is not None and start is None:
        start = min((r.on for r in rows), default=as_of + timedelta(days=1))
        how = "the first row's date (the report's dates were not found in its title)"
        notes.append(f"{path}: an opening balance for {account} on line {line}, but the report's dates were not "
                     f"found in its title: the export is taken to start on {start}, its first row")
    return QBDetail(qb_rows, start, sign * (opening or 0), line, how, notes)
