"""Inputs whose Enter key says what it does in the footer (Input's own Enter binding is hidden)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input, OptionList


class Field(Input):
    """An Input that follows the app's blink setting (snapshots need a steady cursor)."""

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)


class DateField(Field):
    BINDINGS = [Binding("enter", "submit", "Continue", id="continue")]


class CountField(Field):
    BINDINGS = [Binding("enter", "submit", "Payments", id="payments", tooltip="List this method's payments")]


class MethodList(OptionList):
    """Arrows choose the accounting method; Enter continues."""

    BINDINGS = [Binding("enter", "select", "Continue", id="continue")]
