"""Fixtures for the terminal UI: the worked example and a small demo studio, a fixed "today",
a steady cursor, colours on, and SVG snapshots kept in the repository's top-level snapshots/.

Every test works in folders of its own: its ``tmp_path``, and the studios built once per session in
``tmp_path_factory`` (one per xdist worker). So ``pytest -n 2`` runs the tests side by side, and two
runs on one machine do not meet.

Paths on screen. Some screens print a path: the start screen its database, the post screen and its
dialog the batch files beside the database, the diagnosis the QuickBooks detail it read, the
finalize screen the printed report. A snapshot must not show a temporary name. A test whose screens
print a path is marked ``shows_paths`` and gets its folder through the ``shown`` fixture: the test's
working directory becomes a folder of its own under its ``tmp_path``, where ``<name>`` links to the
test's folder, and the app is given the relative path ``<name>/...`` (it prints the paths it is
given, never resolved ones). Nothing is shared between tests, so they run side by side. An unmarked
test gets its own folder as it is; if a new snapshot shows a /tmp/pytest-of-... path, its test
needs the marker.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
import sys
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import pytest_textual_snapshot

from recon_tui.config import load_config
from recon_tui.demo import DEMO_END, build_demo, write_csv
from recon_tui.store.importer import import_dir
from recon_tui.store.schema import open_store
from recon_tui.tui.app import make_app

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SNAPSHOTS = ROOT / "snapshots"
WORKED_TODAY = date(2026, 5, 2)
DEMO_TODAY = date(2026, 11, 2)


class TopLevelSVGs(pytest_textual_snapshot.SVGImageExtension):
    """Snapshots are reviewed artefacts: one folder at the top of the repository."""

    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS)

    def serialize(self, *args, **kwargs):
        """Refuses a screen that shows a temporary path: it could never match again (see ``shown``)."""
        svg = super().serialize(*args, **kwargs)
        if "/pytest-of-" in svg:
            message = "the screen shows a temporary path: mark the test `shows_paths` (tests/tui/conftest.py)"
            print(message, file=sys.stderr)  # syrupy keeps the exception to itself: the test shows this
            raise AssertionError(message)
        return svg


@pytest.fixture(autouse=True)
def _steady_screen(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("LOGNAME", "bookkeeper")  # the OS user (getpass) the start screen names
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", TopLevelSVGs)


def pytest_configure(config):
    config.addinivalue_line("markers", "keyboard: type text key by key (the default pastes it into inputs)")
    config.addinivalue_line("markers", "shows_paths: the screens print paths; see `shown` (conftest.py)")


@pytest.fixture(autouse=True)
def _paste_text(request, monkeypatch):
    """Text typed into an input or a text area arrives as one terminal paste instead of a key per character.

    Pilot waits for the app to go idle after every key (~50 ms, and up to a second while a worker
    runs), which made typed dates, amounts and file paths most of the suite's time. A paste goes
    through the Input's own paste handling (as when a user pastes); keys that are not text, and text
    sent while no input has focus, are still pressed one by one. Tests marked ``keyboard`` (the
    end-to-end walks and the typing tests) press every key.
    """
    if request.node.get_closest_marker("keyboard"):
        return
    from textual import events
    from textual.pilot import Pilot
    from textual.widgets import Input, TextArea

    press = Pilot.press

    async def paste_or_press(self, *keys: str) -> None:
        text: list[str] = []

        async def flush() -> None:
            if not text:
                return
            chunk = "".join(text)
            text.clear()
            focused = self.app.focused
            if isinstance(focused, (Input, TextArea)):  # a note (NoteField) is a TextArea
                focused.post_message(events.Paste(chunk))
                await self.pause()
            else:
                await press(self, *chunk)

        for key in keys:
            if len(key) == 1 and key.isprintable():
                text.append(key)
            else:
                await flush()
                await press(self, key)
        await flush()

    monkeypatch.setattr(Pilot, "press", paste_or_press)


def _import(tmp: Path, csv_dir: Path, config_path: Path) -> Path:
    config = load_config(config_path)
    path = tmp / "studio.db"
    db = open_store(path, create=True)
    import_dir(db, csv_dir, config)
    db.conn.close()
    return path


@pytest.fixture(scope="session")
def worked_db(tmp_path_factory) -> Path:
    """Read-only: tests that write get a fresh copy (``fresh_copy``)."""
    tmp = tmp_path_factory.mktemp("worked")
    return _import(tmp, FIXTURES / "worked_example", FIXTURES / "worked_example.yaml")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("demo")
    write_csv(build_demo(years=1, orders_per_year=400), tmp / "csv")
    return _import(tmp, tmp / "csv", ROOT / "config" / "recon.yaml")


@pytest.fixture
def shown(request, tmp_path, monkeypatch) -> Callable[[str, Path], Path]:
    """``shown(name, folder)``: the path the test gives the app for its own ``folder`` (made if
    missing). For a test marked ``shows_paths``, the relative ``<name>``, from a working directory of
    the test's own where ``<name>`` links to ``folder``; for any other, ``folder`` itself. See the
    module docstring."""
    def own(name: str, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    if request.node.get_closest_marker("shows_paths") is None:
        return own
    here = tmp_path / "shown"
    here.mkdir(exist_ok=True)
    monkeypatch.chdir(here)

    def link(name: str, folder: Path) -> Path:
        (here / name).symlink_to(own(name, folder), target_is_directory=True)
        return Path(name)
    return link


def fresh_copy(db: Path, folder: Path) -> Path:
    """A copy of ``db`` in ``folder``, for one test that writes to it and beside it."""
    path = folder / "studio.db"
    shutil.copy(db, path)
    return path


def fixed_app(db: Path):
    """A factory: the app on a copy of the worked example, with who and when fixed too (the history,
    records and batches show them)."""
    at = datetime(2026, 5, 2, 17, 30, tzinfo=timezone.utc)
    return lambda: make_app(load_config(FIXTURES / "worked_example.yaml"), db, WORKED_TODAY, blink=False,
                            user="bookkeeper", clock=lambda: at)


@pytest.fixture
def own_db(worked_db, tmp_path) -> Path:
    """A fresh copy of the worked example for one test that writes to it (a module whose screens
    print paths overrides it, with a folder from ``shown``)."""
    return fresh_copy(worked_db, tmp_path)


@pytest.fixture
def app_on(own_db):
    """A factory: the app (who and when fixed) on this test's own copy, ``own_db``."""
    return fixed_app(own_db)


@pytest.fixture
def worked_app(worked_db, shown):
    """A factory: the app users run, on the worked example, on 2026-05-02."""
    db = shown("worked", worked_db.parent) / worked_db.name
    return lambda: make_app(load_config(FIXTURES / "worked_example.yaml"), db, WORKED_TODAY, blink=False)


@pytest.fixture
def demo_app(demo_db):
    assert DEMO_END < DEMO_TODAY
    return lambda: make_app(load_config(ROOT / "config" / "recon.yaml"), demo_db, DEMO_TODAY, blink=False)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests in a fresh event loop (no async plugin needed for Pilot tests)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
        return True
    return None
