"""The line under a form that says where things stand, in words: a hint, a problem, or that all is well.

The words carry the meaning (NO_COLOR draws every tone the same grey); the tone only colours them.
"""

from __future__ import annotations

from typing import Literal

from textual.widgets import Static

Tone = Literal["hint", "ok", "error"]


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: auto; min-height: 1; color: $text-muted; }
    StatusLine.-ok { color: $text-success; }
    StatusLine.-error { color: $text-error; }
    """

    def __init__(self, text: str = "", tone: Tone = "hint", **kwargs) -> None:
        super().__init__(text, markup=False, **kwargs)
        self.set_class(tone == "ok", "-ok")
        self.set_class(tone == "error", "-error")

    def say(self, text: str, tone: Tone = "hint") -> None:
        self.update(text)
        self.set_class(tone == "ok", "-ok")
        self.set_class(tone == "error", "-error")
