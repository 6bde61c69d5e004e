"""Every key of every screen, read from the bindings themselves so the list cannot go stale.

The help imports no screen: the app hands it the sections (see places.py), read when it opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from recon_tui.tui.widgets.footer import Footer


@dataclass(frozen=True)
class KeySection:
    """One place's keys in the help: its bindings (those with a description), then keys said in words."""

    where: str
    bindings: tuple[BindingType, ...]
    extra: tuple[tuple[str, str], ...] = ()

    def rows(self) -> list[tuple[str, str]]:
        found = [(b.key_display or b.key.split(",")[0], b.description)
                 for b in self.bindings if isinstance(b, Binding) and b.description]
        return found + list(self.extra)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,question_mark", "close", "Close", id="close_help")]

    def __init__(self, sections: Sequence[KeySection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Label("Keys", classes="section-title")
            yield DataTable(id="help-keys", cursor_type="row", show_header=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Key", "Does")
        for section in self.sections:
            for i, (key, does) in enumerate(section.rows()):
                table.add_row(Text(section.where if i == 0 else "", style="bold"), key, does)
        table.focus()

    def action_close(self) -> None:
        self.dismiss()
