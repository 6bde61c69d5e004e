"""Finalized reconciliations: the list, one record read-only from its stored figures, reopening.

Every record in force is re-checked against the source records (in a worker): when records dated in
its period changed since it was finalized, the list says so and the record says which and by how much.
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label, Static

from recon_tui.reporting import drift_lines, record_text
from recon_tui.service import Drift, FinalizeError, StoredRecord
from recon_tui.service.errors import NotAllowed, RecordRefused, StoreError
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.screens.confirm import Confirm
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import money, number_header
from recon_tui.tui.widgets.items import ItemTable
from recon_tui.tui.widgets.fields import NoteField
from recon_tui.tui.widgets.status import StatusLine
from recon_tui.tui.wizard import InForce


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

    def row(self, r: StoredRecord) -> tuple:
        """A record's row, with what the latest re-check found (read when the row is drawn: a filter
        draws the rows again)."""
        return (f"#{r.number}", r.method, f"{r.previous_on} → {r.current_on}", self.status(r, self.drifts),
                money(r.qb_difference))

    def _show(self, records: list[StoredRecord], drifts: dict[int, Drift]) -> None:
        table = self.query_one("#history", ItemTable)
        if not table.columns:
            self.on_mount_columns(table)
        same = [(r.number, r.in_force) for r in records] == [(r.number, r.in_force) for r in self.records]
        self.records, self.drifts = records, drifts
        if same:
            for r in records:  # the same list, re-checked: only the status changes (no re-layout)
                if str(r.number) in table.rows:  # a filter may hide it
                    table.update_cell(str(r.number), "status", self.status(r, drifts))
        else:
            row = table.cursor_row
            table.show(records, self.row, key=lambda r: str(r.number))
            if records:
                table.move_cursor(row=min(row, len(records) - 1))
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

    @work(thread=True, exclusive=True, group="reopen", exit_on_error=False)
    def reopen(self, number: int, reason: str) -> None:
        """In a group of its own: the list is read again after it, by ``load``'s own worker."""
        try:
            self.app.service.reopen(number, reason)
            last = self.app.service.last_finalized()
        except (FinalizeError, NotAllowed, RecordRefused, StoreError) as exc:
            self.app.call_from_thread(self.query_one("#history-status", Static).update,
                                      f"Cannot reopen: {' '.join(str(exc).split())}")
            return
        self.app.call_from_thread(self._after_reopen, last.current_on if last else None)

    def _after_reopen(self, in_force: str | None) -> None:
        # the reconciliation being prepared now starts where the record in force ends (or is entered)
        self.post_message(InForce(in_force))
        self.load()
        self.check_chain()  # a reopening is a new link: the chain line counts it
        self.query_one("#history", ItemTable).focus()


class ReopenDialog(Confirm[str | None]):
    """Asks why; an empty reason is not accepted (DOMAIN §10). The reason is a multi-line field (a
    paste keeps every line) and shows whole as it will be kept. Answers with it, or None (Esc)."""

    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="cancel")]

    def __init__(self, record: StoredRecord, earlier: StoredRecord | None) -> None:
        follows = (f"the next reconciliation starts again after {earlier.current_on}" if earlier
                   else "no reconciliation is left in force, so the next one's previous date is entered again")
        super().__init__(Static(f"Reopen reconciliation #{record.number}?", classes="title"),
                         Static(f"It stays on file, marked reopened; {follows}.", markup=False),
                         Label("Reason (required, kept as typed; Ctrl+J: a new line), Enter to reopen, Esc to "
                               "cancel:"),
                         NoteField(placeholder="e.g. late refund found", id="reason"),
                         Static("", id="reason-error", classes="error", markup=False), footer=False)
        self.record, self.earlier = record, earlier

    def on_mount(self) -> None:
        self.query_one("#reason", NoteField).focus()

    def on_note_field_submitted(self, event: NoteField.Submitted) -> None:
        event.stop()
        reason = event.field.value.strip("\n")
        if not reason.strip():
            self.query_one("#reason-error", Static).update("A reason is required.")
            return
        self.dismiss(reason)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(None)  # only Esc answers with a key; the reason comes with Enter


class RecordLines(ItemTable):
    """The record as printed, a line per row: the list keys and ``/`` work in it as in every list."""

    def __init__(self, **kwargs) -> None:
        super().__init__(zebra_stripes=False, show_header=False, **kwargs)


class RecordScreen(ReconScreen):
    """One finalized record, read-only, as its printed report shows it (from its stored figures,
    never recomputed), then what changed in its period since it was finalized. The whole record is
    one list of lines: ↑↓ j/k, PgUp/PgDn, Home/End g/G, and ``/`` to find a line."""

    SUB_TITLE = "Finalized record"

    def __init__(self, record: StoredRecord, drift: Drift | None) -> None:
        super().__init__()
        self.record, self.drift = record, drift

    def compose(self) -> ComposeResult:
        r = self.record
        yield from self.compose_header()
        yield Breadcrumb(("History", f"#{r.number}"))
        state = "in force" if r.in_force else (f"REOPENED {r.reopened_at[:16].replace('T', ' ')} UTC by "
                                               f"{r.reopened_by}")
        yield Static(f"#{r.number} · {r.method.title()} method · after {r.previous_on} through {r.current_on}\n"
                     f"Finalized {r.finalized_at[:16].replace('T', ' ')} UTC by {r.finalized_by} · {state}",
                     id="record-context", markup=False)
        yield RecordLines(id="record")
        yield from self.compose_footer()

    def lines(self, width: int) -> list[str]:
        """The printed record's lines, a long one (a reason, a note) wrapped to ``width``: every word
        of a record shows."""
        text = record_text(self.record, self.app.service.studio_name).strip("\n").splitlines()[3:]
        while text and not text[0].strip():  # the header above says who, when and which period
            text.pop(0)
        if self.drift is not None:
            text += ["", "CHANGED SINCE IT WAS FINALIZED", *drift_lines(self.drift)]
        wrapped = []
        for line in text:
            indent = " " * (len(line) - len(line.lstrip()) + 2)
            wrapped += textwrap.wrap(line, width, subsequent_indent=indent, drop_whitespace=False) or [""]
        return [*wrapped, "", "— end of the record —"]

    def on_mount(self) -> None:
        table = self.query_one(RecordLines)
        width = max(20, self.app.size.width - 4)  # the cell's padding and the scroll bar
        table.add_column("Line", key="line", width=width) if not table.columns else None
        table.show(self.lines(width), lambda line: (Text(line, style="bold" if line.isupper() else ""),),
                   openable=lambda line: False)
        table.focus()
