"""Every screen as users see it, at 80x24 and 120x40 (SVGs in the top-level snapshots/ folder).

The flow itself is tested key by key in test_wizard.py; here the wizard state is set directly so
the screens render quickly and always the same.
"""

from __future__ import annotations

import pytest
from wizard_keys import WORKED_COUNTS, open_at, settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def at(step: str, **entries):
    """A run_before that puts the wizard at ``step`` with the given entries (see ``open_at``)."""
    async def run_before(pilot) -> None:
        await open_at(pilot, step, **entries)
    return run_before


@pytest.mark.shows_paths  # the database
@SIZES
def test_start(snap_compare, worked_app, size):
    assert snap_compare(worked_app(), terminal_size=size, run_before=settle)


@SIZES
def test_dates(snap_compare, worked_app, size):
    assert snap_compare(worked_app(), terminal_size=size, run_before=at("Dates"))


@SIZES
def test_dates_with_error(snap_compare, worked_app, size):
    assert snap_compare(worked_app(), terminal_size=size, run_before=at("Dates", current="2026-05-09"))


@SIZES
def test_count_with_difference(snap_compare, worked_app, size):
    counts = {**WORKED_COUNTS, "cash": "12.50", "check": "25"}
    assert snap_compare(worked_app(), terminal_size=size,
                        run_before=at("Count", counts=counts, notes={"cash": "found in the till"}))


@SIZES
def test_review(snap_compare, worked_app, size):
    assert snap_compare(worked_app(), terminal_size=size, run_before=at("Review"))


@SIZES
def test_order_two_levels_deep(snap_compare, worked_app, size):
    async def run_before(pilot) -> None:
        await at("Review")(pilot)
        await pilot.press("tab", "tab", "tab", *["down"] * 6, "enter")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
    assert snap_compare(worked_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_drilldown(snap_compare, worked_app, size):
    async def run_before(pilot) -> None:
        await at("Review")(pilot)
        await pilot.press("j", "enter")  # the income table's second figure: a list with real rows
        await settle(pilot)
    assert snap_compare(worked_app(), terminal_size=size, run_before=run_before)


@pytest.mark.shows_paths  # the start screen's database, beside the help at 120 columns
@SIZES
def test_help(snap_compare, worked_app, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
    assert snap_compare(worked_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("step, kwargs", [
    pytest.param("Dates", {"current": "2026-05-09"}, id="dates_with_error"),
    pytest.param("Count", {"counts": {**WORKED_COUNTS, "cash": "12.50"}}, id="count_with_difference"),
    pytest.param("Review", {}, id="review"),
])
def test_no_color(snap_compare, worked_app, monkeypatch, step, kwargs):
    """NO_COLOR (https://no-color.org): greys only; errors, differences and the cursor must still read."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(worked_app(), terminal_size=(80, 24), run_before=at(step, **kwargs))
