"""Quitting in the middle of a reconciliation loses the entries: ask first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from recon_tui.tui.widgets.footer import Footer


class ConfirmQuit(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Quit", id="confirm_quit"),
        Binding("n,escape", "answer(False)", "Stay", id="stay"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label("A reconciliation is in progress; its dates, counts and notes are not saved.")
            yield Label("Quit anyway? [b]y[/b] quit · [b]n[/b] stay")
        yield Footer()

    def action_answer(self, leave: bool) -> None:
        self.dismiss(leave)
