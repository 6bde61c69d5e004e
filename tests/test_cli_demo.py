"""`recon-tui demo`: builds a studio that imports cleanly, reproducibly, without clobbering data."""

from __future__ import annotations

import json
from pathlib import Path

from recon_tui.cli import main

CONFIG = str(Path(__file__).resolve().parent.parent / "config" / "recon.yaml")
SMALL = ["--years", "1", "--orders-per-year", "300", "--config", CONFIG]


def test_demo_builds_a_database_that_reports(tmp_path, capsys):
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--csv", str(tmp_path / "csv"), *SMALL]) == 0
    out = capsys.readouterr().out
    assert "orders.csv: 300 rows" in out and f"demo studio written to {db}" in out
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "credit_adjustments.csv", "customers.csv", "order_lines.csv", "orders.csv", "payments.csv"]
    assert main(["report", "--previous", "2026-09-30", "--current", "2026-10-31", "--format", "json",
                 "--db", str(db), "--config", CONFIG]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["income_total"] != "0.00"  # a live studio: work was completed last month
    assert report["payments"]["subtotal"] == report["balance_sheet"]["undeposited_funds"]["change"]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, capsys):
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        assert main(["demo", "--db", str(tmp_path / f"{name}.db"), "--csv", str(tmp_path / name),
                     "--seed", seed, *SMALL]) == 0
    files = ("orders.csv", "payments.csv", "order_lines.csv")
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert (tmp_path / "a" / "payments.csv").read_bytes() != (tmp_path / "c" / "payments.csv").read_bytes()


def test_demo_never_replaces_a_database_without_force(tmp_path, capsys):
    db = tmp_path / "studio.db"
    db.write_bytes(b"precious")
    assert main(["demo", "--db", str(db), *SMALL]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: demo:") and "--force" in err and len(err.splitlines()) == 1
    assert db.read_bytes() == b"precious"
    assert main(["demo", "--db", str(db), "--force", *SMALL]) == 0
    assert db.read_bytes()[:15] == b"SQLite format 3"
    assert not Path(f"{db}.new").exists()


def test_demo_needs_its_categories_in_the_config(tmp_path, capsys):
    config = tmp_path / "recon.yaml"
    config.write_text(Path(CONFIG).read_text().replace("  digital: Income:Digital Files\n", ""))
    assert main(["demo", "--db", str(tmp_path / "x.db"), "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert str(config) in err and "digital" in err
    assert not (tmp_path / "x.db").exists()
