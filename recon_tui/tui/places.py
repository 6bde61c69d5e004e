"""The map of the app: the wizard's steps in order, and the keys of every place in the order the help
lists them.

The app reads it to push the step after the one that posted ``StepScreen.Done``, to fill each
step's header ("Step 3 of 6 · Count"), and to feed the help and the command palette. Screens never
import it (it imports them): a step learns its number from the app at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import BindingType

from recon_tui.tui.screens.base import ReconScreen, StepScreen
from recon_tui.tui.screens.confirm import ConfirmQuit
from recon_tui.tui.screens.count import CountScreen
from recon_tui.tui.screens.dates import DatesScreen
from recon_tui.tui.screens.diagnosis import CauseItemTable, CauseTable
from recon_tui.tui.screens.finalize import ConfirmFinalize, FinalizeScreen
from recon_tui.tui.screens.help import KeySection
from recon_tui.tui.screens.history import HistoryScreen, ReopenDialog
from recon_tui.tui.screens.import_screen import ConfirmImport, FolderField, ImportScreen
from recon_tui.tui.screens.post import ConfirmFirstPost, ConfirmPost, ConfirmReexport, PostScreen
from recon_tui.tui.screens.reports import ReportScreen
from recon_tui.tui.screens.review import ReviewScreen
from recon_tui.tui.screens.start import StartScreen
from recon_tui.tui.screens.tieout import TieOutScreen
from recon_tui.tui.widgets.fields import CountField, DateField, MethodList
from recon_tui.tui.widgets.figures import FigureTable
from recon_tui.tui.widgets.items import ItemTable
from recon_tui.tui.widgets.records import RecordTable


@dataclass(frozen=True)
class Step:
    number: int
    screen: type[StepScreen]

    @property
    def title(self) -> str:
        return self.screen.STEP

    @property
    def header(self) -> str:
        return f"Step {self.number} of {len(STEPS)} · {self.title}"


STEPS: tuple[Step, ...] = tuple(
    Step(number, screen) for number, screen in
    enumerate((StartScreen, DatesScreen, CountScreen, ReviewScreen, TieOutScreen, FinalizeScreen), start=1))


def step_of(screen: StepScreen) -> Step:
    return next(step for step in STEPS if isinstance(screen, step.screen))


def step_after(step: Step) -> Step | None:
    """The next step; None after the last (a new reconciliation starts)."""
    return STEPS[step.number] if step.number < len(STEPS) else None


def key_sections(everywhere: Iterable[BindingType]) -> list[KeySection]:
    """Every place's keys; ``everywhere``: the app's own bindings (Quit, Help)."""
    def step(screen: type[StepScreen], *widgets, extra=(), dialog=()) -> KeySection:
        bindings = [b for widget in widgets for b in widget.BINDINGS] + list(screen.BINDINGS) + list(dialog)
        return KeySection(screen.STEP, tuple(bindings), extra)

    return [
        KeySection("Everywhere", (*everywhere, *ReconScreen.BINDINGS),
                   (("ctrl+p", "Palette: steps, history, export"),
                    ("tab / shift+tab", "Next / previous field or table"))),
        step(StartScreen, MethodList, extra=(("↑ ↓", "Choose Accrual or Cash"),)),
        step(DatesScreen, DateField),
        step(CountScreen, CountField),
        step(ReviewScreen, FigureTable, extra=(("↑ ↓ ← →", "Move; ← → pick Change or Current"),)),
        KeySection("Drill-down", (*RecordTable.BINDINGS, *ItemTable.BINDINGS)),
        step(TieOutScreen),
        KeySection("Diagnosis", (*CauseTable.BINDINGS, *CauseItemTable.BINDINGS),
                   (("home / end", "First / last loaded record"),)),
        KeySection("Post", (*PostScreen.BINDINGS, *ConfirmFirstPost.BINDINGS, *ConfirmPost.BINDINGS,
                            *ConfirmReexport.BINDINGS)),
        KeySection("Import", (*FolderField.BINDINGS, *ImportScreen.BINDINGS, *ConfirmImport.BINDINGS)),
        KeySection("Reports", tuple(ReportScreen.BINDINGS)),
        step(FinalizeScreen, dialog=ConfirmFinalize.BINDINGS),
        KeySection("History", (*HistoryScreen.BINDINGS, *ReopenDialog.BINDINGS)),
        KeySection("Quit?", tuple(ConfirmQuit.BINDINGS)),
    ]
