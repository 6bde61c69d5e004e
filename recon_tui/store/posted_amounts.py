"""What was posted on the tie-out account, for the diagnosis (DOMAIN §9): totals, DOCNUMs and the
events whose posted entry differs from today's, in SQL over ``posted_entries`` and the records.

Amounts come back in the tie-out account's own sign (``sign``: +1 for A/R, -1 for Customer
Deposits); the big answers come back as one text each, since the diagnosis runs these beside a
thread reading the QuickBooks export and every row fetched would wait for the GIL.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from recon_tui.model import Method
from recon_tui.store import journal

if TYPE_CHECKING:
    import sqlite_utils

#: the tie-out account's role -> the posted_entries column holding each entry's amount on it
_COLUMNS = {"accounts_receivable": "ar", "customer_deposits": "deposits"}


def _field(method: str) -> str:
    return _COLUMNS[Method.of(method).gl_role]


def _posted(docnum_, key, batch, on, amount, sign) -> tuple:
    return docnum_, key, batch, date.fromisoformat(on), sign * amount


def posted_total(db: sqlite_utils.Database, method: str, as_of: date, sign: int) -> int:
    field = _field(method)
    return sign * db.execute(f"SELECT COALESCE(SUM({field}), 0) FROM posted_entries WHERE posted_on <= ?",
                             (as_of.isoformat(),)).fetchone()[0]


def changes(db: sqlite_utils.Database, method: str, as_of: date, sign: int) -> list[tuple]:
    """Every event whose amount on the tie-out account differs between today's records and what was
    posted, each side counting only what is dated on or before ``as_of`` (one SQL pass): (key, its
    date today, its amount today, what was posted as ``by_docnum`` gives it), None for a side that
    has no such event.

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
        posted = None if docnum_ is None else _posted(docnum_, key, batch, posted_on, posted_amount, sign)
        out.append((key, date.fromisoformat(on) if on else None, None if amount is None else sign * amount, posted))
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


def by_docnum(db: sqlite_utils.Database, method: str, docnums: set[str], sign: int) -> dict[str, tuple]:
    """DOCNUM -> (DOCNUM, event key, batch, date, amount on the tie-out account) of the posted
    entries with those DOCNUMs."""
    field = _field(method)
    found: dict[str, tuple] = {}
    wanted = sorted(docnums)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for row in db.execute(f"SELECT docnum, event_key, batch, posted_on, {field} FROM posted_entries "
                              f"WHERE docnum IN ({','.join('?' * len(chunk))})", chunk):
            found[row[0]] = _posted(*row, sign)
    return found


def docnums_before(db: sqlite_utils.Database, method: str, start: date) -> list[str]:
    """The DOCNUMs of the posted entries dated before ``start`` with an amount on the tie-out account
    (a QuickBooks export that starts on ``start`` holds them in its opening balance). One text, as ``expected``."""
    field = _field(method)
    (text,) = db.execute(f"SELECT group_concat(docnum, ' ') FROM posted_entries WHERE posted_on < ? AND {field} != 0",
                         (start.isoformat(),)).fetchone()
    return text.split(" ") if text else []
