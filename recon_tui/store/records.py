"""SQL of the finalized reconciliation records (DOMAIN §10) and of their source fingerprints.

A record's *sources* are the source records dated inside its period, each read as of the
period's current date (a date after it counts only as "later"), with a short digest and the
amount it carries: they say which record changed, and by how much. The fingerprint adds a digest
of every figure-bearing fact dated on or before the current date, so an edit to an older record
that moves a figure of the period is caught too.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from recon_tui.store import chain

if TYPE_CHECKING:
    import sqlite_utils

_COLUMNS = ("number", "method", "previous_on", "current_on", "finalized_at", "finalized_by", "notes",
            "figures", "counts", "qb_balance", "qb_difference", "qb_note", "diagnosis", "gl_mapping",
            "fingerprint", "sources")


class RecordRefused(Exception):
    """The database refused a change to the finalized records (a trigger or constraint)."""


@dataclass(frozen=True)
class StoredRecord:
    number: int
    method: str
    previous_on: str
    current_on: str
    finalized_at: str
    finalized_by: str
    notes: str
    figures: dict
    counts: list
    qb_balance: int
    qb_difference: int
    qb_note: str
    diagnosis: dict | None
    gl_mapping: dict
    fingerprint: str
    sources: dict  # "kind:id" -> [digest, amount]
    reopened_at: str | None = None
    reopened_by: str | None = None
    reopen_reason: str | None = None

    @property
    def in_force(self) -> bool:
        return self.reopened_at is None

    @property
    def previous(self) -> date:
        return date.fromisoformat(self.previous_on)

    @property
    def current(self) -> date:
        return date.fromisoformat(self.current_on)


def _record(row: tuple) -> StoredRecord:
    values = dict(zip(_COLUMNS + ("reopened_at", "reopened_by", "reason"), row))
    for key in ("figures", "counts", "diagnosis", "gl_mapping", "sources"):
        values[key] = json.loads(values[key]) if values[key] is not None else None
    values["reopen_reason"] = values.pop("reason")
    return StoredRecord(**values)


_SELECT = (f"SELECT {', '.join('r.' + c for c in _COLUMNS)}, o.reopened_at, o.reopened_by, o.reason "
           "FROM reconciliations r LEFT JOIN reopenings o ON o.number = r.number")


def all_records(db: sqlite_utils.Database) -> list[StoredRecord]:
    return [_record(row) for row in db.execute(_SELECT + " ORDER BY r.number")]


def record(db: sqlite_utils.Database, number: int) -> StoredRecord | None:
    row = db.execute(_SELECT + " WHERE r.number = ?", [number]).fetchone()
    return _record(row) if row else None


def latest_in_force(db: sqlite_utils.Database) -> StoredRecord | None:
    row = db.execute(_SELECT + " WHERE o.number IS NULL ORDER BY r.number DESC LIMIT 1").fetchone()
    return _record(row) if row else None


def next_number(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM reconciliations").fetchone()[0]


def covering(db: sqlite_utils.Database, day: str) -> StoredRecord | None:
    """The record in force whose period holds ``day`` (previous < day <= current), if any."""
    row = db.execute(_SELECT + " WHERE o.number IS NULL AND r.previous_on < ? AND r.current_on >= ? "
                     "ORDER BY r.number DESC LIMIT 1", [day, day]).fetchone()
    return _record(row) if row else None


def insert(db: sqlite_utils.Database, values: dict) -> None:
    """The record and its link of the hash chain, inside the caller's transaction (the caller
    commits); the triggers enforce the numbering and the previous date."""
    row = {k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in values.items()}
    try:
        db.conn.execute(f"INSERT INTO reconciliations ({', '.join(_COLUMNS)}) "
                        f"VALUES ({', '.join(':' + c for c in _COLUMNS)})", row)
        chain.append(db.conn, "record", values["number"])
    except sqlite3.IntegrityError as exc:
        raise RecordRefused(str(exc)) from None


def insert_reopening(db: sqlite_utils.Database, number: int, at: str, by: str, reason: str) -> None:
    """The reopening and its link of the hash chain, inside the caller's transaction."""
    try:
        db.conn.execute("INSERT INTO reopenings (number, reopened_at, reopened_by, reason) VALUES (?, ?, ?, ?)",
                        [number, at, by, reason])
        chain.append(db.conn, "reopening", number)
    except sqlite3.IntegrityError as exc:
        raise RecordRefused(str(exc)) from None


# -- sources -------------------------------------------------------------------------------------

def _digest(*parts) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


_IN_PERIOD_ORDERS = " UNION ".join(
    f"SELECT order_id FROM orders WHERE {col} > :p AND {col} <= :c"
    for col in ("ordered_on", "built_on", "completed_on", "voided_on"))


def sources(db: sqlite_utils.Database, previous: str, current: str) -> dict[str, list]:
    """``{"order:A": [digest, total], "payment:P1": [digest, amount], ...}`` for the period."""
    params = {"p": previous, "c": current}
    out: dict[str, list] = {}
    masked = ", ".join(f"CASE WHEN o.{col} <= :c THEN o.{col} END" for col in ("built_on", "completed_on", "voided_on"))
    lines: dict[str, list] = {}
    for order_id, *line in db.execute(
            f"SELECT l.order_id, l.line_no, l.category, l.description, l.amount FROM ({_IN_PERIOD_ORDERS}) x "
            "JOIN order_lines l ON l.order_id = x.order_id ORDER BY l.order_id, l.line_no", params):
        lines.setdefault(order_id, []).extend(line)
    for order_id, customer_id, ordered_on, built, completed, voided, tax, total in db.execute(
            f"SELECT o.order_id, o.customer_id, o.ordered_on, {masked}, o.sales_tax, o.subtotal + o.sales_tax "
            f"FROM ({_IN_PERIOD_ORDERS}) x JOIN orders o ON o.order_id = x.order_id", params):
        out[f"order:{order_id}"] = [_digest(customer_id, ordered_on, built, completed, voided, tax,
                                            *lines.get(order_id, ())), total]
    for row in db.execute("SELECT payment_id, order_id, paid_on, method, amount, reference FROM payments "
                          "WHERE paid_on > :p AND paid_on <= :c", params):
        out[f"payment:{row[0]}"] = [_digest(*row[1:]), row[4]]
    for row in db.execute("SELECT adjustment_id, customer_id, adjusted_on, amount, reason FROM credit_adjustments "
                          "WHERE adjusted_on > :p AND adjusted_on <= :c", params):
        out[f"adjustment:{row[0]}"] = [_digest(*row[1:]), row[3]]
    return out


def history_digest(db: sqlite_utils.Database, current: str) -> str:
    """A digest of every figure-bearing fact dated on or before ``current``: the per-day changes of
    every total (store/derived.py) and the credit adjustments. Any edit to an older record that
    moves a figure of the period changes it."""
    digest = hashlib.sha256()
    for sql in ("SELECT day, method, positive, negative FROM daily_payments WHERE day <= :c ORDER BY day, method",
                "SELECT * FROM daily_orders WHERE day <= :c ORDER BY day",
                "SELECT adjusted_on, SUM(amount) FROM credit_adjustments WHERE adjusted_on <= :c "
                "GROUP BY adjusted_on ORDER BY adjusted_on"):
        for row in db.execute(sql, {"c": current}):
            digest.update("\x1f".join(map(str, row)).encode() + b"\n")
    return digest.hexdigest()


def fingerprint(period_sources: dict[str, list], history: str) -> str:
    text = "\n".join(f"{key}:{digest}" for key, (digest, _) in sorted(period_sources.items()))
    return hashlib.sha256(f"{history}\n{text}".encode()).hexdigest()
