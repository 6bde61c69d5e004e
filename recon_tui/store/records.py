"""SQL of the finalized reconciliation records (DOMAIN §10) and of their source fingerprints.

A record's *sources* are the source records dated inside its period, each read as of the
period's current date (a date after it counts only as "later"), with a short digest and the
amount it carries. The first record's period reaches back to the beginning, so a chain of
records covers every source record dated on or before the last current date.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


def insert(db: sqlite_utils.Database, values: dict) -> None:
    """One INSERT in its own transaction; the triggers enforce the chain."""
    row = {k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in values.items()}
    try:
        with db.conn:
            db.conn.execute(f"INSERT INTO reconciliations ({', '.join(_COLUMNS)}) "
                            f"VALUES ({', '.join(':' + c for c in _COLUMNS)})", row)
    except sqlite3.IntegrityError as exc:
        raise RecordRefused(str(exc)) from None


def insert_reopening(db: sqlite_utils.Database, number: int, at: str, by: str, reason: str) -> None:
    try:
        with db.conn:
            db.conn.execute("INSERT INTO reopenings (number, reopened_at, reopened_by, reason) VALUES (?, ?, ?, ?)",
                            [number, at, by, reason])
    except sqlite3.IntegrityError as exc:
        raise RecordRefused(str(exc)) from None


# -- sources -------------------------------------------------------------------------------------

def _digest(*parts) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def sources(db: sqlite_utils.Database, previous: str | None, current: str) -> dict[str, list]:
    """``{"order:A": [digest, total], "payment:P1": [digest, amount], ...}`` for the period."""
    after = previous or ""
    params = {"p": after, "c": current}
    out: dict[str, list] = {}
    dated = " OR ".join(f"(o.{col} > :p AND o.{col} <= :c)" for col in ("ordered_on", "built_on", "completed_on", "voided_on"))
    masked = ", ".join(f"CASE WHEN o.{col} <= :c THEN o.{col} END" for col in ("built_on", "completed_on", "voided_on"))
    lines: dict[str, list] = {}
    for order_id, *line in db.execute(
            f"SELECT l.order_id, l.line_no, l.category, l.description, l.amount FROM orders o "
            f"JOIN order_lines l ON l.order_id = o.order_id WHERE {dated} ORDER BY l.order_id, l.line_no", params):
        lines.setdefault(order_id, []).extend(line)
    for order_id, customer_id, ordered_on, built, completed, voided, tax, total in db.execute(
            f"SELECT o.order_id, o.customer_id, o.ordered_on, {masked}, o.sales_tax, o.subtotal + o.sales_tax "
            f"FROM orders o WHERE {dated}", params):
        out[f"order:{order_id}"] = [_digest(customer_id, ordered_on, built, completed, voided, tax,
                                            *lines.get(order_id, ())), total]
    for row in db.execute("SELECT payment_id, order_id, paid_on, method, amount, reference FROM payments "
                          "WHERE paid_on > :p AND paid_on <= :c", params):
        out[f"payment:{row[0]}"] = [_digest(*row[1:]), row[4]]
    for row in db.execute("SELECT adjustment_id, customer_id, adjusted_on, amount, reason FROM credit_adjustments "
                          "WHERE adjusted_on > :p AND adjusted_on <= :c", params):
        out[f"adjustment:{row[0]}"] = [_digest(*row[1:]), row[3]]
    return out


def fingerprint(period_sources: dict[str, list]) -> str:
    text = "\n".join(f"{key}:{digest}" for key, (digest, _) in sorted(period_sources.items()))
    return hashlib.sha256(text.encode()).hexdigest()
