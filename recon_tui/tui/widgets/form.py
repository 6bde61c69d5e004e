"""The keys every form has (DOMAIN §16), written once; each screen with fields mixes it in.

- **Enter** in a field moves to the next field the user has to fill: every field the form always
  asks for (a date, an amount), an optional one only when it is needed now (a note for a
  difference) or holds a value the user has not looked at yet (an entry from an earlier visit). A
  field with an error of its own keeps the focus (its error shows under it). After the last, Enter
  does the form's action (``form_done``: the next step), or goes back to a field still wrong.
- A field may have an action of its own for Enter (``field_action``: the folder field runs the dry
  run, a QuickBooks file runs the diagnosis).
- Esc goes back (the screen's binding); the wizard state keeps what was typed.

A screen names its fields in order (``form_fields``), which are optional (``optional``), which
must be filled now (``must_fill``) and whether a field's text is wrong in itself
(``field_problem``); the rest is here.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget
from textual.widgets import Input

from recon_tui.tui.widgets.fields import NoteField


class Form:
    """Mixin for a Screen: Enter through its fields, as DOMAIN §16 says."""

    def form_fields(self) -> list[Widget]:
        """The fields, in the order Enter walks them (disabled ones are skipped)."""
        raise NotImplementedError

    def optional(self, field: Widget) -> bool:
        """Whether ``field`` may stay empty (Enter passes it by unless ``must_fill`` says otherwise)."""
        return False

    def must_fill(self, field: Widget) -> bool:
        """Whether ``field`` still has to be filled in (required and empty, or wrong)."""
        return bool(self.field_problem(field))

    def field_problem(self, field: Widget) -> str:
        """What is wrong with the text of ``field`` itself ("" : nothing)."""
        return ""

    def field_action(self, field: Widget) -> Callable[[], None] | None:
        """What Enter does in ``field`` instead of moving on (None: move on)."""
        return None

    def form_done(self) -> None:
        """Enter with nothing left to fill: the form's action."""

    # -- the walk -----------------------------------------------------------------------------------

    @property
    def _seen(self) -> set[str]:
        seen = self.__dict__.get("_form_seen")
        if seen is None:
            seen = self.__dict__["_form_seen"] = set()
        return seen

    def seen(self, field: Widget) -> bool:
        return field.id in self._seen

    def mark_seen(self, field: Widget) -> None:
        if field.id:
            self._seen.add(field.id)

    def on_descendant_focus(self, event) -> None:
        """The field's row is marked ``-current`` (its label drawn reverse-bold: plain to see
        without colour)."""
        fields = self.form_fields()
        for row in {field.parent for field in fields if field.parent is not None}:
            row.set_class(row is event.widget.parent, "-current")
        if event.widget in fields:
            self.mark_seen(event.widget)

    def _waiting(self, field: Widget) -> bool:
        """``field`` asks for the user: always, to be filled now, or for a value not looked at yet."""
        return (not self.optional(field) or self.must_fill(field)
                or (bool(getattr(field, "value", "").strip()) and not self.seen(field)))

    def next_field(self, after: Widget) -> Widget | None:
        fields = [f for f in self.form_fields() if not f.disabled]
        if after in fields:
            later = fields[fields.index(after) + 1:]
            earlier = fields[:fields.index(after)]
        else:
            later, earlier = fields, []
        found = next((f for f in later if self._waiting(f)), None)
        if found is None:  # nothing after: one left empty or wrong before it
            found = next((f for f in earlier if self.must_fill(f)), None)
        return found

    def submit_field(self, field: Widget) -> None:
        """Enter in ``field``."""
        self.mark_seen(field)
        action = self.field_action(field)
        if action is not None:
            action()
            return
        if self.field_problem(field):
            field.focus()  # its own error shows under it: stay
            return
        following = self.next_field(field)
        if following is not None:
            following.focus()
        else:
            self.form_done()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit_field(event.input)

    def on_note_field_submitted(self, event: NoteField.Submitted) -> None:
        event.stop()
        self.submit_field(event.field)
