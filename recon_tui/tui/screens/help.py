"""Every key of every screen, read from the bindings themselves so the list cannot go stale."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from recon_tui.tui.widgets.footer import Footer


def _sections() -> list[tuple[str, list[tuple[str, str]]]]:
    from recon_tui.tui.app import ReconApp
    from recon_tui.tui.screens.base import ReconScreen
    from recon_tui.tui.screens.confirm import ConfirmQuit
    from recon_tui.tui.screens.count import CountScreen
    from recon_tui.tui.screens.dates import DatesScreen
    from recon_tui.tui.screens.diagnosis import CauseTable, ItemTable
    from recon_tui.tui.screens.finalize import ConfirmFinalize, FinalizeScreen
    from recon_tui.tui.screens.history import HistoryScreen, ReopenDialog
    from recon_tui.tui.screens.post import ConfirmPost, ConfirmReexport, PostScreen
    from recon_tui.tui.screens.reports import ReportScreen
    from recon_tui.tui.screens.review import ReviewScreen
    from recon_tui.tui.screens.start import StartScreen
    from recon_tui.tui.screens.tieout import TieOutScreen
    from recon_tui.tui.widgets.fields import CountField, DateField, MethodList
    from recon_tui.tui.widgets.figures import FigureTable
    from recon_tui.tui.widgets.records import RecordTable

    def keys(*owners) -> list[tuple[str, str]]:
        found = []
        for owner in owners:
            for b in owner.BINDINGS:
                if isinstance(b, Binding) and b.description:
                    found.append((b.key_display or b.key.split(",")[0], b.description))
        return found

    return [
        ("Everywhere", keys(ReconApp, ReconScreen) + [("ctrl+p", "Palette: steps, history, export"),
                                                 ("tab / shift+tab", "Next / previous field or table")]),
        ("Start", keys(MethodList, StartScreen) + [("↑ ↓", "Choose Accrual or Cash")]),
        ("Dates", keys(DateField, DatesScreen)),
        ("Count", keys(CountField, CountScreen)),
        ("Review", keys(FigureTable, ReviewScreen) + [("↑ ↓ ← →", "Move; ← → pick Change or Current")]),
        ("Drill-down", keys(RecordTable) + [("pgup / pgdn", "Page through the records")]),
        ("Tie-out", keys(TieOutScreen)),
        ("Diagnosis", keys(CauseTable, ItemTable) + [("home / end", "First / last loaded record")]),
        ("Post", keys(PostScreen) + keys(ConfirmPost) + keys(ConfirmReexport)),
        ("Reports", keys(ReportScreen)),
        ("Finalize", keys(FinalizeScreen) + keys(ConfirmFinalize)),
        ("History", keys(HistoryScreen) + keys(ReopenDialog)),
        ("Quit?", keys(ConfirmQuit)),
    ]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,question_mark", "close", "Close", id="close_help")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Label("Keys", classes="section-title")
            yield DataTable(id="help-keys", cursor_type="row", show_header=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Key", "Does")
        for where, keys in _sections():
            for i, (key, does) in enumerate(keys):
                table.add_row(Text(where if i == 0 else "", style="bold"), key, does)
        table.focus()

    def action_close(self) -> None:
        self.dismiss()
