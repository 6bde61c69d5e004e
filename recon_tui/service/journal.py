"""The studio's journal (DOMAIN §8): every event's entry by the posting rules, over the records the
store streams (orders by id, then credit adjustments), so ten years never sit in memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from recon_tui.config import Config
from recon_tui.ledger.journal import Rules, journal_entries
from recon_tui.model import Entry
from recon_tui.store import journal as journal_sql

if TYPE_CHECKING:
    import sqlite_utils

def entries(db: sqlite_utils.Database, config: Config, method: str, through: date | None = None) -> Iterator[Entry]:
    """Every event's entry dated on or before ``through`` (all when None): orders by id, then adjustments."""
    names = journal_sql.customer_names(db)
    return journal_entries(Rules(config, method), journal_sql.order_facts(db, config, names),
                           journal_sql.adjustments(db, names), through)


def entries_between(db: sqlite_utils.Database, config: Config, method: str, lo: date, hi: date,
                    names: dict[str, str] | None = None) -> list[Entry]:
    """The entries dated in ``[lo, hi)``, in posting order (by date; on one date orders by id, each
    order's events in the order they happen, then adjustments): only the orders with an event in
    the range are read, so a page of the Post screen costs its own range, not the history."""
    names = journal_sql.customer_names(db) if names is None else names
    span = (lo.isoformat(), hi.isoformat())
    facts = journal_sql.order_facts(db, config, names, journal_sql.IN_RANGE, span * 3)
    found = [entry for entry in journal_entries(Rules(config, method), facts,
                                                journal_sql.adjustments(db, names, *span))
             if lo <= entry.on < hi]
    found.sort(key=lambda entry: entry.on)  # stable: the journal's order on each date
    return found
