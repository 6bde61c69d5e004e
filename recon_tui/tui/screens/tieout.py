"""Step 5: tie the studio figure out against the QuickBooks GL balance (DOMAIN §7).

The studio figure is computed both ways (from the two reports and from the balance sheet) and
shown side by side; the reports themselves open with F5 and F6 (letters go to the entries). A non-zero difference needs a
note before the reconciliation can be finalized.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from recon_tui.ledger import Reconciliation
from recon_tui.money import MoneyError, format_grouped, parse_cents
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.widgets.breadcrumb import Breadcrumb


def tie_out_lines(rec: Reconciliation) -> list[tuple[str, int]]:
    """The studio figure, computed from the reports, as the page shows it."""
    t = rec.tie_out
    if t.method == "accrual":
        return [("A/R Aging total", t.aging_total), ("less Deposit Reconciliation outstanding", -t.outstanding_total),
                ("Studio figure", t.studio_figure)]
    return [("Deposit Reconciliation deposits", t.deposits_total), ("Studio figure", t.studio_figure)]


def difference_text(studio_figure: int, balance_text: str, note: str) -> tuple[int | None, str]:
    """(difference, what to tell the user) for the QuickBooks balance typed so far."""
    text = balance_text.strip()
    if not text:
        return None, "Enter the QuickBooks GL balance of the account."
    try:
        balance = parse_cents(text)
    except MoneyError:
        return None, f"{text!r} is not an amount (e.g. 1234.56 or -12.00)."
    difference = studio_figure - balance
    if difference == 0:
        return 0, "Difference 0.00: the studio and QuickBooks agree."
    if not note.strip():
        return difference, f"Difference {format_grouped(difference)}: a note is required to finalize."
    return difference, f"Difference {format_grouped(difference)}: explained in the note."


class TieOutScreen(StepScreen):
    STEP = "Tie-out"
    SUB_TITLE = "Step 5 of 6 · Tie-out"
    BINDINGS = [
        Binding("f5", "aging", "A/R Aging", id="aging", tooltip="The A/R Aging report behind the figure"),
        Binding("f6", "deposits", "Deposit Rec.", id="deposits", tooltip="The Customer Deposit Reconciliation"),
        Binding("ctrl+n", "next", "Finalize", id="next", tooltip="Go on to finalize (needs a balance and, "
                "for a difference, a note)"),
    ]

    def compose(self) -> ComposeResult:
        wizard = self.app.wizard
        self.period = wizard.period(self.app.today)
        self.rec: Reconciliation | None = None
        yield from self.compose_header()
        yield Breadcrumb(("Review", "Tie-out"))
        with Vertical(id="tieout", classes="step"):
            yield Static(f"{wizard.method.title()} method · as of {self.period.current}", classes="title",
                         markup=False)
            yield Static("Computing the studio figure…", id="tie-figures", markup=False)
            with Horizontal(classes="tie-row"):
                yield Label("QuickBooks balance", classes="tie-label")
                yield Input(wizard.qb_balance, placeholder="0.00", id="qb-balance", compact=True)
            with Horizontal(classes="tie-row"):
                yield Label("Note", classes="tie-label")
                yield Input(wizard.qb_note, placeholder="why the two differ (required if they do)",
                            id="qb-note", compact=True)
            yield Static("", id="tie-status", classes="error", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#qb-balance", Input).focus()
        self.load()

    @work(thread=True, exclusive=True, group="tieout")
    def load(self) -> None:
        rec = self.app.service.reconcile(self.period, self.app.wizard.method)
        self.app.call_from_thread(self._show, rec)

    def _show(self, rec: Reconciliation) -> None:
        self.rec = rec
        width = max(len(label) for label, _ in tie_out_lines(rec)) + 2
        lines = [f"Must equal the QuickBooks GL balance of {rec.tie_out.gl_account}:"]
        lines += [f"  {label:<{width}}{format_grouped(amount):>14}" for label, amount in tie_out_lines(rec)]
        sheet = "Accounts Receivable" if rec.method == "accrual" else "Deposits"
        lines.append(f"  {'Balance Sheet ' + sheet + ' (Current)':<{width}}"
                     f"{format_grouped(rec.tie_out.balance_sheet_figure):>14}  both ways agree")
        self.query_one("#tie-figures", Static).update("\n".join(lines))
        self._update()

    def on_input_changed(self, event: Input.Changed) -> None:
        wizard = self.app.wizard
        if event.input.id == "qb-balance":
            wizard.qb_balance = event.value
        elif event.input.id == "qb-note":
            wizard.qb_note = event.value
        self._update()

    def _update(self) -> None:
        if self.rec is None:
            return
        difference, message = difference_text(self.rec.tie_out.studio_figure, self.app.wizard.qb_balance,
                                              self.app.wizard.qb_note)
        status = self.query_one("#tie-status", Static)
        status.update(message)
        status.set_class(self.ready, "ok")
        self.refresh_bindings()

    @property
    def ready(self) -> bool:
        if self.rec is None:
            return False
        difference, _ = difference_text(self.rec.tie_out.studio_figure, self.app.wizard.qb_balance,
                                        self.app.wizard.qb_note)
        return difference == 0 or (difference is not None and bool(self.app.wizard.qb_note.strip()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return self.ready
        if action in ("aging", "deposits"):
            return self.rec is not None
        return super().check_action(action, parameters)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "qb-balance":
            self.query_one("#qb-note", Input).focus()
        elif self.ready:
            self.action_next()

    def action_aging(self) -> None:
        from recon_tui.tui.screens.reports import AgingScreen

        self.app.push_screen(AgingScreen(("Review", "Tie-out", "A/R Aging"), self.period.current))

    def action_deposits(self) -> None:
        from recon_tui.tui.screens.reports import DepositsScreen

        self.app.push_screen(DepositsScreen(("Review", "Tie-out", "Deposit Reconciliation"), self.period.current))

    def action_next(self) -> None:
        from recon_tui.tui.screens.finalize import FinalizeScreen

        if self.ready:
            self.app.push_screen(FinalizeScreen(self.rec))
