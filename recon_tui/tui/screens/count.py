"""Step 3: count the money per bank method and explain any difference from the system's receipts.

The system figure is the method's net receipts in the period, refunds included (drill-down
section "count"). A non-zero difference needs a note before the review (DOMAIN §10).
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Input, Label, Static

from recon_tui.model import PAYMENT_LABELS
from recon_tui.service import CountLine
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.screens.drilldown import DrilldownScreen
from recon_tui.tui.widgets.cells import money
from recon_tui.tui.widgets.fields import CountField, Field
from recon_tui.tui.widgets.figures import Figure
from recon_tui.tui.widgets.status import StatusLine
from recon_tui.tui.wizard import CountCheck, check_count


class CountScreen(StepScreen):
    STEP = "Count"
    BINDINGS = [Binding("ctrl+n", "next", "Review", id="next", tooltip="Review the period's figures")]

    complete = var(False, bindings=True)  # every count entered, every difference explained

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, CountLine] = {}

    def compose(self) -> ComposeResult:
        wizard = self.app.wizard
        period = wizard.period(self.app.today)
        yield from self.compose_header()
        with Vertical(id="count", classes="step"):
            yield Static(f"Count the money received after {period.previous} through {period.current}. "
                         "Tab moves between fields.", classes="title", markup=False)
            with Horizontal(classes="count-row count-head"):
                for text, cls in (("Method", "c-method"), ("System", "c-money"), ("Counted", "c-input"),
                                  ("Difference", "c-money"), ("Note", "c-note")):
                    yield Label(text, classes=cls)
            for method, label in PAYMENT_LABELS.items():
                with Horizontal(classes="count-row", id=f"row-{method}"):
                    yield Label(label, classes="c-method")
                    yield Label("…", id=f"system-{method}", classes="c-money")
                    yield CountField(wizard.counted.get(method, ""), placeholder="0.00", compact=True,
                                     id=f"counted-{method}", classes="c-input")
                    yield Label("", id=f"diff-{method}", classes="c-money")
                    yield CountField(wizard.notes.get(method, ""), placeholder="note", compact=True,
                                id=f"note-{method}", classes="c-note")
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
        lines = self.app.service.count_lines(self.app.wizard.period(self.app.today))
        self.app.call_from_thread(self._show_system, lines)

    def _show_system(self, lines: tuple[CountLine, ...]) -> None:
        self.lines = {line.method: line for line in lines}
        for line in lines:
            self.query_one(f"#system-{line.method}", Label).update(money(line.system))
        self.query_one("#system-total", Label).update(money(sum(line.system for line in lines)))
        self.refresh_checks()

    def checks(self) -> dict[str, CountCheck]:
        wizard = self.app.wizard
        return {m: check_count(line.label, line.system, wizard.counted.get(m, ""), wizard.notes.get(m, ""))
                for m, line in self.lines.items()}

    def refresh_checks(self) -> None:
        checks = self.checks()
        for method, check in checks.items():
            diff = "" if check.difference is None else money(check.difference)
            self.query_one(f"#diff-{method}", Label).update(diff)
            counted_bad = check.counted is None and bool(self.app.wizard.counted.get(method, "").strip())
            self.query_one(f"#counted-{method}").set_class(counted_bad, "-invalid")
            note = self.query_one(f"#note-{method}", Field)
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
        problems = [c.problem for c in checks.values() if c.problem]
        self.query_one("#count-status", StatusLine).say(
            problems[0] + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else "") if problems
            else "Counts complete. Ctrl+N reviews the period.", "error" if problems else "ok")
        self.complete = bool(checks) and not problems

    def on_input_changed(self, event: Input.Changed) -> None:
        kind, method = event.input.id.split("-", 1)
        (self.app.wizard.counted if kind == "counted" else self.app.wizard.notes)[method] = event.value
        if self.lines:
            self.refresh_checks()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter on a method's row lists the payments behind its system figure."""
        event.stop()
        method = event.input.id.split("-", 1)[1]
        line = self.lines.get(method)
        if line is None:
            return
        figure = Figure("count", method, "amount", f"{line.label} received", line.system)
        self.app.push_screen(DrilldownScreen(("Count", figure.title), figure))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.complete or None
        return super().check_action(action, parameters)

    def action_next(self) -> None:
        if self.complete:
            self.post_message(self.Done(self))
