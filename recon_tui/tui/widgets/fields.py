"""Inputs whose Enter key says what it does in the footer (Input's own Enter binding is hidden),
and which take what people paste and type: a note keeps every line of a paste, a date field trims
a pasted date and says why it refuses a longer text, an amount field takes money as QuickBooks shows
it and shows it formatted once left."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, OptionList

from recon_tui.money import MoneyError, format_grouped, parse_typed_cents


class Field(Input):
    """An Input that follows the app's blink setting (snapshots need a steady cursor), and keeps
    every line of a paste, joined by a space (Input keeps only the first)."""

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)

    def pasted(self, text: str) -> str | None:
        """The text to insert for a paste, or None to refuse it (saying why)."""
        return " ".join(line.strip() for line in text.splitlines() if line.strip())

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # not Input's own handler: it keeps the first line only
        text = self.pasted(event.text)
        if text:
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)


class DateField(Field):
    BINDINGS = [Binding("enter", "submit", "Continue", id="continue")]

    def pasted(self, text: str) -> str | None:
        text = super().pasted(text)
        start, end = sorted(self.selection) if not self.selection.is_empty else (self.cursor_position,) * 2
        if self.max_length and len(self.value) - (end - start) + len(text) > self.max_length:
            shown = text if len(text) <= 30 else text[:29] + "…"
            self.app.notify(f"Not pasted: {shown!r} is not a date (YYYY-MM-DD, {self.max_length} characters).",
                            title="Date field", severity="warning")
            return None
        return text


class TypedAmount(Validator):
    """Empty, or money as people type it: keeps the field marked invalid (Input re-checks on blur)."""

    def validate(self, value: str) -> ValidationResult:
        try:
            if value.strip():
                parse_typed_cents(value)
        except MoneyError as exc:
            return self.failure(str(exc))
        return self.success()


class AmountField(Field):
    """Money as people type it (``$1,234.50``, ``(100.00)``); shown grouped once the field is left."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validators", [TypedAmount()])
        super().__init__(*args, **kwargs)

    def cents(self) -> int | None:
        try:
            return parse_typed_cents(self.value)
        except MoneyError:
            return None

    def _on_blur(self, event: events.Blur) -> None:
        cents = self.cents() if self.value.strip() else None
        if cents is not None and self.value != format_grouped(cents):
            self.value = format_grouped(cents)


class CountField(AmountField):
    BINDINGS = [Binding("enter", "submit", "Next", id="next-field", tooltip="The next field (Tab does too)")]


class NoteField(Field):
    BINDINGS = [Binding("enter", "submit", "Next", id="next-field", tooltip="The next field (Tab does too)")]


class MethodList(OptionList):
    """Arrows choose the accounting method; Enter continues."""

    BINDINGS = [Binding("enter", "select", "Continue", id="continue")]
