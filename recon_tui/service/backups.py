"""Undo for mistakes (DOMAIN §10): a copy of the database in ``backups/`` beside it before every
import, post, finalize and reopen, the last ``backups.keep`` of them kept, and ``restore`` to put one
back without losing what was finalized or posted since.

A copy is called ``<db>-<UTC time>Z-before-<action>.db`` (``recon-20261129T061500.000Z-before-
finalize.db``; ``-manual`` for ``recon-tui backup``), so names sort by time and say why. The time has
milliseconds and a copy is never named before the newest one, so names are unique and in order even
within one second or with a fixed clock. Each copy is written under a temporary name in the same
folder and linked into place only once complete: a crash never leaves half a copy under a real name,
and the temporary files of processes that died are removed by the next copy.

Test hook: with ``RECON_TUI_TEST_PAUSE=restore`` in the environment, ``restore`` creates
``<db>.restore-paused`` once half the pages of the copy are written (inside its transaction) and then
sleeps, so a test can kill the process mid-restore.
"""

from __future__ import annotations

import errno
import filecmp
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from recon_tui.files import temporary_name, writer_gone
from recon_tui.store.copies import Contents, NotADatabase, contents, copy_into, restore_from

FOLDER = "backups"
_STAMP = "%Y%m%dT%H%M%S"
#: files.temporary_name's form (and the -journal SQLite may leave beside it)
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]+)\.[0-9a-f]{8}\.partial(?:-journal)?$")


class RestoreRefused(Exception):
    """The restore was not done (a bad file, or it would lose records or batches): bad input, exit 2."""


@dataclass(frozen=True)
class Backup:
    """One copy in backups/: when it was taken, before what, its size and what it holds."""

    path: Path
    taken: datetime
    why: str  # import, post, finalize, reopen, restore, manual
    size: int
    records: int | None = None  # None: the copy could not be read
    batches: int | None = None


@dataclass(frozen=True)
class Restored:
    source: Path
    undo: Path | None  # the copy of the database as it was before the restore
    lost: tuple[str, ...]  # what --force let go


def folder(books) -> Path:
    return Path(books.db_path).parent / FOLDER


def _pattern(db_path: Path) -> re.Pattern:
    return re.compile(rf"^{re.escape(Path(db_path).stem)}-(?P<when>[0-9]{{8}}T[0-9]{{6}}\.[0-9]{{3}})Z-"
                      rf"(?:before-(?P<action>[a-z]+)|(?P<manual>manual))\.db$")


def _copies(books) -> list[tuple[datetime, str, Path]]:
    """The copies of this database in backups/, oldest first: (time, why, path)."""
    where, pattern = folder(books), _pattern(books.db_path)
    if not where.is_dir():
        return []
    found = []
    for path in where.iterdir():
        match = pattern.match(path.name)
        if match:
            taken = datetime.strptime(match["when"], _STAMP + ".%f").replace(tzinfo=timezone.utc)
            found.append((taken, match["action"] or "manual", path))
    return sorted(found)


def _name(db_path: Path, taken: datetime, why: str) -> str:
    label = "manual" if why == "manual" else f"before-{why}"
    return f"{Path(db_path).stem}-{taken.strftime(_STAMP)}.{taken.microsecond // 1000:03d}Z-{label}.db"


def _writer_gone(path: Path, pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process writes one copy at a time, and removes its own on failure
    return writer_gone(path, pid)


def _remove_stale(where: Path) -> None:
    for path in where.iterdir():
        match = _TEMP.match(path.name)
        if match and _writer_gone(path, int(match["pid"])):
            path.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # a folder cannot be synced everywhere (Windows): the rename is still atomic
        pass
    finally:
        os.close(fd)


def _failed(exc: BaseException, where: Path, why: str) -> OSError:
    """One line naming the path, for the CLI's exit 1 and the screens."""
    if isinstance(exc, OSError):
        code, reason, where = exc.errno or errno.EIO, exc.strerror or str(exc), Path(exc.filename or where)
    else:
        reason = str(exc)
        code = errno.ENOSPC if "full" in reason else errno.EACCES if "unable to open" in reason else errno.EIO
        reason = "no space left on device" if code == errno.ENOSPC else reason
    doing = "back up the database" if why == "manual" else f"back up the database before {why}"
    done = "" if why == "manual" else f"; the {why} was not done"
    return OSError(code, f"could not {doing} ({reason}){done}", str(where))


def make(books, why: str, *, spare: Path | None = None, raw: bool = False) -> Path:
    """A copy of the database now, before ``why``; then the copies beyond ``backups.keep`` are
    removed, oldest first (never ``spare``, the copy a restore is reading). OSError naming the path
    when the copy cannot be made. A copy identical to the newest one is not kept twice: the newest
    is returned instead. ``raw``: the file's bytes as they are (a damaged database SQLite cannot read)."""
    where = folder(books)
    temp = None
    try:
        where.mkdir(exist_ok=True)
        _remove_stale(where)
        temp = temporary_name(where / Path(books.db_path).name)
        if raw:
            shutil.copyfile(books.db_path, temp)
        else:
            copy_into(Path(books.db_path), temp)
        _sync(temp)
        existing = _copies(books)
        if existing and _same(existing[-1][2], temp):
            temp.unlink()
            return existing[-1][2]
        path = _put_in_place(books, temp, why, existing)
        temp = None
        _sync(where)
    except (OSError, sqlite3.Error) as exc:
        if temp is not None:
            try:
                temp.unlink(missing_ok=True)
            except OSError:
                pass
        raise _failed(exc, where, why) from None
    keep = books.config.backups_keep
    if keep > 0:
        _rotate(books, keep, spare)
    return path


def _same(newest: Path, copy: Path) -> bool:
    """The copy holds exactly what the newest one does (VACUUM INTO writes the same bytes for the same
    content); False when unsure, e.g. the newest was removed meanwhile."""
    try:
        return newest.stat().st_size == copy.stat().st_size and filecmp.cmp(newest, copy, shallow=False)
    except OSError:
        return False


def _put_in_place(books, temp: Path, why: str, existing) -> Path:
    """Link the complete copy under the first free name not older than the newest copy."""
    taken = books.now().astimezone(timezone.utc)
    taken = taken.replace(microsecond=taken.microsecond // 1000 * 1000)
    if existing and taken <= existing[-1][0]:
        taken = existing[-1][0] + timedelta(milliseconds=1)
    for _ in range(1000):
        path = temp.parent / _name(books.db_path, taken, why)
        try:
            os.link(temp, path)  # fails if the name is taken (by another process at the same moment)
        except FileExistsError:
            taken += timedelta(milliseconds=1)
            continue
        except OSError:  # a file system without hard links: replace (the name was free just now)
            if path.exists():
                taken += timedelta(milliseconds=1)
                continue
            os.replace(temp, path)
            return path
        temp.unlink()
        return path
    raise OSError(errno.EEXIST, "no free backup name", str(temp.parent))


def _rotate(books, keep: int, spare: Path | None) -> None:
    copies = [path for _, _, path in _copies(books) if spare is None or path.resolve() != spare.resolve()]
    for path in copies[:-keep] if len(copies) > keep else []:
        path.unlink(missing_ok=True)


def before(books, action: str) -> Path | None:
    """The copy made before ``action`` (import, post, finalize, reopen); None when the config turns
    backups off (``backups.keep: 0``) or there is no database yet."""
    if books.config.backups_keep <= 0 or not Path(books.db_path).exists():
        return None
    return make(books, action)


def list_backups(books) -> list[Backup]:
    """Every copy of this database in backups/, newest first, each read (read-only) for what it holds."""
    found = []
    for taken, why, path in reversed(_copies(books)):
        try:
            size = path.stat().st_size
        except OSError:  # removed meanwhile
            continue
        try:
            held = contents(path)
            records, batches = len(held.records), len(held.batches)
        except NotADatabase:
            records = batches = None
        found.append(Backup(path, taken, why, size, records, batches))
    return found


def find(books, file: str | Path) -> Path:
    """``file`` as given, else a name in backups/; RestoreRefused when neither exists."""
    given = Path(file)
    if given.is_file():
        return given
    inside = folder(books) / given.name
    if given.name == str(file) and inside.is_file():
        return inside
    raise RestoreRefused(f"{file}: no such file (nor in {folder(books)})")


def losses(now: Contents, then: Contents) -> list[str]:
    """What the database holds now that the copy ``then`` does not (or holds as another item)."""
    def gone(items_now: dict[int, str], items_then: dict[int, str]) -> list[int]:
        return [n for n, stamp in items_now.items() if items_then.get(n) != stamp]

    lost = []
    records, reopenings, batches = (gone(now.records, then.records), gone(now.reopenings, then.reopenings),
                                    gone(now.batches, then.batches))
    if records:
        lost.append(("reconciliation " if len(records) == 1 else "reconciliations ") +
                    ", ".join(f"#{n}" for n in records))
    reopenings = [n for n in reopenings if n not in records]  # a record lost takes its reopening with it
    if reopenings:
        lost.append(("the reopening of " if len(reopenings) == 1 else "the reopenings of ") +
                    ", ".join(f"#{n}" for n in reopenings))
    if batches:
        lost.append(("batch " if len(batches) == 1 else "batches ") + ", ".join(str(n) for n in batches))
    return lost


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _test_pause(db_path: Path):
    if os.environ.get("RECON_TUI_TEST_PAUSE") != "restore":
        return None

    def pause() -> None:
        Path(f"{db_path}.restore-paused").write_text(str(os.getpid()))
        time.sleep(600)
    return pause


def restore(books, file: str | Path, force: bool = False) -> Restored:
    """Put the copy ``file`` back in place of the database. Refused (RestoreRefused) when it is not a
    sound recon-tui database, or when it lacks finalized records, reopenings or posted batches the
    database holds now, unless ``force``. The database as it was is copied first (``before-restore``),
    so a restore can itself be undone; a crash midway leaves the database as it was."""
    db_path = Path(books.db_path)
    source = find(books, file)
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise RestoreRefused(f"{source}: that is the database itself")
    try:
        then = contents(source, check=True)
    except NotADatabase as exc:
        raise RestoreRefused(f"{source}: {exc}; nothing was restored") from None
    lost: list[str] = []
    damaged = False
    if db_path.exists():
        try:
            lost = losses(contents(db_path), then)
        except NotADatabase as exc:
            damaged = True
            if not force:
                raise RestoreRefused(f"{db_path}: {exc}, so what restoring would lose is unknown; "
                                     "--force to restore anyway") from None
        if lost and not force:
            raise RestoreRefused(f"restoring {source.name} would lose {_and(lost)}; --force to restore anyway")
    undo = None
    if db_path.exists() and books.config.backups_keep > 0:
        try:
            undo = make(books, "restore", spare=source)
        except OSError:
            if not (force and damaged):
                raise
            undo = make(books, "restore", spare=source, raw=True)
    try:
        restore_from(source, db_path, _test_pause(db_path))
    except sqlite3.DatabaseError as exc:
        if not force or isinstance(exc, sqlite3.OperationalError):  # locked, busy, disk full: say so
            raise
        _replace_damaged(source, db_path)
    return Restored(source, undo, tuple(lost))


def _replace_damaged(source: Path, db_path: Path) -> None:
    """A database SQLite cannot even write into (its header is gone): the copy is written into a new
    file beside it, which then takes its place with its old WAL gone (nothing of it can be read)."""
    fresh = db_path.with_name(db_path.name + ".restoring")
    for each in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        each.unlink(missing_ok=True)
    restore_from(source, fresh)
    conn = sqlite3.connect(fresh)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for old in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        old.unlink(missing_ok=True)
    os.replace(fresh, db_path)
