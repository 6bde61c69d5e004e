"""The command line's error contract (DOMAIN §12): a clear one-line error and a non-zero exit on bad
arguments, a missing / corrupt / locked database or an invalid config; never a traceback. Plus `--help`
everywhere and the §11 figures through `aging` and `deposits`."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.config import ENV_VAR, load_config
from recon_tui.store import open_store
from recon_tui.store.importer import import_dir

ROOT = Path(__file__).resolve().parent.parent
WORKED_DIR = ROOT / "tests" / "fixtures" / "worked_example"
WORKED_CFG = ROOT / "tests" / "fixtures" / "worked_example.yaml"
PERIOD = ["--previous", "2026-03-31", "--current", "2026-04-30"]


@pytest.fixture(scope="module")
def worked_db(tmp_path_factory) -> Path:
    """The worked example in a database (read-only use)."""
    path = tmp_path_factory.mktemp("worked") / "worked.db"
    db = open_store(path, create=True)
    import_dir(db, WORKED_DIR, load_config(WORKED_CFG))
    db.close()
    return path


@pytest.fixture
def own_db(worked_db, tmp_path) -> Path:
    """A private copy of the worked example database."""
    path = tmp_path / "own.db"
    shutil.copy(worked_db, path)
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, out: str, err: str, *gist: str, exit_code: int | None = None) -> str:
    assert code != 0
    if exit_code is not None:
        assert code == exit_code, (code, err)
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    for word in gist:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    assert out == ""
    return lines[0]


def report(db: Path, *extra: str, cfg: Path = WORKED_CFG) -> list[str]:
    return ["report", *PERIOD, "--db", str(db), "--config", str(cfg), *extra]


# -- bad arguments: exit 2 -----------------------------------------------------------------------------

@pytest.mark.parametrize("option, value", [
    ("--previous", "2026-13-01"), ("--previous", "2026-02-30"), ("--current", "30/04/2026"),
    ("--current", "yesterday"), ("--previous", "2026-4-1"), ("--current", ""),
])
def test_report_bad_date(capsys, worked_db, option, value):
    args = {"--previous": "2026-03-31", "--current": "2026-04-30", option: value}
    code, out, err = run(capsys, "report", "--previous", args["--previous"], "--current", args["--current"],
                         "--db", worked_db, "--config", WORKED_CFG)
    said = {"2026-13-01": "there is no month 13", "2026-02-30": "February 2026 has no day 30",
            "": "a date is required (YYYY-MM-DD)"}.get(value, "is not a date (expected YYYY-MM-DD)")
    assert_one_line_error(code, out, err, option, value, said, exit_code=2)


@pytest.mark.parametrize("previous, current", [("2026-04-30", "2026-04-30"), ("2026-05-01", "2026-04-30")])
def test_report_previous_not_before_current(capsys, worked_db, previous, current):
    code, out, err = run(capsys, "report", "--previous", previous, "--current", current,
                         "--db", worked_db, "--config", WORKED_CFG)
    assert_one_line_error(code, out, err, previous, current, "before", exit_code=2)


def test_report_unknown_method(capsys, worked_db):
    code, out, err = run(capsys, *report(worked_db, "--method", "modified"))
    assert_one_line_error(code, out, err, "--method", "modified", "accrual", "cash", exit_code=2)


@pytest.mark.parametrize("command", ["report", "aging", "deposits"])
def test_unknown_format(capsys, worked_db, command):
    dates = PERIOD if command == "report" else ["--as-of", "2026-04-30"]
    code, out, err = run(capsys, command, *dates, "--format", "xml", "--db", worked_db, "--config", WORKED_CFG)
    assert_one_line_error(code, out, err, "--format", "xml", "json", exit_code=2)


@pytest.mark.parametrize("args, missing", [
    (["report", "--current", "2026-04-30"], "--previous"),
    (["report", "--previous", "2026-03-31"], "--current"),
    (["aging"], "--as-of"),
    (["deposits"], "--as-of"),
    (["import"], "DIR"),
])
def test_missing_required_option(capsys, worked_db, args, missing):
    code, out, err = run(capsys, *args, "--db", worked_db, "--config", WORKED_CFG)
    assert_one_line_error(code, out, err, missing, "required", exit_code=2)


@pytest.mark.parametrize("args", [["bogus"], ["report", *PERIOD, "--frobnicate"], ["aging", "--as-of"],
                                  ["demo", "--years", "0"], ["demo", "--seed", "x"]])
def test_other_bad_arguments(capsys, args):
    code, out, err = run(capsys, *args, "--config", WORKED_CFG)
    assert_one_line_error(code, out, err, exit_code=2)


@pytest.mark.parametrize("command, dates", [("aging", ["--as-of", "2026-02-30"]),
                                            ("deposits", ["--as-of", "04/30/2026"])])
def test_as_of_bad_date(capsys, worked_db, command, dates):
    code, out, err = run(capsys, command, *dates, "--db", worked_db, "--config", WORKED_CFG)
    assert_one_line_error(code, out, err, "--as-of", exit_code=2)


def test_import_directory_that_is_a_file(capsys, tmp_path):
    code, out, err = run(capsys, "import", WORKED_CFG, "--db", tmp_path / "s.db", "--config", WORKED_CFG)
    assert_one_line_error(code, out, err, "not a directory", exit_code=2)


# -- the database: missing, corrupt, empty, locked ------------------------------------------------

@pytest.mark.parametrize("command, dates", [("report", PERIOD), ("aging", ["--as-of", "2026-04-30"]),
                                            ("deposits", ["--as-of", "2026-04-30"])])
def test_missing_database(capsys, tmp_path, command, dates):
    db = tmp_path / "nope.db"
    code, out, err = run(capsys, command, *dates, "--db", db, "--config", WORKED_CFG)
    assert_one_line_error(code, out, err, str(db), "not found")
    assert not db.exists()  # a read command never creates a database


@pytest.mark.parametrize("command", ["report", "import"])
def test_corrupt_database(capsys, tmp_path, command):
    db = tmp_path / "garbage.db"
    garbage = bytes(range(256)) * 16
    db.write_bytes(garbage)
    args = report(db) if command == "report" else ["import", WORKED_DIR, "--db", db, "--config", WORKED_CFG]
    code, out, err = run(capsys, *args)
    assert_one_line_error(code, out, err, str(db), "corrupt")
    assert db.read_bytes() == garbage  # left alone


def test_database_with_a_damaged_page(capsys, own_db):
    data = bytearray(own_db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page after the header
    own_db.write_bytes(bytes(data))
    for wal in (Path(f"{own_db}-wal"), Path(f"{own_db}-shm")):
        wal.unlink(missing_ok=True)
    code, out, err = run(capsys, *report(own_db))
    assert_one_line_error(code, out, err, str(own_db), "corrupt")


def test_empty_sqlite_file(capsys, tmp_path):
    db = tmp_path / "empty.db"
    db.write_bytes(b"")
    code, out, err = run(capsys, *report(db))
    assert_one_line_error(code, out, err, str(db), "empty database")


def test_sqlite_database_of_a_newer_recon_tui(capsys, tmp_path):
    db = tmp_path / "newer.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, *report(db))
    assert_one_line_error(code, out, err, str(db), "newer")


def test_database_path_that_is_a_directory(capsys, tmp_path):
    code, out, err = run(capsys, *report(tmp_path))
    assert_one_line_error(code, out, err, str(tmp_path))


def test_import_into_a_locked_database(capsys, own_db):
    other = sqlite3.connect(own_db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        code, out, err = run(capsys, "import", WORKED_DIR, "--db", own_db, "--config", WORKED_CFG)
    finally:
        other.rollback()
        other.close()
    assert code == 1  # the environment, not the files
    assert "Traceback" not in err
    assert "locked" in err and "nothing was imported" in err
    assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1
    check = sqlite3.connect(own_db)
    assert check.execute("SELECT COUNT(*) FROM customers").fetchone() == (3,)
    check.close()


# -- the config -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["report", "import", "aging"])
def test_config_not_found(capsys, worked_db, tmp_path, command):
    cfg = tmp_path / "missing.yaml"
    args = {"report": PERIOD, "import": [WORKED_DIR], "aging": ["--as-of", "2026-04-30"]}[command]
    code, out, err = run(capsys, command, *args, "--db", worked_db, "--config", cfg)
    assert_one_line_error(code, out, err, str(cfg), "not found")


def test_config_with_a_yaml_error(capsys, worked_db, tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(WORKED_CFG.read_text().replace("  prints: Print Sales", "  prints: Print: Sales"))
    code, out, err = run(capsys, *report(worked_db, cfg=cfg))
    line = assert_one_line_error(code, out, err, "invalid YAML")
    assert line.startswith(f"error: {cfg}:17: ")


def test_config_with_an_unknown_key(capsys, worked_db, tmp_path):
    cfg = tmp_path / "typo.yaml"
    cfg.write_text(WORKED_CFG.read_text().replace("aging_buckets:", "aging_bucket:"))
    code, out, err = run(capsys, *report(worked_db, cfg=cfg))
    line = assert_one_line_error(code, out, err, "aging_bucket", "unknown key")
    assert line.startswith(f"error: {cfg}:18: ")


def test_no_config_anywhere(capsys, worked_db, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "report", *PERIOD, "--db", worked_db)
    assert_one_line_error(code, out, err, "no config found")


def test_config_from_the_environment(capsys, worked_db, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(WORKED_CFG))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "deposits", "--as-of", "2026-04-30", "--format", "json", "--db", worked_db)
    assert code == 0 and err == ""
    assert json.loads(out)["deposits"] == "30.00"


def test_demo_with_a_config_lacking_its_categories(capsys, tmp_path):
    code, out, err = run(capsys, "demo", "--db", tmp_path / "demo.db", "--config", WORKED_CFG, "--years", "1",
                         "--orders-per-year", "10")
    assert_one_line_error(code, out, err, str(WORKED_CFG), "income_categories")
    assert not (tmp_path / "demo.db").exists()


# -- --help ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [None, "import", "report", "aging", "deposits", "demo"])
def test_help(capsys, command):
    argv = ([command] if command else []) + ["--help"]
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code in (0, None)
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"usage: recon-tui{' ' + command if command else ''}")
    if command in ("report", "aging", "deposits"):
        assert "--format" in out and "--db" in out and "--config" in out


def test_no_command_opens_the_app_only_on_a_terminal(capsys, worked_db):
    code, out, err = run(capsys, "--db", worked_db, "--config", WORKED_CFG)  # pytest's stdin is no terminal
    assert_one_line_error(code, out, err, "the app needs a terminal")
    assert code == 2


def test_no_command_on_a_missing_database_fails_before_the_app(capsys, tmp_path):
    code, out, err = run(capsys, "--db", tmp_path / "none.db", "--config", WORKED_CFG)
    assert_one_line_error(code, out, err, str(tmp_path / "none.db"), "not found")


def test_errors_in_a_real_process_are_one_line_without_traceback(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    for args, code in ((report(garbage), 1), (["report", "--previous", "x", "--current", "y"], 2)):
        proc = subprocess.run([sys.executable, "-m", "recon_tui", *map(str, args)], capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == code, proc.stderr
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: ")
        assert proc.stdout == ""


# -- the §11 figures through the command line -------------------------------------------------------------

def test_aging_as_of_the_worked_example(capsys, worked_db):
    code, out, err = run(capsys, "aging", "--as-of", "2026-04-30", "--format", "json",
                         "--db", worked_db, "--config", WORKED_CFG)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["as_of"] == "2026-04-30"
    assert data["total"] == "56.40"
    assert [(c["customer"], c["total"]) for c in data["customers"]] == [("Ben Ortiz", "56.40")]
    [order] = data["customers"][0]["orders"]
    assert (order["order_id"], order["balance"], order["age_days"], order["bucket"]) == ("B", "56.40", 20, "0-30")
    assert data["bucket_totals"] == ["56.40", "0.00", "0.00", "0.00"]


def test_deposits_as_of_the_worked_example(capsys, worked_db):
    code, out, err = run(capsys, "deposits", "--as-of", "2026-04-30", "--format", "json",
                         "--db", worked_db, "--config", WORKED_CFG)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert (data["deposits"], data["outstanding"]) == ("30.00", "56.40")
    assert [(r["order_id"], r["order_total"], r["deposits"], r["outstanding"]) for r in data["orders"]] == [
        ("B", "86.40", "30.00", "56.40")]


@pytest.mark.parametrize("command", ["report", "import"])
def test_another_programs_sqlite_file_is_refused_and_left_alone(capsys, tmp_path, command):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    args = {"report": PERIOD, "import": [WORKED_DIR]}[command]
    code, out, err = run(capsys, command, *args, "--db", db, "--config", WORKED_CFG)
    assert_one_line_error(code, out, err, str(db), "not a recon-tui database")
    assert code == 1
    assert db.read_bytes() == before


def test_db_and_config_given_before_the_command_are_the_ones_used(capsys, worked_db, tmp_path, monkeypatch):
    """`recon-tui --db X history` must read X, never the config's default database."""
    monkeypatch.chdir(tmp_path)  # no ./config here: only the options can name the files
    code, out, err = run(capsys, "--db", worked_db, "--config", WORKED_CFG, "report", "--previous", "2026-03-31",
                         "--current", "2026-04-30", "--format", "json")
    assert (code, err) == (0, "") and json.loads(out)["income_total"] == "150.00"
