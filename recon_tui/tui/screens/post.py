"""Posting to QuickBooks (DOMAIN §8): the events not yet posted through a date, then a numbered batch.

A batch is written as an IIF file beside the database and is fixed once posted, so posting asks
first and says what it will write. Re-exporting a batch writes the same entries again; the old
ones must be deleted from QuickBooks first, or they count twice. For a studio that never posted,
the unposted list holds every event of its history: the count and total show at once and the
table mounts a page at a time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from recon_tui.ledger.entries import Entry
from recon_tui.ledger.period import PeriodError, parse_date
from recon_tui.money import format_grouped
from recon_tui.store.posting import Batch, batch_file
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.screens.diagnosis import PagedTable, cell, money
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.fields import Field
from recon_tui.tui.widgets.footer import Footer


def debits(entry: Entry) -> int:
    return sum(line.amount for line in entry.lines if line.amount > 0)


def check_through(text: str, today: date) -> tuple[date | None, str]:
    """As the dates step checks its dates: YYYY-MM-DD, not after today."""
    try:
        through = parse_date(text.strip(), "through date")
    except PeriodError as exc:
        return None, str(exc)
    if through > today:
        return None, f"{through} is after today ({today})"
    return through, ""


class Confirm(ModalScreen[bool]):
    """Says what will be written and what cannot be undone; y/Enter goes ahead, n/Esc does not."""

    def __init__(self, title: str, text: str, warning: str) -> None:
        super().__init__()
        self.title_text, self.text, self.warning = title, text, warning

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="title", markup=False)
            yield Static(self.text, markup=False)
            yield Static(self.warning, classes="warning", markup=False)
            yield Static(self.KEYS, classes="hint", markup=False)
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ConfirmPost(Confirm):
    BINDINGS = [Binding("y,enter", "answer(True)", "Post", id="yes"),
                Binding("n,escape", "answer(False)", "Cancel", id="no")]
    KEYS = "y / Enter: post    n / Esc: cancel"


class ConfirmReexport(Confirm):
    BINDINGS = [Binding("y,enter", "answer(True)", "Write again", id="yes"),
                Binding("n,escape", "answer(False)", "Cancel", id="no")]
    KEYS = "y / Enter: write the file again    n / Esc: cancel"


class PostScreen(ReconScreen):
    SUB_TITLE = "Post to QuickBooks"
    BINDINGS = [
        Binding("ctrl+s", "post", "Post batch…", id="post_batch",
                tooltip="Post the events listed as the next batch (asks first)"),
        Binding("r", "reexport", "Re-export…", id="reexport",
                tooltip="Write the highlighted batch's IIF file again (asks first)"),
    ]

    def __init__(self, crumbs: tuple[str, ...] = ("Post to QuickBooks",)) -> None:
        super().__init__()
        self.crumbs = crumbs
        self.method: str | None = None  # the books' method, else the reconciliation's
        self.through: date | None = None
        self.entries: list[Entry] | None = None  # unposted through self.through, once loaded
        self.batches: list[Batch] = []
        self.busy = False  # posting or re-exporting
        self.reported = False  # the status line holds the outcome of a post or re-export: keep it

    def default_through(self) -> str:
        through, error = check_through(self.app.wizard.current, self.app.today)
        return (through or self.app.today).isoformat()

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        with Vertical(id="post"):
            yield Static("Method: …", id="post-method", markup=False)
            with Horizontal(id="through-row"):
                yield Label("Post events dated through", id="through-label")
                yield Field(self.default_through(), placeholder="YYYY-MM-DD", id="through", max_length=10,
                            compact=True)
                yield Static("", id="through-error", classes="error", markup=False)
            yield Static("Reading the events not yet posted…", id="unposted-summary", markup=False)
            table = PagedTable(id="unposted")
            table.loading = True
            yield table
            yield Static("", id="post-status", classes="error ok", markup=False)
            yield Label("Batches posted (r on a batch writes its file again)", id="batches-title",
                        classes="section-title")
            yield DataTable(id="batches", cursor_type="row", zebra_stripes=True)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        unposted = self.query_one("#unposted", PagedTable)
        unposted.add_column("Date", key="on")
        unposted.add_column("Event", key="event")
        unposted.add_column("Customer", key="customer")
        unposted.add_column(Text("Debits", justify="right"), key="debits")
        batches = self.query_one("#batches", DataTable)
        # fixed widths: the table is refilled as batches come and go, and must not shift about
        batches.add_column("Batch", key="number", width=5)
        batches.add_column("Through", key="through", width=10)
        batches.add_column(Text("Entries", justify="right"), key="entries", width=9)
        batches.add_column(Text("Exports", justify="right"), key="exports", width=7)
        batches.add_column("File", key="file")
        self.query_one("#through", Input).focus()
        self.changed_through(self.query_one("#through", Input).value)

    # -- loading --------------------------------------------------------------------------------------

    def changed_through(self, text: str) -> None:
        through, error = check_through(text, self.app.today)
        self.query_one("#through-error", Static).update(error)
        self.query_one("#through", Input).set_class(bool(error), "-invalid")
        if through is None:
            self.through, self.entries = None, None
            self.query_one("#unposted-summary", Static).update("Fix the date to see what would be posted.")
            self.query_one("#unposted", PagedTable).show((), tuple)
        elif through != self.through or self.entries is None:
            if through != self.through:
                self.reported = False
            self.through, self.entries = through, None
            self.query_one("#unposted-summary", Static).update(f"Reading the events not yet posted through "
                                                               f"{through}…")
            self.query_one("#unposted", PagedTable).loading = True
            self.load(through)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="unposted")
    def load(self, through: date | None) -> None:
        """The batches, and the events not yet posted through ``through`` (None: the batches only)."""
        service = self.app.service
        try:
            books = service.posting_method()
            method = books or self.app.wizard.method
            batches = service.batches()
            entries = service.unposted(method, through) if through is not None else None
        except Exception as exc:  # PostingError (the books' other method), a broken database
            self.app.call_from_thread(self._failed, through, " ".join(str(exc).split()))
            return
        total = sum(debits(e) for e in entries) if entries else 0  # here: hundreds of thousands on a long history
        self.app.call_from_thread(self._show, through, books, method, entries, total, batches)

    def _failed(self, through: date, message: str) -> None:
        if self.is_attached and through == self.through:
            self.query_one("#unposted", PagedTable).loading = False
            self.query_one("#unposted-summary", Static).update("")
            self._status(f"Cannot post: {message}", error=True)

    def _show(self, through: date | None, books: str | None, method: str, entries: list[Entry] | None,
              total: int, batches: list[Batch]) -> None:
        if not self.is_attached:  # left before the list arrived
            return
        self._show_batches(books, method, batches)
        if through is None or entries is None or through != self.through:
            return  # the date changed while reading: another worker brings that list
        self.entries = entries
        table = self.query_one("#unposted", PagedTable)
        table.show(entries, lambda e: (e.on.isoformat(), cell(e.key), cell(e.customer), money(debits(e))))
        table.loading = False
        noun = "event" if len(entries) == 1 else "events"
        self.query_one("#unposted-summary", Static).update(
            f"{len(entries):,} unposted {noun} dated through {through} · debits "
            f"{format_grouped(total)}" if entries else
            f"Nothing to post: every event dated through {through} is posted.")
        if not self.busy and not self.reported:
            if entries:
                self._status(f"Ctrl+S posts them as batch {self.next_number} ({method}).", hint=True)
            else:
                self._status("")
        self.refresh_bindings()

    def _show_batches(self, books: str | None, method: str, batches: list[Batch]) -> None:
        self.method, self.batches = method, batches
        wizard = self.app.wizard.method
        if books is None:
            text = f"Method: {method}, the reconciliation's; the first batch fixes it for the books"
        elif books != wizard:
            text = f"Method: {books}, the books' (since batch 1); this reconciliation uses {wizard}"
        else:
            text = f"Method: {books}, the books' (every batch since batch 1)"
        self.query_one("#post-method", Static).update(f"{text}\nFiles go to {self.app.service.posting_dir}")
        table = self.query_one("#batches", DataTable)
        row = table.cursor_row
        table.clear()
        for b in batches:
            table.add_row(str(b.number), b.through, Text(f"{b.entries:,}", justify="right"),
                          Text(str(b.exports), justify="right"), cell(Path(b.file).name), key=str(b.number))
        if not batches:
            table.add_row("", Text("(none yet)", style="dim"), "", "", "")
        elif row > 0:
            table.move_cursor(row=min(row, len(batches) - 1))

    @property
    def next_number(self) -> int:
        return max((b.number for b in self.batches), default=0) + 1

    def _status(self, text: str, error: bool = False, hint: bool = False) -> None:
        status = self.query_one("#post-status", Static)
        status.update(text)
        status.set_class(not error and not hint, "ok")
        status.set_class(hint, "hint-line")

    # -- keys -----------------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "through":
            self.changed_through(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.entries:
            self.query_one("#unposted", PagedTable).focus()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def highlighted_batch(self) -> Batch | None:
        table = self.query_one("#batches", DataTable)
        if self.focused is not table or not self.batches:
            return None
        row = table.cursor_row
        return self.batches[row] if 0 <= row < len(self.batches) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "post":
            return not self.busy and bool(self.entries) and self.through is not None
        if action == "reexport":
            return not self.busy and self.highlighted_batch() is not None
        if action == "back" and self.busy:
            return False  # stay until the batch is written and its outcome shown
        return super().check_action(action, parameters)

    def action_post(self) -> None:
        if self.busy or not self.entries or self.through is None or self.method is None:
            return
        through, method, count = self.through, self.method, len(self.entries)
        path = batch_file(self.app.service.posting_dir, self.next_number)
        text = (f"{count:,} {'entry' if count == 1 else 'entries'} dated through {through}, {method} method.\n"
                f"File: {path}\n"
                f"Then import it in QuickBooks Desktop: File › Utilities › Import › IIF Files.")
        warning = ("Once posted, the batch is fixed: its events are never posted again, even if their records "
                   "change later (the tie-out diagnosis shows such changes).")
        self.app.push_screen(ConfirmPost(f"Post batch {self.next_number}?", text, warning),
                             lambda yes: self._start_post(method, through) if yes else None)

    def _start_post(self, method: str, through: date) -> None:
        self.busy = True
        self._status("Posting…", hint=True)
        self.refresh_bindings()
        self.write_batch(method, through)

    @work(thread=True, exclusive=True, group="post")
    def write_batch(self, method: str, through: date) -> None:
        try:
            batch = self.app.service.post(method, through)
        except Exception as exc:  # PostingError: the books' other method, a batch file in the way…
            self.app.call_from_thread(self._done, f"Cannot post: {' '.join(str(exc).split())}", True)
            return
        if batch is None:
            self.app.call_from_thread(self._done, f"Nothing to post through {through}.", False)
            return
        self.app.call_from_thread(self._posted, batch)

    def _posted(self, batch: Batch) -> None:
        self.app.wizard.diagnosis = None  # posting changes what the diagnosis finds: F7 again at the tie-out
        noun = "entry" if batch.entries == 1 else "entries"
        self._done(f"Posted batch {batch.number}: {batch.entries:,} {noun} -> {batch.file}", False)

    def _done(self, message: str, error: bool) -> None:
        self.busy, self.reported = False, True
        if not self.is_attached:
            return
        self._status(message, error=error)
        if self.through is not None:
            self.entries = None
            self.query_one("#unposted", PagedTable).loading = True
        self.load(self.through)
        self.refresh_bindings()

    def action_reexport(self) -> None:
        batch = self.highlighted_batch()
        if batch is None or self.busy:
            return
        path = batch_file(self.app.service.posting_dir, batch.number, batch.exports + 1)
        text = (f"The same {batch.entries:,} entries through {batch.through}, with the same DOCNUMs.\n"
                f"File: {path}")
        warning = (f"Delete batch {batch.number}'s entries from QuickBooks before importing the new file, or "
                   "they count twice (the diagnosis shows them as imported twice).")
        self.app.push_screen(ConfirmReexport(f"Re-export batch {batch.number}?", text, warning),
                             lambda yes: self._start_reexport(batch.number) if yes else None)

    def _start_reexport(self, number: int) -> None:
        self.busy = True
        self._status("Writing…", hint=True)
        self.refresh_bindings()
        self.write_again(number)

    @work(thread=True, exclusive=True, group="post")
    def write_again(self, number: int) -> None:
        try:
            path, export = self.app.service.reexport(number)
        except Exception as exc:  # PostingError: an account renamed in the config since
            self.app.call_from_thread(self._done, f"Cannot re-export: {' '.join(str(exc).split())}", True)
            return
        self.app.call_from_thread(self._done, f"Batch {number} written again (export {export}) -> {path}. "
                                              f"Delete the old entries in QuickBooks before importing it.", False)
