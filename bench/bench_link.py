"""Time the QuickBooks link on the 10-year benchmark studio: posting every event (journal, IIF file,
records) and a full diagnosis against a QuickBooks transaction detail export of ~1,000,000 lines.
Prints a table; never run in CI.

    .venv/bin/python bench/bench_link.py --db <10-year studio.db> [--config config/recon.yaml] [--runs 3]

The studio database is copied first; the copy is posted, then "imported" into the test suite's
simulated QuickBooks (tests/qb_sim.py), whose detail export is what the diagnosis reads.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from qb_sim import QuickBooks  # noqa: E402

from recon_tui.config import load_config  # noqa: E402
from recon_tui.model import Posted  # noqa: E402
from recon_tui.quickbooks.detail import read_detail  # noqa: E402
from recon_tui.quickbooks.iif_writer import account_types, write_iif  # noqa: E402
from recon_tui.service import QBFigures, ReconService, journal, posting  # noqa: E402
from recon_tui.store import open_store  # noqa: E402

THROUGH = date(2026, 11, 1)
AS_OF = date(2026, 10, 31)


def best(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", default="config/recon.yaml")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines in the detail export")
    parser.add_argument("--only-post", action="store_true", help="time the posting steps only, not the diagnosis")
    args = parser.parse_args()
    config = load_config(args.config)
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="recon-bench-") as scratch:
        scratch = Path(scratch)
        db_path = scratch / "post-0" / "studio.db"
        db_path.parent.mkdir()
        shutil.copy(args.db, db_path)
        open_store(db_path).close()  # migrate first: not part of posting

        db = open_store(db_path)
        seconds, entries = best(1, lambda: list(posting.unposted(db, config, "accrual", THROUGH)))
        rows.append((f"journal in SQL, as post computes it: {len(entries):,} entries",
                     f"{seconds:.2f} s = {len(entries) / seconds:,.0f} entries/s"))
        seconds, _ = best(1, lambda: sum(1 for _ in journal.entries(db, config, "accrual", THROUGH)))
        rows.append(("  the same by the Python rules (the cash method's way)",
                     f"{seconds:.2f} s = {len(entries) / seconds:,.0f} entries/s"))
        posted = [Posted(f"SP{i:09d}", e) for i, e in enumerate(entries, 1)]
        customers = {e.customer for e in entries}

        def write() -> int:
            out = io.StringIO()
            return write_iif(out, posted, account_types(config), customers)
        seconds, _ = best(args.runs, write)
        rows.append(("write the IIF file (in memory)", f"{seconds:.2f} s = {len(posted) / seconds:,.0f} entries/s"))
        del posted, entries
        db.conn.close()

        # each run posts a fresh copy (copied and migrated outside the timing); the last one is kept.
        # post's own journal, in SQL, is computed beside the writing of the file (store/posted.py)
        times = []
        for run in range(args.runs):
            if run:
                shutil.rmtree(db_path.parent)
                db_path = scratch / f"post-{run}" / "studio.db"
                db_path.parent.mkdir()
                shutil.copy(args.db, db_path)
                open_store(db_path).close()
            service = ReconService(config, db_path, date(2026, 11, 21), user="bench")
            t = time.perf_counter()
            batch = service.post("accrual", THROUGH)
            times.append(time.perf_counter() - t)
        seconds = min(times)
        rows.append((f"recon-tui post, all {batch.entries:,} events (journal + file + records)",
                     f"{seconds:.2f} s = {batch.entries / seconds:,.0f} events/s"
                     f" (runs: {', '.join(f'{t:.1f}' for t in times)} s)"))

        if args.only_post:
            for name, value in rows:
                print(f"{name:<{max(len(n) for n, _ in rows)}}  {value}")
            return

        qb = QuickBooks(company=config.studio_name)
        qb.import_iif(batch.file)
        ar = config.gl_accounts.accounts_receivable
        keep = [s for s in qb.splits if s.account == ar]
        for s in qb.splits:  # other accounts, as a full export has them, up to the line count
            if len(keep) >= args.lines:
                break
            if s.account != ar:
                keep.append(s)
        qb.splits = keep
        detail = qb.write_detail(scratch / "detail.csv", AS_OF)
        lines = sum(1 for _ in detail.open(encoding="utf-8"))
        seconds, _ = best(args.runs, lambda: read_detail(detail))
        rows.append((f"read the detail export ({lines:,} lines)", f"{seconds:.2f} s"))
        seconds, d = best(args.runs, lambda: service.diagnose("accrual", AS_OF, QBFigures(detail=detail)))
        rows.append(("diagnose with that detail export", f"{seconds:.2f} s"))
        seconds, d2 = best(args.runs, lambda: service.diagnose("accrual", AS_OF, QBFigures(balance=0)))
        rows.append(("diagnose with a typed balance", f"{seconds:.2f} s"))
        rows.append(("  (difference, unexplained)", f"{d.difference}, {d.cause('unexplained').amount}"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
