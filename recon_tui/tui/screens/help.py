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


class KeyTable(DataTable):
    """The keys, a row at a time: Home/End (g/G) go to the first/last row, never sideways."""

    BINDINGS = [Binding("home,g", "first", "First row", show=False),
                Binding("end,G", "last", "Last row", show=False),
                Binding("j", "cursor_down", "Next row", show=False),
                Binding("k", "cursor_up", "Previous row", show=False)]

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=self.row_count - 1)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "close", "Close", key_display="esc/q", id="close_help")]

    def __init__(self, sections: Sequence[KeySection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Label("Keys", classes="section-title")
            yield KeyTable(id="help-keys", cursor_type="row", show_header=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        rows = [(section.where if i == 0 else "", key, does)
                for section in self.sections for i, (key, does) in enumerate(section.rows())]
        where = max(len(r[0]) for r in rows)
        key = min(16, max(len(r[1]) for r in rows))
        # the dialog's width (app.tcss .dialog) less its border and padding, the scroll bar, the cells' padding
        inside = min(90, self.app.size.width * 9 // 10) - 4 - 2 - 6
        table.add_column("Where", width=where)
        table.add_column("Key", width=key)
        table.add_column("Does", width=max(20, inside - where - key))
        for w, k, does in rows:  # a long description wraps: the whole of every label shows
            table.add_row(Text(w, style="bold"), Text(k), Text(does), height=None)
        table.focus()

    def action_close(self) -> None:
        self.dismiss()
