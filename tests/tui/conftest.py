"""Fixtures for the terminal UI: the worked example and a small demo studio, a fixed "today",
a steady cursor, colours on, and SVG snapshots kept in the repository's top-level snapshots/."""

from __future__ import annotations

import asyncio
import inspect
import shutil
import tempfile
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


@pytest.fixture(autouse=True)
def _steady_screen(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", TopLevelSVGs)


def pytest_configure(config):
    config.addinivalue_line("markers", "keyboard: type text key by key (the default pastes it into inputs)")


@pytest.fixture(autouse=True)
def _paste_text(request, monkeypatch):
    """Text typed into an input arrives as one terminal paste instead of a key per character.

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
    from textual.widgets import Input

    press = Pilot.press

    async def paste_or_press(self, *keys: str) -> None:
        text: list[str] = []

        async def flush() -> None:
            if not text:
                return
            chunk = "".join(text)
            text.clear()
            focused = self.app.focused
            if isinstance(focused, Input):
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
def worked_db() -> Path:
    """At a fixed path, because the start screen (and so its snapshot) shows the database path."""
    folder = Path(tempfile.gettempdir()) / "recon-tui-tests" / "worked"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return _import(folder, FIXTURES / "worked_example", FIXTURES / "worked_example.yaml")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("demo")
    write_csv(build_demo(years=1, orders_per_year=400), tmp / "csv")
    return _import(tmp, tmp / "csv", ROOT / "config" / "recon.yaml")


def fresh_copy(db: Path, folder_name: str) -> Path:
    """A fresh copy of ``db`` for one test, at a fixed path: the screens show paths beside the
    database (printed reports, batch files), and snapshots must not depend on a temporary name."""
    folder = Path(tempfile.gettempdir()) / "recon-tui-tests" / folder_name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
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
def worked_app(worked_db):
    """A factory: the app users run, on the worked example, on 2026-05-02."""
    return lambda: make_app(load_config(FIXTURES / "worked_example.yaml"), worked_db, WORKED_TODAY, blink=False)


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
