"""The only coordinator: what the screens and the CLI may ask of the studio's books, and nothing more.

It reads through ``store``, computes with ``ledger`` and writes through ``quickbooks`` and files.
One object per job, each built on the same :class:`~recon_tui.service.books.Books` (config,
database, today, who and when):

- :class:`~recon_tui.service.review.Review`: the figures of a period, the money count, drill-downs,
  one order;
- :class:`~recon_tui.service.closing.Closing`: finalizing, history, reopening, printed reports;
- :class:`~recon_tui.service.link.Link`: the QuickBooks link (post, re-export, diagnose, the
  accountant's journal, the chart-of-accounts check);
- :class:`~recon_tui.service.importing.Imports`: importing the studio system's files.

:class:`ReconService` holds them and is what the app and the CLI hold. Every call opens its own
connection, so the screens run them in worker threads. Nothing here imports textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from recon_tui.config import Config
from recon_tui.ledger.aging import AgingReport
from recon_tui.ledger.closing import Drift, FinalizeError, FinalizeRequest
from recon_tui.ledger.deposits import DepositReconciliation
from recon_tui.ledger.diagnosis import Cause, Diagnosis, Item
from recon_tui.ledger.record import stored_summary
from recon_tui.ledger.summary import Summary
from recon_tui.ledger.tie_out import Reconciliation
from recon_tui.model import Entry, Period, PostingError
from recon_tui.quickbooks.chart import AccountCheck
from recon_tui.quickbooks.tie_out_exports import QBFileError
from recon_tui.reporting import drift_warning
from recon_tui.service import access
from recon_tui.service.batch_files import batch_file
from recon_tui.service.books import Books
from recon_tui.service.closing import Closing
from recon_tui.service.importing import Imports
from recon_tui.service.link import Link, QBFigures
from recon_tui.service.review import CountLine, DrillSource, OrderDetail, OrderLine, OrderPayment, Review
from recon_tui.service.unposted import Unposted, debits
from recon_tui.store.drilldown import DrillRow
from recon_tui.store.importer import ImportResult, Progress
from recon_tui.store.posted import Batch
from recon_tui.store.records import StoredRecord

__all__ = ["AgingReport", "Batch", "Cause", "CountLine", "DepositReconciliation", "Diagnosis", "DrillRow",
           "DrillSource", "Drift", "FinalizeError", "FinalizeRequest", "Item", "OrderDetail", "OrderLine",
           "OrderPayment", "PostingError", "QBFigures", "QBFileError", "ReconService", "Reconciliation",
           "StoredRecord", "Summary", "Unposted", "batch_file", "debits", "stored_summary"]


class ReconService:
    """The studio's books for one config and database, as of ``today``.

    ``user`` and ``clock`` say who finalizes, reopens and posts, and when; None: the OS user and the
    real time (tests and snapshots fix them)."""

    def __init__(self, config: Config, db_path: Path, today: date, *, user: str | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.books = Books(config, Path(db_path), today, user, clock)
        self.review = Review(self.books)
        self.closing = Closing(self.books)
        self.link = Link(self.books)
        self.imports = Imports(self.books)

    # -- the books --------------------------------------------------------------------------------

    @property
    def config(self) -> Config:
        return self.books.config

    @property
    def db_path(self) -> Path:
        return self.books.db_path

    @property
    def today(self) -> date:
        return self.books.today

    @property
    def user(self) -> str:
        """Who is working: the user the service was built with, else the OS user (DOMAIN §10)."""
        return self.books.who()

    def may(self, action: str) -> str | None:
        """None when the user may ``action`` (finalize, reopen, post: config ``access``); else why
        not, in one short line for a screen ("lee may not post (access.post lists maria)")."""
        refused = access.refusal(self.config, action, self.user)
        return None if refused is None else refused.reason

    def require(self, action: str) -> None:
        """Raises NotAllowed (naming the user, the key and the config) unless the user may ``action``:
        a face checks before any work, as the service checks again before it writes."""
        self.books.require(action)

    @property
    def clock(self) -> Callable[[], datetime] | None:
        return self.books.clock

    @property
    def studio_name(self) -> str:
        return self.config.studio_name

    @property
    def default_method(self) -> str:
        return self.config.accounting_method

    @contextmanager
    def connection(self) -> Iterator:
        with self.books.connection() as db:
            yield db

    def check(self) -> None:
        """Raises StoreError when the database cannot be used (missing, corrupt, newer)."""
        with self.connection():
            pass

    # -- the review (DOMAIN §5-7) -------------------------------------------------------------------

    def reconcile(self, period: Period, method: str) -> Reconciliation:
        return self.review.reconcile(period, method)

    def summary(self, period: Period) -> Summary:
        """The §5 figures alone: what the review shows (the reports of §6-7 take longer)."""
        return self.review.summary(period)

    def aging(self, as_of: date) -> AgingReport:
        return self.review.aging(as_of)

    def deposit_reconciliation(self, as_of: date) -> DepositReconciliation:
        return self.review.deposit_reconciliation(as_of)

    def count_lines(self, period: Period) -> tuple[CountLine, ...]:
        return self.review.count_lines(period)

    def drilldown(self, period: Period, section: str, key: str, column: str = "amount") -> DrillSource:
        return self.review.drilldown(period, section, key, column)

    def order_of_payment(self, payment_id: str) -> str | None:
        return self.review.order_of_payment(payment_id)

    def order_detail(self, order_id: str, as_of: date) -> OrderDetail | None:
        return self.review.order_detail(order_id, as_of)

    # -- closing (DOMAIN §10) -----------------------------------------------------------------------

    def last_finalized(self) -> StoredRecord | None:
        """The latest finalized reconciliation in force; the next one starts at its current date."""
        return self.closing.last_finalized()

    def previous_date(self) -> date | None:
        """The previous date the next reconciliation must use; None: the first one, entered by the user."""
        return self.closing.previous_date()

    def write_printed(self, record: StoredRecord) -> Path:
        """A finalized record's printed report, written again beside the database."""
        return self.closing.write_printed(record)

    def verify_chain(self):
        """The hash chain over records, reopenings and batches (DOMAIN §10): a Verdict."""
        return self.closing.verify_chain()

    def already_finalized(self, current: date) -> str | None:
        """Why a period through ``current`` cannot be finalized because a record in force covers it
        (in words: which record, by whom, when); None when none does."""
        return self.closing.already_finalized(current)

    def usual_method(self) -> tuple[str, str]:
        """The method a new reconciliation should start with, and why (in words): the last finalized
        record's, else the books' posting method (fixed by the first batch), else the config's."""
        last = self.last_finalized()
        if last is not None:
            return last.method, f"as #{last.number} was finalized"
        books = self.posting_method()
        if books is not None:
            return books, "the books post by it"
        return self.default_method, "the config's method"

    def history(self) -> list[StoredRecord]:
        return self.closing.history()

    def recheck(self) -> dict[int, Drift]:
        """Records in force whose period's sources changed since they were finalized."""
        return self.closing.recheck()

    def finalize_problems(self, request: FinalizeRequest) -> list[str]:
        """Why the request cannot be finalized (empty: it can), without writing anything."""
        return self.closing.finalize_problems(request)

    def finalize(self, request: FinalizeRequest, user: str | None = None) -> tuple[StoredRecord, Path]:
        """Write the record (one transaction) and its printed report beside the database."""
        return self.closing.finalize(request, user)

    def export_report(self, period: Period, method: str) -> Path:
        """The period's report as text (like `recon-tui report`), saved beside the database."""
        return self.closing.export_report(self.reconcile(period, method))

    def reopen(self, number: int, reason: str, user: str | None = None) -> StoredRecord:
        return self.closing.reopen(number, reason, user)

    # -- the QuickBooks link (DOMAIN §8-9) ------------------------------------------------------------

    @property
    def posting_dir(self) -> Path:
        return self.link.posting_dir

    def batches(self) -> list[Batch]:
        """The batches posted; first puts in place any batch file a crashed post left half-done."""
        return self.link.batches()

    def posting_method(self) -> str | None:
        return self.link.posting_method()

    def unposted(self, method: str, through: date) -> list[Entry]:
        return self.link.unposted(method, through)

    def unposted_list(self, method: str, through: date) -> Unposted:
        """The events ``unposted`` lists, a page at a time, with their count and debits."""
        return self.link.unposted_list(method, through)

    def post(self, method: str, through: date, directory: Path | None = None) -> Batch | None:
        return self.link.post(method, through, directory)

    def reexport(self, number: int, directory: Path | None = None) -> tuple[Path, int]:
        return self.link.reexport(number, directory)

    def diagnose(self, method: str, as_of: date, qb: QBFigures) -> Diagnosis:
        """DOMAIN §9 for the method's tie-out account at ``as_of``."""
        return self.link.diagnose(method, as_of, qb)

    def export_hledger(self, method: str, through: date, out: TextIO) -> int:
        return self.link.export_hledger(method, through, out)

    def export_hledger_file(self, method: str, through: date, target: Path) -> int:
        return self.link.export_hledger_file(method, through, target)

    def check_accounts(self, qb_lists: Path) -> AccountCheck:
        """The configured GL accounts against QuickBooks' "Lists to IIF Files" export (DOMAIN §12)."""
        return self.link.check_accounts(qb_lists)

    # -- importing (DOMAIN §3) ----------------------------------------------------------------------

    def import_profile_names(self) -> list[str]:
        """The config's import profiles (DOMAIN §14), for ``import --profile NAME``."""
        return sorted(self.config.import_profiles)

    def import_files(self, directory: Path, progress: Progress | None = None,
                     profile: str | None = None) -> ImportResult:
        return self.imports.import_files(directory, progress, profile)

    def import_checked(self, directory: Path, progress: Progress | None = None,
                       profile: str | None = None) -> tuple[ImportResult, list[str]]:
        """Import (with ``profile``: the studio system's own exports through the config's import
        profile of that name), then say in words which finalized periods the import changed
        (DOMAIN §10: the records stay as finalized; the review and the history show the drift).
        ImportFailed lists every problem (an unknown profile too); nothing was written then."""
        self.imports.profile(profile)  # an unknown name fails before the backup is made
        closed = self.db_path.exists() and self.last_finalized() is not None  # a first import creates it
        before = self.recheck() if closed else {}
        result = self.import_files(directory, progress, profile)
        after = self.recheck() if closed else {}
        return result, [drift_warning(drift) for number, drift in sorted(after.items()) if before.get(number) != drift]

    def import_preview(self, directory: Path, profile: str | None = None,
                       progress: Progress | None = None) -> tuple[ImportResult, list[str]]:
        """The dry run of :meth:`import_checked`: the same result (new, changed and unchanged per
        file) and the finalized periods the import would change, in words; nothing is written and
        no backup is made. ImportFailed lists every problem."""
        result, drifts = self.imports.preview(directory, profile, progress)
        return result, [drift_warning(after).replace("this import changed", "this import would change")
                        for _, after in drifts]

    def replace_with_import(self, directory: Path, progress: Progress | None = None) -> ImportResult:
        return self.imports.replace_with(directory, progress)
