"""A batch's IIF file on disk always belongs to a recorded batch (DOMAIN §8, last bullet).

The file is written under a temporary name unique to the database and the process
(``.studio-batch-0001.iif.<db>-<pid>-<random>.partial`` beside it; ``<db>`` is a digest of the
database's path), flushed and fsync'd; the batch is committed, and only then is the file renamed
into place (:class:`BatchFile`). A process that died between the commit and the rename leaves the
temporary file of a recorded batch: the next post of that database puts it in place
(:func:`finish_files`); temporary files of batches never recorded are removed once their process
is gone (POSIX: no process has that pid; elsewhere: untouched for an hour).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from recon_tui.files import writer_gone
from recon_tui.model import Posted, PostingError
from recon_tui.quickbooks.iif_writer import IIF_ENCODING, iif_blocks, write_iif
from recon_tui.store.posted import export_files
from recon_tui.store.schema import db_path

if TYPE_CHECKING:
    import sqlite_utils



def batch_file(directory: Path, number: int, export: int = 1) -> Path:
    """``studio-batch-0001.iif``, and ``studio-batch-0001-export-2.iif`` for its second export."""
    suffix = "" if export == 1 else f"-export-{export}"
    return directory / f"studio-batch-{number:04d}{suffix}.iif"


_TEMP = re.compile(r"^\.(?P<name>studio-batch-(?P<batch>[0-9]+)(?:-export-(?P<export>[0-9]+))?\.iif)"
                   r"\.(?P<db>[0-9a-f]{8})-(?P<pid>[0-9]+)-[0-9a-f]{8}(?P<body>\.body)?\.partial$")
_WRITING: set[str] = set()  # this process's temporary files being written now
_WRITING_LOCK = threading.Lock()


def _db_tag(db: sqlite_utils.Database) -> str:
    return hashlib.sha256(os.path.realpath(db_path(db)).encode()).hexdigest()[:8]


def temp_path(db: sqlite_utils.Database, path: Path, pid: int | None = None) -> Path:
    """The temporary name ``path`` is written under: unique to the database, the process and the call."""
    return path.with_name(f".{path.name}.{_db_tag(db)}-{os.getpid() if pid is None else pid}-"
                          f"{secrets.token_hex(4)}.partial")


def _sync_dir(directory: Path) -> None:
    if os.name == "posix":  # the rename itself is durable once the folder is synced
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def _writer_gone(path: Path, pid: int) -> bool:
    if pid == os.getpid():
        with _WRITING_LOCK:
            return str(path) not in _WRITING
    return writer_gone(path, pid)


def finish_files(db: sqlite_utils.Database, directory: Path) -> list[Path]:
    """Put in place the file of every recorded batch or re-export whose process died between the
    commit and the rename (its complete temporary file is left), and remove this database's other
    temporary files whose process is gone. Returns the files put in place."""
    files = export_files(db)
    recorded = {(batch, export): Path(file).name for batch, export, file in files}
    folders = {Path(directory)} | {Path(file).parent for _, _, file in files if not Path(file).exists()}
    tag = _db_tag(db)
    placed = []
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            found = _TEMP.match(name)
            if found is None or found["db"] != tag:
                continue
            temp = folder / name
            if not _writer_gone(temp, int(found["pid"])):
                continue
            final = folder / found["name"]
            key = (int(found["batch"]), int(found["export"] or 1))
            try:
                if not found["body"] and recorded.get(key) == final.name and not final.exists():
                    os.replace(temp, final)
                    _sync_dir(folder)
                    placed.append(final)
                else:
                    temp.unlink()
            except FileNotFoundError:
                pass  # another post finished it first
    return placed


class BatchFile:
    """A batch's (or export's) IIF file: written under a temporary name, put in place after the commit."""

    def __init__(self, db, path: Path) -> None:
        self.path = path
        self.temp = temp_path(db, path)
        self.body = self.temp.with_name(self.temp.name.replace(".partial", ".body.partial"))
        with _WRITING_LOCK:
            _WRITING.update((str(self.temp), str(self.body)))

    def _done(self) -> None:
        with _WRITING_LOCK:
            _WRITING.difference_update((str(self.temp), str(self.body)))

    def write(self, chunks: Iterable[tuple[list[Posted], set[str]]], accounts: dict[str, str]) -> int:
        """Write the entries, chunk by chunk, then the list rows of every customer they name before
        them; flushed and fsync'd. Returns how many entries."""
        count = 0
        customers: set[str] = set()
        try:
            with open(self.body, "w", encoding=IIF_ENCODING, newline="") as body:
                for posted, names in chunks:
                    body.write(iif_blocks(posted, accounts, names))
                    count += len(posted)
                    customers |= names
            if count:
                head = io.StringIO()
                write_iif(head, [], accounts, customers)
                with open(self.temp, "wb", buffering=0) as out, open(self.body, "rb", buffering=0) as body:
                    out.write(head.getvalue().encode(IIF_ENCODING))
                    _append(body, out)
                    os.fsync(out.fileno())
        except ValueError as exc:  # a name QuickBooks would refuse (UnicodeEncodeError too): say so, write nothing
            raise PostingError(str(exc)) from None
        finally:
            self.body.unlink(missing_ok=True)
        return count

    def discard(self) -> None:
        self.temp.unlink(missing_ok=True)
        self.body.unlink(missing_ok=True)
        self._done()

    def put_in_place(self, what: str) -> None:
        if self.path.exists():  # another database's post took the name meanwhile: keep ours aside
            kept = self.path.with_name(f"{self.path.name}.{self.temp.name.split('.')[3]}.kept")
            try:
                os.replace(self.temp, kept)
            except OSError:
                kept = self.temp
            self._done()
            raise PostingError(f"{what} is recorded, but {self.path} appeared meanwhile (another database's?): "
                               f"this batch's file is {kept}; move the other away and rename it")
        try:
            os.replace(self.temp, self.path)
        except OSError as exc:
            self._done()  # the next post of this database puts the file in place (finish_files)
            raise PostingError(f"{what} is recorded, but its file could not be put in place "
                               f"({exc.strerror or exc}): run post again to finish it") from None
        self._done()
        _sync_dir(self.path.parent)


def _append(source, out) -> None:
    """Copy the rest of ``source`` to ``out`` (files opened unbuffered), in the kernel where it can."""
    copy = getattr(os, "copy_file_range", None)
    copied = 0
    if copy is not None:
        try:
            while step := copy(source.fileno(), out.fileno(), 1 << 30):
                copied += step
            return
        except OSError:
            if copied:
                raise
    shutil.copyfileobj(source, out, 1 << 20)
