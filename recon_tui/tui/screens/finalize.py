"""Step 6: finalize — notes, a confirmation that says what will be locked, then the record (DOMAIN §10).

The record is written in one transaction by a worker; the screen then shows its number and the
path of the printed report saved beside the database.
"""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from recon_tui.model import PAYMENT_LABELS
from recon_tui.money import format_grouped, parse_cents
from recon_tui.service import FinalizeError, FinalizeRequest, Reconciliation
from recon_tui.service.errors import NotAllowed, RecordRefused, StoreError
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.screens.confirm import Confirm, asking
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.fields import NoteField
from recon_tui.tui.widgets.form import Form
from recon_tui.tui.widgets.status import StatusLine
from recon_tui.tui.wizard import Entered, WizardState


def build_request(wizard: WizardState, rec: Reconciliation) -> FinalizeRequest:
    """The wizard's entries as a request (the earlier steps only let valid entries through)."""
    return FinalizeRequest(
        method=wizard.method.name, period=rec.period,
        counted={m: parse_cents(text) for m, text in wizard.counted.items() if text.strip()},
        count_notes={m: note for m, note in wizard.notes.items() if note.strip()},
        qb_balance=parse_cents(wizard.qb_balance), qb_note=wizard.qb_note, notes=wizard.final_notes,
        diagnosis=dict(wizard.diagnosis) if wizard.diagnosis is not None else None)


def locked_text(request: FinalizeRequest, rec: Reconciliation, number: int | None = None) -> str:
    t = rec.tie_out
    difference = t.studio_figure - request.qb_balance
    which = f"Reconciliation #{number}" if number else "This reconciliation"
    return "\n".join([
        f"{which} ({request.method}), after {request.period.previous} through {request.period.current}",
        f"Income {format_grouped(rec.summary.income_total)} · Expenses {format_grouped(rec.summary.expense_total)}"
        f" · Payments {format_grouped(rec.summary.payments_subtotal)}",
        f"{t.gl_account}: studio {format_grouped(t.studio_figure)}, QuickBooks {format_grouped(request.qb_balance)}, "
        f"difference {format_grouped(difference)}",
        f"The next reconciliation will start after {request.period.current}.",
    ])


def notes_text(request: FinalizeRequest) -> str:
    """Every note the record will keep, whole, as it will be kept (DOMAIN §16)."""
    parts = [f"Count note, {PAYMENT_LABELS.get(m, m)}:\n{indented(note)}" for m, note in request.count_notes.items()]
    if request.qb_note.strip():
        parts.append(f"Tie-out note:\n{indented(request.qb_note)}")
    parts.append(f"Notes:\n{indented(request.notes)}" if request.notes.strip() else "Notes: (none)")
    return "\n".join(parts)


def indented(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.strip("\n").splitlines())


class ConfirmFinalize(Confirm[bool]):
    """Says exactly what will be locked; Enter/y finalizes, Esc/n does not."""

    BINDINGS = [Binding("y,enter", "answer(True)", "Finalize", id="yes"),
                Binding("n,escape,q", "answer(False)", "Cancel", key_display="n/esc", id="no")]

    def __init__(self, text: str, notes: str) -> None:
        title, what, note, keys = asking("Finalize and lock?", text,
                                         "Once finalized, the record and its figures, counts and notes can never "
                                         "be changed or deleted; only the latest can be reopened, with a reason.",
                                         "y / Enter: finalize    n / Esc: go back")
        kept = VerticalScroll(Static(notes, id="locked-notes", markup=False), id="locked-notes-box")
        super().__init__(title, what, kept, note, keys, footer=False)


class FinalizeScreen(Form, StepScreen):
    STEP = "Finalize"
    BINDINGS = [
        Binding("ctrl+f", "finalize", "Finalize…", id="finalize", tooltip="Lock this reconciliation"),
        Binding("ctrl+n", "new", "New reconciliation", id="new", tooltip="Start the next period"),
    ]

    done = var(False, bindings=True)  # finalized: only a new reconciliation is left to start

    def __init__(self, rec: Reconciliation) -> None:
        super().__init__()
        self.rec = rec
        self.refused: str | None = None  # why the user may not finalize (config ``access``), if not

    def compose(self) -> ComposeResult:
        wizard = self.wizard
        self.refused = self.app.service.may("finalize")
        yield from self.compose_header()
        yield Breadcrumb(("Review", "Tie-out", "Finalize"))
        with Vertical(id="finalize", classes="step"):
            yield Static("", id="final-summary", markup=False)
            yield Static("Notes kept with the record (Ctrl+J: a new line; Enter: finalize…):", classes="prompt")
            yield NoteField(wizard.final_notes, placeholder="e.g. April close; deposit slip 118 filed",
                            id="final-notes")
            yield StatusLine(self.refused or "Ctrl+F finalizes (after a confirmation).",
                             "error" if self.refused else "hint", id="final-status")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#final-summary", Static).update(self.summary_text())
        self.query_one("#final-notes", NoteField).focus()

    def request(self) -> FinalizeRequest:
        """The wizard's entries, with the notes as typed here (the state follows by message)."""
        return replace(build_request(self.wizard, self.rec), notes=self.query_one("#final-notes", NoteField).value)

    def summary_text(self) -> str:
        request = build_request(self.wizard, self.rec)
        counted = ", ".join(f"{PAYMENT_LABELS.get(m, m)} {format_grouped(c)}"
                            for m, c in request.counted.items()) or "nothing"
        noted = ", ".join(PAYMENT_LABELS.get(m, m) for m in request.count_notes)
        explained = f" (notes on {noted})" if request.count_notes else ""
        return f"{locked_text(request, self.rec)}\nCounted: {counted}{explained}"

    def on_text_area_changed(self, event: NoteField.Changed) -> None:
        self.post_message(Entered(final_notes=event.text_area.text))

    def form_fields(self) -> list[Widget]:
        return [self.query_one("#final-notes")]

    def form_done(self) -> None:
        self.action_finalize()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "finalize":
            return False if self.done else None if self.refused else True  # None: shown greyed
        if action == "new":
            return self.done
        if action == "back":
            return not self.done and super().check_action(action, parameters)
        return super().check_action(action, parameters)

    def action_finalize(self) -> None:
        if self.done:
            return
        if self.refused:  # Enter in the notes: say why instead
            self._status(self.refused, error=True)
            return
        self.prepare(self.request())

    @work(thread=True, exclusive=True, group="finalize", exit_on_error=False)
    def prepare(self, request: FinalizeRequest) -> None:
        problems = self.app.service.finalize_problems(request)
        number = max((r.number for r in self.app.service.history()), default=0) + 1
        self.app.call_from_thread(self._confirm, request, problems, number)

    def _confirm(self, request: FinalizeRequest, problems: list[str], number: int) -> None:
        if problems:
            self._status("Cannot finalize: " + "; ".join(problems), error=True)
            return
        self.app.push_screen(ConfirmFinalize(locked_text(request, self.rec, number), notes_text(request)),
                             lambda yes: self.write(request) if yes else None)

    @work(thread=True, exclusive=True, group="finalize", exit_on_error=False)
    def write(self, request: FinalizeRequest) -> None:
        try:
            record, printed = self.app.service.finalize(request)
        except FinalizeError as exc:
            self.app.call_from_thread(self._status, "Cannot finalize: " + "; ".join(exc.problems), True)
            return
        except (NotAllowed, RecordRefused, StoreError) as exc:  # access, a race lost, a busy database
            self.app.call_from_thread(self._status, f"Cannot finalize: {' '.join(str(exc).split())}", True)
            return
        self.app.call_from_thread(self._done, record.number, str(printed))

    def _status(self, text: str, error: bool = False) -> None:
        self.query_one("#final-status", StatusLine).say(text, "error" if error else "hint")

    def _done(self, number: int, printed: str) -> None:
        self.done = True
        self.post_message(Entered(started=False))  # nothing left to lose: quitting no longer asks
        self.query_one("#final-notes", NoteField).disabled = True
        self._status(f"Finalized reconciliation #{number}.\nPrinted report: {printed}")

    def action_new(self) -> None:
        self.post_message(self.Done(self))  # after the last step the app starts the next reconciliation
