"""Finalized reconciliations: the list, one record read-only from its stored figures, reopening.

Every record in force is re-checked against the source records (in a worker): when records dated in
its period changed since it was finalized, the list says so and the record says which and by how much.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from recon_tui.model import PAYMENT_LABELS
from recon_tui.money import format_grouped
from recon_tui.reporting import amount_words, diagnosis_table, drift_lines
from recon_tui.service import Drift, FinalizeError, StoredRecord, stored_summary
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.screens.confirm import Confirm
from recon_tui.tui.screens.review import fill_tables
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import money, number_header
from recon_tui.tui.widgets.figures import FigureTable
from recon_tui.tui.widgets.items import ItemTable
from recon_tui.tui.widgets.status import StatusLine


class HistoryScreen(ReconScreen):
    BINDINGS = [
        Binding("enter", "open", "Open", id="open", tooltip="The record as finalized (read-only)"),
        Binding("r", "reopen", "Reopen…", id="reopen", tooltip="Reopen the latest reconciliation, with a reason"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.records: list[StoredRecord] = []
        self.drifts: dict[int, Drift] = {}
        self.refused: str | None = None  # why the user may not reopen (config ``access``), if not

    def compose(self) -> ComposeResult:
        self.refused = self.app.service.may("reopen")
        yield from self.compose_header()
        yield Breadcrumb(("History",))
        table = ItemTable(id="history")
        table.loading = True
        yield table
        yield Static("", id="history-status", classes="hint", markup=False)
        yield StatusLine("Checking the hash chain…", "hint", id="history-chain")
        access = StatusLine(self.refused or "", "error", id="history-access")
        access.display = bool(self.refused)
        yield access
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#history", ItemTable).focus()
        self.load()
        self.check_chain()

    @work(thread=True, exclusive=True, group="chain", exit_on_error=False)
    def check_chain(self) -> None:
        """Beside the re-check, not after it: hashing ten years of posted entries takes a few seconds."""
        verdict = self.app.service.verify_chain()
        self.app.call_from_thread(self._chain, verdict)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        records = self.app.service.history()
        self.app.call_from_thread(self._show, records, {})
        if any(r.in_force for r in records):
            drifts = self.app.service.recheck()  # slower: re-reads each period's records
            self.app.call_from_thread(self._show, records, drifts)

    def _chain(self, verdict) -> None:
        """The hash chain's state (DOMAIN §10), as `recon-tui history --verify` says it."""
        if not self.is_attached:  # left before the check ended
            return
        text = (f"Hash chain intact: {verdict.counted} unchanged since written." if verdict.intact
                else f"Hash chain BROKEN: {verdict.problem}. Restore a backup, or ask who edited the database.")
        self.query_one("#history-chain", StatusLine).say(text, "ok" if verdict.intact else "error")

    def on_mount_columns(self, table: ItemTable) -> None:
        # fixed widths that fit 80 columns, so a status that grows (re-checked) never pushes the
        # QuickBooks difference off-screen; when it was finalized, and by whom, the record says
        for label, key, width in (("No.", "no", 4), ("Method", "method", 7), ("Period", "period", 23),
                                  ("Status", "status", 17)):
            table.add_column(label, key=key, width=width)
        table.add_column(number_header("QB difference"), key="qb", width=14)

    @staticmethod
    def status(record: StoredRecord, drifts: dict[int, Drift]) -> Text:
        text = "in force" if record.in_force else "reopened"
        if record.number in drifts:
            return Text(text + ", changed", style="bold")
        return Text(text)

    def _show(self, records: list[StoredRecord], drifts: dict[int, Drift]) -> None:
        table = self.query_one("#history", ItemTable)
        if not table.columns:
            self.on_mount_columns(table)
        if [r.number for r in records] == [r.number for r in self.records] and \
                [r.in_force for r in records] == [r.in_force for r in self.records]:
            for r in records:  # the same list, re-checked: only the status changes (no re-layout)
                table.update_cell(str(r.number), "status", self.status(r, drifts))
        else:
            row = table.cursor_row
            table.show(records, lambda r: (f"#{r.number}", r.method, f"{r.previous_on} → {r.current_on}",
                                           self.status(r, drifts), money(r.qb_difference)),
                       key=lambda r: str(r.number))
            if records:
                table.move_cursor(row=min(row, len(records) - 1))
        self.records, self.drifts = records, drifts
        table.loading = False
        changed = len(drifts)
        message = "No finalized reconciliation yet." if not records else (
            f"{changed} record{'s' if changed != 1 else ''} changed since finalized: its sources moved (Enter "
            "says which and by how much)." if drifts else
            "Every record in force still matches its source records." if any(r.in_force for r in records) else "")
        self.query_one("#history-status", Static).update(message)
        self.refresh_bindings()

    def selected(self) -> StoredRecord | None:
        return self.query_one("#history", ItemTable).highlighted_item()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return self.selected() is not None
        if action == "reopen":
            latest = next((r for r in reversed(self.records) if r.in_force), None)
            if latest is None or self.selected() is not latest:
                return False
            return None if self.refused else True  # None: shown greyed; #history-access says why
        return super().check_action(action, parameters)

    def action_open(self) -> None:
        self.query_one("#history", ItemTable).open_highlighted()

    def on_item_table_selected(self, message: ItemTable.Selected) -> None:
        record: StoredRecord = message.item
        self.app.push_screen(RecordScreen(record, self.drifts.get(record.number)))

    def action_reopen(self) -> None:
        record = self.selected()
        if record is not None and self.check_action("reopen", ()):
            earlier = next((r for r in reversed(self.records) if r.in_force and r.number < record.number), None)
            self.app.push_screen(ReopenDialog(record, earlier), self._reopened)

    def _reopened(self, reason: str | None) -> None:
        if reason:
            self.reopen(self.selected().number, reason)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def reopen(self, number: int, reason: str) -> None:
        try:
            self.app.service.reopen(number, reason)
            last = self.app.service.last_finalized()
        except FinalizeError as exc:
            self.app.call_from_thread(self.query_one("#history-status", Static).update, str(exc))
            return
        # the reconciliation being prepared now starts where the record in force ends (or is entered)
        self.app.call_from_thread(self.app.wizard.follow, last.current_on if last else None)
        self.app.call_from_thread(self.load)


class ReopenDialog(Confirm[str | None]):
    """Asks why; an empty reason is not accepted (DOMAIN §10). Answers with the reason, or None (Esc)."""

    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="cancel")]

    def __init__(self, record: StoredRecord, earlier: StoredRecord | None) -> None:
        follows = (f"the next reconciliation starts again after {earlier.current_on}" if earlier
                   else "no reconciliation is left in force, so the next one's previous date is entered again")
        super().__init__(Static(f"Reopen reconciliation #{record.number}?", classes="title"),
                         Static(f"It stays on file, marked reopened; {follows}.", markup=False),
                         Label("Reason (required), Enter to reopen, Esc to cancel:"),
                         Input(placeholder="e.g. late refund found", id="reason"),
                         Static("", id="reason-error", classes="error", markup=False), footer=False)
        self.record, self.earlier = record, earlier

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#reason-error", Static).update("A reason is required.")
            return
        self.dismiss(event.value.strip())

    def action_answer(self, answer: bool) -> None:
        self.dismiss(None)  # only Esc answers with a key; the reason comes with Enter


class RecordScreen(ReconScreen):
    """One finalized record, read-only: the review tables from the stored figures, counts, tie-out.

    The whole record scrolls as one page (arrows, PageUp/PageDown, Home/End, Ctrl+Home/Ctrl+End): its
    tables are read-only (no drill-down into today's records), so they never take the focus and keep
    the keys from the page."""

    BINDINGS = [
        Binding("pagedown", "scroll('page_down')", "Page down", id="record_page_down", key_display="pgdn",
                priority=True, tooltip="Read on: counts, tie-out, notes, the diagnosis"),
        Binding("pageup", "scroll('page_up')", "Page up", id="record_page_up", show=False, priority=True),
        Binding("end,ctrl+end", "scroll('end')", "End", id="record_end", key_display="end", priority=True,
                tooltip="The end of the record"),
        Binding("home,ctrl+home", "scroll('home')", "Top", id="record_home", show=False, priority=True),
    ]

    def __init__(self, record: StoredRecord, drift: Drift | None) -> None:
        super().__init__()
        self.record, self.drift = record, drift

    def compose(self) -> ComposeResult:
        r = self.record
        yield from self.compose_header()
        yield Breadcrumb(("History", f"#{r.number}"))
        state = "in force" if r.in_force else (f"REOPENED {r.reopened_at[:16].replace('T', ' ')} UTC by "
                                               f"{r.reopened_by}: {r.reopen_reason}")
        yield Static(f"#{r.number} · {r.method.title()} method · after {r.previous_on} through {r.current_on}\n"
                     f"Finalized {r.finalized_at[:16].replace('T', ' ')} UTC by {r.finalized_by} · {state}",
                     id="record-context", markup=False)
        with VerticalScroll(id="record"):
            for section, title in (("income", "Income Summary"), ("expenses", "Expense Summary"),
                                   ("payments", "Payments Received"), ("balance_sheet", "Balance Sheet")):
                yield Label(title, classes="section-title")
                table = FigureTable(title, id=f"table-{section}",
                                    cursor_type="cell" if section == "balance_sheet" else "row")
                table.can_focus = False
                table.show_cursor = False
                yield table
            yield Label("Money counted", classes="section-title")
            yield Static(self.counts_text(), id="record-counts", markup=False)
            yield Label("Tie-out", classes="section-title")
            yield Static(self.tie_text(), id="record-tie-out", markup=False)
            if r.diagnosis:
                yield Label("Why the difference (the diagnosis kept with the record)", classes="section-title")
                yield Static(diagnosis_table(r.diagnosis).split("\n", 1)[1], id="record-diagnosis", markup=False)
            if self.drift is not None:
                yield Label("Changed since it was finalized", classes="section-title")
                yield Static("\n".join(drift_lines(self.drift)), id="record-drift", classes="error", markup=False)
            yield Static("— end of the record —", id="record-end", classes="hint", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        for table in fill_tables(self, stored_summary(self.record)).values():
            table.figures.clear()  # read-only: the stored figures, no drill-down into today's records
            table.refresh_bindings()
        self.query_one("#record", VerticalScroll).focus()

    def action_scroll(self, where: str) -> None:
        page = self.query_one("#record", VerticalScroll)
        {"page_down": page.scroll_page_down, "page_up": page.scroll_page_up,
         "end": page.scroll_end, "home": page.scroll_home}[where](animate=False)

    def counts_text(self) -> str:
        lines = []
        for c in self.record.counts:
            note = f"  ({c['note']})" if c["note"] else ""
            lines.append(f"{PAYMENT_LABELS[c['method']]:<13}{format_grouped(c['system']):>14}"
                         f"{format_grouped(c['counted']):>14}{format_grouped(c['difference']):>12}{note}")
        return f"{'':<13}{'System':>14}{'Counted':>14}{'Difference':>12}\n" + "\n".join(lines)

    def tie_text(self) -> str:
        r, f = self.record, self.record.figures
        lines = [f"Studio figure ({f['tie_out']['gl_account']}): {amount_words(f['tie_out']['studio_figure'])}",
                 f"QuickBooks balance: {format_grouped(r.qb_balance)} · difference {format_grouped(r.qb_difference)}"]
        if r.qb_note:
            lines.append(f"Note: {r.qb_note}")
        if r.notes:
            lines.append(f"Notes: {r.notes}")
        return "\n".join(lines)
