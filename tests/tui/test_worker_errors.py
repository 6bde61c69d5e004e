"""A worker that fails (here: another program holds the database lock) is said in words and the app
carries on: no traceback, no exit, no endless spinner."""

from __future__ import annotations

import sqlite3

from textual.widgets._toast import Toast
from wizard_keys import WORKED_COUNTS, settle

from recon_tui.tui.screens.count import CountScreen
from recon_tui.tui.screens.dates import DatesScreen
from recon_tui.tui.screens.review import ReviewScreen
from recon_tui.tui.screens.tieout import TieOutScreen


def locked(*args, **kwargs):
    raise sqlite3.OperationalError("database is locked")


def toasts(app) -> str:
    return "\n".join(str(toast.render()) for toast in app.screen.query(Toast))


async def walk_to(pilot, last) -> None:
    """The wizard state set directly, then the steps pushed up to ``last``."""
    app = pilot.app
    await settle(pilot)
    app.wizard = app.wizard.entered(started=True, previous="2026-03-31", current="2026-04-30", counted=WORKED_COUNTS)
    for screen in (DatesScreen, CountScreen, ReviewScreen):
        app.push_screen(screen())
        await settle(pilot)
        if screen is last:
            return


async def test_a_locked_database_in_the_review_is_a_message(worked_app):
    app = worked_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.service.summary = locked
        await walk_to(pilot, ReviewScreen)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, ReviewScreen)
        assert "database is locked" in toasts(app)
        assert not any(table.loading for table in app.screen.query("FigureTable"))  # no endless spinner
        await pilot.press("escape")  # and the keys still work
        await settle(pilot)
        assert isinstance(app.screen, CountScreen)


async def test_a_locked_database_at_the_tie_out_is_a_message(worked_app):
    app = worked_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await walk_to(pilot, ReviewScreen)
        app.service.reconcile = locked
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, TieOutScreen)
        assert "database is locked" in toasts(app)
        await pilot.press(*"0", "ctrl+n")  # nothing to finalize without the studio figure
        await settle(pilot)
        assert isinstance(app.screen, TieOutScreen)


async def test_a_drill_down_that_cannot_read_its_records_says_so(worked_app):
    app = worked_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await walk_to(pilot, ReviewScreen)
        app.service.drilldown = locked  # the table's own page worker fails
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and type(app.screen).__name__ == "DrilldownScreen"
        assert "database is locked" in toasts(app)
        assert not app.screen.query_one("#records").loading
