"""The QuickBooks link as the CLI and the screens use it: post, re-export, diagnose, export.

Mixed into ReconService like ``closing.py``: every call opens its own connection, so screens run
them in worker threads. Nothing here imports textual.
"""

from __future__ import annotations

import getpass
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from recon_tui.ledger import Period, summarize
from recon_tui.ledger.diagnosis import Change, Diagnosis, Matched, Opening, QBRow, diagnose, match_detail
from recon_tui.ledger.entries import Entry
from recon_tui.money import format_cents
from recon_tui.quickbooks.reports import QBReportError
from recon_tui.store import journal, posting
from recon_tui.store.batch_files import finish_files
from recon_tui.store.posting import Batch


@dataclass(frozen=True)
class QBFigures:
    """What the bookkeeper brings from QuickBooks for the tie-out account."""

    balance: int | None = None  # typed in, or read from a trial balance
    trial_balance: Path | None = None
    detail: Path | None = None


def tie_out_account(config, method: str) -> tuple[str, int]:
    """The account the method ties out and the sign that turns a debit-positive amount into its own."""
    gl = config.gl_accounts
    return (gl.accounts_receivable, 1) if method == "accrual" else (gl.customer_deposits, -1)


def qb_balance_from_trial_balance(config, method: str, path: Path, notes: list[str] | None = None) -> int:
    """The tie-out account's balance in its own sign. QuickBooks leaves an account with a zero balance
    out of its Trial Balance: when the file has the studio's other accounts, the account reads as 0.00
    (and ``notes`` says so); a file with none of them is another company's."""
    from recon_tui.quickbooks.reports import QBAccountNotFound, account_key, read_trial_balance

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

    rows: list[QBRow]
    start: date | None  # the export's first date; None: it covers every date (no opening balance)
    opening: int  # QuickBooks' balance before ``start`` (0 when the export shows none)
    opening_line: int | None
    how: str  # where ``start`` comes from, said in the diagnosis
    notes: list[str]


def configured_accounts(config) -> list[str]:
    from recon_tui.quickbooks.iif import account_types

    return list(account_types(config))


def qb_detail(config, method: str, path: Path, as_of: date) -> QBDetail:
    """Read the export's rows on the tie-out account (DOMAIN §9): debit-positive amounts turned into
    the account's sign, its opening balance and the date the export starts.

    QuickBooks leaves an account with no transactions out of a report: a whole-ledger export (its
    TOTAL is 0.00) without the account reads as no rows; any other file without it is refused, so
    a filtered or foreign file never reads as a balance of 0.00."""
    from recon_tui.quickbooks.reports import DETAIL_HINT, account_key, read_detail

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
        qb_rows = rows  # DetailRows read as QBRows (same fields); a debit account needs no new objects
    else:
        qb_rows = [QBRow(r.on, r.num, r.name, r.memo, -r.amount, r.line) for r in rows]
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


class LinkService:
    """Expects ``config``, ``db_path``, ``connection()``, ``user`` and ``clock`` (see ClosingService)."""

    @property
    def posting_dir(self) -> Path:
        return Path(self.db_path).parent

    def _user(self) -> str:
        return self.user or getpass.getuser()

    def _now(self):
        return self.clock() if self.clock else None

    def batches(self) -> list[Batch]:
        """The batches posted; first puts in place any batch file a crashed post left half-done."""
        with self.connection() as db:
            finish_files(db, self.posting_dir)
            return posting.batches(db)

    def posting_method(self) -> str | None:
        with self.connection() as db:
            return posting.posting_method(db)

    def unposted(self, method: str, through: date) -> list[Entry]:
        with self.connection() as db:
            posting.check_method(db, method)
            return list(posting.unposted(db, self.config, method, through))

    def post(self, method: str, through: date, directory: Path | None = None) -> Batch | None:
        with self.connection() as db:
            return posting.post(db, self.config, method, through, directory or self.posting_dir,
                                user=self._user(), now=self._now())

    def reexport(self, number: int, directory: Path | None = None) -> tuple[Path, int]:
        with self.connection() as db:
            return posting.reexport(db, self.config, number, directory or self.posting_dir,
                                    user=self._user(), now=self._now())

    def diagnose(self, method: str, as_of: date, qb: QBFigures) -> Diagnosis:
        """DOMAIN §9 for the method's tie-out account at ``as_of``.

        With a detail export, a second thread fetches the posted DOCNUMs and then compares every
        event with what was posted (one long SQL pass), while this one reads the export and matches
        it with those DOCNUMs: SQLite works without the GIL, so the two overlap on two cores."""
        _, sign = tie_out_account(self.config, method)
        with self.connection() as db:
            posting.check_method(db, method)  # before reading a file that may be large
            if qb.detail is None:
                balance = qb.balance
                notes: list[str] = []
                if qb.trial_balance is not None:
                    balance, notes = self._trial_balance(method, qb, balance)
                return self._diagnose(db, method, as_of, balance, posting.changes(db, method, as_of, sign),
                                      posting.posted_total(db, method, as_of, sign), None, notes)
        posted: Future = Future()
        with ThreadPoolExecutor(1, thread_name_prefix="diagnosis") as pool:
            started = threading.Event()
            compared = pool.submit(self._posted_side, method, as_of, sign, started, posted)
            # Until its query runs, the thread needs the GIL often, and each time it would wait for
            # this one to hand it over (up to 5 ms): let it open its connection first.
            started.wait(10)
            detail = qb_detail(self.config, method, qb.detail, as_of)
            notes = detail.notes
            balance = qb.balance
            if qb.trial_balance is not None:
                balance, tb_notes = self._trial_balance(method, qb, balance)
                notes += tb_notes
            with self.connection() as db:
                expected = posted.result()
                posted_total = sum(expected.values())
                opening = self._opening(db, method, detail, expected)
                matched = match_detail(detail.rows, expected, lambda nums: posting.by_docnum(db, method, nums, sign),
                                       as_of, self.config.docnum_prefix, start=detail.start)
                del detail
                return self._diagnose(db, method, as_of, balance, compared.result(), posted_total, matched,
                                      notes, detail_file=str(qb.detail), opening=opening)

    @staticmethod
    def _opening(db, method: str, detail: QBDetail, expected: dict[str, int]) -> Opening | None:
        """The export starts on ``detail.start``: the posted entries before it leave ``expected`` (in
        place) for the opening balance (0.00 when the export prints none: QuickBooks prints it when
        the account has one, and an export that could not show it was refused when read)."""
        if detail.start is None:
            return None
        posted = 0
        for docnum in posting.docnums_before(db, method, detail.start):
            posted += expected.pop(docnum, 0)
        return Opening(detail.start, detail.opening, posted, detail.opening_line, detail.how)

    def _trial_balance(self, method: str, qb: QBFigures, balance: int | None) -> tuple[int, list[str]]:
        notes: list[str] = []
        from_tb = qb_balance_from_trial_balance(self.config, method, qb.trial_balance, notes)
        if balance is None:
            return from_tb, notes
        if from_tb == balance:
            return balance, notes
        return balance, notes + [f"{qb.trial_balance}: the Trial Balance says {format_cents(from_tb)}; the balance "
                                 f"given, {format_cents(balance)}, is the one used"]

    def _diagnose(self, db, method: str, as_of: date, balance: int | None, changes: list, posted_total: int,
                  matched: Matched | None, notes: list[str], detail_file: str | None = None,
                  opening: Opening | None = None) -> Diagnosis:
        account, _ = tie_out_account(self.config, method)
        # the review's figure (DOMAIN §5), which the tie-out checks two ways
        summary = summarize(db, self.config, Period(as_of - timedelta(days=1), as_of))
        figure = summary.line("accounts_receivable" if method == "accrual" else "deposits").current
        return diagnose(method=method, account=account, as_of=as_of, studio_figure=figure, qb_balance=balance,
                        posted_total=posted_total, changes=changes, matched=matched, detail_file=detail_file,
                        prefix=self.config.docnum_prefix, notes=tuple(notes), opening=opening)

    def _posted_side(self, method: str, as_of: date, sign: int, started: threading.Event,
                     posted: Future) -> list[Change]:
        """The posted DOCNUMs (handed over in ``posted`` as soon as they are read), then how today's
        events differ from what was posted (see ``diagnose``)."""
        try:
            with self.connection() as db:
                started.set()
                posted.set_result(posting.expected(db, method, as_of, sign))
                return posting.changes(db, method, as_of, sign)
        except BaseException as error:
            if not posted.done():  # the database could not be opened or read: the reader sees why
                posted.set_exception(error)
            raise
        finally:
            started.set()

    def export_hledger(self, method: str, through: date, out) -> int:
        from recon_tui.ledger.hledger import write_journal

        with self.connection() as db:
            entries = sorted(journal.entries(db, self.config, method, through), key=lambda e: e.on)
            return write_journal(out, entries, studio=self.config.studio_name, method=method,
                                 through=through.isoformat())

    def check_accounts(self, qb_lists: Path):
        """The configured GL accounts against QuickBooks' "Lists to IIF Files" export (DOMAIN §12
        ``check-accounts``): an AccountCheck. Reads only the file, never the database. Raises
        IIFError for a file it cannot read."""
        from recon_tui.quickbooks.chart import check_accounts_file

        return check_accounts_file(Path(qb_lists), self.config)
