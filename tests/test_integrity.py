"""Nothing lost, nothing overwritten, no race ends as "a bug" (DOMAIN §10, §12; README "What is
guaranteed"): real processes killed with SIGKILL at chosen moments, concurrent processes, direct
sqlite3 writes past the program, and the hash chain finding every kind of tampering."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.store import open_store
from recon_tui.store.chain import verify

FIXTURES = Path(__file__).parent / "fixtures"
CONFIG = FIXTURES / "worked_example.yaml"
V3 = FIXTURES / "databases" / "schema_v3.db"
COUNTS = ["--qb-balance", "0", "--count", "cash=0", "--count", "check=30", "--count", "eft=-150",
          "--count", "credit_card=266", "--count", "other=0"]
FIRST = ["--previous", "2026-03-31", "--current", "2026-04-30", *COUNTS]


def cli(db: Path, *args: str, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "RECON_TUI_CRASH_AT": crash_at or ""}
    return subprocess.run([sys.executable, "-m", "recon_tui", *args, "--db", str(db), "--config", str(CONFIG)],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "studio.db"
    assert main(["import", str(FIXTURES / "worked_example"), "--db", str(path), "--config", str(CONFIG)]) == 0
    return path


def rows(db: Path, sql: str) -> list:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def chain_state(db: Path) -> str:
    store = open_store(db)
    try:
        return verify(store).summary()
    finally:
        store.conn.close()


# -- kill -9 at chosen moments -------------------------------------------------------------------

@pytest.mark.parametrize("point, written", [("finalize:before-commit", 0), ("finalize:after-commit", 1),
                                            ("file:before-rename", 1)])
def test_a_finalize_killed_leaves_a_whole_record_or_none_and_never_an_empty_report(db, point, written):
    done = cli(db, "finalize", *FIRST, crash_at=point)
    assert done.returncode == -signal.SIGKILL
    assert rows(db, "SELECT number FROM reconciliations") == [(n,) for n in range(1, written + 1)]
    assert chain_state(db).endswith("chain intact")
    printed = db.with_name("reconciliation-0001.txt")
    assert not printed.exists()  # never a 0-byte or cut report under the real name
    assert not [p for p in db.parent.iterdir() if p.name.startswith("reconciliation") and p != printed]
    if written:  # the record is whole: its report can be written again
        again = cli(db, "history", "--show", "1", "--print")
        assert again.returncode == 0, again.stderr
        assert "reconciliation #1" in printed.read_text(encoding="utf-8")
    else:
        assert cli(db, "finalize", *FIRST).returncode == 0


@pytest.mark.parametrize("point, batches", [("post:before-commit", 0), ("post:after-commit", 1)])
def test_a_post_killed_leaves_a_whole_batch_or_none(db, point, batches):
    done = cli(db, "post", "--through", "2026-04-30", crash_at=point)
    assert done.returncode == -signal.SIGKILL
    assert rows(db, "SELECT COUNT(*) FROM posting_batches") == [(batches,)]
    assert rows(db, "SELECT COUNT(*) FROM posted_entries") == [(9 * batches,)]
    assert chain_state(db).endswith("chain intact")
    iif = db.with_name("studio-batch-0001.iif")
    assert not iif.exists()  # not yet in place: the file only takes its name after the commit
    listed = cli(db, "post", "--list")  # which puts a committed batch's file in place
    assert listed.returncode == 0, listed.stderr
    assert iif.exists() == bool(batches)


def test_a_reopen_killed_before_its_commit_leaves_the_record_in_force(db):
    assert cli(db, "finalize", *FIRST).returncode == 0
    done = cli(db, "history", "--reopen", "1", "--reason", "typo", crash_at="reopen:before-commit")
    assert done.returncode == -signal.SIGKILL
    assert rows(db, "SELECT COUNT(*) FROM reopenings") == [(0,)]
    assert chain_state(db) == "1 record, 0 reopenings, 0 batches: chain intact"


def test_an_import_killed_at_any_moment_is_all_or_nothing(tmp_path):
    from recon_tui.config import load_config
    from recon_tui.demo import build_demo, write_csv

    folder = tmp_path / "csv"
    write_csv(build_demo(years=1, orders_per_year=1500), folder)
    db = tmp_path / "studio.db"
    assert main(["import", str(FIXTURES / "worked_example"), "--db", str(db), "--config", str(CONFIG)]) == 0
    before = rows(db, "SELECT COUNT(*) FROM payments")
    config = Path(__file__).parents[1] / "config" / "recon.yaml"
    shutil.copy(db, tmp_path / "other.db")
    for delay in (0.2, 0.6, 1.0):
        target = tmp_path / f"kill-{delay}.db"
        shutil.copy(tmp_path / "other.db", target)
        process = subprocess.Popen([sys.executable, "-m", "recon_tui", "import", str(folder), "--db", str(target),
                                    "--config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        process.wait()
        with sqlite3.connect(target) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            count = conn.execute("SELECT COUNT(*) FROM payments").fetchone()
        assert count == before[0:1][0] or count[0] > before[0][0] + 1000  # nothing, or all of it
    assert load_config(config)


# -- races between processes -----------------------------------------------------------------------

def test_eight_finalizes_of_one_period_make_one_record_and_the_rest_are_told_who(db):
    with ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(lambda _: cli(db, "finalize", *FIRST), range(8)))
    assert sorted(run.returncode for run in runs) == [0] + [2] * 7, [run.stderr for run in runs]
    assert rows(db, "SELECT number FROM reconciliations") == [(1,)]
    for run in runs:
        if run.returncode:
            assert "already finalized as reconciliation #1 by" in run.stderr, run.stderr
            assert "bug" not in run.stderr and "Traceback" not in run.stderr
    again = cli(db, "finalize", "--current", "2026-04-30", *COUNTS)
    assert again.returncode == 2 and "already finalized as reconciliation #1" in again.stderr


def test_eight_posts_make_one_batch_and_none_says_bug(db):
    with ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(lambda _: cli(db, "post", "--through", "2026-04-30"), range(8)))
    assert rows(db, "SELECT number FROM posting_batches") == [(1,)]
    for run in runs:
        assert run.returncode in (0, 2), run.stderr
        assert "bug" not in run.stderr and "UNIQUE" not in run.stderr and "Traceback" not in run.stderr
        if run.returncode == 2:
            assert "another post took batch 1" in run.stderr
    assert chain_state(db).endswith("chain intact")


# -- what the database refuses, whoever writes -----------------------------------------------------

def run(db: Path, *args: str) -> int:
    return main([*args, "--db", str(db), "--config", str(CONFIG)])


@pytest.fixture(scope="module")
def closed_books(tmp_path_factory) -> Path:
    """Read-only: a record finalized and reopened, a batch posted (tests copy it: ``books``)."""
    db = tmp_path_factory.mktemp("closed") / "studio.db"
    assert run(db, "import", str(FIXTURES / "worked_example")) == 0
    assert run(db, "finalize", *FIRST) == 0
    assert run(db, "post", "--through", "2026-04-30") == 0
    assert run(db, "history", "--reopen", "1", "--reason", "counted again") == 0
    return db


@pytest.fixture
def books(closed_books, tmp_path) -> Path:
    db = tmp_path / "studio.db"
    with sqlite3.connect(closed_books) as source, sqlite3.connect(db) as target:
        source.backup(target)
    return db


@pytest.mark.parametrize("sql, refused", [
    ("INSERT OR REPLACE INTO posting_batches SELECT * FROM posting_batches", "never overwritten|next number"),
    ("INSERT OR REPLACE INTO posted_entries SELECT * FROM posted_entries LIMIT 1", "never overwritten"),
    ("INSERT OR REPLACE INTO batch_exports SELECT * FROM batch_exports", "never overwritten"),
    ("INSERT OR REPLACE INTO reconciliations SELECT * FROM reconciliations", "never overwritten|next number"),
    ("INSERT OR REPLACE INTO reopenings SELECT * FROM reopenings", "never overwritten"),
    ("REPLACE INTO posting_batches SELECT * FROM posting_batches", "never overwritten|next number"),
    ("INSERT INTO reconciliations SELECT 3, method, '2026-04-30', '2026-05-31', finalized_at, finalized_by, notes, "
     "figures, counts, qb_balance, qb_difference, qb_note, diagnosis, gl_mapping, fingerprint, sources "
     "FROM reconciliations", "next number"),
    ("INSERT INTO posting_batches SELECT 3, method, through, posted_at, posted_by, entries, file "
     "FROM posting_batches", "next number"),
    ("UPDATE chain SET digest = 'x'", "never changed"),
    ("DELETE FROM chain WHERE seq = 1", "never deleted"),
    ("INSERT INTO chain SELECT 9, kind, number, content, previous, digest FROM chain WHERE seq = 1", "grows"),
])
def test_direct_writes_that_would_overwrite_or_skip_are_refused(books, sql, refused):
    db = books
    before = {table: rows(db, f"SELECT * FROM {table}") for table in
              ("reconciliations", "reopenings", "posting_batches", "posted_entries", "batch_exports", "chain")}
    with pytest.raises(sqlite3.IntegrityError, match=refused):
        with sqlite3.connect(db) as conn:
            conn.execute(sql)
    assert {table: rows(db, f"SELECT * FROM {table}") for table in before} == before


# -- the hash chain ------------------------------------------------------------------------------------

def tamper(db: Path, *statements: str) -> None:
    with sqlite3.connect(db) as conn:
        triggers = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
        for name in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        for sql in statements:
            conn.execute(sql)


@pytest.mark.parametrize("statements, named", [
    (["UPDATE reconciliations SET qb_note = 'nothing to see' WHERE number = 1"],
     "record #1 (link 1): its stored content changed"),
    (["UPDATE posted_entries SET lines = '[]' WHERE seq = 3"], "batch 1 (link 2): its stored content changed"),
    (["UPDATE posting_batches SET posted_by = 'someone' WHERE number = 1"], "batch 1 (link 2): its stored content"),
    (["UPDATE reopenings SET reason = 'other' WHERE number = 1"], "reopening of record 1 (link 3): its stored"),
    (["DELETE FROM reopenings"], "reopening of record 1 (link 3) is gone"),
    (["DELETE FROM chain WHERE seq = 2"], "link 2 is missing"),
    (["UPDATE chain SET digest = CASE WHEN digest LIKE 'f%' THEN 'e' ELSE 'f' END || substr(digest, 2) WHERE seq = 3"],
     "reopening of record 1 (link 3): its digest"),
    (["UPDATE chain SET previous = '0' WHERE seq = 2"], "batch 1 (link 2): its link to the item before"),
    (["DELETE FROM chain WHERE seq = 3"], "reopening of record 1 is not in the chain"),
])
def test_verify_names_the_first_item_that_was_tampered_with(books, statements, named, capsys):
    assert run(books, "history", "--verify") == 0
    assert capsys.readouterr().out.strip() == "1 record, 1 reopening, 1 batch: chain intact"
    tamper(books, *statements)
    assert run(books, "history", "--verify") == 3
    err = capsys.readouterr().err
    assert named in err, err
    assert err.count("\n") == 1


def test_an_older_database_gets_its_chain_when_it_is_migrated(tmp_path, capsys):
    db = tmp_path / "old.db"
    shutil.copy(V3, db)
    assert run(db, "history", "--verify") == 0
    assert capsys.readouterr().out.strip() == "2 records, 1 reopening, 1 batch: chain intact"
    assert rows(db, "SELECT kind, number FROM chain ORDER BY seq") == [("batch", 1), ("record", 1),
                                                                         ("reopening", 1), ("record", 2)]
    assert rows(db, "PRAGMA user_version") == [(4,)]


# -- bad environment: one line naming the database ---------------------------------------------------

def test_a_read_only_database_is_named_and_nothing_is_written(db, monkeypatch, capsys):
    from recon_tui.store import schema

    connect = schema._connect

    def read_only(path):
        store = connect(path)
        store.conn.execute("PRAGMA query_only = ON")
        return store
    monkeypatch.setattr(schema, "_connect", read_only)
    for args in (["finalize", *FIRST], ["post", "--through", "2026-04-30"]):
        assert main([*args, "--db", str(db), "--config", str(CONFIG)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"error: {db}: ") and err.count("\n") == 1, err
    assert rows(db, "SELECT COUNT(*) FROM reconciliations") == [(0,)]


def test_a_locked_database_is_said_in_words(db, monkeypatch, capsys):
    from recon_tui.service import closing

    monkeypatch.setattr(closing, "LOCK_WAIT", 0.2)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert main(["finalize", *FIRST, "--db", str(db), "--config", str(CONFIG)]) == 2
    finally:
        holder.rollback()
        holder.close()
    err = capsys.readouterr().err
    assert f"{db}: the database is busy" in err and "nothing was written" in err
