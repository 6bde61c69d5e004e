"""Step 2: the period (previous, current]; checked as you type, so a bad period never gets further."""

from __future__ import annotations

from datetime import date, timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Input, Label, Static

from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.widgets.fields import DateField
from recon_tui.tui.wizard import check_dates


def default_previous(today: date) -> date:
    """The last day of the month before today's: a month-end close is the common case."""
    return today.replace(day=1) - timedelta(days=1)


class DatesScreen(StepScreen):
    STEP = "Dates"
    BINDINGS = [Binding("ctrl+n", "next", "Next", id="next", tooltip="Count the money for this period")]

    valid = var(False, bindings=True)  # the dates make a period: Ctrl+N goes on

    def compose(self) -> ComposeResult:
        wizard, today = self.app.wizard, self.app.today
        wizard.previous = wizard.previous or default_previous(today).isoformat()
        wizard.current = wizard.current or today.isoformat()
        yield from self.compose_header()
        with Vertical(id="dates", classes="step"):
            yield Static(f"Period to reconcile ({wizard.method} method). Today is {today}.", classes="title")
            with Horizontal(classes="date-row"):
                yield Label("Previous date (after)", classes="date-label")
                yield DateField(wizard.previous, placeholder="YYYY-MM-DD", id="previous", max_length=10)
            yield Static("", id="previous-error", classes="error", markup=False)
            with Horizontal(classes="date-row"):
                yield Label("Current date (through)", classes="date-label")
                yield DateField(wizard.current, placeholder="YYYY-MM-DD", id="current", max_length=10)
            yield Static("", id="current-error", classes="error", markup=False)
            yield Static("", id="period", classes="hint", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#current" if self.query_one("#previous").disabled else "#previous").focus()
        self.validate()
        self.load_last_finalized()

    def on_screen_resume(self) -> None:
        """Back from History (a record reopened there?): the previous date follows the record in force."""
        self.load_last_finalized()

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
        wizard = self.app.wizard
        wizard.previous = wizard.previous or default_previous(self.app.today).isoformat()
        field.value = wizard.previous
        field.disabled = False
        self.query_one("#previous-error", Static).update("")
        self.validate()

    def _lock_previous(self, previous: date, method: str | None = None) -> None:
        """DOMAIN §10: a later reconciliation starts exactly where the last finalized one ended."""
        field = self.query_one("#previous", DateField)
        if field.disabled and field.value == previous.isoformat():
            return  # already so (a screen resumed with nothing changed)
        field.value = previous.isoformat()
        self.app.wizard.previous = previous.isoformat()
        field.disabled = True
        said = "Starts where the last finalized reconciliation ended"
        if method is not None and method != self.app.wizard.method:
            said += f" (finalized as {method}: {self.app.wizard.method} here changes the method)"
        self.query_one("#previous-error", Static).update(said)
        self.query_one("#current").focus()
        self.validate()

    def validate(self) -> bool:
        wizard = self.app.wizard
        check = check_dates(wizard.previous, wizard.current, self.app.today)
        locked = self.query_one("#previous", DateField).disabled
        if locked and check.previous_error:  # the locked date is right: the current date is the one to fix
            check.current_error = check.current_error or (
                f"current date {wizard.current.strip()} must be after {wizard.previous}, where the last "
                "finalized reconciliation ended")
            check.previous_error = ""
        if not locked:
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
        setattr(self.app.wizard, event.input.id, event.value)
        self.validate()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.valid or None
        return super().check_action(action, parameters)

    def action_next(self) -> None:
        if not self.validate():
            wizard = self.app.wizard
            check = check_dates(wizard.previous, wizard.current, self.app.today)
            bad = self.query_one("#previous" if check.previous_error else "#current")
            if bad.disabled:
                bad = self.query_one("#current")
            if not bad.disabled:
                bad.focus()
            return
        self.post_message(self.Done(self))
