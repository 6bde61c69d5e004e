"""Step 3: count the money per bank method and explain any difference from the system's receipts.

The system figure is the method's net receipts in the period, refunds included (drill-down
section "count"), so it differs from the Review's Payments Received, which lists refunds apart; a
hint line says so. A non-zero difference needs a note before the review (DOMAIN §10). A period
without any payment has nothing to count: its empty fields count as 0.00.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from recon_tui.model import PAYMENT_LABELS
from recon_tui.money import MoneyError, format_cents, format_grouped, parse_typed_cents
from recon_tui.service import CountLine
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.screens.drilldown import DrilldownScreen
from recon_tui.tui.widgets.cells import money
from recon_tui.tui.widgets.fields import AmountField, NoteField, amount_problem
from recon_tui.tui.widgets.figures import Figure
from recon_tui.tui.widgets.form import Form
from recon_tui.tui.widgets.status import StatusLine
from recon_tui.tui.wizard import CountCheck, Entered, check_count


class CountField(AmountField):
    """A bank method's counted amount (Enter named in the footer: the count's keys leave room)."""

    BINDINGS = [Binding("enter", "submit", "Next", id="next-field", tooltip="The next field, or the review")]


class CountScreen(Form, StepScreen):
    STEP = "Count"
    BINDINGS = [
        Binding("f4", "payments", "Payments", id="payments", tooltip="List the payments behind the method's "
                "System figure"),
        Binding("ctrl+n", "next", "Review", id="next", tooltip="Review the period's figures"),
    ]

    complete = var(False, bindings=True)  # every count entered, every difference explained

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, CountLine] = {}

    def compose(self) -> ComposeResult:
        wizard = self.wizard
        period = wizard.period(self.app.today)
        yield from self.compose_header()
        with Vertical(id="count", classes="step"):
            yield Static(f"Count the money received after {period.previous} through {period.current}.",
                         classes="title", markup=False)
            yield Static("System = receipts less refunds (Review lists refunds apart). F4: payments. "
                         "Ctrl+J: a new line in a note.",
                         id="count-hint", classes="hint", markup=False)
            with Horizontal(classes="count-row count-head"):
                for text, cls in (("Method", "c-method"), ("System", "c-money"), ("Counted", "c-input"),
                                  ("Difference", "c-money"), ("Note", "c-note")):
                    yield Label(text, classes=cls)
            for method, label in PAYMENT_LABELS.items():
                with Horizontal(classes="count-row", id=f"row-{method}"):
                    yield Label(label, classes="c-method")
                    yield Label("…", id=f"system-{method}", classes="c-money")
                    yield CountField(shown_amount(wizard.counted.get(method, "")), placeholder="amount",
                                     compact=True, id=f"counted-{method}", classes="c-input")
                    yield Label("", id=f"diff-{method}", classes="c-money")
                    yield NoteField(wizard.notes.get(method, ""), placeholder="note", id=f"note-{method}",
                                    classes="c-note")
            with Horizontal(classes="count-row count-total"):
                yield Label("Total", classes="c-method")
                yield Label("", id="system-total", classes="c-money")
                yield Label("", id="counted-total", classes="c-input")
                yield Label("", id="diff-total", classes="c-money")
            yield StatusLine(id="count-status", tone="error")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#counted-cash").focus()
        self.load_system_figures()

    @work(thread=True, exclusive=True, group="count", exit_on_error=False)
    def load_system_figures(self) -> None:
        lines = self.app.service.count_lines(self.wizard.period(self.app.today))
        self.app.call_from_thread(self._show_system, lines)

    def _show_system(self, lines: tuple[CountLine, ...]) -> None:
        self.lines = {line.method: line for line in lines}
        for line in lines:
            self.query_one(f"#system-{line.method}", Label).update(money(line.system))
        self.query_one("#system-total", Label).update(money(sum(line.system for line in lines)))
        self.refresh_checks()

    # -- what is typed ------------------------------------------------------------------------------------

    def typed(self, method: str) -> str:
        return self.query_one(f"#counted-{method}", CountField).value

    def note(self, method: str) -> str:
        return self.query_one(f"#note-{method}", NoteField).value

    @property
    def nothing_to_count(self) -> bool:
        """No payment of any bank method in the period: the empty fields count as 0.00."""
        return bool(self.lines) and not any(line.system for line in self.lines.values())

    def counted_text(self, method: str) -> str:
        text = self.typed(method)
        return "0" if not text.strip() and self.nothing_to_count else text

    def checks(self) -> dict[str, CountCheck]:
        return {m: check_count(line.label, line.system, self.counted_text(m), self.note(m))
                for m, line in self.lines.items()}

    def refresh_checks(self) -> None:
        checks = self.checks()
        for method, check in checks.items():
            diff = "" if check.difference is None else money(check.difference)
            self.query_one(f"#diff-{method}", Label).update(diff)
            counted_bad = bool(amount_problem(self.typed(method)))
            self.query_one(f"#counted-{method}").set_class(counted_bad, "-invalid")
            note = self.query_one(f"#note-{method}", NoteField)
            note.placeholder = "note (required)" if check.difference else "note"
            note.set_class(bool(check.difference) and not note.value.strip(), "-invalid")
        counted = [c.counted for c in checks.values()]
        if checks and all(c is not None for c in counted):
            total = sum(counted)
            self.query_one("#counted-total", Label).update(money(total))
            system = sum(line.system for line in self.lines.values())
            self.query_one("#diff-total", Label).update(money(total - system))
        else:
            self.query_one("#counted-total", Label).update("")
            self.query_one("#diff-total", Label).update("")
        focused = self.focused_method()
        problems = [c.problem for m, c in sorted(checks.items(), key=lambda mc: mc[0] != focused) if c.problem]
        self.query_one("#count-status", StatusLine).say(
            problems[0] + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else "") if problems
            else "No payments in this period: nothing to count. Ctrl+N reviews the period."
            if self.nothing_to_count and not any(self.typed(m).strip() for m in checks)
            else "Counts complete. Enter or Ctrl+N reviews the period.", "error" if problems else "ok")
        self.complete = bool(checks) and not problems

    def on_input_changed(self, event: Input.Changed) -> None:
        method = event.input.id.split("-", 1)[1]
        # the later steps read the plain form (1234.50), whatever was typed
        self.post_message(Entered(counted={method: canonical_amount(event.value)}))
        if self.lines:
            self.refresh_checks()

    def on_text_area_changed(self, event: NoteField.Changed) -> None:
        method = event.text_area.id.split("-", 1)[1]
        self.post_message(Entered(notes={method: event.text_area.text}))
        if self.lines:
            self.refresh_checks()

    # -- the form -----------------------------------------------------------------------------------------

    def form_fields(self) -> list[Widget]:
        return [field for method in PAYMENT_LABELS for field in
                (self.query_one(f"#counted-{method}"), self.query_one(f"#note-{method}"))]

    def _check_of(self, field: Widget) -> CountCheck | None:
        return self.checks().get(field.id.split("-", 1)[1]) if self.lines else None

    def field_problem(self, field: Widget) -> str:
        if isinstance(field, CountField):
            return amount_problem(field.value)
        check = self._check_of(field)
        if check is not None and check.needs_note and not field.value.strip():
            return check.problem
        return ""

    def optional(self, field: Widget) -> bool:
        return isinstance(field, NoteField)  # needed only for a difference (must_fill says when)

    def must_fill(self, field: Widget) -> bool:
        check = self._check_of(field)
        if isinstance(field, CountField):
            return bool(self.field_problem(field)) or (check is not None and check.counted is None)
        return bool(self.field_problem(field))

    def form_done(self) -> None:
        if self.complete:
            self.action_next()

    def focused_method(self) -> str | None:
        focused = self.focused
        if focused is not None and focused.id and focused.id.split("-", 1)[0] in ("counted", "note"):
            return focused.id.split("-", 1)[1]
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.complete or None
        if action == "payments":
            return (bool(self.lines) and self.focused_method() is not None) or None
        return super().check_action(action, parameters)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # F4 lists the payments of the focused row's method
        if self.lines:
            self.refresh_checks()  # the focused row's problem first

    def action_payments(self) -> None:
        """The payments behind the focused row's system figure."""
        line = self.lines.get(self.focused_method() or "")
        if line is None:
            return
        figure = Figure("count", line.method, "amount", f"{line.label} received", line.system)
        self.app.push_screen(DrilldownScreen(("Count", figure.title), figure))

    def action_next(self) -> None:
        if not self.complete:
            return
        if self.nothing_to_count:  # what the empty fields counted as is what the record keeps
            empty = {m: "0.00" for m in self.lines if not self.typed(m).strip()}
            if empty:
                self.post_message(Entered(counted=empty))
        self.post_message(self.Done(self))


def canonical_amount(text: str) -> str:
    """``$1,234.50`` -> ``1234.50``: an amount typed as people do, in the plain form; other text as it is."""
    try:
        return format_cents(parse_typed_cents(text)) if text.strip() else text
    except MoneyError:
        return text


def shown_amount(text: str) -> str:
    """The plain form kept in the wizard, grouped as the field shows an amount once left."""
    try:
        return format_grouped(parse_typed_cents(text)) if text.strip() else text
    except MoneyError:
        return text
