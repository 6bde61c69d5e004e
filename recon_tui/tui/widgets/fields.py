"""The fields of every form, taking what people paste and type (DOMAIN §16):

- a note (``NoteField``) is multi-line: a paste keeps every line, Ctrl+J starts a new one, and the
  whole text wraps in view (a note is locked in a record as typed, so all of it shows);
- a date field trims a pasted date and says why it refuses a longer text;
- an amount field takes money as QuickBooks shows it, widens to show the whole of what was typed
  (a figure never shows cut so that it reads as another), and shows it grouped once left.

Enter in any of them posts a "submitted" message that the screen's form (``widgets/form.py``) turns
into the next field or the step's action; their Enter bindings only name that in the footer.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, OptionList, TextArea

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
    BINDINGS = [Binding("enter", "submit", "Next", id="next-field", tooltip="The next field, or the next step")]

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


def amount_problem(text: str) -> str:
    """Why ``text`` is not an amount ("" : it is one, or it is empty)."""
    try:
        if text.strip():
            parse_typed_cents(text)
    except MoneyError as exc:
        return str(exc)
    return ""


class AmountField(Field):
    """Money as people type it (``$1,234.50``, ``(100.00)``, ``7,794.65-``); shown grouped once left.

    The field is as wide as its text needs (at least ``MIN_WIDTH``, at most ``MAX_WIDTH``), so what it
    shows is the whole figure; a longer text is no amount (its error says so) and shows its start."""

    MIN_WIDTH = 13
    MAX_WIDTH = 40
    # not in the footer (the tie-out's keys fill 80 columns); the help lists it
    BINDINGS = [Binding("enter", "submit", "Next", id="next-field", show=False,
                        tooltip="The next field, or the next step")]

    def __init__(self, *args, min_width: int | None = None, **kwargs) -> None:
        kwargs.setdefault("validators", [TypedAmount()])
        self.min_width = min_width or self.MIN_WIDTH  # first: Input's own __init__ sets the value
        super().__init__(*args, **kwargs)

    def on_mount(self) -> None:
        super().on_mount()
        self._fit()

    def cents(self) -> int | None:
        try:
            return parse_typed_cents(self.value)
        except MoneyError:
            return None

    @property
    def problem(self) -> str:
        return amount_problem(self.value)

    def _fit(self) -> None:
        self.styles.width = max(self.min_width, min(self.MAX_WIDTH, len(self.value) + 2))

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        self._fit()

    def _on_blur(self, event: events.Blur) -> None:
        cents = self.cents() if self.value.strip() else None
        if cents is not None and self.value != format_grouped(cents):
            self.value = format_grouped(cents)
        self.cursor_position = 0 if len(self.value) + 2 > self.MAX_WIDTH else len(self.value)


class NoteField(TextArea):
    """A note or a reason: every line kept (pasted or Ctrl+J), wrapped so the whole text shows.

    Enter does not start a line: it posts ``Submitted`` (the form moves on), as in every field."""

    DEFAULT_CSS = """
    NoteField { height: auto; min-height: 1; max-height: 4; border: none; padding: 0; }
    NoteField:focus { border: none; }
    """
    # not in the footer (the tie-out's keys fill 80 columns): the help, and the screens' words, say them
    BINDINGS = [Binding("enter", "submit", "Next", id="next-field", show=False,
                        tooltip="The next field, or the step's action"),
                Binding("ctrl+j", "newline", "New line in a note", key_display="^j", id="newline", show=False,
                        tooltip="Start a new line in the note")]

    @dataclass
    class Submitted(Message):
        field: NoteField

        @property
        def control(self) -> NoteField:
            return self.field

    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(value, soft_wrap=True, tab_behavior="focus", show_line_numbers=False, compact=True,
                         placeholder=placeholder, id=id, classes=classes, highlight_cursor_line=False)
        self.move_cursor(self.document.end)

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "blink", True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """TextArea's F6/F7 (select line/all) give way: F-keys belong to the screens (the tie-out's
        F6 Deposits, F7 Diagnose)."""
        if action in ("select_line", "select_all"):
            return False
        return super().check_action(action, parameters)

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        if text != self.text:
            self.load_text(text)
            self.move_cursor(self.document.end)

    async def _on_key(self, event: events.Key) -> None:
        """Before TextArea's own (Textual calls each class's handler in turn, unless prevented)."""
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_submit()

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self))

    def action_newline(self) -> None:
        if not self.read_only:
            start, end = self.selection
            self.replace("\n", start, end)

    async def _on_paste(self, event: events.Paste) -> None:
        """Every line of the paste, as pasted (line ends made \\n)."""
        event.stop()
        event.prevent_default()
        if self.read_only:
            return
        text = "\n".join(event.text.splitlines())
        if text:
            result = self.replace(text, *self.selection)
            self.move_cursor(result.end_location)


class MethodList(OptionList):
    """Arrows choose the accounting method; Enter continues."""

    BINDINGS = [Binding("enter", "select", "Continue", id="continue")]
