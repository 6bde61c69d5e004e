"""Step 2: the period (previous, current]; checked as you type, so a bad period never gets further.

The dates start at the period a bookkeeper closes next (DOMAIN §16): previous = where the last
finalized reconciliation ended (locked then, §10), current = the month after it when that month has
ended, else the latest month that has ended; never simply today. Enter on the previous date goes
to the current date; Enter on the current date, with a valid period, goes on to the count.
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from recon_tui.model import PeriodError, parse_date
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.widgets.fields import DateField
from recon_tui.tui.widgets.form import Form
from recon_tui.tui.wizard import Entered, check_dates, default_current


def _date_or_none(text: str) -> date | None:
    try:
        return parse_date(text.strip(), "date")
    except PeriodError:
        return None


class DatesScreen(Form, StepScreen):
    STEP = "Dates"
    BINDINGS = [Binding("ctrl+n", "next", "Next", id="next", tooltip="Count the money for this period")]

    valid = var(False, bindings=True)  # the dates make a period: Ctrl+N goes on

    def compose(self) -> ComposeResult:
        wizard, today = self.wizard, self.app.today
        previous = wizard.previous
        current = wizard.current or default_current(_date_or_none(previous), today).isoformat()
        if current != wizard.current:
            self.post_message(Entered(current=current))
        yield from self.compose_header()
        with Vertical(id="dates", classes="step"):
            yield Static(f"Period to reconcile ({wizard.method.name} method). Today is {today}.", classes="title")
            with Horizontal(classes="date-row"):
                yield Label("Previous date (after)", classes="date-label")
                yield DateField(previous, placeholder="YYYY-MM-DD", id="previous", max_length=10)
            yield Static("", id="previous-error", classes="error", markup=False)
            yield Static("", id="previous-note", classes="note", markup=False)
            with Horizontal(classes="date-row"):
                yield Label("Current date (through)", classes="date-label")
                yield DateField(current, placeholder="YYYY-MM-DD", id="current", max_length=10)
            yield Static("", id="current-error", classes="error", markup=False)
            yield Static("", id="period", classes="hint", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#previous-note").display = False
        self.query_one("#previous").focus()
        self.validate()
        self.load_last_finalized()

    def on_screen_resume(self) -> None:
        """Back from History (a record reopened there?): the previous date follows the record in force."""
        self.load_last_finalized()

    # -- the record in force -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="dates", exit_on_error=False)
    def load_last_finalized(self) -> None:
        last = self.app.service.last_finalized()
        if last is not None:
            self.app.call_from_thread(self._lock_previous, last.current, last.method)
        else:
            self.app.call_from_thread(self._unlock_previous)

    def _unlock_previous(self) -> None:
        """No record in force any more (the only one was reopened): the previous date is the user's again."""
        field = self.query_one("#previous", DateField)
        if not field.disabled:
            return
        field.disabled = False
        field.value = self.wizard.previous  # the date from the record is gone from the state too
        self.query_one("#previous-note").display = False
        field.focus()
        self.validate()

    def _lock_previous(self, previous: date, method: str | None = None) -> None:
        """DOMAIN §10: a later reconciliation starts exactly where the last finalized one ended."""
        field = self.query_one("#previous", DateField)
        if field.disabled and field.value == previous.isoformat():
            return  # already so (a screen resumed with nothing changed)
        field.value = previous.isoformat()
        field.disabled = True
        said = "Starts where the last finalized reconciliation ended."
        if method is not None and method != self.wizard.method.name:
            said += f" (Finalized as {method}: {self.wizard.method.name} here changes the method.)"
        note = self.query_one("#previous-note", Static)
        note.update(said)
        note.display = True
        self.query_one("#current").focus()
        self.validate()

    # -- the form -----------------------------------------------------------------------------------------

    def values(self) -> tuple[str, str]:
        return self.query_one("#previous", Input).value, self.query_one("#current", Input).value

    def validate(self) -> bool:
        check = check_dates(*self.values(), self.app.today)
        self.query_one("#previous-error", Static).update(check.previous_error)
        self.query_one("#current-error", Static).update(check.current_error)
        self.query_one("#previous").set_class(bool(check.previous_error), "-invalid")
        self.query_one("#current").set_class(bool(check.current_error), "-invalid")
        period = check.period
        if period:
            days = (period.current - period.previous).days
            text = (f"Period: after {period.previous} through {period.current} "
                    f"({days} day{'' if days == 1 else 's'}). Enter continues.")
        else:
            text = "Fix the dates to continue."
        self.query_one("#period", Static).update(text)
        self.valid = period is not None
        return self.valid

    def on_input_changed(self, event: Input.Changed) -> None:
        self.post_message(Entered(**{event.input.id: event.value}))
        self.validate()

    def form_fields(self) -> list[Widget]:
        return [self.query_one("#previous"), self.query_one("#current")]

    def field_problem(self, field: Widget) -> str:
        check = check_dates(*self.values(), self.app.today)
        return check.previous_error if field.id == "previous" else check.current_error

    def form_done(self) -> None:
        self.action_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.valid or None
        return super().check_action(action, parameters)

    def action_next(self) -> None:
        if not self.validate():
            bad = next((f for f in self.form_fields() if not f.disabled and self.field_problem(f)), None)
            if bad is not None:
                bad.focus()
            return
        self.post_message(self.Done(self))
