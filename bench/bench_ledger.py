"""Benchmark: the 10-year demo studio through import, report, aging and deposits.

    .venv/bin/python bench/bench_ledger.py [--years 10] [--orders-per-year 20000] [--out bench/out]

Each phase runs in its own process (the real `recon-tui` command where there is one), so the
peak memory printed is that phase's own. Prints a table; never run in CI.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config" / "recon.yaml"
RECON = [sys.executable, "-m", "recon_tui"]


def timed(cmd: list[str], repeat: int = 1, setup=None) -> tuple[float, float, str]:
    """(best seconds, peak MB, stdout) of a command run ``repeat`` times, each in a fresh process.

    ``setup`` runs before each repetition (outside the timing)."""
    best, peak, out = float("inf"), 0.0, ""
    for _ in range(repeat):
        if setup:
            setup()
        wrapper = [sys.executable, __file__, "--child", json.dumps(cmd)]
        result = subprocess.run(wrapper, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"benchmark phase failed: {' '.join(cmd)}\n{result.stderr}")
        stats = json.loads(result.stdout.splitlines()[-1])
        best, peak, out = min(best, stats["seconds"]), max(peak, stats["peak_mb"]), stats["stdout"]
    return best, peak, out


def child(cmd: list[str]) -> None:
    """Run one command, then report its wall time and peak RSS (this process is the only parent)."""
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(result.returncode)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "stdout": result.stdout[-2000:]}))


def csv_rows(folder: Path) -> int:
    return sum(csv_rows_file(f) for f in folder.glob("*.csv"))


def million_payments(db: Path, folder: Path, count: int = 1_000_000) -> None:
    """A payments.csv of ``count`` new rows on the studio's existing orders (valid under §3)."""
    import sqlite3

    orders = sqlite3.connect(db).execute(
        "SELECT order_id, ordered_on FROM orders WHERE voided_on IS NULL ORDER BY order_id").fetchall()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "payments.csv").open("w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["payment_id", "order_id", "paid_on", "method", "amount", "reference"])
        methods = ("cash", "check", "eft", "credit_card", "other")
        for n in range(count):
            order_id, ordered_on = orders[(n // 2) % len(orders)]
            sign = "-" if n % 2 else ""  # a charge and its refund on one order: every balance stays as it was
            out.writerow([f"BENCH{n:07d}", order_id, ordered_on, methods[(n // 2) % 5], f"{sign}1.00", ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--orders-per-year", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(json.loads(args.child))

    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    csv_dir, db = out / "csv", out / "studio.db"
    common = ["--db", str(db), "--config", str(CONFIG)]
    rows: list[list] = []

    seconds, peak, _ = timed(RECON + ["demo", "--force", "--years", str(args.years), "--orders-per-year",
                                      str(args.orders_per_year), "--csv", str(csv_dir), "--db", str(out / "demo.db"),
                                      "--config", str(CONFIG)])
    total_rows = csv_rows(csv_dir)
    rows.append(["demo: build + write CSV + import", f"{total_rows:,} rows", f"{seconds:.2f} s (once)",
                 f"{peak:.0f} MB", ""])

    def fresh() -> None:
        for leftover in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            leftover.unlink(missing_ok=True)

    seconds, peak, _ = timed(RECON + ["import", str(csv_dir), *common], repeat=3, setup=fresh)
    rows.append(["import (fresh database)", f"{total_rows:,} rows", f"{seconds:.2f} s", f"{peak:.0f} MB",
                 f"{total_rows / seconds:,.0f} rows/s (target >= 50,000)"])

    sizes = {f.name: csv_rows_file(f) for f in sorted(csv_dir.glob("*.csv"))}
    end = "2026-10-31"
    month = ["--previous", "2026-09-30", "--current", end]
    for label, cmd, target in (
        ("report, last month (accrual)", ["report", *month], "<= 0.5 s"),
        ("report, last month (cash, json)", ["report", *month, "--method", "cash", "--format", "json"], "<= 0.5 s"),
        ("report, a month 5 years back", ["report", "--previous", "2021-09-30", "--current", "2021-10-31"], "<= 0.5 s"),
        ("aging --as-of last day", ["aging", "--as-of", end, "--format", "csv"], ""),
        ("deposits --as-of last day", ["deposits", "--as-of", end, "--format", "csv"], ""),
    ):
        seconds, peak, _ = timed(RECON + cmd + common, repeat=3)
        rows.append([label, "", f"{seconds:.2f} s", f"{peak:.0f} MB", f"target {target}" if target else ""])

    baseline, _, _ = timed([sys.executable, "-c", "import recon_tui.cli"], repeat=3)
    rows.append(["(python start + import recon_tui.cli)", "", f"{baseline:.2f} s", "", "included in each row above"])

    extra = out / "million"
    million_payments(db, extra)
    seconds, peak, _ = timed(RECON + ["import", str(extra), *common])
    rows.append(["import 1,000,000 payments (into the 10-year db)", "1,000,000 rows", f"{seconds:.2f} s (once)",
                 f"{peak:.0f} MB", f"{1_000_000 / seconds:,.0f} rows/s"])

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {sqlite_version()}")
    print(f"Studio: {args.years} years x {args.orders_per_year:,} orders/year: "
          + ", ".join(f"{name} {count:,}" for name, count in sizes.items()))
    print(tabulate(rows, headers=["phase", "size", "time (best of 3)", "peak RSS", "note"],
                   tablefmt="github", disable_numparse=True))


def csv_rows_file(path: Path) -> int:
    return sum(1 for _ in path.open()) - 1


def sqlite_version() -> str:
    import sqlite3
    return sqlite3.sqlite_version


if __name__ == "__main__":
    main()
