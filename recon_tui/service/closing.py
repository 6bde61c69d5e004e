"""Closing a period (DOMAIN §10): finalizing, the history of records, reopening, the re-check of a
closed period, and the printed reports saved beside the database.

The functions below work on one connection (the rules are ``ledger/closing.py``, the record's
format ``ledger/record.py``, its table ``store/records.py``); :class:`Closing` is what the wizard
and the CLI call, each call on its own connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from recon_tui.config import Config
from recon_tui.crashpoints import reach
from recon_tui.files import write_whole
from recon_tui.ledger import closing as rules
from recon_tui.ledger.closing import Count, Drift, FinalizeError, FinalizeRequest
from recon_tui.ledger.record import record_values, stamp
from recon_tui.ledger.tie_out import Reconciliation
from recon_tui.model import Period
from recon_tui.reporting import record_text, report_text
from recon_tui.service import figures
from recon_tui.service.books import Books, utc_now
from recon_tui.store import chain, queries, records
from recon_tui.store.chain import Verdict
from recon_tui.store.records import StoredRecord
from recon_tui.store.schema import begin_immediate, db_path

LOCK_WAIT = 60.0  # seconds a finalize or reopen waits for another writer

if TYPE_CHECKING:
    import sqlite_utils


def first_previous_date(db: sqlite_utils.Database) -> date | None:
    """The previous date a new reconciliation must use, or None when the user enters it."""
    last = records.latest_in_force(db)
    return date.fromisoformat(last.current_on) if last else None


def already_finalized(record: StoredRecord) -> str:
    """A period someone finalized (perhaps a moment ago, in another window), in words."""
    return (f"the period through {record.current_on} is already finalized as reconciliation #{record.number} "
            f"by {record.finalized_by} on {record.finalized_at[:10]} (after {record.previous_on}); "
            f"see `recon-tui history --show {record.number}`")


def finalized_over(db: sqlite_utils.Database, day: str) -> StoredRecord | None:
    """The record in force that a new period through ``day`` would overlap: the one holding the day,
    or the latest when the day is not after it."""
    covered = records.covering(db, day)
    latest = records.latest_in_force(db)
    if covered is None and latest is not None and latest.current_on >= day:
        covered = latest
    return covered


def validate(db: sqlite_utils.Database, request: FinalizeRequest, today: date, rec: Reconciliation) -> list[Count]:
    """Every reason the request cannot be finalized, at once (FinalizeError); the counts when it can.
    A period a record in force already covers is said first, and alone."""
    current = request.period.current.isoformat()
    covered = finalized_over(db, current)
    if covered is not None:
        raise FinalizeError([already_finalized(covered)])
    system = queries.payment_totals(db, request.period.previous.isoformat(), current)
    return rules.validate(request, today, rec, first_previous_date(db), system)


def finalize(db: sqlite_utils.Database, config: Config, request: FinalizeRequest, *, today: date,
             user: str, now: datetime | None = None, backup: Callable[[], object] | None = None) -> StoredRecord:
    """Write the record in one transaction and return it as stored; ``backup`` runs once the
    request is found valid, before anything is written."""
    rec = figures.reconcile(db, config, request.period, request.method)
    validate(db, request, today, rec)
    if backup is not None:
        backup()
    with write_lock(db, "finalizing"):
        # again, holding the write lock: another finalize of this period may have won meanwhile
        counts = validate(db, request, today, rec)
        previous, current = request.period.previous.isoformat(), request.period.current.isoformat()
        period_sources = records.sources(db, previous, current)
        history_digest = records.history_digest(db, current)
        number = records.next_number(db)
        records.insert(db, record_values(
            number=number, config=config, request=request, rec=rec, counts=counts, user=user, now=now or utc_now(),
            sources=period_sources, fingerprint=records.fingerprint(period_sources, history_digest)))
        reach("finalize:before-commit")
    reach("finalize:after-commit")
    return records.record(db, number)


@contextmanager
def write_lock(db: sqlite_utils.Database, doing: str) -> Iterator[None]:
    """One transaction holding SQLite's write lock (BEGIN IMMEDIATE), committed at the end, rolled
    back on any error; a database busy for over LOCK_WAIT seconds is a FinalizeError in words."""
    if not begin_immediate(db, LOCK_WAIT):
        raise FinalizeError([f"{db_path(db)}: the database is busy (another user {doing}, posting or importing) for over "
                             f"{LOCK_WAIT:.0f} s: nothing was written; try again when they are done"])
    try:
        yield
        db.conn.commit()
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        raise


def history(db: sqlite_utils.Database) -> list[StoredRecord]:
    return records.all_records(db)


def reopen(db: sqlite_utils.Database, number: int, reason: str, *, user: str,
           now: datetime | None = None, backup: Callable[[], object] | None = None) -> StoredRecord:
    """Reopen the latest record in force (recorded, never deleted); FinalizeError if it may not be.
    ``backup`` runs once the reopening is found allowed, before it is written."""
    latest = records.latest_in_force(db)
    target = latest if latest is not None and latest.number == number else records.record(db, number)
    rules.check_reopen(number, reason, latest, target)
    if backup is not None:
        backup()
    with write_lock(db, "reopening"):
        latest = records.latest_in_force(db)  # again, holding the lock: another reopen or finalize may have won
        target = latest if latest is not None and latest.number == number else records.record(db, number)
        rules.check_reopen(number, reason, latest, target)
        records.insert_reopening(db, number, stamp(now or utc_now()), user, reason.strip())
        reach("reopen:before-commit")
    return records.record(db, number)


def recheck(db: sqlite_utils.Database, config: Config) -> list[Drift]:
    """Every record in force whose sources no longer match what was finalized, with what moved."""
    drifts = []
    for record in records.all_records(db):
        if not record.in_force:
            continue
        now = records.sources(db, record.previous_on, record.current_on)
        if records.fingerprint(now, records.history_digest(db, record.current_on)) == record.fingerprint:
            continue
        period = Period(date.fromisoformat(record.previous_on), date.fromisoformat(record.current_on))
        drifts.append(rules.drift(record, now, figures.reconcile(db, config, period, record.method)))
    return drifts


def export_path(db_path: Path, period: Period, method: str) -> Path:
    return Path(db_path).with_name(f"report-{method}-{period.previous}-{period.current}.txt")


def printed_report_path(db_path: Path, number: int) -> Path:
    """``reconciliation-0001.txt`` beside the database."""
    return Path(db_path).with_name(f"reconciliation-{number:04d}.txt")


class Closing:
    """Finalizing, the history and reopening, as the wizard's closing steps and the CLI ask for them."""

    def __init__(self, books: Books) -> None:
        self.books = books

    def last_finalized(self) -> StoredRecord | None:
        """The latest finalized reconciliation in force; the next one starts at its current date."""
        with self.books.connection() as db:
            return records.latest_in_force(db)

    def previous_date(self) -> date | None:
        """The previous date the next reconciliation must use; None: the first one, the user enters it."""
        with self.books.connection() as db:
            return first_previous_date(db)

    def history(self) -> list[StoredRecord]:
        with self.books.connection() as db:
            return history(db)

    def already_finalized(self, current: date) -> str | None:
        with self.books.connection() as db:
            covered = finalized_over(db, current.isoformat())
            return already_finalized(covered) if covered is not None else None

    def recheck(self) -> dict[int, Drift]:
        """Records in force whose period's sources changed since they were finalized."""
        with self.books.connection() as db:
            return {drift.number: drift for drift in recheck(db, self.books.config)}

    def finalize_problems(self, request: FinalizeRequest) -> list[str]:
        """Why the request cannot be finalized (empty: it can), without writing anything."""
        with self.books.connection() as db:
            try:
                validate(db, request, self.books.today,
                         figures.reconcile(db, self.books.config, request.period, request.method))
            except FinalizeError as exc:
                return exc.problems
        return []

    def finalize(self, request: FinalizeRequest, user: str | None = None) -> tuple[StoredRecord, Path]:
        """Write the record (one transaction) and its printed report beside the database."""
        books = self.books
        books.require("finalize", user)
        with books.connection() as db:
            record = finalize(db, books.config, request, today=books.today, user=books.who(user), now=books.now(),
                              backup=lambda: books.backup("finalize"))
        return record, self.write_printed(record)

    def write_printed(self, record: StoredRecord) -> Path:
        """The record's printed report beside the database (again, after a crash left none), whole."""
        return write_whole(printed_report_path(self.books.db_path, record.number),
                           record_text(record, self.books.config.studio_name))

    def verify_chain(self) -> Verdict:
        """DOMAIN §10: every record, reopening and batch against the hash chain."""
        with self.books.connection() as db:
            return chain.verify(db)

    def export_report(self, rec: Reconciliation) -> Path:
        """The period's report as text (like `recon-tui report`), saved beside the database."""
        path = export_path(self.books.db_path, rec.period, rec.method)
        write_whole(path, report_text(rec, self.books.config.studio_name) + "\n")
        return path

    def reopen(self, number: int, reason: str, user: str | None = None) -> StoredRecord:
        self.books.require("reopen", user)
        with self.books.connection() as db:
            return reopen(db, number, reason, user=self.books.who(user), now=self.books.now(),
                          backup=lambda: self.books.backup("reopen"))
