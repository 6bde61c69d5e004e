"""The app decides the next step from one registry of steps; the header, the palette and the help
read it; no screen imports another step (nor the help the app)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from wizard_keys import open_at, settle

from recon_tui.tui.commands import StepCommands
from recon_tui.tui.places import OTHERS, PLACES, STEPS
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.screens.count import CountScreen
from recon_tui.tui.screens.dates import DatesScreen
from recon_tui.tui.screens.review import ReviewScreen

TUI = Path(__file__).resolve().parents[2] / "recon_tui" / "tui"


def test_the_registry_numbers_the_six_steps():
    assert [(s.number, s.title) for s in STEPS] == [
        (1, "Start"), (2, "Dates"), (3, "Count"), (4, "Review"), (5, "Tie-out"), (6, "Finalize")]
    assert STEPS[2].header == "Step 3 of 6 · Count"


async def test_a_step_posts_done_and_the_app_pushes_the_next(worked_app):
    app = worked_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.sub_title == "Step 1 of 6 · Start"
        app.wizard = app.wizard.entered(previous="2026-03-31", current="2026-04-30")
        app.push_screen(DatesScreen())
        await settle(pilot)
        assert app.screen.sub_title == "Step 2 of 6 · Dates"
        dates = app.screen
        dates.post_message(StepScreen.Done(dates))
        dates.post_message(StepScreen.Done(dates))  # twice (a double Enter): one Count step
        await settle(pilot)
        assert isinstance(app.screen, CountScreen) and app.screen.sub_title == "Step 3 of 6 · Count"
        assert [type(s) for s in app.wizard_steps()] == [STEPS[0].screen, DatesScreen, CountScreen]


async def test_the_palette_goes_back_to_the_steps_by_their_numbers(worked_app):
    app = worked_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.wizard = app.wizard.entered(previous="2026-03-31", current="2026-04-30")
        for screen in (DatesScreen, CountScreen, ReviewScreen):
            app.push_screen(screen())
            await settle(pilot)
        names = [(name, help_text) for name, help_text, _ in StepCommands(app.screen)._commands()]
        assert ("Go to step: Dates", "Back to step 2 (entries are kept)") in names
        assert ("Go to step: Count", "Back to step 3 (entries are kept)") in names
        assert not any(name == "Go to step: Review" for name, _ in names)  # the step on screen


def test_the_registry_names_every_place_and_imports_it_when_first_opened():
    assert PLACES == STEPS + OTHERS
    assert len({place.title for place in PLACES}) == len(PLACES)
    assert all(place.screen.__name__ == place.name for place in PLACES)
    # the start of the app imports the start screen alone: not the Post screen (nor the other steps)
    code = "import sys, recon_tui.tui.app; print('recon_tui.tui.screens.post' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_the_help_lists_the_keys_of_its_screen_under_its_title(worked_app):
    # the help is built from the screen it was opened on (key_rows): only that screen's keys
    app = worked_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Count")
        await pilot.press("f1")  # ? is text in a count field
        await pilot.pause()
        table = app.screen.query_one("#help-keys")
        rows = {tuple(str(cell) for cell in table.get_row_at(r)) for r in range(table.row_count)}
        assert {("Count", "f4", "Payments"), ("Count", "^n", "Review"), ("Everywhere", "^q", "Quit")} <= rows
        assert "^s" not in {key for _, key, _ in rows}  # the Post screen's Post batch


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at the top of the file) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.append((node.module or "", id(node) in top))
        elif isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
    return found


def test_screens_and_widgets_import_at_the_top_only():
    """An import inside a function was a way round an import cycle; the app's registry removed them."""
    inside = [(path.name, module) for folder in ("screens", "widgets") for path in sorted((TUI / folder).glob("*.py"))
              for module, at_top in _imports(path) if not at_top]
    assert inside == []


def test_the_help_imports_no_screen_and_not_the_app():
    ours = [module for module, _ in _imports(TUI / "screens" / "help.py") if module.startswith("recon_tui")]
    assert all(module.startswith("recon_tui.tui.widgets.") for module in ours), ours
