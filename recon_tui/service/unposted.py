"""The events not yet posted through a date, a page at a time, and their count and debits.

The Post screen lists them for a studio that may never have posted: ten years, 600,000 events. No
list is computed in full: ``Unposted.pages`` reads the journal one range of dates at a time from
the first unposted day (the accrual journal in SQL, the cash method's allocation by the Python
rules over only the orders with an event in the range), widening the range while it holds few
events and narrowing it when it holds many, so a page costs about its own rows. ``summary`` counts
them and adds up their debits in one pass that keeps no list. A filter reads forwards the same way;
only a sort (the screen's, on request) needs every row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, timedelta

from recon_tui.config import Config
from recon_tui.model import Entry
from recon_tui.service import journal, posting
from recon_tui.store import journal as journal_sql
from recon_tui.store import posted

FIRST_SPAN = 8  # days the first range covers
MAX_SPAN = 4096


def debits(entry: Entry) -> int:
    return sum(line.amount for line in entry.lines if line.amount > 0)


class Unposted:
    """The unposted events of one method dated on or before ``through``."""

    def __init__(self, connection: Callable[[], AbstractContextManager], config: Config, method: str,
                 through: date) -> None:
        self.connection, self.config, self.method, self.through = connection, config, method, through
        self._lock = threading.Lock()
        self._names: dict[str, str] | None = None
        self._sql: list = []  # [the accrual journal in SQL, or None], once checked (a scan of the lines)

    def _journal_sql(self, db):
        """The accrual journal in SQL (None: the Python rules), checked once for every page."""
        if not self._sql:
            self._sql.append(posting.accrual_sql(db, self.config, self.method))
        return self._sql[0]

    # -- the count and total --------------------------------------------------------------------

    def summary(self) -> tuple[int, int]:
        """(how many, their debits), integer cents."""
        with self.connection() as db:
            posting.check_method(db, self.method)
            sql = self._journal_sql(db)
            if sql is not None:
                return posted.unposted_accrual_summary(db, sql, self.through)
            count = total = 0
            for entry in posting.unposted(db, self.config, self.method, self.through):
                count += 1
                total += debits(entry)
            return count, total

    # -- pages ----------------------------------------------------------------------------------

    def window(self, lo: date, hi: date) -> list[Entry]:
        """The unposted entries dated in ``[lo, hi)``, in posting order."""
        with self.connection() as db:
            sql = self._journal_sql(db)
            if sql is not None:
                return posted.unposted_accrual_window(db, sql, lo, hi)
            if self._names is None:
                self._names = journal_sql.customer_names(db)
            found = journal.entries_between(db, self.config, self.method, lo, hi, self._names)
            done = posted.posted_among(db, [entry.key for entry in found])
            return [entry for entry in found if entry.key not in done]

    def first_day(self) -> date | None:
        with self.connection() as db:
            posting.check_method(db, self.method)
            return posted.first_unposted_day(db, self.through)

    def entries(self) -> Iterator[Entry]:
        """Every unposted entry in posting order, a range at a time."""
        lo = self.first_day()
        end = self.through + timedelta(days=1)
        span = FIRST_SPAN
        while lo is not None and lo < end:
            hi = min(lo + timedelta(days=span), end)
            found = self.window(lo, hi)
            yield from found
            if len(found) < 200:
                span = min(span * 2, MAX_SPAN)
            elif len(found) > 2000 and span > 1:
                span //= 2
            lo = hi

    def pages(self, wanted: Callable[[Entry], bool] | None = None) -> Callable[[int, int], list[Entry]]:
        """``(offset, limit) -> entries`` (those ``wanted`` says, all by default), read forwards as the
        list asks for them (the offsets come in order)."""
        rows: list[Entry] = []
        source = self.entries() if wanted is None else filter(wanted, self.entries())
        done = False

        def page(offset: int, limit: int) -> list[Entry]:
            nonlocal done
            with self._lock:
                while not done and len(rows) < offset + limit:
                    entry = next(source, None)
                    if entry is None:
                        done = True
                    else:
                        rows.append(entry)
                return rows[offset:offset + limit]
        return page
