"""Posting (DOMAIN §8): numbered batches as IIF files, what was posted recorded and never changed,
re-exports counted; the CLI's `post` and `export`."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.config import load_config
from recon_tui.quickbooks.iif import read_iif
from recon_tui.store import open_store
from recon_tui.store import journal
from recon_tui.store.importer import import_dir
from recon_tui.store.posting import PostingError, batches, post, reexport

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
    import recon_tui.store.posting as posting

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(posting, "write_iif", broken)
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
    stored = db.execute("SELECT DISTINCT customer FROM posted_entries WHERE customer LIKE 'Lucja%'").fetchall()
    assert stored == [("Lucja 'VIP'  Nowak- Jr.",)]  # recorded as written


def test_a_name_quickbooks_would_refuse_stops_the_batch(db, config, tmp_path):
    edit = tmp_path / "long"
    edit.mkdir()
    (edit / "customers.csv").write_text("customer_id,name\nC2," + "B" * 50 + "\n")
    import_dir(db, edit, config)
    with pytest.raises(PostingError, match="41"):
        post(db, config, "accrual", date(2026, 4, 30), tmp_path, user="ada", now=NOW)
    assert list(tmp_path.glob("*.iif*")) == [] and batches(db) == []
