"""The keys of the screen the help was opened on, read from its bindings at run time (so the list
cannot go stale, and it names only keys that work there), then the keys that work everywhere.

The help imports no screen and not the app: it reads the screen it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, TextArea

from recon_tui.tui.widgets.footer import Footer
from recon_tui.tui.widgets.items import ItemTable


@dataclass(frozen=True)
class KeyRow:
    where: str
    key: str
    does: str


def our_bindings(node) -> list[Binding]:
    """The bindings ``node``'s own classes declare (recon-tui's, subclass first), not Textual's."""
    found: list[Binding] = []
    for cls in type(node).__mro__:
        if cls.__module__.startswith("recon_tui"):
            found += [b for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and b.description]
    return found


def _works(node, binding: Binding) -> bool:
    """The screen's own Back and Close only where they can ever work (not on the start screen, not
    Close on a step); every other key is listed even while it waits for something (greyed in the
    footer)."""
    if binding.action in ("back", "close") and hasattr(node, "check_action"):
        return node.check_action(binding.action, ()) is not False
    return True


def key_rows(screen: Screen, title: str) -> list[KeyRow]:
    """The keys of ``screen``: its own, its fields', its lists' (the keys a list has, once), then
    those that work everywhere."""
    app = screen.app
    rows: list[KeyRow] = []
    seen: set[tuple[str, str]] = set()

    def add(where: str, bindings) -> None:
        for binding in bindings:
            key = binding.key_display or " / ".join(
                app.get_key_display(Binding(k.strip(), binding.action)) for k in binding.key.split(","))
            if (key, binding.description) not in seen:
                seen.add((key, binding.description))
                rows.append(KeyRow(where, key, binding.description))

    add(title, [b for b in our_bindings(screen) if _works(screen, b)])
    kinds: dict[type, object] = {}
    for widget in screen.query("*"):
        if widget.display and our_bindings(widget):
            kinds.setdefault(type(widget), widget)
    for widget in kinds.values():
        where = "Fields" if isinstance(widget, (Input, TextArea)) else "Lists" if isinstance(widget, ItemTable) \
            else title
        add(where, our_bindings(widget))
    if any(isinstance(w, (Input, TextArea)) for w in kinds.values()):
        rows.append(KeyRow("Fields", "tab / shift+tab", "Next / previous field or table"))
    add("Everywhere", our_bindings(app))
    rows.append(KeyRow("Everywhere", "^p", "Palette: steps, history, post, import, export, quit"))
    return rows


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below, in an item table (the list keys and ``/`` work in it too)."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "close", "Close", key_display="esc/q", id="close_help")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.title_text = (getattr(under, "STEP", "") or getattr(under, "SUB_TITLE", "")
                           or getattr(under, "TITLE_TEXT", "") or type(under).__name__)
        self.rows = key_rows(under, self.title_text)

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Label(f"Keys: {self.title_text}", classes="section-title")
            yield ItemTable(id="help-keys", show_header=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(ItemTable)
        where = max(len(r.where) for r in self.rows)
        key = min(16, max(len(r.key) for r in self.rows))
        # the dialog's width (app.tcss .dialog) less its border and padding, the scroll bar, the cells' padding
        inside = min(90, self.app.size.width * 9 // 10) - 4 - 2 - 6
        table.add_column("Where", width=where)
        table.add_column("Key", width=key)
        table.add_column("Does", width=max(20, inside - where - key))
        def render(row: KeyRow) -> tuple:
            return Text(row.where, style="bold"), Text(row.key), Text(row.does)
        table.show(self.rows, render)
        table.focus()

    def action_close(self) -> None:
        table = self.query_one(ItemTable)
        if table.filter_text:  # Esc clears a filter first (q too: nothing is typed here)
            table.action_clear_filter()
            return
        self.dismiss()
