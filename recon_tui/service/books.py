"""The studio's books as every job of the service sees them: one config and database, today's date,
who is working and what time it is.

The terminal UI runs every call in a worker thread. SQLite connections must not be shared between
threads, so each call opens its own connection and closes it when done (opening one costs well
under a millisecond next to the queries).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from recon_tui.config import Config
from recon_tui.store.schema import open_store


def os_user() -> str:
    """Who finalizes, reopens and posts when nobody says: the OS user (DOMAIN §10)."""
    return getpass.getuser()


def utc_now() -> datetime:
    """The real time, in UTC: when a record, reopening or batch is stamped and nobody fixed the clock."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Books:
    """One config and database as of ``today``. ``user`` and ``clock`` (a function returning an aware
    datetime) say who works and when; None: the OS user and the real time. Tests fix both."""

    config: Config
    db_path: Path
    today: date
    user: str | None = None
    clock: Callable[[], datetime] | None = None

    @contextmanager
    def connection(self) -> Iterator:
        db = open_store(self.db_path)
        try:
            yield db
        finally:
            db.conn.close()

    def who(self, user: str | None = None) -> str:
        return user or self.user or os_user()

    def now(self) -> datetime:
        return self.clock() if self.clock else utc_now()

    def require(self, action: str, user: str | None = None) -> None:
        """``action`` (finalize, reopen, post) is refused (NotAllowed) unless the config's ``access``
        list for it names the user (DOMAIN §10); no list: everyone may."""
        from recon_tui.service import access

        access.require(self.config, action, self.who(user))

    def backup(self, action: str) -> Path | None:
        """Copy the database into backups/ beside it before ``action`` writes (DOMAIN §10); the copy,
        or None when the config turns backups off."""
        from recon_tui.service import backups

        return backups.before(self, action)

    @property
    def folder(self) -> Path:
        """Where printed reports, exports and batch files go: beside the database."""
        return Path(self.db_path).parent
