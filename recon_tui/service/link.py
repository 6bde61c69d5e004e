"""The QuickBooks link as the CLI and the screens use it: post, re-export, diagnose, export, check
the accounts. Every call opens its own connection, so screens run them in worker threads."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from recon_tui.ledger.diagnosis import Change, Diagnosis, Matched, Opening, PostedAmount, diagnose, match_detail
from recon_tui.files import whole_file
from recon_tui.ledger.hledger import write_journal
from recon_tui.model import Entry, Method, Period
from recon_tui.money import format_cents
from recon_tui.quickbooks.chart import AccountCheck, check_accounts_file
from recon_tui.quickbooks.iif_reader import IIFError
from recon_tui.quickbooks.tie_out_exports import QBDetail, qb_balance_from_trial_balance, qb_detail
from recon_tui.service import figures, journal, posting
from recon_tui.service.batch_files import finish_files
from recon_tui.service.books import Books
from recon_tui.service.unposted import Unposted
from recon_tui.store import posted
from recon_tui.store import posted_amounts as amounts
from recon_tui.store.posted import Batch


@dataclass(frozen=True)
class QBFigures:
    """What the bookkeeper brings from QuickBooks for the tie-out account."""

    balance: int | None = None  # typed in, or read from a trial balance
    trial_balance: Path | None = None
    detail: Path | None = None


class Link:
    """The QuickBooks link: posting batches, re-exports, the diagnosis, the accountant's journal and
    the check of the configured accounts against QuickBooks' chart."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.config = books.config

    def connection(self):
        return self.books.connection()

    @property
    def posting_dir(self) -> Path:
        return self.books.folder

    def batches(self) -> list[Batch]:
        """The batches posted; first puts in place any batch file a crashed post left half-done."""
        with self.connection() as db:
            finish_files(db, self.posting_dir)
            return posted.batches(db)

    def posting_method(self) -> str | None:
        with self.connection() as db:
            return posted.posting_method(db)

    def unposted(self, method: str, through: date) -> list[Entry]:
        with self.connection() as db:
            posting.check_method(db, method)
            return list(posting.unposted(db, self.config, method, through))

    def unposted_list(self, method: str, through: date) -> Unposted:
        """The same events a page at a time, with their count and debits (the Post screen)."""
        return Unposted(self.connection, self.config, method, through)

    def post(self, method: str, through: date, directory: Path | None = None) -> Batch | None:
        self.books.require("post")
        with self.connection() as db:
            posting.check_method(db, method)
            pending = posted.first_unposted_day(db, through) is not None
        if pending:  # a post with nothing to post writes nothing: no copy (0.5 s on ten years)
            self.books.backup("post")
        with self.connection() as db:
            return posting.post(db, self.config, method, through, directory or self.posting_dir,
                                user=self.books.who(), now=self.books.now())

    def reexport(self, number: int, directory: Path | None = None) -> tuple[Path, int]:
        self.books.require("post")
        with self.connection() as db:
            return posting.reexport(db, self.config, number, directory or self.posting_dir,
                                    user=self.books.who(), now=self.books.now())

    def diagnose(self, method: str, as_of: date, qb: QBFigures) -> Diagnosis:
        """DOMAIN §9 for the method's tie-out account at ``as_of``.

        With a detail export, a second thread fetches the posted DOCNUMs and then compares every
        event with what was posted (one long SQL pass), while this one reads the export and matches
        it with those DOCNUMs: SQLite works without the GIL, so the two overlap on two cores."""
        sign = Method.of(method).sign
        with self.connection() as db:
            posting.check_method(db, method)  # before reading a file that may be large
            if qb.detail is None:
                balance = qb.balance
                notes: list[str] = []
                if qb.trial_balance is not None:
                    balance, notes = self._trial_balance(method, qb, balance)
                return self._diagnose(db, method, as_of, balance, _changes(amounts.changes(db, method, as_of, sign)),
                                      amounts.posted_total(db, method, as_of, sign), None, notes)
        expected: Future = Future()
        with ThreadPoolExecutor(1, thread_name_prefix="diagnosis") as pool:
            started = threading.Event()
            compared = pool.submit(self._posted_side, method, as_of, sign, started, expected)
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
                wanted = expected.result()
                posted_total = sum(wanted.values())
                opening = self._opening(db, method, detail, wanted)
                matched = match_detail(detail.rows, wanted, lambda nums: _posted_amounts(db, method, nums, sign),
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
        before = 0
        for docnum in amounts.docnums_before(db, method, detail.start):
            before += expected.pop(docnum, 0)
        return Opening(detail.start, detail.opening, before, detail.opening_line, detail.how)

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
        chosen = Method.of(method)
        account = chosen.account(self.config.gl_accounts)
        # the review's figure (DOMAIN §5), which the tie-out checks two ways
        summary = figures.summarize(db, self.config, Period(as_of - timedelta(days=1), as_of))
        figure = summary.line(chosen.line_key).current
        return diagnose(method=method, account=account, as_of=as_of, studio_figure=figure, qb_balance=balance,
                        posted_total=posted_total, changes=changes, matched=matched, detail_file=detail_file,
                        prefix=self.config.docnum_prefix, notes=tuple(notes), opening=opening)

    def _posted_side(self, method: str, as_of: date, sign: int, started: threading.Event,
                     expected: Future) -> list[Change]:
        """The posted DOCNUMs (handed over in ``expected`` as soon as they are read), then how today's
        events differ from what was posted (see ``diagnose``)."""
        try:
            with self.connection() as db:
                started.set()
                expected.set_result(amounts.expected(db, method, as_of, sign))
                return _changes(amounts.changes(db, method, as_of, sign))
        except BaseException as error:
            if not expected.done():  # the database could not be opened or read: the reader sees why
                expected.set_exception(error)
            raise
        finally:
            started.set()

    def export_hledger(self, method: str, through: date, out: TextIO) -> int:
        """The journal of every event dated on or before ``through`` as an hledger journal, to ``out``."""
        with self.connection() as db:
            entries = sorted(journal.entries(db, self.config, method, through), key=lambda e: e.on)
            return write_journal(out, entries, studio=self.config.studio_name, method=method,
                                 through=through.isoformat())

    def export_hledger_file(self, method: str, through: date, target: Path) -> int:
        """The same journal written to ``target``, put in place whole (never half a journal)."""
        with whole_file(target) as out:
            return self.export_hledger(method, through, out)

    def check_accounts(self, qb_lists: Path) -> AccountCheck:
        """The configured GL accounts against QuickBooks' "Lists to IIF Files" export (DOMAIN §12
        ``check-accounts``): an AccountCheck. Reads only the file, never the database. Raises
        IIFError for a file it cannot read (a folder given instead of the file says so)."""
        path = Path(qb_lists)
        if path.is_dir():
            raise IIFError(f"{path} is a folder: give the .iif file QuickBooks exported in it "
                           "(File › Utilities › Export › Lists to IIF Files)")
        return check_accounts_file(path, self.config)


def _changes(rows: list[tuple]) -> list[Change]:
    """The store's rows of events whose posted entry differs from today's, as the diagnosis takes them."""
    return [Change(key, on, amount, None if was is None else PostedAmount(*was)) for key, on, amount, was in rows]


def _posted_amounts(db, method: str, docnums: set[str], sign: int) -> dict[str, PostedAmount]:
    return {num: PostedAmount(*row) for num, row in amounts.by_docnum(db, method, docnums, sign).items()}
