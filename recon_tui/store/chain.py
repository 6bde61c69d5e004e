"""The hash chain over what is never changed (DOMAIN §10): finalized records, reopenings and posted
batches.

Each item, as it is written and in the same transaction, appends a link: its kind and number, the
SHA-256 of its stored content (``content``) and the digest of the previous link, all hashed into
its own digest. The triggers refuse any change to the tables, so the chain is what still tells an
edit made with the triggers dropped (or with another tool): ``verify`` recomputes every link from
the stored rows and names the first one that does not match, the items missing from the chain, and
links whose item is gone.

What each kind's content is (canonical: JSON of the stored values, in column order):
- ``record``: the row of ``reconciliations``;
- ``reopening``: the row of ``reopenings``;
- ``batch``: the row of ``posting_batches``, its first export (``batch_exports`` 1) and every posted
  entry of the batch in DOCNUM order, each as Python's ``repr`` of its row tuple (fast on 600,000
  entries; str, int and None only) on a line of its own. A re-export is a later export row, not
  part of the batch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    import sqlite_utils

GENESIS = "0" * 64
KINDS = ("record", "reopening", "batch")
_NOUN = {"record": "record", "reopening": "reopening of record", "batch": "batch"}

#: the table the chain is kept in, and the triggers that keep it append-only (schema v4)
SCHEMA = """
        CREATE TABLE chain (
            seq INTEGER PRIMARY KEY,        -- 1, 2, 3 ... in the order the items were written
            kind TEXT NOT NULL CHECK (kind IN ('record', 'reopening', 'batch')),
            number INTEGER NOT NULL,        -- the record's, reopened record's or batch's number
            content TEXT NOT NULL,          -- SHA-256 of the item's stored content
            previous TEXT NOT NULL,         -- the previous link's digest (64 zeros for the first)
            digest TEXT NOT NULL,           -- SHA-256 of kind, number, content and previous
            UNIQUE (kind, number)
        );
        CREATE TRIGGER chain_append_only BEFORE INSERT ON chain
            WHEN NEW.seq != COALESCE((SELECT MAX(seq) FROM chain), 0) + 1
              OR NEW.previous != COALESCE((SELECT digest FROM chain ORDER BY seq DESC LIMIT 1), '""" + GENESIS + """')
            BEGIN SELECT RAISE(ABORT, 'the chain only grows at its end'); END;
        CREATE TRIGGER chain_never_change BEFORE UPDATE ON chain
            BEGIN SELECT RAISE(ABORT, 'a link of the chain is never changed'); END;
        CREATE TRIGGER chain_never_deleted BEFORE DELETE ON chain
            BEGIN SELECT RAISE(ABORT, 'a link of the chain is never deleted'); END;
"""

_ENTRY_COLUMNS = "event_key, kind, record_id, docnum, seq, batch, posted_on, customer, lines, ar, deposits"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rows_text(rows) -> str:
    return json.dumps([list(row) for row in rows], ensure_ascii=False, separators=(",", ":"))


def content(conn: sqlite3.Connection, kind: str, number: int) -> str | None:
    """The SHA-256 of the item's stored content; None when the item is not there."""
    if kind == "record":
        rows = conn.execute("SELECT * FROM reconciliations WHERE number = ?", (number,)).fetchall()
        return _sha(_rows_text(rows)) if rows else None
    if kind == "reopening":
        rows = conn.execute("SELECT * FROM reopenings WHERE number = ?", (number,)).fetchall()
        return _sha(_rows_text(rows)) if rows else None
    batch = conn.execute("SELECT * FROM posting_batches WHERE number = ?", (number,)).fetchall()
    if not batch:
        return None
    digest = hashlib.sha256()
    digest.update(_rows_text(batch).encode("utf-8"))
    digest.update(_rows_text(conn.execute("SELECT * FROM batch_exports WHERE batch = ? AND export = 1",
                                          (number,))).encode("utf-8"))
    cursor = conn.execute(f"SELECT {_ENTRY_COLUMNS} FROM posted_entries WHERE batch = ? ORDER BY seq", (number,))
    while True:
        rows = cursor.fetchmany(20_000)
        if not rows:
            break
        digest.update("".join(f"\n{row!r}" for row in rows).encode("utf-8"))
    return digest.hexdigest()


def link_digest(kind: str, number: int, content_digest: str, previous: str) -> str:
    return _sha(f"{kind}\x1f{number}\x1f{content_digest}\x1f{previous}")


def append(conn: sqlite3.Connection, kind: str, number: int) -> None:
    """Add the item just written to the chain (inside the caller's transaction)."""
    digest = content(conn, kind, number)
    if digest is None:
        raise ValueError(f"no {kind} {number} to add to the chain")
    seq, previous = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1, COALESCE((SELECT digest FROM chain ORDER BY "
                                 "seq DESC LIMIT 1), ?) FROM chain", (GENESIS,)).fetchone()
    conn.execute("INSERT INTO chain (seq, kind, number, content, previous, digest) VALUES (?, ?, ?, ?, ?, ?)",
                 (seq, kind, number, digest, previous, link_digest(kind, number, digest, previous)))


def build(conn: sqlite3.Connection) -> None:
    """The chain of a database written before it existed (the v4 migration): its items in the order
    they were written (by their stamps; on one stamp records, then reopenings, then batches)."""
    items = conn.execute("""
        SELECT 'record', number, finalized_at, 0 FROM reconciliations
        UNION ALL SELECT 'reopening', number, reopened_at, 1 FROM reopenings
        UNION ALL SELECT 'batch', number, posted_at, 2 FROM posting_batches
        ORDER BY 3, 4, 2""").fetchall()
    for kind, number, _, _ in items:
        append(conn, kind, number)


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found: the counts, and the first problem (None: the chain is intact)."""

    records: int
    reopenings: int
    batches: int
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None

    @property
    def counted(self) -> str:
        """``2 records, 1 reopening, 1 batch``."""
        return (f"{self.records} record{'s' * (self.records != 1)}, {self.reopenings} "
                f"reopening{'s' * (self.reopenings != 1)}, {self.batches} batch{'es' * (self.batches != 1)}")

    def summary(self) -> str:
        return f"{self.counted}: chain intact" if self.intact else f"{self.counted}: chain BROKEN: {self.problem}"


def _name(kind: str, number: int) -> str:
    return f"{_NOUN[kind]} {number}" if kind != "record" else f"record #{number}"


def verify(db: sqlite_utils.Database) -> Verdict:
    """Recompute every link from the stored rows, in order; the first problem found, in words."""
    conn = db.conn
    counts = [conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
              for table in ("reconciliations", "reopenings", "posting_batches")]
    problem = None
    previous = GENESIS
    expected_seq = 1
    for seq, kind, number, stored_content, stored_previous, stored_digest in conn.execute(
            "SELECT seq, kind, number, content, previous, digest FROM chain ORDER BY seq").fetchall():
        name = _name(kind, number)
        if seq != expected_seq:
            problem = f"link {expected_seq} is missing (a link was deleted before {name})"
        elif stored_previous != previous:
            problem = f"{name} (link {seq}): its link to the item before does not match (the chain was cut or reordered)"
        else:
            now = content(conn, kind, number)
            if now is None:
                problem = f"{name} (link {seq}) is gone from the database (deleted)"
            elif now != stored_content:
                problem = f"{name} (link {seq}): its stored content changed since it was written"
            elif link_digest(kind, number, stored_content, stored_previous) != stored_digest:
                problem = f"{name} (link {seq}): its digest does not match (the link itself was edited)"
        if problem:
            break
        previous, expected_seq = stored_digest, seq + 1
    if problem is None:
        unchained = conn.execute("""
            SELECT 'record', number FROM reconciliations
             WHERE number NOT IN (SELECT number FROM chain WHERE kind = 'record')
            UNION ALL SELECT 'reopening', number FROM reopenings
             WHERE number NOT IN (SELECT number FROM chain WHERE kind = 'reopening')
            UNION ALL SELECT 'batch', number FROM posting_batches
             WHERE number NOT IN (SELECT number FROM chain WHERE kind = 'batch')
            ORDER BY 1, 2 LIMIT 1""").fetchone()
        if unchained:
            problem = f"{_name(*unchained)} is not in the chain (written around recon-tui)"
    return Verdict(*counts, problem=problem)
