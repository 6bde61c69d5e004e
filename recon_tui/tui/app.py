"""The reconciliation wizard: Start → Dates → Count → Review, with drill-downs from Review.

Screens post intent and the app decides where to go; the wizard state lives here so that going
back with Esc keeps every entry. All database work runs in thread workers (see each screen).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from recon_tui.config import Config
from recon_tui.service import ReconService
from recon_tui.tui.commands import StepCommands
from recon_tui.tui.wizard import Wizard


class ReconApp(App):
    """Closes a studio's books for a period, keyboard first, over SSH at 80x24."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {StepCommands}
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "Quit", id="quit", priority=True,
                tooltip="Leave recon-tui (asks first when a reconciliation is in progress)"),
        Binding("f1,question_mark", "help", "Help", id="help", key_display="?", tooltip="Every key"),
    ]

    def __init__(self, service: ReconService, *, blink: bool = True) -> None:
        super().__init__()
        self.service = service
        self.blink = blink
        self.wizard = Wizard(method=service.default_method)
        self.title = service.studio_name

    @property
    def today(self) -> date:
        return self.service.today

    def on_mount(self) -> None:
        from recon_tui.tui.screens.start import StartScreen

        self.push_screen(StartScreen())

    def action_help(self) -> None:
        from recon_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_request_quit(self) -> None:
        from recon_tui.tui.screens.confirm import ConfirmQuit

        if not self.wizard.started:
            self.exit()
        elif not isinstance(self.screen, ConfirmQuit):
            self.push_screen(ConfirmQuit(), lambda leave: self.exit() if leave else None)

    def wizard_steps(self) -> list[Screen]:
        """The wizard screens on the stack, first step first."""
        from recon_tui.tui.screens.base import StepScreen

        return [s for s in self.screen_stack if isinstance(s, StepScreen)]

    def action_history(self) -> None:
        from recon_tui.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_export_report(self) -> None:
        period = self.wizard.period(self.today)
        if period is not None:
            self._export(period, self.wizard.method)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, period, method: str) -> None:
        path = self.service.export_report(period, method)
        self.call_from_thread(self.notify, f"Report saved: {path}", title="Export")

    def start_over(self) -> None:
        """After a finalize: a fresh reconciliation from the start screen (it starts where this one ended)."""
        from recon_tui.tui.screens.start import StartScreen

        self.wizard = Wizard(method=self.service.default_method)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(StartScreen())

    def go_back_to(self, step: Screen) -> None:
        """Pop every screen above ``step`` (entries stay in the wizard state)."""
        while self.screen is not step and len(self.screen_stack) > 2:
            self.pop_screen()


def make_app(config: Config, db_path: Path, today: date, *, blink: bool = True, user: str | None = None,
             clock=None) -> ReconApp:
    """The one way to build the app: users, tests and snapshots get exactly the same thing.

    ``user`` and ``clock`` (who finalizes, and when) default to the OS user and the real time."""
    return ReconApp(ReconService(config, db_path, today, user=user, clock=clock), blink=blink)
