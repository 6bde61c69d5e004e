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
