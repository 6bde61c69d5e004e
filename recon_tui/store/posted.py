"""What was posted to QuickBooks (DOMAIN §8), in SQLite: the batches, each event's posted entry,
and the recording of a new batch's entries.

A posted entry is recorded once and never changes (the database refuses it): the customer's name
as the studio has it, the entry's lines as JSON (``[["Account",cents],...]``) and its amounts on
the two tie-out accounts beside them (``ar``, ``deposits``). The service decides what to post and
writes the IIF file (``service/posting.py``); this module only reads and writes the tables.

How a post of ten years (600,000 events) stays fast (README, "Speed"): under the accrual method the
journal comes from SQL (``journal.AccrualSQL``), one range of dates at a time, inserted straight
into ``posted_entries`` by a second thread (SQLite works without the GIL). That thread hands the
posting one each range's records as one text, which ``Reader.records`` turns into entries while
the next range is computed, so the file is written from what was recorded, as a re-export is. The
cash method's entries come from the Python rules, recorded in chunks by the posting thread.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from recon_tui.model import DOCNUM_LENGTH, Entry, Line, Posted, docnum, split_key
from recon_tui.store import journal
from recon_tui.store.schema import POSTED_ENTRIES_GUARD

if TYPE_CHECKING:
    import sqlite_utils

CHUNK = 20_000  # entries recorded and written at a time from the Python rules
RANGES = 12  # ranges of dates the accrual journal is computed in (the first is on its own: see _ranges)


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


# -- reading --------------------------------------------------------------------------------------

def posting_method(db: sqlite_utils.Database) -> str | None:
    """The method of the first batch: a studio's books use one."""
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


def next_batch_number(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COALESCE(MAX(number), 0) FROM posting_batches").fetchone()[0] + 1


def next_seq(db: sqlite_utils.Database) -> int:
    """The sequence number (and so the DOCNUM) the next posted entry takes."""
    return db.execute("SELECT COALESCE(MAX(seq), 0) FROM posted_entries").fetchone()[0] + 1


def batch_summary(db: sqlite_utils.Database, number: int) -> tuple | None:
    """(entries, through, posted_by, posted_at) of batch ``number``."""
    return db.execute("SELECT entries, through, posted_by, posted_at FROM posting_batches WHERE number = ?",
                      (number,)).fetchone()


def next_export(db: sqlite_utils.Database, number: int) -> int | None:
    """The number the next export of batch ``number`` takes; None when there is no such batch."""
    row = db.execute("SELECT MAX(export) FROM batch_exports WHERE batch = ?", (number,)).fetchone()
    return None if row[0] is None else row[0] + 1


def export_files(db: sqlite_utils.Database) -> list[tuple[int, int, str]]:
    """(batch, export, file) of every file a batch or re-export was written to."""
    return db.execute("SELECT batch, export, file FROM batch_exports").fetchall()


def unposted_accrual(db: sqlite_utils.Database, sql: journal.AccrualSQL, through: date) -> list[Entry]:
    """The accrual journal's entries dated on or before ``through`` never posted, in posting order."""
    read = Reader()
    rows = db.execute(f"SELECT on_, key, customer, lines FROM ({sql.unposted}) "
                      f"ORDER BY {journal.POSTING_ORDER}", _dates("", through))
    return [Entry(key, read.day(on), customer, read.lines(lines)) for on, key, customer, lines in rows]


def unposted_accrual_window(db: sqlite_utils.Database, sql: journal.AccrualSQL, lo: date, hi: date) -> list[Entry]:
    """The unposted accrual entries dated in ``[lo, hi)``, in posting order (a page of the Post screen)."""
    read = Reader()
    rows = db.execute(f"SELECT on_, key, customer, lines FROM ({sql.unposted}) ORDER BY {journal.POSTING_ORDER}",
                      {"lo": lo.isoformat(), "hi": hi.isoformat()})
    return [Entry(key, read.day(on), customer, read.lines(lines)) for on, key, customer, lines in rows]


#: an entry's debits (its positive lines) from its JSON lines, in integer cents
_DEBITS = ("(SELECT SUM(json_extract(j.value, '$[1]')) FROM json_each(lines) j "
           "WHERE json_extract(j.value, '$[1]') > 0)")


def unposted_accrual_summary(db: sqlite_utils.Database, sql: journal.AccrualSQL, through: date) -> tuple[int, int]:
    """How many unposted accrual entries are dated through ``through``, and their debits."""
    count, total = db.execute(f"SELECT COUNT(*), COALESCE(SUM({_DEBITS}), 0) FROM ({sql.unposted})",
                              _dates("", through)).fetchone()
    return count, total


def first_unposted_day(db: sqlite_utils.Database, through: date) -> date | None:
    """The earliest date of an event through ``through`` never posted (a lower bound for either
    method: every entry's date is the date of an event whose key it has); None when all are posted."""
    unposted = "NOT IN (SELECT event_key FROM posted_entries)"
    (day,) = db.execute(f"""
        SELECT MIN(d) FROM (
          SELECT MIN(paid_on) AS d FROM payments WHERE paid_on < :hi AND 'payment:' || payment_id {unposted}
          UNION ALL SELECT MIN(completed_on) FROM orders
           WHERE completed_on < :hi AND 'order:' || order_id || ':completed' {unposted}
          UNION ALL SELECT MIN(voided_on) FROM orders WHERE voided_on < :hi AND completed_on IS NOT NULL
             AND 'order:' || order_id || ':voided' {unposted}
          UNION ALL SELECT MIN(adjusted_on) FROM credit_adjustments
           WHERE adjusted_on < :hi AND 'adjustment:' || adjustment_id {unposted})""", _dates("", through)).fetchone()
    return date.fromisoformat(day) if day else None


def posted_among(db: sqlite_utils.Database, keys: list[str]) -> set[str]:
    """Those of ``keys`` already posted."""
    if not keys:
        return set()
    return {key for (key,) in db.execute("SELECT event_key FROM posted_entries WHERE event_key IN "
                                         "(SELECT value FROM json_each(?))", (json.dumps(keys),))}


def batch_entries(db: sqlite_utils.Database, number: int) -> list[Posted]:
    """What was posted in batch ``number``, in DOCNUM order."""
    read = Reader()
    out: list[Posted] = []
    low, high = db.execute("SELECT MIN(seq), MAX(seq) FROM posted_entries WHERE batch = ?", (number,)).fetchone()
    for start in range(low or 0, (high or -1) + 1, 50_000):
        end = min(start + 49_999, high)
        (count,) = db.execute("SELECT COUNT(*) FROM posted_entries WHERE batch = ? AND seq BETWEEN ? AND ?",
                              (number, start, end)).fetchone()
        out += read.records(*_records(db.conn, *_BATCH_RECORDS, (number, start, end), count))[0]
    return out


class Reader:
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


def _dates(lo: str, through: date) -> dict[str, str]:
    return {"lo": lo, "hi": (through + timedelta(days=1)).isoformat()}


# -- writing (inside the caller's transaction) ----------------------------------------------------

@contextmanager
def guard_lifted(db: sqlite_utils.Database) -> Iterator[None]:
    """Inside a post's transaction (the write lock held): posted_entries' per-row guard against
    ``INSERT OR REPLACE`` is dropped while the batch's own entries go in with plain INSERTs (their
    keys, DOCNUMs and numbers still checked unique), and created again before the commit. Both are
    part of the transaction: a rollback or a crash restores the guard with everything else."""
    db.conn.execute("DROP TRIGGER posted_entries_never_replaced")
    yield
    db.conn.execute(POSTED_ENTRIES_GUARD)


def defer_foreign_keys(db: sqlite_utils.Database) -> None:
    """The batch row may come after its entries, in the same transaction."""
    db.conn.execute("PRAGMA defer_foreign_keys = ON")


def insert_batch(db: sqlite_utils.Database, batch: Batch) -> None:
    """The batch and its first export."""
    conn = db.conn
    conn.execute("INSERT INTO posting_batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (batch.number, batch.method, batch.through, batch.posted_at, batch.posted_by, batch.entries,
                  batch.file))
    conn.execute("INSERT INTO batch_exports VALUES (?, 1, ?, ?, ?)",
                 (batch.number, batch.posted_at, batch.posted_by, batch.file))


def insert_export(db: sqlite_utils.Database, number: int, export: int, at: str, by: str, file: str) -> None:
    db.conn.execute("INSERT INTO batch_exports VALUES (?, ?, ?, ?, ?)", (number, export, at, by, file))


# -- the entries of a new batch, recorded and handed over in chunks --------------------------------

class Recorder:
    """Records a batch's entries and yields them in chunks: ``(entries, customers)``."""

    def __iter__(self) -> Iterator[tuple[list[Posted], set[str]]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class EntryRecorder(Recorder):
    """Given entries (from the Python rules), recorded by the calling thread a chunk at a time, each
    numbered on from ``first``. ``ar`` and ``deposits`` are the tie-out accounts' names."""

    def __init__(self, db, prefix: str, todo: list[Entry], number: int, first: int, ar: str, deposits: str) -> None:
        self.db, self.prefix, self.todo, self.number, self.first = db, prefix, todo, number, first
        self.ar, self.deposits = ar, deposits
        self.names: dict[str, str] = {}  # account -> its JSON string (a handful of accounts, a million lines)

    def __iter__(self):
        conn, todo, number = self.db.conn, self.todo, self.number
        docnum(self.prefix, self.first + len(todo) - 1)  # the last one must fit too
        for start in range(0, len(todo), CHUNK):
            posted = [Posted(docnum(self.prefix, self.first + i), entry)
                      for i, entry in enumerate(todo[start:start + CHUNK], start)]
            conn.executemany(_INSERT, [
                (p.entry.key, *split_key(p.entry.key), p.docnum, self.first + i, number, p.entry.on.isoformat(),
                 p.entry.customer, self._encode(p.entry), *self._on_tie_out_accounts(p.entry))
                for i, p in enumerate(posted, start)])
            yield posted, {p.entry.customer for p in posted}

    def _encode(self, entry: Entry) -> str:
        """The entry's lines as JSON ``[["Account",cents],...]`` (what json.dumps gives, without its cost)."""
        names = self.names
        parts = []
        for account, amount in entry.lines:
            name = names.get(account)
            if name is None:
                name = names[account] = json.dumps(account, ensure_ascii=False)
            parts.append(f"[{name},{amount}]")
        return "[" + ",".join(parts) + "]"

    def _on_tie_out_accounts(self, entry: Entry) -> tuple[int, int]:
        on_ar = on_deposits = 0
        for account, amount in entry.lines:
            if account == self.ar:
                on_ar += amount
            elif account == self.deposits:
                on_deposits += amount
        return on_ar, on_deposits


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


class AccrualRecorder(Recorder):
    """The accrual journal from SQL, range of dates by range. A second thread, for each range, puts
    the entries in posting order into a temporary table (its rowid is their number in the range),
    inserts them into ``posted_entries`` and reads them back as one text (``_records``: one
    statement each, so it never waits for the GIL between rows); this thread turns that text into
    entries and hands them on to be written while the next range is computed. (Numbering with
    row_number() instead of the rowid cost a third more: SQLite keeps every row of the window in a
    table of its own.)"""

    def __init__(self, db, prefix: str, sql: journal.AccrualSQL, through: date, number: int, first: int) -> None:
        self.db, self.number, self.first, self.through = db, number, first, through
        self.prefix = prefix
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
        read = Reader()
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
