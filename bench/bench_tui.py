"""Time the terminal UI on the benchmark studio: launch → start screen, → review open, → a large
drill-down's first page (from Enter on an idle review), and its count and total (the Undeposited
Funds list: the count from the payments index, the total from the daily totals; <= 0.3 s wanted on
the 10-year studio), and the Post screen of a studio that never posted (its first page of
unposted events, then their count and debits; the accrual method: the books' default). Prints a
table; never run in CI.

    .venv/bin/python bench/bench_tui.py [--db bench/out/studio.db] [--config config/recon.yaml]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import date
from pathlib import Path

from textual.css.query import NoMatches

from recon_tui.config import load_config
from recon_tui.tui.app import make_app
from recon_tui.tui.screens.post import PostScreen
from recon_tui.tui.screens.review import ReviewScreen
from recon_tui.tui.screens.start import StartScreen
from recon_tui.tui.widgets.figures import FigureTable
from recon_tui.tui.widgets.items import ItemTable
from recon_tui.tui.widgets.records import RecordTable


async def until(pilot, condition, limit: float = 30.0) -> None:
    deadline = time.perf_counter() + limit
    while True:
        try:
            if condition():
                return
        except NoMatches:  # the screen is still being composed
            pass
        if time.perf_counter() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.005)


async def measure(db: Path, config: Path) -> list[tuple[str, float]]:
    t0 = time.perf_counter()
    app = make_app(load_config(config), db, date(2026, 11, 2), blink=False)
    out = []
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, StartScreen)
                    and "Last finalized" not in str(app.screen.query_one("#last-finalized").render()))
        out.append(("launch -> start screen", time.perf_counter() - t0))
        app.wizard.started = True
        app.wizard.previous, app.wizard.current = "2026-09-30", "2026-10-31"
        app.wizard.counted.update({m: "0" for m in ("cash", "check", "eft", "credit_card", "other")})
        t = time.perf_counter()
        app.push_screen(ReviewScreen())
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen)
                    and app.screen.query_one("#table-balance_sheet", FigureTable).row_count > 0)
        out.append(("open the review (Oct 2026)", time.perf_counter() - t))
        await app.workers.wait_for_complete()  # the review's own work done: Enter is pressed on an idle app
        await pilot.pause()
        sheet = app.screen.query_one("#table-balance_sheet", FigureTable)
        sheet.focus()
        sheet.cursor_coordinate = sheet.cursor_coordinate._replace(row=1, column=2)  # Undeposited Funds, Current
        t = time.perf_counter()
        # what Enter does; pilot.press() would also wait for the count/total worker to finish, which
        # the user does not: the first page shows while the list is still being counted
        sheet.action_drill()
        await until(pilot, lambda: app.screen.query(RecordTable) and len(app.screen.query_one(RecordTable).records) > 0)
        out.append(("open a large drill-down (first page)", time.perf_counter() - t))
        await until(pilot, lambda: "Total" in str(app.screen.query_one("#drill-total").render()), limit=120)
        elapsed = time.perf_counter() - t
        shown = str(app.screen.query_one("#drill-total").render())
        agrees = "= figure" if "(= the figure)" in shown else "≠ FIGURE"
        out.append((f"  ... its count and total ({shown.split(' ·')[0]}, {agrees})", elapsed))
        await app.workers.wait_for_complete()
        app.pop_screen()
        await pilot.pause()
        t = time.perf_counter()
        app.push_screen(PostScreen())
        await until(pilot, lambda: isinstance(app.screen, PostScreen)
                    and app.screen.query_one("#unposted", ItemTable).row_count > 0)
        out.append(("open Post, never posted (first page)", time.perf_counter() - t))
        await until(pilot, lambda: app.screen.count is not None, limit=120)
        out.append((f"  ... its count and debits ({app.screen.count:,} events)", time.perf_counter() - t))
        await app.workers.wait_for_complete()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="bench/out/studio.db")
    parser.add_argument("--config", default="config/recon.yaml")
    parser.add_argument("--runs", type=int, default=3, help="report the best of this many runs")
    args = parser.parse_args()
    runs = [asyncio.run(measure(Path(args.db), Path(args.config))) for _ in range(args.runs)]
    print(f"{'step (best of ' + str(args.runs) + ')':<52} {'time':>9}")
    for index, (name, _) in enumerate(runs[0]):
        print(f"{name:<52} {min(run[index][1] for run in runs):7.3f} s")


if __name__ == "__main__":
    main()
