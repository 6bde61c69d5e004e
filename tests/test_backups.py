"""Undo for mistakes (DOMAIN §10): copies before import, post, finalize and reopen, kept to
``backups.keep``, and ``restore`` that never silently loses a finalized record or a posted batch."""

from __future__ import annotations

import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.config import load_config
from recon_tui.model import Period
from recon_tui.service import FinalizeRequest, ReconService
from recon_tui.service import backups
from recon_tui.store import open_store
from recon_tui.store.importer import import_dir

FIXTURES = Path(__file__).parent / "fixtures"
CONFIG = FIXTURES / "worked_example.yaml"
TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 18, 30, tzinfo=timezone.utc)
APRIL = Period(date(2026, 3, 31), date(2026, 4, 30))
APRIL_COUNT = {"check": 3000, "credit_card": 26600, "eft": -15000}


@pytest.fixture
def config():
    return load_config(CONFIG)


@pytest.fixture
def db_path(tmp_path, config):
    path = tmp_path / "studio.db"
    db = open_store(path, create=True)
    import_dir(db, FIXTURES / "worked_example", config)
    db.close()
    return path


def service(config, db_path, keep=5, clock=lambda: NOW):
    return ReconService(dataclasses.replace(config, backups_keep=keep), db_path, TODAY, user="ada", clock=clock)


def names(db_path: Path) -> list[str]:
    folder = db_path.parent / "backups"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def finalize_april(svc):
    return svc.finalize(FinalizeRequest(method="accrual", period=APRIL, counted=APRIL_COUNT, qb_balance=0))


def change(db_path: Path, name: str) -> None:
    """Some change to the books, so the next copy differs from the last."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE customers SET name = ? WHERE customer_id = (SELECT MIN(customer_id) FROM customers)",
                     (name,))
    conn.close()


def cli(tmp_path, *args, config=CONFIG):
    return main([*args, "--db", str(tmp_path / "studio.db"), "--config", str(config)])


def keep_config(tmp_path, keep: int) -> Path:
    path = tmp_path / f"keep{keep}.yaml"
    path.write_text(CONFIG.read_text() + f"backups:\n  keep: {keep}\n")
    return path


# -- copies before every action that writes -------------------------------------------------------

def test_a_copy_is_made_before_post_finalize_reopen_and_import(config, db_path):
    svc = service(config, db_path)
    svc.post("accrual", date(2026, 4, 30))
    finalize_april(svc)
    svc.reopen(1, "counted twice")
    svc.import_files(FIXTURES / "worked_example")
    found = backups.list_backups(svc.books)
    assert [b.why for b in found] == ["import", "reopen", "finalize", "post"]  # newest first
    assert [(b.records, b.batches) for b in found] == [(1, 1), (1, 1), (0, 1), (0, 0)]
    assert all(b.taken >= NOW and b.size > 0 for b in found)
    # the fixed clock gives every copy the same second: the names still differ and sort by time
    assert names(db_path) == sorted(b.path.name for b in found) == [b.path.name for b in reversed(found)]
    assert names(db_path)[0] == "studio-20261121T183000.000Z-before-post.db"
    for b in found:
        conn = sqlite3.connect(f"file:{b.path}?mode=ro", uri=True)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()


def test_an_unchanged_database_is_not_copied_twice(config, db_path):
    svc = service(config, db_path)
    first = backups.make(svc.books, "manual")
    assert svc.post("accrual", date(2000, 1, 1)) is None  # nothing to post: nothing changed
    assert names(db_path) == [first.name]
    change(db_path, "Someone Else")
    assert backups.make(svc.books, "manual") != first and len(names(db_path)) == 2


def test_a_post_with_nothing_to_post_makes_no_copy(config, db_path):
    svc = service(config, db_path)
    assert svc.post("accrual", date(2000, 1, 1)) is None
    assert names(db_path) == []
    assert svc.post("accrual", date(2026, 4, 30)) is not None
    assert len(names(db_path)) == 1


def test_only_the_newest_copies_are_kept(config, db_path):
    svc = service(config, db_path, keep=2)
    folder = db_path.parent / "backups"
    folder.mkdir()
    others = ["notes.txt", "other-20200101T000000.000Z-before-post.db", "studio-old.db"]
    for name in others:
        (folder / name).write_text("not a copy of this database")
    made = []
    for at in range(4):
        change(db_path, f"Name {at}")
        made.append(backups.make(svc.books, "manual").name)
    assert names(db_path) == sorted(made[-2:] + others)


def test_keep_0_makes_no_copies(config, db_path, tmp_path):
    svc = service(config, db_path, keep=0)
    assert svc.post("accrual", date(2026, 4, 30)).number == 1
    finalize_april(svc)
    assert not (tmp_path / "backups").exists()
    assert cli(tmp_path, "post", "--list", config=keep_config(tmp_path, 0)) == 0
    assert not (tmp_path / "backups").exists()


def test_a_copy_is_consistent_while_others_read_and_write(config, db_path):
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM customers").fetchone() == (3,)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO customers VALUES ('ZZ', 'Not yet committed')")
    copy = backups.make(service(config, db_path).books, "manual")
    writer.execute("COMMIT")
    reader.execute("COMMIT")
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT COUNT(*) FROM customers").fetchone() == (3,)  # what was committed when copied
    conn.close()
    reader.close()
    writer.close()


# -- a copy that cannot be made stops the action ---------------------------------------------------

def test_a_backup_that_cannot_be_made_stops_the_post(db_path, tmp_path, capsys):
    (tmp_path / "backups").write_text("a file where the folder should be")
    assert cli(tmp_path, "post", "--through", "2026-04-30") == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith(f"error: {tmp_path / 'backups'}: could not back up the database "
                                              "before post (")
    assert err.endswith("; the post was not done")
    assert not list(tmp_path.glob("*.iif"))
    assert cli(tmp_path, "post", "--list") == 0 and "no batches posted yet" in capsys.readouterr().out


def test_a_full_disk_stops_the_finalize_and_leaves_no_partial_copy(db_path, tmp_path, capsys, monkeypatch):
    def full(db, target):
        Path(target).write_bytes(b"half a copy")
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(backups, "copy_into", full)
    code = cli(tmp_path, "finalize", "--previous", "2026-03-31", "--current", "2026-04-30", "--count", "check=30",
               "--count", "credit_card=266", "--count", "eft=-150", "--qb-balance", "0")
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"error: {tmp_path / 'backups'}: could not back up the database before finalize "
                   "(no space left on device); the finalize was not done")
    assert names(tmp_path / "studio.db") == []
    assert cli(tmp_path, "history") == 0 and "no finalized reconciliation yet" in capsys.readouterr().out


def test_temporary_copies_of_dead_processes_are_removed(config, db_path):
    folder = db_path.parent / "backups"
    folder.mkdir()
    gone = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout)
    dead = folder / f".studio.db.{gone}.0badcafe.partial"
    alive = folder / f".studio.db.{os.getppid()}.0badcafe.partial"  # another process still writing
    dead.write_text("half")
    alive.write_text("being written")
    backups.make(service(config, db_path).books, "manual")
    assert not dead.exists() and alive.exists()


# -- restore ---------------------------------------------------------------------------------------

def test_restore_refuses_to_lose_records_and_batches_unless_forced(config, db_path, tmp_path, capsys):
    svc = service(config, db_path)
    svc.post("accrual", date(2026, 4, 30))
    finalize_april(svc)
    before_post = names(db_path)[0]
    assert before_post.endswith("-before-post.db")
    assert cli(tmp_path, "restore", before_post) == 2
    err = capsys.readouterr().err
    assert err == (f"error: restore: restoring {before_post} would lose reconciliation #1 and batch 1; "
                   "--force to restore anyway\n")
    assert [r.number for r in svc.history()] == [1]  # untouched
    assert cli(tmp_path, "restore", before_post, "--force") == 0
    out = capsys.readouterr().out
    assert svc.history() == [] and svc.batches() == []
    undo = next(name for name in names(db_path) if name.endswith("-before-restore.db"))
    assert f"the database as it was: {tmp_path / 'backups' / undo}" in out
    # the restore is itself undone the same way, and loses nothing
    assert cli(tmp_path, "restore", str(tmp_path / "backups" / undo)) == 0
    assert [r.number for r in svc.history()] == [1] and [b.number for b in svc.batches()] == [1]
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert cli(tmp_path, "history", "--verify") == 0
    assert "1 record, 0 reopenings, 1 batch: chain intact" in capsys.readouterr().out


def test_restore_mends_a_damaged_or_missing_database_when_forced(config, db_path, tmp_path, capsys):
    assert cli(tmp_path, "backup") == 0
    copy = capsys.readouterr().out.split("backed up to ", 1)[1].strip()
    with open(db_path, "r+b") as file:
        file.write(b"not a database any more " * 8)
    assert cli(tmp_path, "restore", copy) == 2
    assert "--force to restore anyway" in capsys.readouterr().err
    assert cli(tmp_path, "restore", copy, "--force") == 0
    assert cli(tmp_path, "history", "--verify") == 0
    damaged = next(name for name in names(db_path) if name.endswith("-before-restore.db"))
    assert (tmp_path / "backups" / damaged).read_bytes().startswith(b"not a database any more")
    for each in tmp_path.glob("studio.db*"):
        each.unlink()
    assert cli(tmp_path, "restore", copy) == 0  # no database at all: nothing to lose
    assert service(config, db_path).history() == []
    assert sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_restore_names_a_reopening_and_a_record_of_the_same_number_that_would_be_lost(config, db_path):
    svc = service(config, db_path)
    finalize_april(svc)
    svc.reopen(1, "miscounted")
    with pytest.raises(backups.RestoreRefused, match=r"would lose the reopening of #1; --force"):
        backups.restore(svc.books, names(db_path)[-1])  # the copy before the reopen
    # the copy from before the finalize lacks the record itself (and so its reopening)
    with pytest.raises(backups.RestoreRefused, match=r"would lose reconciliation #1; --force"):
        backups.restore(svc.books, names(db_path)[0])


def test_restore_refuses_what_is_not_a_sound_recon_tui_database(db_path, tmp_path, capsys):
    before = db_path.read_bytes()
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE photos (id)")
    conn.commit()
    conn.close()
    (tmp_path / "notes.txt").write_text("hello " * 1000)
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.executescript("CREATE TABLE orders(x); CREATE TABLE payments(x); CREATE TABLE customers(x); "
                       "PRAGMA user_version = 999;")
    conn.close()
    for file, said in ((other, "not a recon-tui database"), (tmp_path / "notes.txt", "not a recon-tui database"),
                       (newer, "newer than this recon-tui"), ("missing.db", "no such file"),
                       (db_path, "that is the database itself")):
        assert cli(tmp_path, "restore", str(file), "--force") == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: restore: ") and said in err, err
    assert db_path.read_bytes() == before and names(db_path) == []


def test_restore_takes_a_path_or_a_name_in_backups(config, db_path, tmp_path, capsys):
    assert cli(tmp_path, "backup") == 0
    path = Path(capsys.readouterr().out.split("backed up to ", 1)[1].strip())
    assert path.parent == tmp_path / "backups" and path.is_file()
    change(db_path, "Renamed")
    assert cli(tmp_path, "restore", path.name) == 0
    conn = sqlite3.connect(db_path)
    assert "Renamed" not in {name for (name,) in conn.execute("SELECT name FROM customers")}
    conn.close()


def test_a_restore_killed_midway_leaves_the_database_whole(config, db_path, tmp_path):
    svc = service(config, db_path)
    svc.post("accrual", date(2026, 4, 30))
    finalize_april(svc)
    oldest = tmp_path / "backups" / names(db_path)[0]
    script = ("import sys; from recon_tui.cli import main; "
              f"sys.exit(main(['restore', {str(oldest)!r}, '--force', '--db', {str(db_path)!r}, "
              f"'--config', {str(CONFIG)!r}]))")
    child = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "RECON_TUI_TEST_PAUSE": "restore"})
    paused = Path(f"{db_path}.restore-paused")
    deadline = time.monotonic() + 60
    while not paused.exists():
        assert child.poll() is None and time.monotonic() < deadline, "the restore never reached its pause"
        time.sleep(0.02)
    assert Path(f"{db_path}-wal").stat().st_size > 0  # pages of the copy are in the WAL, uncommitted
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert [r.number for r in svc.history()] == [1] and [b.number for b in svc.batches()] == [1]
    # and the restore, run again, completes
    assert backups.restore(svc.books, oldest, force=True).lost == ("reconciliation #1", "batch 1")
    assert svc.history() == [] and svc.batches() == []


def test_the_list_shows_each_copy(config, db_path, tmp_path, capsys):
    assert cli(tmp_path, "backup", "--list") == 0
    assert capsys.readouterr().out == f"no backups yet in {tmp_path / 'backups'}\n"
    svc = service(config, db_path)
    svc.post("accrual", date(2026, 4, 30))
    finalize_april(svc)
    assert cli(tmp_path, "backup", "--list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["File", "When", "(UTC)", "Before", "Size", "Records", "Batches"]
    assert lines[2].startswith("studio-20261121T183000.001Z-before-finalize.db  2026-11-21 18:30:00  finalize")
    assert lines[2].split()[-2:] == ["0", "1"] and lines[3].split()[-2:] == ["0", "0"]
    assert len(lines) == 4


def test_backup_and_restore_need_a_database(tmp_path, capsys):
    assert cli(tmp_path, "backup") == 1
    assert "database not found" in capsys.readouterr().err
    assert cli(tmp_path, "restore") == 2  # FILE is required
    assert "error:" in capsys.readouterr().err


def test_restoring_the_oldest_copy_keeps_it_while_it_is_read(config, db_path):
    svc = service(config, db_path, keep=1)
    oldest = backups.make(svc.books, "manual")
    change(db_path, "Renamed")
    done = backups.restore(svc.books, oldest.name)
    assert done.undo is not None and sorted(names(db_path)) == sorted([oldest.name, done.undo.name])
    change(db_path, "Renamed again")
    backups.make(svc.books, "manual")  # the next copy trims to keep = 1
    assert len(names(db_path)) == 1
