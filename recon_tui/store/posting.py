"""Posting to QuickBooks (DOMAIN §8): numbered batches of every not-yet-posted event, as IIF files.

A batch takes every event dated on or before ``through`` whose key has never been posted, gives
each a DOCNUM (the config's prefix and a sequence number, 11 characters in all), records, in one
transaction, exactly what was posted for each event (the customer's name as the studio has it:
write_iif converts names for QuickBooks itself) and writes the IIF file. What was posted never
changes: an event whose record is edited later keeps its posted entry, and the tie-out diagnosis
(§9) shows the difference. A studio's books use one method, so every batch of a database uses the
method of its first batch.

One post at a time: the batch is taken inside ``BEGIN IMMEDIATE``; a post that had to wait for
another one finds the batch number it was about to take gone and says so (PostingError). Its file
is put in place only after the commit (``batch_files.py``).

How a post of ten years (600,000 events) stays fast (README, "Speed"): under the accrual method the
journal comes from SQL (``journal.AccrualSQL``), one range of dates at a time, inserted straight
into ``posted_entries`` by a second thread (SQLite works without the GIL). That thread hands this
one each range's records as one JSON text, and this one turns them into entries and writes the IIF
text meanwhile, so the file is written from what was recorded, as a re-export is. The cash method's
entries come from the Python rules (``ledger/journal.py``), recorded in chunks by this thread.
"""

from __future__ import annotations

import gc
import json
import queue
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from recon_tui.config import Config
from recon_tui.ledger.diagnosis import Change, PostedAmount
from recon_tui.ledger.entries import Entry, Line, split_key
from recon_tui.quickbooks.iif import Posted, account_types
from recon_tui.store import journal
from recon_tui.store.batch_files import BatchFile, PostingError, finish_files

if TYPE_CHECKING:
    import sqlite_utils

DOCNUM_LENGTH = 11
CHUNK = 20_000  # entries recorded and written at a time from the Python rules
RANGES = 12  # ranges of dates the accrual journal is computed in (the first is on its own: see _ranges)
LOCK_WAIT = 60.0  # seconds a post or re-export waits for another one (or an import) to finish


@dataclass(frozen=True)
class Batch:
    number: int
    method: str
    through: str
    posted_at: str
    posted_by: str
    entries: int
    file: str
    exports: int = 1


def docnum(prefix: str, seq: int) -> str:
    width = DOCNUM_LENGTH - len(prefix)
    number = str(seq).rjust(width, "0")
    if len(number) > width:
        raise PostingError(f"docnum sequence {seq} does not fit in {DOCNUM_LENGTH} characters with prefix "
                           f"{prefix!r} (choose a shorter posting.docnum_prefix)")
    return prefix + number


def _on_tie_out_accounts(entry: Entry, ar: str, deposits: str) -> tuple[int, int]:
    on_ar = on_deposits = 0
    for account, amount in entry.lines:
        if account == ar:
            on_ar += amount
        elif account == deposits:
            on_deposits += amount
    return on_ar, on_deposits


def batch_file(directory: Path, number: int, export: int = 1) -> Path:
    suffix = "" if export == 1 else f"-export-{export}"
    return directory / f"studio-batch-{number:04d}{suffix}.iif"


def posting_method(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT method FROM posting_batches ORDER BY number LIMIT 1").fetchone()
    return row[0] if row else None


def batches(db: sqlite_utils.Database) -> list[Batch]:
    rows = db.execute(
        "SELECT b.number, b.method, b.through, b.posted_at, b.posted_by, b.entries, b.file, "
        "       (SELECT COUNT(*) FROM batch_exports e WHERE e.batch = b.number) "
        "FROM posting_batches b ORDER BY b.number").fetchall()
    return [Batch(*row) for row in rows]


def posted_keys(db: sqlite_utils.Database) -> set[str]:
    return {key for (key,) in db.execute("SELECT event_key FROM posted_entries")}


def check_method(db: sqlite_utils.Database, method: str) -> None:
    used = posting_method(db)
    if used is not None and used != method:
        raise PostingError(f"this studio posts with the {used} method (batch 1); QuickBooks books use one "
                           f"method, so use the {used} method")


def _accrual_sql(db: sqlite_utils.Database, config: Config, method: str) -> journal.AccrualSQL | None:
    """The SQL journal when it applies (accrual), after checking every order line's category is mapped."""
    if method != "accrual":
        return None
    sql = journal.AccrualSQL(config)
    if not sql.usable:
        return None
    unknown = sql.unknown_category(db)
    if unknown is not None:
        raise PostingError(f"order lines have category {unknown!r}, which is not in income_categories of "
                           f"{config.path}: map it to an income account first")
    return sql


def _dates(lo: str, through: date) -> dict[str, str]:
    return {"lo": lo, "hi": (through + timedelta(days=1)).isoformat()}


def unposted(db: sqlite_utils.Database, config: Config, method: str, through: date) -> Iterator[Entry]:
    """Every event's entry dated on or before ``through`` that has never been posted, in posting
    order: by date, then orders by id (each order's events in the order they happen), then adjustments."""
    sql = _accrual_sql(db, config, method)
    with _no_gc():
        if sql is not None:
            read = _Reader()
            rows = db.execute(f"SELECT on_, key, customer, lines FROM ({sql.unposted}) "
                              f"ORDER BY {journal.POSTING_ORDER}", _dates("", through))
            return iter([Entry(key, read.day(on), customer, read.lines(lines)) for on, key, customer, lines in rows])
        done = posted_keys(db)
        todo = [entry for entry in journal.entries(db, config, method, through) if entry.key not in done]
    todo.sort(key=lambda entry: entry.on)  # stable: keeps each order's events in their order
    return iter(todo)


_NAMES: dict[str, str] = {}  # account -> its JSON string (a handful of accounts, a million lines)


def _encode(entry: Entry) -> str:
    """The entry's lines as JSON ``[["Account",cents],...]`` (what json.dumps gives, without its cost)."""
    parts = []
    for account, amount in entry.lines:
        name = _NAMES.get(account)
        if name is None:
            name = _NAMES[account] = json.dumps(account, ensure_ascii=False)
        parts.append(f"[{name},{amount}]")
    return "[" + ",".join(parts) + "]"


class _Reader:
    """Posted records back into entries: dates and lines repeat, so each is parsed once."""

    def __init__(self) -> None:
        self._days: dict[str, date] = {}
        self._lines: dict[str, tuple[Line, ...]] = {}

    def day(self, text: str) -> date:
        day = self._days.get(text)
        if day is None:
            day = self._days[text] = date.fromisoformat(text)
        return day

    def lines(self, text: str) -> tuple[Line, ...]:
        lines = self._lines.get(text)
        if lines is None:
            if len(self._lines) > 200_000:
                self._lines.clear()
            lines = self._lines[text] = tuple(Line(a, n) for a, n in json.loads(text))
        return lines

    def records(self, kind: str, text: str) -> tuple[list[Posted], set[str]]:
        """What ``_records`` read (DOCNUM, date, key, customer, lines, flat) -> the entries, in
        DOCNUM order, and the customers they name."""
        flat = text.split("\0") if kind == "nul" else json.loads(text)
        days, lines = self._days, self._lines
        day, parse = self.day, self.lines
        posted = []
        append = posted.append
        it = iter(flat)
        for number, on, key, customer, text_ in zip(it, it, it, it, it):
            append(Posted(number, Entry(key, days.get(on) or day(on), customer, lines.get(text_) or parse(text_))))
        return posted, set(flat[3::5])


def _records(conn, columns: tuple[str, ...], source: str, params, count: int) -> tuple[str, str]:
    """``count`` records (``columns``: DOCNUM, date, key, customer, lines) as one text, fields and
    records apart by NUL (fast to build and to split), or as a JSON array if a name or key holds a
    NUL itself. One statement: the thread running it waits for the GIL once, not once a row."""
    docnum_, on, key, customer, lines = columns
    (text,) = conn.execute(f"SELECT group_concat({docnum_} || char(0) || {on} || char(0) || {key} || char(0) || "
                           f"{customer} || char(0) || {lines}, char(0)) FROM {source}", params).fetchone()
    if text is not None and text.count("\0") == 5 * count - 1:
        return "nul", text
    (text,) = conn.execute(f"SELECT '[' || group_concat(json_quote({docnum_}) || ',' || json_quote({on}) || ',' || "
                           f"json_quote({key}) || ',' || json_quote({customer}) || ',' || json_quote({lines})) || ']' "
                           f"FROM {source}", params).fetchone()
    return "json", text or "[]"


#: one batch's records with seq in [?, ?], in DOCNUM order, for ``_records``
_BATCH_RECORDS = (("docnum", "posted_on", "event_key", "customer", "lines"),
                  "(SELECT docnum, posted_on, event_key, customer, lines FROM posted_entries "
                  "WHERE batch = ? AND seq BETWEEN ? AND ? ORDER BY seq)")
_INSERT = ("INSERT INTO posted_entries (event_key, kind, record_id, docnum, seq, batch, posted_on, customer, lines, "
           "ar, deposits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


@contextmanager
def _no_gc():
    """Python's cycle collector paused: it would walk every entry built so far again and again
    (hundreds of thousands of tuples, none of them in a cycle), doubling the time to build them."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")


# -- the journal of a batch, recorded and handed over in chunks ----------------------------------

class _Chunks:
    """Records the batch's entries and yields them in chunks: ``(entries, customers)``."""

    def __iter__(self) -> Iterator[tuple[list[Posted], set[str]]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class _RuleChunks(_Chunks):
    """Entries from the Python rules (or given), recorded by this thread a chunk at a time."""

    def __init__(self, db, config: Config, todo: list[Entry], number: int, first: int) -> None:
        self.db, self.todo, self.number, self.first = db, todo, number, first
        self.prefix = config.docnum_prefix
        self.ar, self.deposits = config.gl_accounts.accounts_receivable, config.gl_accounts.customer_deposits

    def __iter__(self):
        conn, todo, number = self.db.conn, self.todo, self.number
        docnum(self.prefix, self.first + len(todo) - 1)  # the last one must fit too
        for start in range(0, len(todo), CHUNK):
            posted = [Posted(docnum(self.prefix, self.first + i), entry)
                      for i, entry in enumerate(todo[start:start + CHUNK], start)]
            conn.executemany(_INSERT, [
                (p.entry.key, *split_key(p.entry.key), p.docnum, self.first + i, number, p.entry.on.isoformat(),
                 p.entry.customer, _encode(p.entry), *_on_tie_out_accounts(p.entry, self.ar, self.deposits))
                for i, p in enumerate(posted, start)])
            yield posted, {p.entry.customer for p in posted}


def _ranges(first_day: str, through: date, count: int = RANGES) -> list[tuple[str, str]]:
    """``[lo, hi)`` date ranges covering every date up to ``through``: ``count`` even ones, the
    first and the last cut small (the writing thread waits for the first; after the last only
    that one is left to write)."""
    start, end = date.fromisoformat(first_day), through + timedelta(days=1)
    days = (end - start).days
    steps = 4 * count
    cuts = sorted({start + timedelta(days=days * k // steps) for k in (1, *range(4, steps, 4), steps - 1)} - {start})
    bounds = ["", *(cut.isoformat() for cut in cuts if cut < end), end.isoformat()]
    return list(zip(bounds, bounds[1:]))


class _AccrualChunks(_Chunks):
    """The accrual journal from SQL, range of dates by range. A second thread, for each range, puts
    the entries in posting order into a temporary table (its rowid is their number in the range),
    inserts them into ``posted_entries`` and reads them back as one text (``_records``: one
    statement each, so it never waits for the GIL between rows); this thread turns that text into
    entries and writes them while the next range is computed. (Numbering with row_number() instead
    of the rowid cost a third more: SQLite keeps every row of the window in a table of its own.)"""

    def __init__(self, db, config: Config, sql: journal.AccrualSQL, through: date, number: int, first: int) -> None:
        self.db, self.number, self.first, self.through = db, number, first, through
        self.prefix = config.docnum_prefix
        # on a database never posted, nothing needs leaving out
        self.events = sql.unposted if db.execute("SELECT 1 FROM posted_entries LIMIT 1").fetchone() else sql.events
        self.first_day = sql.first_day(db)
        self.handed: queue.SimpleQueue = queue.SimpleQueue()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def _work(self) -> None:
        conn, handed, number = self.db.conn, self.handed, self.number
        seq = "(:base + n)"
        docnum_ = f"printf('%s%0{DOCNUM_LENGTH - len(self.prefix)}d', :prefix, {seq})"
        try:
            conn.execute("DROP TABLE IF EXISTS temp.posting_range")
            conn.execute("CREATE TEMP TABLE posting_range (n INTEGER PRIMARY KEY, key, kind, record, on_, customer, "
                         "lines, ar, deposits)")
            base = self.first - 1
            if self.first_day is not None and self.first_day <= self.through.isoformat():
                for lo, hi in _ranges(self.first_day, self.through):
                    if self.stop.is_set():
                        return
                    conn.execute("DELETE FROM temp.posting_range")
                    count = conn.execute(
                        f"INSERT INTO temp.posting_range (key, kind, record, on_, customer, lines, ar, deposits) "
                        f"SELECT key, kind, record, on_, customer, lines, ar, deposits FROM ({self.events}) "
                        f"ORDER BY {journal.POSTING_ORDER}", {"lo": lo, "hi": hi}).rowcount
                    if not count:
                        continue
                    params = {"base": base, "prefix": self.prefix, "batch": number}
                    conn.execute(f"INSERT INTO posted_entries (event_key, kind, record_id, docnum, seq, batch, "
                                 f"posted_on, customer, lines, ar, deposits) SELECT key, kind, record, {docnum_}, "
                                 f"{seq}, :batch, on_, customer, lines, ar, deposits FROM temp.posting_range", params)
                    handed.put((base + count, *_records(conn, (docnum_, "on_", "key", "customer", "lines"),
                                                        "temp.posting_range", params, count)))
                    base += count
            conn.execute("DROP TABLE temp.posting_range")
            handed.put(None)
        except BaseException as error:  # noqa: BLE001 - handed to the reading thread, which raises it
            handed.put(error)

    def __iter__(self):
        self.thread = threading.Thread(target=self._work, name="posting", daemon=True)
        self.thread.start()
        read = _Reader()
        while (item := self.handed.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            last, kind, text = item
            docnum(self.prefix, last)  # a DOCNUM that does not fit: say so before writing it
            yield read.records(kind, text)

    def close(self) -> None:
        thread = self.thread
        if thread is not None and thread.is_alive():
            self.stop.set()
            self.db.conn.interrupt()  # the statement running now stops (the transaction is given up anyway)
            thread.join()


# -- posting and re-exporting --------------------------------------------------------------------

def _commit(conn: sqlite3.Connection) -> None:
    conn.commit()


def _record(conn: sqlite3.Connection, what: str) -> None:
    """Commit; a commit that fails is a PostingError (the caller rolls back and removes the file)."""
    try:
        _commit(conn)
    except sqlite3.Error as exc:
        raise PostingError(f"{what} could not be recorded ({exc}); nothing was posted") from None


def _next_number(db) -> int:
    return db.execute("SELECT COALESCE(MAX(number), 0) FROM posting_batches").fetchone()[0] + 1


def _begin(db, what: str) -> None:
    """BEGIN IMMEDIATE (the write lock, so two posts cannot both take a number), waiting up to
    LOCK_WAIT seconds for another writer."""
    conn = db.conn
    if conn.in_transaction:
        conn.commit()
    (wait,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute(f"PRAGMA busy_timeout = {int(LOCK_WAIT * 1000)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise PostingError(f"the database is busy (another post taking {what}, or an import) for over "
                               f"{LOCK_WAIT:.0f} s: try again when it is done") from None
        raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {wait}")


def _abandon(conn: sqlite3.Connection, file: BatchFile | None) -> None:
    """Nothing of a failed post or re-export stays: the transaction rolled back, its file removed."""
    if conn.in_transaction:
        conn.rollback()
    if file is not None:
        file.discard()


def _taken(db, number: int) -> PostingError:
    row = db.execute("SELECT entries, through, posted_by, posted_at FROM posting_batches WHERE number = ?",
                     (number,)).fetchone()
    said = f" ({row[0]} entries through {row[1]}, by {row[2]} at {row[3]})" if row else ""
    return PostingError(f"another post took batch {number}{said} while this one waited; nothing was posted "
                        "here: run post again for whatever is left")


def post(db: sqlite_utils.Database, config: Config, method: str, through: date, directory: Path, *,
         user: str, now: datetime | None = None, entries: Iterable[Entry] | None = None) -> Batch | None:
    """Post every unposted event dated on or before ``through`` as the next batch; None if none.

    The batch is recorded and its IIF file written under a temporary name; the file is put in
    place once the batch is committed (see the module's docstring)."""
    directory = Path(directory)
    check_method(db, method)
    finish_files(db, directory)
    expected = _next_number(db)
    conn = db.conn
    _begin(db, f"batch {expected}")
    file = chunks = None
    try:
        number = _next_number(db)
        if number != expected:
            raise _taken(db, expected)
        check_method(db, method)
        path = batch_file(directory, number)
        if path.exists():
            raise PostingError(f"{path}: already exists (a batch file from another database?); move it away first")
        first = db.execute("SELECT COALESCE(MAX(seq), 0) FROM posted_entries").fetchone()[0] + 1
        accounts = account_types(config)
        conn.execute("PRAGMA defer_foreign_keys = ON")  # the batch row comes last, with its count
        sql = _accrual_sql(db, config, method) if entries is None else None
        if sql is not None:
            chunks = _AccrualChunks(db, config, sql, through, number, first)
        else:
            todo = list(unposted(db, config, method, through) if entries is None else entries)
            chunks = _RuleChunks(db, config, todo, number, first)
        file = BatchFile(db, path)
        try:
            with _no_gc():
                count = file.write(chunks, accounts)
        finally:
            chunks.close()
        if not count:
            file.discard()
            conn.rollback()
            return None
        stamp = _stamp(now)
        conn.execute("INSERT INTO posting_batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (number, method, through.isoformat(), stamp, user, count, str(path)))
        conn.execute("INSERT INTO batch_exports VALUES (?, 1, ?, ?, ?)", (number, stamp, user, str(path)))
        _record(conn, f"batch {number}")
    except BaseException:
        if chunks is not None:
            chunks.close()
        _abandon(conn, file)
        raise
    file.put_in_place(f"batch {number}")
    return Batch(number, method, through.isoformat(), stamp, user, count, str(path), 1)


def posted_account_types(config: Config, posted: list[Posted]) -> dict[str, str]:
    """The config's account types; a batch posted to an account since renamed in the config cannot
    be re-exported (its ACCNT type is unknown), and the error names the account."""
    types = account_types(config)
    missing = sorted({line.account for p in posted for line in p.entry.lines} - set(types))
    if missing:
        raise PostingError(f"the batch posted to {', '.join(missing)}, no longer in the config; put the old "
                           "names back in config/recon.yaml to re-export it")
    return types


def batch_entries(db: sqlite_utils.Database, number: int) -> list[Posted]:
    """What was posted in batch ``number``, in DOCNUM order."""
    read = _Reader()
    out: list[Posted] = []
    low, high = db.execute("SELECT MIN(seq), MAX(seq) FROM posted_entries WHERE batch = ?", (number,)).fetchone()
    for start in range(low or 0, (high or -1) + 1, 50_000):
        end = min(start + 49_999, high)
        (count,) = db.execute("SELECT COUNT(*) FROM posted_entries WHERE batch = ? AND seq BETWEEN ? AND ?",
                              (number, start, end)).fetchone()
        out += read.records(*_records(db.conn, *_BATCH_RECORDS, (number, start, end), count))[0]
    return out


def reexport(db: sqlite_utils.Database, config: Config, number: int, directory: Path, *,
             user: str, now: datetime | None = None) -> tuple[Path, int]:
    """Write batch ``number`` again (same entries, same DOCNUMs) and count the export."""
    directory = Path(directory)
    finish_files(db, directory)
    row = db.execute("SELECT number FROM posting_batches WHERE number = ?", (number,)).fetchone()
    if row is None:
        known = [b.number for b in batches(db)]
        raise PostingError(f"no posting batch {number} (batches: {', '.join(map(str, known)) or 'none yet'})")
    conn = db.conn
    _begin(db, f"an export of batch {number}")
    file = None
    try:
        export = db.execute("SELECT MAX(export) FROM batch_exports WHERE batch = ?", (number,)).fetchone()[0] + 1
        path = batch_file(directory, number, export)
        if path.exists():
            raise PostingError(f"{path}: already exists (from another database?); move it away first")
        with _no_gc():
            posted = batch_entries(db, number)
            accounts = posted_account_types(config, posted)
            file = BatchFile(db, path)
            file.write([(posted, {p.entry.customer for p in posted})], accounts)
        conn.execute("INSERT INTO batch_exports VALUES (?, ?, ?, ?, ?)", (number, export, _stamp(now), user, str(path)))
        _record(conn, f"export {export} of batch {number}")
    except BaseException:
        _abandon(conn, file)
        raise
    file.put_in_place(f"export {export} of batch {number}")
    return path, export


# -- what the diagnosis (DOMAIN §9) needs from the posted entries ---------------------------------

def _field(method: str) -> str:
    return "ar" if method == "accrual" else "deposits"


def _posted_amount(docnum_, key, batch, on, amount, sign) -> PostedAmount:
    return PostedAmount(docnum_, key, batch, date.fromisoformat(on), sign * amount)


def posted_total(db: sqlite_utils.Database, method: str, as_of: date, sign: int) -> int:
    field = _field(method)
    return sign * db.execute(f"SELECT COALESCE(SUM({field}), 0) FROM posted_entries WHERE posted_on <= ?",
                             (as_of.isoformat(),)).fetchone()[0]


def changes(db: sqlite_utils.Database, method: str, as_of: date, sign: int) -> list[Change]:
    """Every event whose amount on the tie-out account differs between today's records and what was
    posted, each side counting only what is dated on or before ``as_of`` (one SQL pass).

    The rows come back as one JSON text: the diagnosis runs this beside a thread reading the
    QuickBooks export, and every row fetched would wait for that thread to hand over the GIL.
    (Comparing both sides as sets of ``key amount`` texts in Python instead of joining them here
    was tried: building the texts costs SQLite more than the join.)"""
    field = _field(method)
    (found,) = db.execute(f"""
        WITH today(key, on_, amount) AS ({journal.ACCOUNT_SQL[method]}),
        changed(key, on_, amount, docnum, batch, posted_on, posted) AS (
            SELECT t.key, t.on_, t.amount, e.docnum, e.batch, e.posted_on, e.{field}
              FROM today t LEFT JOIN posted_entries e ON e.event_key = t.key
             WHERE (CASE WHEN t.on_ <= :c THEN t.amount ELSE 0 END)
                != COALESCE(CASE WHEN e.posted_on <= :c THEN e.{field} ELSE 0 END, 0)
            UNION ALL  -- posted order events that no longer happen (payments and adjustments are never deleted)
            SELECT e.event_key, NULL, NULL, e.docnum, e.batch, e.posted_on, e.{field}
              FROM posted_entries e LEFT JOIN orders o ON o.order_id = e.record_id
             WHERE e.kind IN ('completed', 'voided') AND e.posted_on <= :c AND e.{field} != 0
               AND (o.completed_on IS NULL OR (e.kind = 'voided' AND o.voided_on IS NULL)))
        SELECT json_group_array(json_array(key, on_, amount, docnum, batch, posted_on, posted)) FROM changed""",
                          {"c": as_of.isoformat()}).fetchone()
    out = []
    for key, on, amount, docnum_, batch, posted_on, posted_amount in json.loads(found):
        posted = None if docnum_ is None else _posted_amount(docnum_, key, batch, posted_on, posted_amount, sign)
        out.append(Change(key, date.fromisoformat(on) if on else None, None if amount is None else sign * amount, posted))
    return out


def expected(db: sqlite_utils.Database, method: str, as_of: date, sign: int) -> dict[str, int]:
    """DOCNUM -> amount of every posted entry dated on or before ``as_of`` with an amount on the
    tie-out account (plain ints: there are hundreds of thousands; ``by_docnum`` gives the rest).
    Their sum is ``posted_total``. One text, like ``changes``; a DOCNUM is letters and digits."""
    field = _field(method)
    (text,) = db.execute(f"SELECT group_concat(docnum || ' ' || ({sign} * {field}), ' ') FROM posted_entries "
                         f"WHERE posted_on <= ? AND {field} != 0", (as_of.isoformat(),)).fetchone()
    parts = iter(text.split(" ") if text else ())
    return dict(zip(parts, map(int, parts)))


def by_docnum(db: sqlite_utils.Database, method: str, docnums: set[str], sign: int) -> dict[str, PostedAmount]:
    field = _field(method)
    found: dict[str, PostedAmount] = {}
    wanted = sorted(docnums)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for row in db.execute(f"SELECT docnum, event_key, batch, posted_on, {field} FROM posted_entries "
                              f"WHERE docnum IN ({','.join('?' * len(chunk))})", chunk):
            found[row[0]] = _posted_amount(*row, sign)
    return found


def docnums_before(db: sqlite_utils.Database, method: str, start: date) -> list[str]:
    """The DOCNUMs of the posted entries dated before ``start`` with an amount on the tie-out account
    (a QuickBooks export that starts on ``start`` holds them in its opening balance). One text, as ``expected``."""
    field = _field(method)
    (text,) = db.execute(f"SELECT group_concat(docnum, ' ') FROM posted_entries WHERE posted_on < ? AND {field} != 0",
                         (start.isoformat(),)).fetchone()
    return text.split(" ") if text else []
