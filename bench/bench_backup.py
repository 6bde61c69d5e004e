"""Benchmark: what the copy before an import, post, finalize or reopen costs, and a restore.

    .venv/bin/python bench/bench_backup.py --db bench/out/studio.db [--runs 3]

Works on a copy of --db in a scratch folder (the given database is never written). Each run:
- backup: `recon-tui backup` on a fresh backups/ (VACUUM INTO a temporary file, fsync, link);
- backup, nothing changed: the same again, the copy compared with the newest and not kept
  (what a `post` with nothing to post costs);
- restore: `recon-tui restore` of that copy after a change (integrity check of the copy, what each
  holds, the before-restore copy of the database, then the online backup API into it);
- restore, the backup API alone (the page copy into the live database).
Prints a table of the best of --runs; never run in CI.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recon_tui.config import load_config  # noqa: E402
from recon_tui.service import backups  # noqa: E402
from recon_tui.service.books import Books  # noqa: E402
from recon_tui.store.copies import restore_from  # noqa: E402


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def change(db: Path, run: int) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE customers SET name = ? WHERE customer_id = (SELECT MIN(customer_id) FROM customers)",
                     (f"Bench {run}",))
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "studio.db")
    parser.add_argument("--config", type=Path, default=ROOT / "config" / "recon.yaml")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    config = dataclasses.replace(load_config(args.config), backups_keep=5)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="recon-bench-backup-") as scratch:
        db = Path(scratch) / "studio.db"
        shutil.copyfile(args.db, db)
        books = Books(config, db, date.today())
        for run in range(args.runs):
            shutil.rmtree(Path(scratch) / "backups", ignore_errors=True)
            took, copy = timed(lambda: backups.make(books, "manual"))
            times.setdefault("backup (VACUUM INTO, fsync, link)", []).append(took)
            took, again = timed(lambda: backups.make(books, "manual"))
            assert again == copy
            times.setdefault("backup, nothing changed (compared, not kept)", []).append(took)
            change(db, run)
            took, done = timed(lambda: backups.restore(books, copy.name))
            assert done.undo is not None and done.undo != copy
            times.setdefault("restore (check, before-restore copy, backup API)", []).append(took)
            change(db, run)
            took, _ = timed(lambda: restore_from(copy, db))
            times.setdefault("restore: the backup API alone", []).append(took)
        size, copy_size = args.db.stat().st_size, copy.stat().st_size
    rows = [(what, f"{min(each):.2f} s", ", ".join(f"{t:.2f}" for t in each)) for what, each in times.items()]
    print(f"database {args.db}: {size / 1e6:.1f} MB; its copy {copy_size / 1e6:.1f} MB "
          f"(SQLite {sqlite3.sqlite_version}, best of {args.runs})")
    print(tabulate(rows, headers=("step", "best", "runs (s)")))


if __name__ == "__main__":
    main()
