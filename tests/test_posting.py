"""Posting (DOMAIN §8): numbered batches as IIF files, what was posted recorded and never changed,
re-exports counted; the CLI's `post` and `export`."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.config import load_config
from recon_tui.quickbooks.iif_reader import read_iif
from recon_tui.store import open_store
from recon_tui.service import batch_files, journal, posting
from recon_tui.service.posting import PostingError, batch_entries, batches, post, reexport
from recon_tui.store.importer import import_dir

FIXTURES = Path(__file__).parent / "fixtures"
CONFIG = FIXTURES / "worked_example.yaml"
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def config():
    return load_config(CONFIG)


@pytest.fixture
def db(tmp_path, config):
    store = open_store(tmp_path / "studio.db", create=True)
    import_dir(store, FIXTURES / "worked_example", config)
    yield store
    store.conn.close()


def test_a_batch_writes_every_unposted_event_and_records_it(db, config, tmp_path):
    batch = post(db, config, "accrual", date(2026, 4, 10), tmp_path, user="ada", now=NOW)
    assert (batch.number, batch.entries, batch.method, batch.through) == (1, 6, "accrual", "2026-04-10")
    path = Path(batch.file)
    assert path.name == "studio-batch-0001.iif" and path.parent == tmp_path
    iif = read_iif(path)
    assert [p.docnum for p in iif.entries] == [f"SP{n:09d}" for n in range(1, 7)]
    assert [p.entry.key for p in iif.entries] == ["payment:P4", "order:C:completed", "payment:P1",
                                                   "order:A:completed", "payment:P2", "payment:P3"]
    assert all(p.entry.balanced for p in iif.entries)
    expected = [e for e in journal.entries(db, config, "accrual", date(2026, 4, 10))]
    assert sorted((p.entry.key, p.entry.lines) for p in iif.entries) == sorted((e.key, e.lines) for e in expected)
    assert iif.customers == ["Ada Park", "Ben Ortiz", "Cy Lund"]
    assert iif.accounts["Accounts Receivable"] == "AR" and iif.accounts["Session Fees"] == "INC"
    rows = db.execute("SELECT docnum, event_key, batch, posted_on, ar, deposits FROM posted_entries ORDER BY seq").fetchall()
    assert rows[3] == ("SP000000004", "order:A:completed", 1, "2026-04-05", 26600, 5000)

    # the next batch takes only what is new, numbering on
    second = post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    assert (second.number, second.entries) == (2, 3)
    assert [p.docnum for p in read_iif(second.file).entries] == ["SP000000007", "SP000000008", "SP000000009"]
    assert post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW) is None
    assert [b.number for b in batches(db)] == [1, 2]


def test_the_books_keep_one_method(db, config, tmp_path):
    post(db, config, "accrual", date(2026, 4, 10), tmp_path, user="ada", now=NOW)
    with pytest.raises(PostingError, match="posts with the accrual method"):
        post(db, config, "cash", date(2026, 4, 30), tmp_path, user="ada", now=NOW)


def test_what_was_posted_never_changes(db, config, tmp_path):
    post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    for sql in ("UPDATE posted_entries SET ar = 0", "DELETE FROM posted_entries",
                "UPDATE posting_batches SET through = '2026-01-01'", "DELETE FROM posting_batches",
                "DELETE FROM batch_exports"):
        with pytest.raises(sqlite3.IntegrityError, match="never"):
            db.execute(sql)


def test_a_reexport_writes_the_same_entries_and_is_counted(db, config, tmp_path):
    batch = post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    # an edit after posting does not change what a re-export writes: it is what was posted
    edit = tmp_path / "edit"
    edit.mkdir()
    (edit / "payments.csv").write_text("payment_id,order_id,paid_on,method,amount\nP3,B,2026-04-10,check,35.00\n")
    import_dir(db, edit, config)
    path, export = reexport(db, config, 1, tmp_path, user="bo", now=NOW)
    assert (path.name, export) == ("studio-batch-0001-export-2.iif", 2)
    assert read_iif(path).entries == read_iif(batch.file).entries
    assert batches(db)[0].exports == 2
    with pytest.raises(PostingError, match="no posting batch 7"):
        reexport(db, config, 7, tmp_path, user="bo", now=NOW)


def test_a_failed_write_leaves_neither_file_nor_batch(db, config, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(batch_files, "write_iif", broken)
    with pytest.raises(OSError):
        post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    assert list(tmp_path.glob("*.iif*")) == [] and batches(db) == []


def test_the_cli_posts_lists_and_reexports(db, tmp_path, capsys):
    common = ["--db", str(tmp_path / "studio.db"), "--config", str(CONFIG)]
    assert main(["post", "--through", "2026-04-30", "--dry-run", *common]) == 0
    assert "would post 9 entries through 2026-04-30 (accrual)" in capsys.readouterr().out
    assert list(tmp_path.glob("*.iif")) == []
    assert main(["post", "--through", "2026-04-30", *common]) == 0
    out = capsys.readouterr().out
    assert "posted batch 1: 9 entries through 2026-04-30 (accrual)" in out
    assert main(["post", "--through", "2026-04-30", *common]) == 0
    assert "nothing to post" in capsys.readouterr().out
    assert main(["post", "--list", *common]) == 0
    assert "batch 1: 9 entries through 2026-04-30 (accrual)" in capsys.readouterr().out
    assert main(["post", "--reexport", "1", *common]) == 0
    captured = capsys.readouterr()
    assert "export 2" in captured.out and "delete batch 1's entries from QuickBooks" in captured.err
    assert main(["post", "--through", "2026-04-30", "--method", "cash", *common]) == 2
    assert "posts with the accrual method" in capsys.readouterr().err
    assert main(["post", "--through", "2999-01-01", *common]) == 2
    assert main(["post", "--through", "yesterday", *common]) == 2
    assert main(["post", *common]) == 2  # one of --through, --reexport, --list
    assert "error:" in capsys.readouterr().err


def test_the_hledger_export_gives_the_posted_balances(db, tmp_path, capsys):
    out = tmp_path / "studio.journal"
    assert main(["export", "--format", "hledger", "--through", "2026-04-30", "-o", str(out),
                 "--db", str(tmp_path / "studio.db"), "--config", str(CONFIG)]) == 0
    text = out.read_text()
    assert "2026-04-05 order A completed · Ada Park  ; event:order:A:completed" in text
    if shutil.which("hledger") is None:
        pytest.skip("hledger is not installed (Debian package hledger): the balances are not checked by it")
    result = subprocess.run(["hledger", "-f", str(out), "bal", "-e", "2026-05-01", "--flat", "-O", "csv"],
                            capture_output=True, text=True, check=True)
    balances = dict(line.replace('"', "").split(",", 1) for line in result.stdout.splitlines()[1:])
    # DOMAIN §11 at 2026-04-30: the §5 figures (liabilities and income are credits, so negative)
    assert balances["Undeposited Funds"] == "346.00"
    assert balances["Customer Deposits"] == "-30.00"
    assert balances["In-Store Credit"] == "-25.00"
    assert balances["Sales Tax Payable"] == "-16.00"
    assert "Accounts Receivable" not in balances  # 0.00
    assert balances["Session Fees"] == "-100.00" and balances["Print Sales"] == "-200.00"


def test_names_are_written_as_quickbooks_can_read_them(db, config, tmp_path):
    edit = tmp_path / "names"
    edit.mkdir()
    (edit / "customers.csv").write_text('customer_id,name\nC1,"Łucja ""VIP""  Nowak: Jr."\n', encoding="utf-8")
    import_dir(db, edit, config)
    batch = post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    raw = Path(batch.file).read_bytes()
    raw.decode("cp1252")  # QuickBooks Desktop reads IIF as Windows-1252
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    names = {p.entry.customer for p in read_iif(batch.file).entries}
    assert "Lucja 'VIP'  Nowak- Jr." in names  # accent dropped, quotes cleaned, no Customer:Job colon
    stored = db.execute("SELECT DISTINCT customer FROM posted_entries WHERE customer LIKE '%Nowak%'").fetchall()
    assert stored == [('Łucja "VIP"  Nowak: Jr.',)]  # the record keeps the studio's name (DOMAIN §8)
    assert 'Łucja "VIP"  Nowak: Jr.' in {p.entry.customer for p in batch_entries(db, 1)}
    again, _ = reexport(db, config, 1, tmp_path, user="ada", now=NOW)
    assert again.read_bytes() == raw  # written again from the record: the same bytes


def test_a_name_quickbooks_would_refuse_stops_the_batch(db, config, tmp_path):
    edit = tmp_path / "long"
    edit.mkdir()
    (edit / "customers.csv").write_text("customer_id,name\nC2," + "B" * 50 + "\n")
    import_dir(db, edit, config)
    with pytest.raises(PostingError, match="41"):
        post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    assert list(tmp_path.glob("*.iif*")) == [] and batches(db) == []


# -- a batch file on disk always belongs to a recorded batch (DOMAIN §8, last bullet) -------------

def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def dead_pid() -> int:
    import sys

    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    return int(child.stdout)


def test_a_crash_between_commit_and_rename_is_finished_by_the_next_post(db, config, tmp_path, monkeypatch):
    def crash(*args):
        raise OSError(5, "Input/output error")
    with monkeypatch.context() as patch:
        patch.setattr(batch_files.os, "replace", crash)
        with pytest.raises(PostingError, match="batch 1 is recorded, but its file could not be put in place"):
            post(db, config, "accrual", date(2026, 4, 10), tmp_path, user="ada", now=NOW)
    assert [b.number for b in batches(db)] == [1] and not (tmp_path / "studio-batch-0001.iif").exists()
    (left,) = temporary_files(tmp_path)
    assert left.startswith(".studio-batch-0001.iif.") and f"-{os.getpid()}-" in left
    # the next post puts the file in place (the same bytes), then posts what is new as batch 2
    second = post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    assert second.number == 2 and temporary_files(tmp_path) == []
    first = tmp_path / "studio-batch-0001.iif"
    assert [p.docnum for p in read_iif(first).entries] == [f"SP{n:09d}" for n in range(1, 7)]
    again, _ = reexport(db, config, 1, tmp_path, user="ada", now=NOW)
    assert again.read_bytes() == first.read_bytes()


def test_a_reexport_follows_the_same_rules(db, config, tmp_path, monkeypatch):

    post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    with monkeypatch.context() as patch:
        patch.setattr(batch_files.os, "replace", lambda *args: (_ for _ in ()).throw(OSError(5, "I/O error")))
        with pytest.raises(PostingError, match="export 2 of batch 1 is recorded, but its file could not be put"):
            reexport(db, config, 1, tmp_path, user="bo", now=NOW)
    assert batches(db)[0].exports == 2 and not (tmp_path / "studio-batch-0001-export-2.iif").exists()
    assert post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW) is None
    assert temporary_files(tmp_path) == []
    assert (tmp_path / "studio-batch-0001-export-2.iif").read_bytes() == (tmp_path / "studio-batch-0001.iif").read_bytes()
    (tmp_path / "studio-batch-0001-export-3.iif").write_text("someone else's")
    with pytest.raises(PostingError, match="export-3.iif: already exists"):
        reexport(db, config, 1, tmp_path, user="bo", now=NOW)
    assert batches(db)[0].exports == 2


def test_a_crashed_process_s_recorded_file_is_put_in_place_and_its_unrecorded_ones_removed(db, config, tmp_path,
                                                                                           monkeypatch):

    with monkeypatch.context() as patch:
        patch.setattr(batch_files.os, "replace", lambda *args: (_ for _ in ()).throw(OSError(5, "I/O error")))
        with pytest.raises(PostingError):
            post(db, config, "accrual", date(2026, 4, 10), tmp_path, user="ada", now=NOW)
    (left,) = temporary_files(tmp_path)
    gone = dead_pid()
    # as if another process, now dead, had left it; and the leftovers of posts that never committed
    crashed = tmp_path / left.replace(f"-{os.getpid()}-", f"-{gone}-")
    (tmp_path / left).rename(crashed)
    never = batch_files.temp_path(db, tmp_path / "studio-batch-0002.iif", pid=gone)
    never.write_text("half a file")
    body = Path(str(batch_files.temp_path(db, tmp_path / "studio-batch-0002.iif", pid=gone)).replace(".partial", ".body.partial"))
    body.write_text("half a body")
    alive = batch_files.temp_path(db, tmp_path / "studio-batch-0002.iif", pid=os.getppid())  # a live process's
    alive.write_text("being written")
    other = tmp_path / f".studio-batch-0002.iif.00000000-{gone}-0badcafe.partial"  # another database's
    other.write_text("not ours")
    assert post(db, config, "accrual", date(2026, 4, 10), tmp_path, user="ada", now=NOW) is None
    assert [p.docnum for p in read_iif(tmp_path / "studio-batch-0001.iif").entries][:1] == ["SP000000001"]
    assert temporary_files(tmp_path) == sorted([alive.name, other.name])


def test_a_failed_commit_leaves_no_file_and_no_batch(db, config, tmp_path, monkeypatch):
    def broken(conn):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(posting, "_commit", broken)
    with pytest.raises(PostingError, match="batch 1 could not be recorded .disk I/O error.; nothing was posted"):
        post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    assert sorted(p.name for p in tmp_path.iterdir() if ".iif" in p.name) == []
    assert batches(db) == [] and db.execute("SELECT COUNT(*) FROM posted_entries").fetchone() == (0,)


def test_a_file_already_there_is_refused_not_overwritten(db, config, tmp_path):
    theirs = tmp_path / "studio-batch-0001.iif"
    theirs.write_text("another database's batch 1")
    with pytest.raises(PostingError, match="studio-batch-0001.iif: already exists"):
        post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    assert theirs.read_text() == "another database's batch 1" and batches(db) == [] and temporary_files(tmp_path) == []


def test_two_posts_at_once_make_one_batch_and_the_other_says_so(db, config, tmp_path, monkeypatch):
    import threading


    begin = posting._begin
    both = threading.Barrier(2)

    def together(*args):  # both have read that batch 1 is next before either takes the lock
        both.wait(10)
        return begin(*args)
    monkeypatch.setattr(posting, "_begin", together)
    outcome: dict[str, object] = {}

    def run(name):
        store = open_store(tmp_path / "studio.db")
        try:
            outcome[name] = post(store, config, "accrual", date(2026, 4, 30), tmp_path, user=name, now=NOW)
        except PostingError as error:
            outcome[name] = error
        finally:
            store.conn.close()
    threads = [threading.Thread(target=run, args=(name,)) for name in ("ada", "bo")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (won,) = [v for v in outcome.values() if isinstance(v, posting.Batch)]
    (lost,) = [v for v in outcome.values() if isinstance(v, PostingError)]
    assert won.number == 1 and [b.number for b in batches(db)] == [1]
    assert str(lost).startswith(f"another post took batch 1 (9 entries through 2026-04-30, by {won.posted_by} at ")
    assert "\n" not in str(lost)
    assert sorted(p.name for p in tmp_path.iterdir() if ".iif" in p.name) == ["studio-batch-0001.iif"]


def test_the_temporary_name_is_unique_to_the_process_and_the_call(db, tmp_path):
    import sys

    from recon_tui.service.batch_files import temp_path

    code = ("import sys; from pathlib import Path; from recon_tui.store import open_store; "
            "from recon_tui.service.batch_files import temp_path; "
            "print(temp_path(open_store(sys.argv[1]), Path(sys.argv[2]) / 'studio-batch-0001.iif').name)")
    names = [subprocess.run([sys.executable, "-c", code, str(tmp_path / "studio.db"), str(tmp_path)],
                            capture_output=True, text=True, check=True).stdout.strip() for _ in range(2)]
    path = tmp_path / "studio-batch-0001.iif"
    names += [temp_path(db, path).name, temp_path(db, path).name]
    assert len(set(names)) == 4
    assert all(name.startswith(".studio-batch-0001.iif.") and name.endswith(".partial") for name in names)
    assert len({name.split(".")[3].split("-")[0] for name in names}) == 1  # the same database
    assert len({name.split(".")[3].split("-")[1] for name in names}) == 3  # two other processes and this one


# -- what post records and writes is what the Python rules give (the accrual journal comes from SQL) --

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from test_ledger_properties import DAYS, START, imported, studios  # noqa: E402


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studio=studios(), method=st.sampled_from(["accrual", "accrual", "cash"]),
       cuts=st.lists(st.integers(-1, DAYS + 1), min_size=1, max_size=3, unique=True))
def test_posting_records_and_writes_exactly_the_rules_journal(studio, method, cuts):
    import tempfile
    from datetime import timedelta

    from recon_tui.model import Posted, split_key
    from recon_tui.quickbooks.iif_writer import account_types, write_iif

    config = load_config(FIXTURES / "property.yaml")
    gl = config.gl_accounts
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        store = imported(studio, folder, config)
        done: set[str] = set()
        seq = 0
        for cut in sorted(cuts):
            through = START + timedelta(days=cut)
            todo = sorted((e for e in journal.entries(store, config, method, through) if e.key not in done),
                          key=lambda e: e.on)
            batch = post(store, config, method, through, folder, user="ada", now=NOW)
            if not todo:
                assert batch is None
                continue
            posted = [Posted(f"SP{seq + n:09d}", e) for n, e in enumerate(todo, 1)]
            want = io.StringIO(newline="")
            write_iif(want, posted, account_types(config), {e.customer for e in todo})
            assert Path(batch.file).read_bytes() == want.getvalue().encode("cp1252")
            rows = store.execute("SELECT event_key, kind, record_id, docnum, seq, posted_on, customer, lines, ar, "
                                 "deposits FROM posted_entries WHERE batch = ? ORDER BY seq", (batch.number,)).fetchall()
            assert rows == [(p.entry.key, *split_key(p.entry.key), p.docnum, seq + n, p.entry.on.isoformat(),
                             p.entry.customer, json.dumps([list(line) for line in p.entry.lines], separators=(",", ":")),
                             p.entry.amount_on(gl.accounts_receivable), p.entry.amount_on(gl.customer_deposits))
                            for n, p in enumerate(posted, 1)]
            assert batch_entries(store, batch.number) == posted
            done |= {e.key for e in todo}
            seq += len(todo)
        store.conn.close()


def test_records_read_back_whole_whatever_a_name_holds(db, config, tmp_path):
    # the records come back from SQLite as one text split at NULs, or as JSON when a value holds one
    db.execute("UPDATE customers SET name = ? WHERE customer_id = 'C1'", ("Ada\x00Park",))
    db.conn.commit()
    batch = post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    names = [p.entry.customer for p in batch_entries(db, batch.number)]
    assert "Ada\x00Park" in names and len(names) == 9
    assert "Ada Park" in {p.entry.customer for p in read_iif(batch.file).entries}  # written as QuickBooks reads it


def test_listing_the_batches_finishes_a_file_a_crash_left_half_done(db, config, tmp_path, monkeypatch):
    """`post --list` and the Post screen list the batches through the service, which puts such a file in place."""
    from recon_tui.service import ReconService

    with monkeypatch.context() as patch:
        patch.setattr(batch_files.os, "replace", lambda *args: (_ for _ in ()).throw(OSError(5, "I/O error")))
        with pytest.raises(PostingError):
            post(db, config, "accrual", date(2026, 4, 10), tmp_path, user="ada", now=NOW)
    assert not (tmp_path / "studio-batch-0001.iif").exists()
    service = ReconService(config, tmp_path / "studio.db", date(2026, 5, 2), user="ada", clock=lambda: NOW)
    assert [b.number for b in service.batches()] == [1]
    assert (tmp_path / "studio-batch-0001.iif").exists() and temporary_files(tmp_path) == []
