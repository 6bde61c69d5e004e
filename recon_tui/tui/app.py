"""The reconciliation wizard: Start → Dates → Count → Review → Tie-out → Finalize, with drill-downs.

Screens post intent and the app decides where to go: a step posts ``StepScreen.Done`` and the app
pushes the next one from its registry (places.py); a step posts ``Entered`` with its part of the
reconciliation and the app makes the new state (wizard.py), so going back with Esc keeps every
entry. Every way out (Ctrl+Q, the palette) goes through ``action_quit``, which asks while a
reconciliation is in progress. All database work runs in thread workers (see each screen); a worker
that fails unexpectedly is said in words here, and the app carries on. Screens other than the
start screen are imported when first opened, so the app starts quickly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.dom import NoScreen
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from recon_tui.config import Config
from recon_tui.model import Method
from recon_tui.service import ReconService
from recon_tui.tui.commands import StepCommands
from recon_tui.tui.places import OTHERS, STEPS, Step, step_after, step_of
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.widgets.workers import WorkerFailed
from recon_tui.tui.wizard import BooksChanged, Entered, InForce, WizardState

QUIT_QUESTION = "A reconciliation is in progress; its dates, counts and notes are not saved."


def _place(title: str) -> type[Screen]:
    return next(place for place in OTHERS if place.title == title).screen


class ReconApp(App):
    """Closes a studio's books for a period, keyboard first, over SSH at 80x24."""

    CSS_PATH = "app.tcss"
    COMMANDS = {StepCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True,
                tooltip="Leave recon-tui (asks first when a reconciliation is in progress)"),
        Binding("f1,question_mark", "help", "Help", id="help", key_display="?", tooltip="The keys of this screen"),
    ]

    def __init__(self, service: ReconService, *, blink: bool = True) -> None:
        super().__init__()
        self.service = service
        self.blink = blink
        self.wizard = WizardState(method=Method.of(service.default_method))
        self.title = service.studio_name

    @property
    def today(self) -> date:
        return self.service.today

    def on_mount(self) -> None:
        self.push_screen(STEPS[0].screen())

    def step_of(self, screen: StepScreen) -> Step:
        """The step ``screen`` is (its number and title for the header and the palette)."""
        return step_of(screen)

    # -- the reconciliation in progress ---------------------------------------------------------------

    def on_entered(self, message: Entered) -> None:
        self.wizard = self.wizard.entered(**message.changes)

    def on_books_changed(self, message: BooksChanged) -> None:
        self.wizard = self.wizard.books_changed()

    def on_in_force(self, message: InForce) -> None:
        self.wizard = self.wizard.following(message.through)

    def on_step_screen_done(self, message: StepScreen.Done) -> None:
        if message.step is not self.screen:
            return  # e.g. a second Enter while the next step was opening
        following = step_after(step_of(message.step))
        if following is None:
            self.start_over()
        else:
            self.push_screen(following.screen(*message.carried))

    def start_over(self) -> None:
        """After a finalize: a fresh reconciliation from the start screen (it starts where this one ended)."""
        self.wizard = WizardState(method=self.wizard.method)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(STEPS[0].screen())

    def go_back_to(self, step: Screen) -> None:
        """Pop every screen above ``step`` (entries stay in the wizard state)."""
        while self.screen is not step and len(self.screen_stack) > 2:
            self.pop_screen()

    def wizard_steps(self) -> list[StepScreen]:
        """The wizard screens on the stack, first step first."""
        return [s for s in self.screen_stack if isinstance(s, StepScreen)]

    # -- the ways out, and the places outside the wizard ----------------------------------------------

    async def action_quit(self) -> None:
        """Ctrl+Q and the palette's Quit: leave, asking first while a reconciliation is in progress."""
        confirm = _place("Quit?")
        if not self.wizard.started:
            self.exit()
        elif not isinstance(self.screen, confirm):
            self.push_screen(confirm(QUIT_QUESTION), lambda leave: self.exit() if leave else None)

    def action_help(self) -> None:
        help_screen = _place("Help")
        if isinstance(self.screen, help_screen):
            return
        self.push_screen(help_screen(self.screen))

    def _open(self, title: str) -> None:
        screen = _place(title)
        if not isinstance(self.screen, screen):
            self.push_screen(screen())

    def action_history(self) -> None:
        self._open("History")

    def action_open_post(self) -> None:
        self._open("Post to QuickBooks")

    def action_open_import(self) -> None:
        self._open("Import")

    def action_export_report(self) -> None:
        period = self.wizard.period(self.today)
        if period is not None:
            self._export(period, self.wizard.method)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, period, method: Method) -> None:
        path = self.service.export_report(period, method.name)
        self.call_from_thread(self.notify, f"Report saved: {path}", title="Export")

    # -- worker errors ----------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:  # the app's own worker (the export)
            self.post_message(WorkerFailed(event.worker))

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """A worker that failed unexpectedly (a file gone, a bug): say so in words and carry on."""
        node = message.worker.node
        try:
            screen = None if node is self else node if isinstance(node, Screen) else node.screen
        except NoScreen:  # its screen was closed meanwhile
            screen = None
        if screen is not None:
            for widget in screen.query("*"):
                if widget.loading:
                    widget.loading = False  # nothing more will arrive: no endless spinner
        error = message.worker.error
        self.notify(" ".join(str(error).split()) or type(error).__name__, title="Could not finish",
                    severity="error", timeout=20, markup=False)


def make_app(config: Config, db_path: Path, today: date, *, blink: bool = True, user: str | None = None,
             clock=None) -> ReconApp:
    """The one way to build the app: users, tests and snapshots get exactly the same thing.

    ``user`` and ``clock`` (who finalizes, and when) default to the OS user and the real time."""
    return ReconApp(ReconService(config, db_path, today, user=user, clock=clock), blink=blink)
