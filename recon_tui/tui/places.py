"""The map of the app: the wizard's steps in order, and every other place a user can open.

The app reads it to push the step after the one that posted ``StepScreen.Done``, to fill each
step's header ("Step 3 of 6 · Count") and to feed the command palette; the keyboard-contract test
opens every place listed here. Screens never import it. A place names its screen by module and
class, imported only when first opened: the start of the app imports the start screen alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Place:
    """A screen: its title (for the header, the palette and the help) and where its class lives."""

    title: str
    module: str
    name: str

    @property
    def screen(self) -> type:
        return getattr(import_module(f"recon_tui.tui.screens.{self.module}"), self.name)


@dataclass(frozen=True)
class Step(Place):
    number: int = 0

    @property
    def header(self) -> str:
        return f"Step {self.number} of {len(STEPS)} · {self.title}"


STEPS: tuple[Step, ...] = tuple(
    Step(title, module, name, number) for number, (title, module, name) in enumerate((
        ("Start", "start", "StartScreen"), ("Dates", "dates", "DatesScreen"), ("Count", "count", "CountScreen"),
        ("Review", "review", "ReviewScreen"), ("Tie-out", "tieout", "TieOutScreen"),
        ("Finalize", "finalize", "FinalizeScreen")), start=1))

#: every place that is not a step, as the contract test opens them
OTHERS: tuple[Place, ...] = (
    Place("Drill-down", "drilldown", "DrilldownScreen"),
    Place("Order", "order", "OrderScreen"),
    Place("A/R Aging", "reports", "AgingScreen"),
    Place("Deposit Reconciliation", "reports", "DepositsScreen"),
    Place("Diagnosis", "diagnosis", "DiagnosisScreen"),
    Place("Cause", "diagnosis", "CauseScreen"),
    Place("History", "history", "HistoryScreen"),
    Place("Record", "history", "RecordScreen"),
    Place("Reopen?", "history", "ReopenDialog"),
    Place("Post to QuickBooks", "post", "PostScreen"),
    Place("Post?", "post_dialogs", "ConfirmPost"),
    Place("First batch?", "post_dialogs", "ConfirmFirstPost"),
    Place("Re-export?", "post_dialogs", "ConfirmReexport"),
    Place("Import", "import_screen", "ImportScreen"),
    Place("Import?", "import_screen", "ConfirmImport"),
    Place("Finalize?", "finalize", "ConfirmFinalize"),
    Place("Help", "help", "HelpScreen"),
    Place("Quit?", "confirm", "ConfirmQuit"),
)

PLACES: tuple[Place, ...] = STEPS + OTHERS


def step_of(screen) -> Step:
    return next(step for step in STEPS if step.title == type(screen).STEP)


def step_after(step: Step) -> Step | None:
    """The next step; None after the last (a new reconciliation starts)."""
    return STEPS[step.number] if step.number < len(STEPS) else None
