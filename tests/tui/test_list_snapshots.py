"""Lists full of real data at 80x24 (the demo studio's year to 2026-10-31): an empty list hides
clipped columns. The Undeposited Funds drill-down with its Amount column, F5 and F6 with their totals."""

from __future__ import annotations

from test_lists import YEAR, open_undeposited
from wizard_keys import open_at, settle


def test_snapshot_undeposited_funds_drilldown(snap_compare, demo_app):
    async def run_before(pilot):
        await open_undeposited(pilot)
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_aging_with_real_data(snap_compare, demo_app):
    async def run_before(pilot):
        await open_at(pilot, "Tie-out", **YEAR)
        await pilot.press("f5")
        await settle(pilot)
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_deposits_with_real_data(snap_compare, demo_app):
    async def run_before(pilot):
        await open_at(pilot, "Tie-out", **YEAR)
        await pilot.press("f6")
        await settle(pilot)
    assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=run_before)
