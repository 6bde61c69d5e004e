"""What every screen shares: the header with the studio name, the footer of keys, Esc goes back,
q closes what was opened on top (DOMAIN §16)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, TextArea
from textual.worker import Worker

from recon_tui.tui.widgets.footer import Footer
from recon_tui.tui.widgets.workers import pass_on_failure


class ReconScreen(Screen):
    """A full screen with header and footer; Esc climbs back to the screen below, and so does q on a
    screen opened on top of a step (a list, an order, a record, the history), when no text field
    has the focus."""

    BINDINGS = [Binding("escape", "back", "Back", id="back", tooltip="Back to the previous screen"),
                Binding("q", "close", "Close", id="close", show=False,
                        tooltip="Close this screen (when no text field has the focus)")]
    #: shown in the header after the studio name
    SUB_TITLE = ""
    #: a wizard step (q does not close it: Esc goes back a step)
    IS_STEP = False

    def compose_header(self):
        yield Header(icon="≡")

    def compose_footer(self):
        yield Footer()

    @property
    def wizard(self):
        """The reconciliation in progress (the app's; a step posts ``Entered`` to change it)."""
        return self.app.wizard

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def action_close(self) -> None:
        if self.check_action("close", ()):
            self.action_back()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return len(self.app.screen_stack) > 2
        if action == "close":
            typing = isinstance(self.focused, (Input, TextArea))
            return not self.IS_STEP and not typing and self.check_action("back", ()) is True
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        pass_on_failure(self, event)  # the app says it in words


class StepScreen(ReconScreen):
    """A step of the wizard: the app's registry of steps numbers it (the header says "Step n of 6")
    and decides what follows when it posts ``Done`` (the command palette can jump back to it)."""

    STEP = ""  #: the step's title
    IS_STEP = True

    @dataclass
    class Done(Message):
        """The step is complete; the next step's screen is built with ``carried`` (e.g. the tie-out's
        reconciliation for the finalize step)."""

        step: StepScreen
        carried: tuple = ()

    def compose_header(self):
        self.sub_title = self.app.step_of(self).header
        yield from super().compose_header()
