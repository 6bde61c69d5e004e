"""Step 5: tie the studio figure out against the QuickBooks GL balance (DOMAIN §7).

The studio figure is computed both ways (from the two reports and from the balance sheet) and
shown side by side; the reports themselves open with F5 and F6 (letters go to the entries). A non-zero difference needs a
note before the reconciliation can be finalized.

F7 diagnoses a difference (DOMAIN §9) from the balance typed, or from QuickBooks' Trial Balance and
transaction detail saved as CSV; the last diagnosis is kept in the wizard and stored with the
finalized record, until the balance typed changes. F8 opens the posting screen.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input, Label, Static
from textual.worker import get_current_worker

from recon_tui.model import Method, PostingError
from recon_tui.money import MoneyError, format_cents, format_grouped, parse_typed_cents
from recon_tui.service import Diagnosis, QBFigures, Reconciliation
from recon_tui.service.errors import IIFError, QBFileError, QBReportError, StoreError
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.screens.diagnosis import DiagnosisScreen
from recon_tui.tui.screens.post import PostScreen
from recon_tui.tui.screens.reports import AgingScreen, DepositsScreen
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.fields import AmountField, Field, NoteField, amount_problem
from recon_tui.tui.widgets.footer import Footer
from recon_tui.tui.widgets.form import Form
from recon_tui.tui.widgets.status import StatusLine
from recon_tui.tui.wizard import Entered


def tie_out_lines(rec: Reconciliation) -> list[tuple[str, int]]:
    """The studio figure, computed from the reports, as the page shows it."""
    t = rec.tie_out
    if Method.of(t.method).accrues:
        return [("A/R Aging total", t.aging_total), ("less Deposit Reconciliation outstanding", -t.outstanding_total),
                ("Studio figure", t.studio_figure)]
    return [("Deposit Reconciliation deposits", t.deposits_total), ("Studio figure", t.studio_figure)]


def typed_balance(balance_text: str) -> int | None:
    """The QuickBooks balance typed (as QuickBooks shows it: ``$1,234.50``, ``(12.00)``), or None."""
    try:
        return parse_typed_cents(balance_text) if balance_text.strip() else None
    except MoneyError:
        return None


def difference_text(studio_figure: int, balance_text: str, note: str) -> tuple[int | None, str]:
    """(difference, what to tell the user) for the QuickBooks balance typed so far."""
    text = balance_text.strip()
    if not text:
        return None, "Enter the QuickBooks GL balance of the account."
    try:
        balance = parse_typed_cents(text)
    except MoneyError as exc:
        return None, f"{exc}."
    difference = studio_figure - balance
    if difference == 0:
        return 0, "Difference 0.00: the studio and QuickBooks agree."
    said = f"Difference {format_grouped(difference)}"
    if balance == -studio_figure:  # QuickBooks shows a credit balance with the other sign, or a typo
        said += " is twice the studio figure: is the QuickBooks balance's sign flipped?"
        return difference, said + (" A note is required to finalize." if not note.strip() else " Explained in the note.")
    if not note.strip():
        return difference, f"{said}: a note is required to finalize."
    return difference, f"{said}: explained in the note."


class TieOutScreen(Form, StepScreen):
    STEP = "Tie-out"
    BINDINGS = [
        # short words: the footer must fit 80 columns with every key of the screen
        Binding("f5", "aging", "Aging", id="aging", tooltip="The A/R Aging report behind the figure"),
        Binding("f6", "deposits", "Deposits", id="deposits", tooltip="The Customer Deposit Reconciliation"),
        Binding("f7", "diagnose", "Diagnose", id="diagnose", tooltip="Why the studio and QuickBooks differ, "
                "to the cent"),
        Binding("f8", "post", "Post", id="post", tooltip="Post events to QuickBooks as an IIF batch"),
        Binding("ctrl+n", "next", "Finalize", id="next", tooltip="Go on to finalize (needs a balance and, "
                "for a difference, a note)"),
    ]

    rec: var[Reconciliation | None] = var(None, bindings=True)  # the studio figure, once computed
    ready = var(False, bindings=True)  # a balance, and a note for a difference: Ctrl+N finalizes

    def compose(self) -> ComposeResult:
        wizard = self.wizard
        self.period = wizard.period(self.app.today)
        self.kept = wizard.diagnosis  # the diagnosis shown as kept for the record
        yield from self.compose_header()
        yield Breadcrumb(("Review", "Tie-out"))
        with Vertical(id="tieout", classes="step"):
            yield Static(f"{wizard.method.title} method · as of {self.period.current}", classes="title",
                         markup=False)
            yield Static("Computing the studio figure…", id="tie-figures", markup=False)
            with Horizontal(classes="tie-row"):
                yield Label("QuickBooks balance", classes="tie-label")
                yield AmountField(shown_balance(wizard.qb_balance), placeholder="amount",
                                  id="qb-balance", compact=True, min_width=16)
            with Horizontal(classes="tie-row"):
                yield Label("Note", classes="tie-label")
                yield NoteField(wizard.qb_note, placeholder="why the two differ (required if they do)",
                                id="qb-note")
            yield Static("Optional, for F7 Diagnose: QuickBooks reports saved as CSV", id="tie-files-title",
                         markup=False)
            with Horizontal(classes="tie-row tie-file-row"):
                yield Label("Trial Balance", classes="tie-label")
                yield Field(wizard.qb_trial_balance, placeholder=f"Trial Balance report as of {self.period.current}",
                            id="qb-trial-balance", compact=True)
            with Horizontal(classes="tie-row"):
                yield Label("Transaction detail", classes="tie-label")
                yield Field(wizard.qb_detail, placeholder=f"Transaction Detail by Account through "
                            f"{self.period.current}", id="qb-detail", compact=True)
            yield StatusLine(id="tie-status", tone="error")
            yield StatusLine(id="diag-status", tone="error")
        yield from self.compose_footer()

    def compose_footer(self):
        yield Footer(compact=True)  # six keys of its own: the usual spacing would cut Help off at 80 columns

    def on_mount(self) -> None:
        self.query_one("#qb-balance", Input).focus()
        self._show_kept()
        self.load()

    def on_screen_resume(self) -> None:
        self._show_kept()

    @work(thread=True, exclusive=True, group="tieout", exit_on_error=False)
    def load(self) -> None:
        rec = self.app.service.reconcile(self.period, self.wizard.method.name)
        self.app.call_from_thread(self._show, rec)

    def _show(self, rec: Reconciliation) -> None:
        self.rec = rec
        self._update()

    # -- what is typed ------------------------------------------------------------------------------------

    def balance_text(self) -> str:
        return self.query_one("#qb-balance", AmountField).value

    def note_text(self) -> str:
        return self.query_one("#qb-note", NoteField).value

    def _show_figures(self) -> None:
        """The studio figure both ways, the QuickBooks balance typed, and their difference in bold."""
        rec = self.rec
        sheet = f"Balance Sheet {Method.of(rec.method).sheet_label}"  # its Current column
        rows = [*tie_out_lines(rec), (sheet, rec.tie_out.balance_sheet_figure)]
        balance = typed_balance(self.balance_text())
        difference = None if balance is None else rec.tie_out.studio_figure - balance
        width = max(len(label) for label, _ in rows) + 2
        text = Text(f"Must equal the QuickBooks GL balance of {rec.tie_out.gl_account}:\n")
        for label, amount in rows:
            text.append(f"  {label:<{width}}{format_grouped(amount):>14}"
                        f"{'  both ways agree' if label == sheet else ''}\n")
        text.append(f"  {'Difference (studio − QuickBooks)':<{width}}"
                    f"{'—' if difference is None else format_grouped(difference):>14}",
                    style="bold" if difference else "")
        self.query_one("#tie-figures", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "qb-balance":  # the finalize step reads the plain form (1234.50)
            balance = typed_balance(event.value)
            self.post_message(Entered(qb_balance=event.value if balance is None else format_cents(balance)))
            self._say_if_stale(event.value)
        elif event.input.id == "qb-trial-balance":
            self.post_message(Entered(qb_trial_balance=event.value))
        elif event.input.id == "qb-detail":
            self.post_message(Entered(qb_detail=event.value))
        self._update()

    def on_text_area_changed(self, event: NoteField.Changed) -> None:
        self.post_message(Entered(qb_note=event.text_area.text))
        self._update()

    def _update(self) -> None:
        if self.rec is None:
            return
        self._show_figures()
        difference, message = difference_text(self.rec.tie_out.studio_figure, self.balance_text(), self.note_text())
        self.ready = difference == 0 or (difference is not None and bool(self.note_text().strip()))
        self.query_one("#tie-status", StatusLine).say(message, "ok" if self.ready else "error")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.ready or None
        if action in ("aging", "deposits", "diagnose"):
            return self.rec is not None or None
        return super().check_action(action, parameters)

    # -- the form: balance, then the note when they differ; a QuickBooks file's Enter diagnoses -----------

    def form_fields(self) -> list[Widget]:
        return [self.query_one("#qb-balance"), self.query_one("#qb-note")]

    def field_problem(self, field: Widget) -> str:
        if field.id == "qb-balance":
            return amount_problem(field.value)
        return ""

    def optional(self, field: Widget) -> bool:
        return field.id == "qb-note"  # needed only for a difference (must_fill says when)

    def must_fill(self, field: Widget) -> bool:
        if field.id == "qb-balance":
            return typed_balance(field.value) is None
        difference = None if self.rec is None else difference_text(
            self.rec.tie_out.studio_figure, self.balance_text(), "")[0]
        return bool(difference) and not field.value.strip()

    def field_action(self, field: Widget):
        if field.id in ("qb-trial-balance", "qb-detail"):
            return self.action_diagnose
        return None

    def form_done(self) -> None:
        self.action_next()

    def action_aging(self) -> None:
        self.app.push_screen(AgingScreen(("Review", "Tie-out", "A/R Aging"), self.period.current))

    def action_deposits(self) -> None:
        self.app.push_screen(DepositsScreen(("Review", "Tie-out", "Deposit Reconciliation"), self.period.current))

    def action_next(self) -> None:
        if self.ready:
            self.post_message(self.Done(self, (self.rec,)))  # the finalize step locks this reconciliation

    # -- the diagnosis (DOMAIN §9) ------------------------------------------------------------------

    def _diag_status(self, text: str, error: bool = False) -> None:
        self.query_one("#diag-status", StatusLine).say(text, "error" if error else "ok")

    def _show_kept(self) -> None:
        """The diagnosis kept in the reconciliation (the app drops it when the balance, the dates or
        the books change)."""
        kept = self.wizard.diagnosis
        if kept is not None and (kept["method"], kept["as_of"]) != (self.wizard.method.name,
                                                                   self.period.current.isoformat()):
            kept = None
        if kept is not None:
            self._diag_status(f"Diagnosed difference {kept['difference']}: kept for the record; F7 runs it again.")
        elif self.kept is not None:  # dropped while away: a batch was posted or records imported since
            self._diag_status("The books changed since the last diagnosis: F7 diagnoses again.")
        self.kept = kept

    def _say_if_stale(self, balance_text: str) -> None:
        """A diagnosis explains one QuickBooks balance; another balance typed makes it wrong."""
        kept = self.kept
        if kept is None:
            return
        try:
            same = parse_typed_cents(balance_text) == parse_typed_cents(kept["qb_balance"])
        except MoneyError:
            same = False
        if not same:
            self.kept = None
            self._diag_status("The QuickBooks balance changed: F7 diagnoses it again.")

    @staticmethod
    def _path(text: str) -> Path | None:
        text = text.strip()
        return Path(text).expanduser() if text else None

    def action_diagnose(self) -> None:
        if self.rec is None:
            return
        balance = None
        if self.balance_text().strip():
            try:
                balance = parse_typed_cents(self.balance_text())
            except MoneyError as exc:
                self._diag_status(f"Cannot diagnose: {exc}.", error=True)
                return
        trial_balance = self._path(self.query_one("#qb-trial-balance", Input).value)
        detail = self._path(self.query_one("#qb-detail", Input).value)
        if balance is None and trial_balance is None and detail is None:
            self._diag_status("Cannot diagnose: enter the QuickBooks balance, or give the Trial Balance or "
                              "the transaction detail.", error=True)
            return
        for path in (trial_balance, detail):
            if path is not None and not path.is_file():
                self._diag_status(f"Cannot diagnose: {path}: no such file.", error=True)
                return
        self._diag_status("Diagnosing…")
        self.diagnose(QBFigures(balance, trial_balance, detail), fill=balance is None)

    @work(thread=True, exclusive=True, group="diagnose", exit_on_error=False)
    def diagnose(self, qb: QBFigures, fill: bool) -> None:
        method = self.wizard.method.name
        try:
            diagnosis = self.app.service.diagnose(method, self.period.current, qb)
        except PostingError:  # the domain's message names a CLI option; say what to do here instead
            books = self.app.service.posting_method()
            self.app.call_from_thread(self._diag_status, f"Cannot diagnose with the {method} method: the books "
                                      f"post with the {books} method (since batch 1); choose {books.title()} at "
                                      "the start.", True)
            return
        except (QBReportError, QBFileError, IIFError, StoreError, OSError) as exc:  # a file, or the database
            message = " ".join(str(exc).split()) or type(exc).__name__
            self.app.call_from_thread(self._diag_status, f"Cannot diagnose: {message}", True)
            return
        if not get_current_worker().is_cancelled:  # F7 again meanwhile: the newer one shows
            self.app.call_from_thread(self._diagnosed, diagnosis, fill)

    def _diagnosed(self, diagnosis: Diagnosis, fill: bool) -> None:
        if fill:  # the balance came from the Trial Balance (or the detail): show it where it is typed
            self.query_one("#qb-balance", Input).value = format_grouped(diagnosis.qb_balance)
        kept = diagnosis.to_json()
        self.post_message(Entered(qb_balance=format_cents(diagnosis.qb_balance), diagnosis=kept))
        self.kept = kept
        self._diag_status(f"Diagnosed difference {kept['difference']}: kept for the record; F7 runs it again.")
        self._update()
        if self.is_current:  # not when the user went elsewhere meanwhile
            self.app.push_screen(DiagnosisScreen(diagnosis, ("Review", "Tie-out", "Diagnosis")))

    def action_post(self) -> None:
        self.app.push_screen(PostScreen(("Review", "Tie-out", "Post to QuickBooks")))


def shown_balance(text: str) -> str:
    """The plain form kept in the wizard, grouped as the field shows an amount once left."""
    balance = typed_balance(text)
    return text if balance is None else format_grouped(balance)
