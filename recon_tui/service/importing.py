"""Importing the studio system's files (DOMAIN §3): into the database, all or nothing, or into a new
database that takes the old one's place only once it is complete (the demo studio)."""

from __future__ import annotations

import os
from pathlib import Path

from recon_tui.crashpoints import reach
from recon_tui.service.books import Books
from recon_tui.store.importer import ImportFailed, ImportResult, Progress, import_dir
from recon_tui.store.schema import close_whole, open_store


def _remove(path: Path) -> None:
    """A database file and SQLite's files beside it."""
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        each.unlink(missing_ok=True)


class Imports:
    def __init__(self, books: Books) -> None:
        self.books = books

    def import_files(self, directory: Path, progress: Progress | None = None) -> ImportResult:
        """Import whichever §3 files are in ``directory``; ImportFailed lists every problem, and
        then nothing was written (a database this import created is removed again)."""
        path = Path(self.books.db_path)
        existed = path.exists()
        if existed:
            self.books.backup("import")
        db = open_store(path, create=True)
        try:
            result = import_dir(db, directory, self.books.config, progress=progress)
            reach("import:after-commit")
            return result
        except ImportFailed:
            db.close()
            db = None
            if not existed:  # leave no empty database behind
                _remove(path)
            raise
        finally:
            if db is not None:
                db.close()

    def replace_with(self, directory: Path, progress: Progress | None = None) -> ImportResult:
        """A new database from the §3 files in ``directory``, put in place of the old one only once it
        is complete (the old one stays whole until then); ImportFailed leaves the old one as it was."""
        path = Path(self.books.db_path)
        fresh = path.with_name(path.name + ".new")
        _remove(fresh)
        db = open_store(fresh, create=True)
        try:
            result = import_dir(db, directory, self.books.config, progress=progress)
        except BaseException:
            db.close()
            _remove(fresh)
            raise
        close_whole(db)
        for old in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            old.unlink(missing_ok=True)
        os.replace(fresh, path)
        return result
