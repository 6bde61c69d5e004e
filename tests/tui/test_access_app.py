"""Who may (DOMAIN §10, config ``access``) in the app: the start screen says who you are; the
finalize, reopen, post and re-export keys stay in the footer but greyed, and the screen says why."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from recon_tui.config import load_config
from recon_tui.service import ReconService
from recon_tui.tui.app import make_app
from recon_tui.tui.screens.finalize import FinalizeScreen
from recon_tui.tui.screens.history import HistoryScreen, ReopenDialog
from recon_tui.tui.screens.post import PostScreen

from conftest import FIXTURES, WORKED_TODAY, fresh_copy
from wizard_keys import finalize_april, open_at, settle

ACCESS = "access:\n  finalize: [maria]\n  reopen: [maria]\n  post: [maria]\n"


@pytest.fixture
def studio(worked_db, tmp_path):
    """``studio(user, access)``: the app on a fresh copy of the worked example, as ``user``, with
    ``access`` appended to the worked example's config."""
    db = fresh_copy(worked_db, tmp_path)

    def build(user: str, access: str = ACCESS, app: bool = True):
        config = tmp_path / "access.yaml"
        config.write_text((FIXTURES / "worked_example.yaml").read_text() + access)
        if not app:
            return ReconService(load_config(config), db, WORKED_TODAY, user=user)
        return make_app(load_config(config), db, WORKED_TODAY, blink=False, user=user)
    build.db = db
    return build


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def key_state(app, key: str) -> bool | None:
    """True: the key shows in the footer, enabled; False: shown greyed; None: not shown at all."""
    binding = app.screen.active_bindings.get(key)
    if binding is None:
        return None
    drawn = [k for k in app.screen.query("FooterKey") if k.key == key]
    assert [k.has_class("-disabled") for k in drawn] == [not binding.enabled], "the footer draws it otherwise"
    return binding.enabled


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


# -- the start screen -------------------------------------------------------------------------------

async def test_the_start_screen_says_who_you_are(worked_app):
    app = worked_app()  # nobody said who: the OS user (conftest fixes it)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(app, "#who") == "You are bookkeeper"


async def test_the_start_screen_says_what_you_may_not_do(studio):
    app = studio("lee", "access:\n  finalize: [maria, lee]\n  reopen: [maria]\n  post: []\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(app, "#who") == "You are lee (you may not reopen or post: see access in access.yaml)"
    app = studio("ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(app, "#who") == "You are ann (you may not finalize, reopen or post: see access in access.yaml)"
    app = studio("maria")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(app, "#who") == "You are maria"


# -- finalize ---------------------------------------------------------------------------------------

async def to_finalize(pilot) -> None:
    await open_at(pilot, "Tie-out")
    await pilot.press("0", "tab")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FinalizeScreen)


async def test_finalize_is_greyed_and_says_why(studio):
    app = studio("lee")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_finalize(pilot)
        assert key_state(app, "ctrl+f") is False
        assert shown(app, "#final-status") == "lee may not finalize (access.finalize lists maria)"
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press("enter")  # Enter in the notes finalizes too: it says why instead
        await settle(pilot)
        assert isinstance(app.screen, FinalizeScreen)  # no confirmation was asked
        assert shown(app, "#final-status") == "lee may not finalize (access.finalize lists maria)"
    assert count(studio.db, "reconciliations") == 0


async def test_finalize_is_open_to_a_user_on_the_list(studio):
    app = studio("maria")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_finalize(pilot)
        assert key_state(app, "ctrl+f") is True
        assert shown(app, "#final-status") == "Ctrl+F finalizes (after a confirmation)."


# -- reopen -----------------------------------------------------------------------------------------

async def to_history(pilot) -> None:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HistoryScreen)


async def test_reopen_is_greyed_and_says_why(studio):
    finalize_april(studio("maria", app=False))
    app = studio("lee")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_history(pilot)
        assert key_state(app, "r") is False
        assert shown(app, "#history-access") == "lee may not reopen (access.reopen lists maria)"
        await pilot.press("r")
        await settle(pilot)
        assert not isinstance(app.screen, ReopenDialog)
    assert count(studio.db, "reopenings") == 0


async def test_reopen_is_open_to_a_user_on_the_list(studio):
    finalize_april(studio("maria", app=False))
    app = studio("maria")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_history(pilot)
        assert key_state(app, "r") is True
        assert not app.screen.query_one("#history-access").display


# -- post and re-export -----------------------------------------------------------------------------

async def to_post(pilot) -> None:
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PostScreen)


async def test_post_and_reexport_are_greyed_and_say_why(studio):
    studio("maria", app=False).post("accrual", WORKED_TODAY.replace(day=1))  # batch 1: something to re-export
    app = studio("lee")
    async with app.run_test(size=(80, 30)) as pilot:
        await to_post(pilot)
        assert key_state(app, "ctrl+s") is False
        reason = "lee may not post (access.post lists maria)"
        assert shown(app, "#post-status") == reason
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PostScreen)  # no confirmation was asked
        app.screen.query_one("#batches").focus()
        await settle(pilot)
        assert key_state(app, "r") is False
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, PostScreen)
        assert shown(app, "#post-status") == reason
    assert count(studio.db, "posting_batches") == 1


async def test_post_is_open_to_a_user_on_the_list(studio):
    app = studio("maria")
    async with app.run_test(size=(80, 30)) as pilot:
        await to_post(pilot)
        assert key_state(app, "ctrl+s") is True
        assert shown(app, "#post-status").startswith("Ctrl+S posts them as batch 1")
