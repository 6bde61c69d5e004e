"""Posting to QuickBooks (DOMAIN §8): numbered batches of every not-yet-posted event, as IIF files.

A batch takes every event dated on or before ``through`` whose key has never been posted, gives
each a DOCNUM (the config's prefix and a sequence number, 11 characters in all), records, in one
transaction, exactly what was posted for each event (the customer's name as the studio has it:
the IIF writer converts names for QuickBooks itself) and writes the IIF file. What was posted never
changes: an event whose record is edited later keeps its posted entry, and the tie-out diagnosis
(§9) shows the difference. A studio's books use one method, so every batch of a database uses the
method of its first batch.

One post at a time: the batch is taken inside ``BEGIN IMMEDIATE``; a post that had to wait for
another one finds the batch number it was about to take gone and says so (PostingError). Its file
is put in place only after the commit (``batch_files.py``).

How a post of ten years stays fast is told in ``store/posted.py``: under the accrual method the
store records the SQL journal in a second thread and hands the entries over range by range, while
this thread writes the IIF text; the cash method's entries come from the Python rules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from recon_tui.config import Config
from recon_tui.crashpoints import reach
from recon_tui.gc_pause import gc_paused
from recon_tui.ledger.record import stamp
from recon_tui.model import ACCRUAL, CASH, Entry, Method, Posted, PostingError
from recon_tui.quickbooks.iif_writer import account_types
from recon_tui.service import journal
from recon_tui.service.batch_files import BatchFile, batch_file, finish_files
from recon_tui.service.books import utc_now
from recon_tui.store import chain
from recon_tui.store import journal as journal_sql
from recon_tui.store import posted
from recon_tui.store.posted import Batch, batch_entries, batches
from recon_tui.store.schema import begin_immediate, db_path

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["Batch", "PostingError", "batch_entries", "batch_file", "batches", "check_method", "post",
           "posted_account_types", "reexport", "unposted"]

LOCK_WAIT = 60.0  # seconds a post or re-export waits for another one (or an import) to finish


def check_method(db: sqlite_utils.Database, method: str) -> None:
    """A studio's QuickBooks books use one method: that of its first batch."""
    used = posted.posting_method(db)
    if used is not None and used != method:
        raise PostingError(f"this studio posts with the {used} method (batch 1); QuickBooks books use one "
                           f"method, so use the {used} method")


def accrual_sql(db: sqlite_utils.Database, config: Config, method: str) -> journal_sql.AccrualSQL | None:
    """The SQL journal when it applies (accrual), after checking every order line's category is mapped."""
    if not Method.of(method).accrues:
        return None
    sql = journal_sql.AccrualSQL(config)
    if not sql.usable:
        return None
    unknown = sql.unknown_category(db)
    if unknown is not None:
        raise PostingError(f"order lines have category {unknown!r}, which is not in income_categories of "
                           f"{config.path}: map it to an income account first")
    return sql


def unposted(db: sqlite_utils.Database, config: Config, method: str, through: date) -> Iterator[Entry]:
    """Every event's entry dated on or before ``through`` that has never been posted, in posting
    order: by date, then orders by id (each order's events in the order they happen), then adjustments."""
    sql = accrual_sql(db, config, method)
    with gc_paused():
        if sql is not None:
            return iter(posted.unposted_accrual(db, sql, through))
        done = posted.posted_keys(db)
        todo = [entry for entry in journal.entries(db, config, method, through) if entry.key not in done]
    todo.sort(key=lambda entry: entry.on)  # stable: keeps each order's events in their order
    return iter(todo)


def posted_account_types(config: Config, entries: list[Posted]) -> dict[str, str]:
    """The config's account types; a batch posted to an account since renamed in the config cannot
    be re-exported (its ACCNT type is unknown), and the error names the account."""
    types = account_types(config)
    missing = sorted({line.account for p in entries for line in p.entry.lines} - set(types))
    if missing:
        raise PostingError(f"the batch posted to {', '.join(missing)}, no longer in the config; put the old "
                           "names back in config/recon.yaml to re-export it")
    return types


# -- the transaction around a batch or an export -------------------------------------------------

def _commit(conn: sqlite3.Connection) -> None:
    conn.commit()


def _record(conn: sqlite3.Connection, what: str) -> None:
    """Commit; a commit that fails is a PostingError (the caller rolls back and removes the file)."""
    try:
        _commit(conn)
    except sqlite3.Error as exc:
        raise PostingError(f"{what} could not be recorded ({exc}); nothing was posted") from None


def _begin(db, what: str) -> None:
    """BEGIN IMMEDIATE (the write lock, so two posts cannot both take a number), waiting up to
    LOCK_WAIT seconds for another writer."""
    if not begin_immediate(db, LOCK_WAIT):
        raise PostingError(f"{db_path(db)}: the database is busy (another post taking {what}, or an import) for over "
                           f"{LOCK_WAIT:.0f} s: try again when it is done")


def _abandon(conn: sqlite3.Connection, file: BatchFile | None) -> None:
    """Nothing of a failed post or re-export stays: the transaction rolled back, its file removed."""
    if conn.in_transaction:
        conn.rollback()
    if file is not None:
        file.discard()


def _taken(db, number: int) -> PostingError:
    row = posted.batch_summary(db, number)
    said = f" ({row[0]} entries through {row[1]}, by {row[2]} at {row[3]})" if row else ""
    return PostingError(f"another post took batch {number}{said} while this one waited; nothing was posted "
                        "here: run post again for whatever is left")


# -- posting and re-exporting --------------------------------------------------------------------

def post(db: sqlite_utils.Database, config: Config, method: str, through: date, directory: Path, *,
         user: str, now: datetime | None = None, entries: Iterable[Entry] | None = None) -> Batch | None:
    """Post every unposted event dated on or before ``through`` as the next batch; None if none.

    The batch is recorded and its IIF file written under a temporary name; the file is put in
    place once the batch is committed (see the module's docstring)."""
    directory = Path(directory)
    check_method(db, method)
    finish_files(db, directory)
    expected = posted.next_batch_number(db)
    conn = db.conn
    _begin(db, f"batch {expected}")
    file = chunks = None
    try:
        number = posted.next_batch_number(db)
        if number != expected:
            raise _taken(db, expected)
        check_method(db, method)
        path = batch_file(directory, number)
        if path.exists():
            raise PostingError(f"{path}: already exists (a batch file from another database?); move it away first")
        first = posted.next_seq(db)
        accounts = account_types(config)
        posted.defer_foreign_keys(db)  # the batch row comes last, with its count
        sql = accrual_sql(db, config, method) if entries is None else None
        if sql is not None:
            chunks = posted.AccrualRecorder(db, config.docnum_prefix, sql, through, number, first)
        else:
            todo = list(unposted(db, config, method, through) if entries is None else entries)
            gl = config.gl_accounts
            chunks = posted.EntryRecorder(db, config.docnum_prefix, todo, number, first, ACCRUAL.account(gl),
                                          CASH.account(gl))
        file = BatchFile(db, path)
        try:
            with gc_paused(), posted.guard_lifted(db):
                count = file.write(chunks, accounts)
        finally:
            chunks.close()
        if not count:
            file.discard()
            conn.rollback()
            return None
        batch = Batch(number, method, through.isoformat(), stamp(now or utc_now()), user, count, str(path), 1)
        posted.insert_batch(db, batch)
        chain.append(conn, "batch", number)
        reach("post:before-commit")
        _record(conn, f"batch {number}")
        reach("post:after-commit")
    except BaseException:
        if chunks is not None:
            chunks.close()
        _abandon(conn, file)
        raise
    file.put_in_place(f"batch {number}")
    return batch


def reexport(db: sqlite_utils.Database, config: Config, number: int, directory: Path, *,
             user: str, now: datetime | None = None) -> tuple[Path, int]:
    """Write batch ``number`` again (same entries, same DOCNUMs) and count the export."""
    directory = Path(directory)
    finish_files(db, directory)
    if posted.batch_summary(db, number) is None:
        known = [b.number for b in batches(db)]
        raise PostingError(f"no posting batch {number} (batches: {', '.join(map(str, known)) or 'none yet'})")
    conn = db.conn
    _begin(db, f"an export of batch {number}")
    file = None
    try:
        export = posted.next_export(db, number)
        path = batch_file(directory, number, export)
        if path.exists():
            raise PostingError(f"{path}: already exists (from another database?); move it away first")
        with gc_paused():
            entries = batch_entries(db, number)
            accounts = posted_account_types(config, entries)
            file = BatchFile(db, path)
            file.write([(entries, {p.entry.customer for p in entries})], accounts)
        posted.insert_export(db, number, export, stamp(now or utc_now()), user, str(path))
        _record(conn, f"export {export} of batch {number}")
    except BaseException:
        _abandon(conn, file)
        raise
    file.put_in_place(f"export {export} of batch {number}")
    return path, export
