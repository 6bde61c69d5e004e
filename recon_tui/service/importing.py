"""Importing the studio system's files (DOMAIN §3, §14): into the database, all or nothing; a dry run
that says what an import would change and writes nothing; or into a new database that takes the old
one's place only once it is complete (the demo studio)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from recon_tui.crashpoints import reach
from recon_tui.import_profiles import ImportProfile
from recon_tui.ledger.closing import Drift
from recon_tui.service.books import Books
from recon_tui.service.closing import recheck
from recon_tui.store.importer import ImportFailed, ImportResult, Problem, Progress, import_dir
from recon_tui.store.schema import close_whole, open_store


def _remove(path: Path) -> None:
    """A database file and SQLite's files beside it."""
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        each.unlink(missing_ok=True)


class Imports:
    def __init__(self, books: Books) -> None:
        self.books = books

    def profile(self, name: str | None) -> ImportProfile | None:
        """The config's import profile called ``name`` (None: the plain §3 files); an unknown name is
        an ImportFailed naming the known ones."""
        if name is None:
            return None
        config = self.books.config
        found = config.import_profiles.get(name)
        if found is None:
            known = ", ".join(sorted(config.import_profiles)) or "none: the config has no import_profiles"
            raise ImportFailed(ImportResult(problems=[Problem(
                str(config.path), 0, "--profile", f"no import profile {name!r} (known: {known})")]))
        return found

    def import_files(self, directory: Path, progress: Progress | None = None,
                     profile: str | None = None) -> ImportResult:
        """Import whichever §3 files are in ``directory`` (with ``profile``: the exports the config's
        import profile of that name maps); ImportFailed lists every problem, and then nothing was
        written (a database this import created is removed again)."""
        chosen = self.profile(profile)
        path = Path(self.books.db_path)
        existed = path.exists()
        if existed:
            self.books.backup("import")
        db = open_store(path, create=True)
        try:
            result = import_dir(db, directory, self.books.config, progress=progress, profile=chosen)
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

    def preview(self, directory: Path, profile: str | None = None,
                progress: Progress | None = None) -> tuple[ImportResult, list[tuple[Drift | None, Drift]]]:
        """What importing ``directory`` would do, with nothing written and no backup made: the
        result (new, changed and unchanged per file) and, per finalized record whose sources the
        import would change, (its drift before, its drift after). The import runs inside a
        transaction that is rolled back; a database that does not exist yet is not created."""
        chosen = self.profile(profile)
        config = self.books.config
        path = Path(self.books.db_path)
        with tempfile.TemporaryDirectory(prefix="recon-preview-") as scratch:
            db = open_store(path) if path.exists() else open_store(Path(scratch) / "preview.db", create=True)
            try:
                before = {drift.number: drift for drift in recheck(db, config)}
                after: list[Drift] = []
                result = import_dir(db, directory, config, progress=progress, profile=chosen, dry_run=True,
                                    inspect=lambda conn: after.extend(recheck(conn, config)))
            finally:
                db.close()
        return result, [(before.get(d.number), d) for d in sorted(after, key=lambda d: d.number)
                        if before.get(d.number) != d]

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
