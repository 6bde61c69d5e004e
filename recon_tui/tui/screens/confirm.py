"""The one dialog that asks before something that cannot be undone, or that loses entries.

The body says what will happen (each use composes its own lines); y answers yes, n and Esc no.
Each question is a subclass that only names its keys (BINDINGS), so the footer and the help say
"Post", "Quit" or "Finalize" rather than "Yes"; a question that wants words (the reason to reopen)
answers with them instead.
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static

from recon_tui.tui.widgets.footer import Footer

Answer = TypeVar("Answer")


def asking(title: str, text: str, note: str, keys: str, *, note_class: str = "hint") -> tuple[Static, ...]:
    """The usual body: the question in bold, what will happen, what cannot be undone, the keys."""
    return (Static(title, classes="title", markup=False), Static(text, markup=False),
            Static(note, classes=note_class, markup=False), Static(keys, classes="hint keys", markup=False))


class Confirm(ModalScreen[Answer]):
    """Dismissed with True (yes) or False (no); subclasses bind keys to ``answer(True)`` and ``answer(False)``.
    ``q`` closes it as Esc does (DOMAIN §16), unless a text field has the focus."""

    def __init__(self, *body: Widget, footer: bool = True) -> None:
        super().__init__()
        self._body, self._with_footer = body, footer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield from self._body
        if self._with_footer:
            yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ConfirmQuit(Confirm[bool]):
    """Quitting in the middle of a reconciliation loses the entries: ask first (every way out asks
    with these words: the app's ``action_quit``)."""

    TITLE_TEXT = "Quit?"
    BINDINGS = [
        Binding("y", "answer(True)", "Quit", id="confirm_quit"),
        Binding("n,escape,q", "answer(False)", "Stay", key_display="n/esc", id="stay"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(Label(question, markup=False), Label("Quit anyway? [b]y[/b] quit · [b]n[/b] stay"))
