"""Posting to QuickBooks (DOMAIN §8): numbered batches of every not-yet-posted event, as IIF files.

A batch takes every event dated on or before ``through`` whose key has never been posted, gives
each a DOCNUM (the config's prefix and a sequence number, 11 characters in all), writes the IIF
file and records, in the same transaction, exactly what was posted for each event. What was posted
never changes: an event whose record is edited later keeps its posted entry, and the tie-out
diagnosis (§9) shows the difference. A studio's books use one method, so every batch of a database
uses the method of its first batch.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from recon_tui.config import Config
from recon_tui.ledger.diagnosis import Change, PostedAmount
from recon_tui.ledger.entries import Entry, Line, split_key
from recon_tui.quickbooks.iif import Posted, account_types, clean, customer_name, write_iif
from recon_tui.store import journal

if TYPE_CHECKING:
    import sqlite_utils

DOCNUM_LENGTH = 11
CHUNK = 5000
#: QuickBooks Desktop reads IIF files as Windows-1252 (see recon_tui/quickbooks/iif.py)
IIF_ENCODING = "cp1252"


class PostingError(Exception):
    """Posting refused; the message is one line and says what to do."""


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


#: letters that do not decompose into a base letter and an accent
_STROKED = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ŀ": "L", "ŀ": "l", "Ŧ": "T",
            "ŧ": "t"}


def qb_text(text: str) -> str:
    """``text`` as Windows-1252 can carry it: a letter outside it loses its accent ('Ł' -> 'L'),
    anything else becomes '?'."""
    try:
        text.encode(IIF_ENCODING)
        return text
    except UnicodeEncodeError:
        out = []
        for char in text:
            try:
                char.encode(IIF_ENCODING)
                out.append(char)
            except UnicodeEncodeError:
                base = unicodedata.normalize("NFKD", _STROKED.get(char, char)).encode("ascii", "ignore").decode()
                out.append(base or "?")
        return "".join(out)


_WRITTEN: dict[str, str] = {}  # customer name -> as written (names repeat across a customer's events)


def _as_written(entry: Entry) -> Entry:
    """The entry as the IIF file will carry it (and as it is recorded): names cleaned for IIF and
    Windows-1252. Usually nothing changes."""
    customer = _WRITTEN.get(entry.customer)
    if customer is None:
        customer = _WRITTEN[entry.customer] = customer_name(qb_text(entry.customer))
    key = entry.key if entry.key.isprintable() and '"' not in entry.key else clean(entry.key)
    if customer == entry.customer and key == entry.key:
        return entry
    return Entry(key, entry.on, customer, entry.lines)


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


def unposted(db: sqlite_utils.Database, config: Config, method: str, through: date) -> Iterator[Entry]:
    """Every event's entry dated on or before ``through`` that has never been posted, in posting
    order: by date, then orders by id (each order's events in the order they happen), then adjustments."""
    done = posted_keys(db)
    todo = [entry for entry in journal.entries(db, config, method, through) if entry.key not in done]
    todo.sort(key=lambda entry: entry.on)  # stable: keeps each order's events in their order
    return iter(todo)


def check_method(db: sqlite_utils.Database, method: str) -> None:
    used = posting_method(db)
    if used is not None and used != method:
        raise PostingError(f"this studio posts with the {used} method (batch 1); QuickBooks books use one "
                           f"method, so use the {used} method")


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


def _decode(on: str, key: str, customer: str, lines: str) -> Entry:
    return Entry(key, date.fromisoformat(on), customer, tuple(Line(a, n) for a, n in json.loads(lines)))


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")


def post(db: sqlite_utils.Database, config: Config, method: str, through: date, directory: Path, *,
         user: str, now: datetime | None = None, entries: Iterable[Entry] | None = None) -> Batch | None:
    """Post every unposted event dated on or before ``through`` as the next batch; None if none.

    The IIF file is written to a temporary name first and renamed once the batch is recorded, so a
    failure leaves neither a file nor a batch.
    """
    check_method(db, method)
    todo = list(unposted(db, config, method, through) if entries is None else entries)
    if not todo:
        return None
    number = (db.execute("SELECT COALESCE(MAX(number), 0) FROM posting_batches").fetchone()[0]) + 1
    first = (db.execute("SELECT COALESCE(MAX(seq), 0) FROM posted_entries").fetchone()[0]) + 1
    prefix = config.docnum_prefix
    docnum(prefix, first + len(todo) - 1)  # the last one must fit too
    path = batch_file(directory, number)
    if path.exists():
        raise PostingError(f"{path}: already exists (a batch file from another database?); move it away first")
    temp = path.with_name(path.name + ".partial")
    ar, deposits = config.gl_accounts.accounts_receivable, config.gl_accounts.customer_deposits
    accounts = account_types(config)
    for account in accounts:
        if qb_text(account) != account:
            raise PostingError(f"{config.path}: account {account!r}: QuickBooks Desktop reads IIF files as "
                               "Windows-1252 and cannot take this name; rename it in the config")
    posted = [Posted(docnum(prefix, first + i), _as_written(entry)) for i, entry in enumerate(todo)]
    stamp = _stamp(now)
    conn = db.conn
    try:
        with temp.open("w", encoding=IIF_ENCODING, newline="") as out:
            try:
                write_iif(out, posted, accounts, {p.entry.customer for p in posted})
            except ValueError as exc:  # a name QuickBooks would refuse: say so, write nothing
                raise PostingError(str(exc)) from None
        with conn:  # one transaction: the batch, its entries and its first export
            conn.execute("INSERT INTO posting_batches VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (number, method, through.isoformat(), stamp, user, len(posted), str(path)))
            rows = ((p.entry.key, *split_key(p.entry.key), p.docnum, first + i, number, p.entry.on.isoformat(),
                     p.entry.customer, _encode(p.entry), *_on_tie_out_accounts(p.entry, ar, deposits))
                    for i, p in enumerate(posted))
            while chunk := list(islice(rows, CHUNK)):
                conn.executemany("INSERT INTO posted_entries (event_key, kind, record_id, docnum, seq, batch, "
                                 "posted_on, customer, lines, ar, deposits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 chunk)
            conn.execute("INSERT INTO batch_exports VALUES (?, 1, ?, ?, ?)", (number, stamp, user, str(path)))
            os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return Batch(number, method, through.isoformat(), stamp, user, len(posted), str(path), 1)


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
    rows = db.execute("SELECT docnum, posted_on, event_key, customer, lines FROM posted_entries "
                      "WHERE batch = ? ORDER BY seq", (number,)).fetchall()
    return [Posted(docnum_, _decode(on, key, customer, lines)) for docnum_, on, key, customer, lines in rows]


def reexport(db: sqlite_utils.Database, config: Config, number: int, directory: Path, *,
             user: str, now: datetime | None = None) -> tuple[Path, int]:
    """Write batch ``number`` again (same entries, same DOCNUMs) and count the export."""
    row = db.execute("SELECT number FROM posting_batches WHERE number = ?", (number,)).fetchone()
    if row is None:
        known = [b.number for b in batches(db)]
        raise PostingError(f"no posting batch {number} (batches: {', '.join(map(str, known)) or 'none yet'})")
    export = db.execute("SELECT MAX(export) FROM batch_exports WHERE batch = ?", (number,)).fetchone()[0] + 1
    path = batch_file(directory, number, export)
    temp = path.with_name(path.name + ".partial")
    posted = batch_entries(db, number)
    accounts = posted_account_types(config, posted)
    try:
        with temp.open("w", encoding=IIF_ENCODING, newline="") as out:
            write_iif(out, posted, accounts, {p.entry.customer for p in posted})
        with db.conn:
            db.conn.execute("INSERT INTO batch_exports VALUES (?, ?, ?, ?, ?)",
                            (number, export, _stamp(now), user, str(path)))
            os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
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
