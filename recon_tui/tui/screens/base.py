"""What every screen shares: the header with the studio name, the footer of keys, Esc goes back."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from recon_tui.tui.widgets.footer import Footer


class ReconScreen(Screen):
    """A full screen with header and footer; Esc climbs back to the screen below."""

    BINDINGS = [Binding("escape", "back", "Back", id="back", tooltip="Back to the previous screen")]
    #: shown in the header after the studio name
    SUB_TITLE = ""

    def compose_header(self):
        yield Header(icon="≡")

    def compose_footer(self):
        yield Footer()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return len(self.app.screen_stack) > 2
        return True


class StepScreen(ReconScreen):
    """A step of the wizard (the command palette can jump back to it)."""

    STEP = ""
