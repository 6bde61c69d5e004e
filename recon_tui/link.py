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
from recon_tui.ledger.diagnosis import Change, Diagnosis, Matched, QBRow, diagnose, match_detail
from recon_tui.ledger.entries import Entry
from recon_tui.money import format_cents
from recon_tui.store import journal, posting
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


def qb_balance_from_trial_balance(config, method: str, path: Path) -> int:
    from recon_tui.quickbooks.reports import read_trial_balance

    account, sign = tie_out_account(config, method)
    return sign * read_trial_balance(path).balance_of(account)


def qb_detail_rows(config, method: str, path: Path) -> tuple[list[QBRow], list[str]]:
    """The detail rows on the tie-out account, in its sign, and notes on how the file was read.

    QuickBooks leaves an account with no transactions out of the report: that reads as no rows."""
    from recon_tui.quickbooks.reports import QBAccountNotFound, read_detail

    account, sign = tie_out_account(config, method)
    credit_normal = [] if sign == 1 else [account]
    report = read_detail(path, credit_normal=credit_normal, only=[account])
    try:
        rows = report.rows_for(account)
    except QBAccountNotFound:
        return [], [f"{path}: no {account} section: read as no QuickBooks transactions on it"]
    if sign == 1:
        return rows, []  # DetailRows read as QBRows (same fields); a debit account needs no new objects
    return [QBRow(r.on, r.num, r.name, r.memo, -r.amount, r.line) for r in rows], []


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
        with self.connection() as db:
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
            rows, notes = qb_detail_rows(self.config, method, qb.detail)
            balance = qb.balance
            if qb.trial_balance is not None:
                balance, tb_notes = self._trial_balance(method, qb, balance)
                notes += tb_notes
            with self.connection() as db:
                expected = posted.result()
                matched = match_detail(rows, expected, lambda nums: posting.by_docnum(db, method, nums, sign), as_of,
                                       self.config.docnum_prefix)
                del rows
                return self._diagnose(db, method, as_of, balance, compared.result(), sum(expected.values()), matched,
                                      notes, detail_file=str(qb.detail))

    def _trial_balance(self, method: str, qb: QBFigures, balance: int | None) -> tuple[int, list[str]]:
        from_tb = qb_balance_from_trial_balance(self.config, method, qb.trial_balance)
        if balance is None:
            return from_tb, []
        if from_tb == balance:
            return balance, []
        return balance, [f"{qb.trial_balance}: the Trial Balance says {format_cents(from_tb)}; the balance given, "
                         f"{format_cents(balance)}, is the one used"]

    def _diagnose(self, db, method: str, as_of: date, balance: int | None, changes: list, posted_total: int,
                  matched: Matched | None, notes: list[str], detail_file: str | None = None) -> Diagnosis:
        account, _ = tie_out_account(self.config, method)
        # the review's figure (DOMAIN §5), which the tie-out checks two ways
        summary = summarize(db, self.config, Period(as_of - timedelta(days=1), as_of))
        figure = summary.line("accounts_receivable" if method == "accrual" else "deposits").current
        return diagnose(method=method, account=account, as_of=as_of, studio_figure=figure, qb_balance=balance,
                        posted_total=posted_total, changes=changes, matched=matched, detail_file=detail_file,
                        prefix=self.config.docnum_prefix, notes=tuple(notes))

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
