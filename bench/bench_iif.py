"""Benchmark: write and read back an IIF file of generated 4-line journal entries.

    .venv/bin/python bench/bench_iif.py [--entries 600000] [--out bench/out]

The entries come from a generator, as the posting engine streams them; the generator is timed
alone too, so the write's own rate is the difference. Prints a table; never run in CI.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recon_tui.model import Entry, Line, Posted  # noqa: E402
from recon_tui.quickbooks.iif_reader import read_iif  # noqa: E402
from recon_tui.quickbooks.iif_writer import write_iif  # noqa: E402

ACCOUNTS = {"Accounts Receivable": "AR", "Customer Deposits": "OCLIAB", "Income:Session Fees": "INC",
            "Income:Print Sales": "INC", "Sales Tax Payable": "OCLIAB", "Undeposited Funds": "OCASSET"}
CUSTOMERS = [f"Customer {n:05d}" for n in range(20_000)]


def entries(count: int):
    """``count`` balanced 4-line entries: A/R (or deposits) against income and tax."""
    start = date(2015, 1, 1)
    for n in range(count):
        session, prints = 5_000 + n % 9_000, 1_000 + n % 4_321
        tax = (session + prints) * 8 // 100
        first = "Customer Deposits" if n % 5 == 0 else "Accounts Receivable"  # paid in full up front
        lines = (Line(first, session + prints + tax), Line("Income:Session Fees", -session),
                 Line("Income:Print Sales", -prints), Line("Sales Tax Payable", -tax))
        yield Posted(f"SP{n:09d}", Entry(f"order:{n}:completed", start + timedelta(days=n % 3650),
                                         CUSTOMERS[n % len(CUSTOMERS)], lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=600_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "bench.iif"

    started = time.perf_counter()
    for _ in entries(args.entries):
        pass
    generate_s = time.perf_counter() - started

    started = time.perf_counter()
    with open(path, "w", encoding="utf-8", newline="") as out:
        written = write_iif(out, entries(args.entries), ACCOUNTS, CUSTOMERS)
    write_s = time.perf_counter() - started

    started = time.perf_counter()
    read = read_iif(path)
    read_s = time.perf_counter() - started
    assert len(read.entries) == written == args.entries

    rows = [["generate the entries only", f"{written:,}", f"{generate_s:.2f}", f"{written / generate_s:,.0f}"],
            ["write_iif from the generator", f"{written:,}", f"{write_s:.2f}", f"{written / write_s:,.0f}"],
            ["write_iif alone (the difference)", f"{written:,}", f"{write_s - generate_s:.2f}",
             f"{written / (write_s - generate_s):,.0f}"],
            ["read_iif", f"{len(read.entries):,}", f"{read_s:.2f}", f"{len(read.entries) / read_s:,.0f}"]]
    print(tabulate(rows, headers=["phase", "entries", "seconds", "entries/s"], colalign=("left", "right", "right", "right")))
    lines = sum(len(p.entry.lines) for p in read.entries) / len(read.entries)
    print(f"\n{lines:.1f} lines an entry; file {path.stat().st_size / 1e6:.0f} MB; "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (the read holds every entry)")


if __name__ == "__main__":
    main()
