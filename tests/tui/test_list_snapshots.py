"""Lists full of real data at 80x24 (the demo studio's year to 2026-10-31): an empty list hides
clipped columns. The Undeposited Funds drill-down with its Amount column, F5 and F6 with their totals."""

from __future__ import annotations

import pytest

from conftest import DEMO_TODAY, ROOT, fresh_copy
from recon_tui.config import load_config
from recon_tui.tui.app import make_app
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


@pytest.mark.shows_paths  # "Files go to" the database's folder
def test_snapshot_post_with_a_large_backlog(snap_compare, demo_db, shown, tmp_path):
    """The Post screen before the first batch with a year of unposted events (about 3,000)."""
    db = fresh_copy(demo_db, shown("post-backlog", tmp_path / "post-backlog"))
    app = make_app(load_config(ROOT / "config" / "recon.yaml"), db, DEMO_TODAY, blink=False)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
