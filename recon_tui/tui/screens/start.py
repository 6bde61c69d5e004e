"""Step 1: which studio and database this is, the last finalized period, and the method."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static
from textual.widgets.option_list import Option

from recon_tui.model import METHODS, Method
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.widgets.fields import MethodList



class StartScreen(StepScreen):
    STEP = "Start"
    BINDINGS = [Binding("h", "history", "History", id="history", tooltip="Finalized reconciliations"),
                Binding("p", "post", "Post to QB", id="post", tooltip="Post events to QuickBooks as an IIF batch")]

    def compose(self) -> ComposeResult:
        service = self.app.service
        yield from self.compose_header()
        with Vertical(id="start", classes="step"):
            yield Static(service.studio_name, id="studio", classes="title", markup=False)
            yield Static(f"Database: {service.db_path}", id="database", markup=False)
            yield Static("Last finalized: …", id="last-finalized", markup=False)
            yield Label("Accounting method (↑↓ to choose, Enter to continue)", classes="prompt")
            options = [Option(f"{m.title}: {m.explain}", id=m.name) for m in map(Method.of, METHODS)]
            yield MethodList(*options, id="method")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        methods = self.query_one(MethodList)
        methods.highlighted = list(METHODS).index(self.app.wizard.method)
        methods.focus()
        self.load_last_finalized()

    @work(thread=True, exclusive=True, group="start", exit_on_error=False)
    def load_last_finalized(self) -> None:
        service = self.app.service
        try:
            service.check()
            last = service.last_finalized()
        except Exception as exc:  # a missing or broken database: say so, keep the app alive
            self.app.call_from_thread(self._show_last, f"Database problem: {exc}")
            return
        if last is None:
            text = "No finalized reconciliation yet"
        else:
            text = (f"Last finalized: #{last.number} ({last.method}), after {last.previous} through "
                    f"{last.current}, on {last.finalized_at[:10]} by {last.finalized_by}")
        self.app.call_from_thread(self._show_last, text)

    def _show_last(self, text: str) -> None:
        self.query_one("#last-finalized", Static).update(text)

    def on_option_list_option_highlighted(self, event: MethodList.OptionHighlighted) -> None:
        self.app.wizard.method = event.option.id

    def on_option_list_option_selected(self, event: MethodList.OptionSelected) -> None:
        self.app.wizard.method = event.option.id
        self.app.wizard.started = True
        self.post_message(self.Done(self))

    def action_history(self) -> None:
        self.app.action_history()

    def action_post(self) -> None:
        self.app.action_open_post()
