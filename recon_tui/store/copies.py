"""Whole-database copies in SQLite terms: a consistent copy of the live database (``VACUUM INTO``),
what a copy holds, and putting a copy back through the online backup API (DOMAIN §10, undo).

Where copies live, what they are called and when they are refused is the service's business
(``service/backups.py``); here is only what SQLite must do for it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from recon_tui.store.schema import SCHEMA_VERSION

TIMEOUT = 5.0  # seconds to wait for another program's write lock


class NotADatabase(Exception):
    """The file is not a recon-tui database (another program's, damaged, or newer than this recon-tui)."""


def _read_only(path: Path) -> sqlite3.Connection:
    """``path`` opened so nothing is ever written to it (a WAL beside it is still read)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=TIMEOUT)


def copy_into(db_path: Path, target: Path) -> None:
    """A consistent copy of ``db_path`` at ``target`` (which must not exist): one read transaction,
    so readers and a writer may go on meanwhile; the copy is compact and has no WAL."""
    conn = _read_only(db_path)
    try:
        conn.execute("VACUUM INTO ?", (str(target),))
    finally:
        conn.close()


@dataclass(frozen=True)
class Contents:
    """What a copy holds that must never be lost: finalized records, their reopenings and the posted
    batches, each number with its time stamp (the same number with another stamp is another item)."""

    version: int
    records: dict[int, str] = field(default_factory=dict)
    reopenings: dict[int, str] = field(default_factory=dict)
    batches: dict[int, str] = field(default_factory=dict)


def _rows(conn: sqlite3.Connection, tables: set[str], table: str, stamp: str) -> dict[int, str]:
    if table not in tables:  # an older schema version: none yet
        return {}
    return dict(conn.execute(f"SELECT number, {stamp} FROM {table} ORDER BY number"))


def contents(path: Path, *, check: bool = False) -> Contents:
    """What the database at ``path`` holds, read without writing to it; ``check``: first make sure
    the whole file is sound (``PRAGMA integrity_check``). NotADatabase when it is not ours or is damaged."""
    try:
        conn = _read_only(path)
    except sqlite3.Error as exc:
        raise NotADatabase(f"cannot be opened ({exc})") from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 or not {"orders", "payments", "customers"} <= tables:
            raise NotADatabase("not a recon-tui database")
        if version > SCHEMA_VERSION:
            raise NotADatabase(f"database schema v{version} is newer than this recon-tui (v{SCHEMA_VERSION})")
        if check:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise NotADatabase(f"damaged ({problems[0]})")
        return Contents(version, _rows(conn, tables, "reconciliations", "finalized_at"),
                        _rows(conn, tables, "reopenings", "reopened_at"),
                        _rows(conn, tables, "posting_batches", "posted_at"))
    except sqlite3.DatabaseError as exc:
        raise NotADatabase(f"not a recon-tui database or damaged ({exc})") from None
    finally:
        conn.close()


def restore_from(source: Path, db_path: Path, pause: Callable[[], None] | None = None) -> None:
    """Put the database at ``source`` in place of the one at ``db_path``, page by page, through the
    online backup API: the destination is written in one transaction (through its WAL), so a crash
    midway leaves it as it was, and no stale WAL can be replayed onto the result. ``pause``: a test
    hook called once half the pages are written, inside the transaction."""
    src = _read_only(source)
    dst = sqlite3.connect(str(db_path), timeout=TIMEOUT)
    try:
        if pause is None:
            src.backup(dst)
        else:
            dst.execute("PRAGMA cache_size = 1")  # spill pages to the WAL before the pause, as a large copy would
            called = []

            def progress(status: int, remaining: int, total: int) -> None:
                if not called and total - remaining >= total // 2:
                    called.append(True)
                    pause()
            src.backup(dst, pages=1, progress=progress, sleep=0)
        if dst.execute("PRAGMA journal_mode").fetchone()[0] != "wal":  # a database restored into a new file
            dst.execute("PRAGMA journal_mode = WAL")
    finally:
        dst.close()
        src.close()
