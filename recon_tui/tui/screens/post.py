"""Posting to QuickBooks (DOMAIN §8): the events not yet posted through a date, then a numbered batch.

A batch is written as an IIF file beside the database and is fixed once posted, so posting asks
first and says what it will write. Its ``!ACCNT`` rows create any account QuickBooks lacks, so
until the first batch the screen offers the account check (DOMAIN §12 ``check-accounts``): the path
of QuickBooks' "Lists to IIF Files" export, and F4 (or Enter in the field) checks every configured
account against it in a worker; the confirmation of a first batch without a passed check says what
is at stake. Re-exporting a batch writes the same entries again; the old ones must be deleted from
QuickBooks first, or they count twice. For a studio that never posted, the unposted list holds
every event of its history (600,000 on ten years): the table reads it a range of dates at a time
(``service.Unposted``), so the first rows show at once; the count and debits follow from one pass.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from recon_tui.model import Entry, PeriodError, PostingError, parse_date
from recon_tui.money import format_grouped
from recon_tui.service import Batch, Unposted, batch_file, debits
from recon_tui.service.errors import IIFError, NotAllowed, RecordRefused, StoreError
from recon_tui.tui.commands import ListedCommands
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.screens.post_dialogs import (ConfirmFirstPost, ConfirmPost, ConfirmReexport, ListsField,
                                                check_lines)
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import cell, money, number_header
from recon_tui.tui.widgets.fields import Field
from recon_tui.tui.widgets.form import Form
from recon_tui.tui.widgets.items import ItemTable, Pages, in_memory, matching, read_once
from recon_tui.tui.widgets.status import StatusLine
from recon_tui.tui.wizard import BooksChanged


def unposted_row(entry: Entry) -> tuple:
    return entry.on.isoformat(), cell(entry.key), cell(entry.customer), money(debits(entry))


def arrange_unposted(unposted: Unposted):
    """Filter forwards a range at a time; a sort reads every row first (in the table's worker)."""
    def arrange(text: str, column: int | None, descending: bool) -> Pages:
        if column is None:
            return unposted.pages(matching(text, unposted_row))
        return read_once(lambda: in_memory(list(unposted.entries()), unposted_row)(text, column, descending))
    return arrange


def check_through(text: str, today: date) -> tuple[date | None, str]:
    """As the dates step checks its dates: YYYY-MM-DD, not after today."""
    try:
        through = parse_date(text.strip(), "through date")
    except PeriodError as exc:
        return None, str(exc)
    if through > today:
        return None, f"{through} is after today ({today})"
    return through, ""


class AccountCheckCommands(ListedCommands):
    """The check in the command palette while the Post screen is up."""

    def _commands(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        if not isinstance(screen, PostScreen) or screen.batches:
            return []
        return [("Check accounts against QuickBooks' lists", "Every configured GL account in QuickBooks' Lists to "
                 "IIF Files export, with a fitting type (before the first batch)",
                 partial(screen.run_action, "check_accounts"))]


class PostScreen(Form, ReconScreen):
    SUB_TITLE = "Post to QuickBooks"
    LISTS_HINT = "First batch: F4 checks that every configured account exists in QuickBooks."
    COMMANDS = {AccountCheckCommands}
    DEFAULT_CSS = """
    PostScreen #lists-row { height: 1; margin-top: 1; }
    PostScreen #lists-label { width: 27; }
    PostScreen #qb-lists { width: 1fr; }
    PostScreen #lists-result { height: auto; max-height: 5; }
    """
    BINDINGS = [
        Binding("ctrl+s", "post", "Post batch…", id="post_batch",
                tooltip="Post the events listed as the next batch (asks first)"),
        Binding("f4", "check_accounts", "Check accounts", id="check_accounts",
                tooltip="Check the configured GL accounts against QuickBooks' Lists to IIF Files export"),
        Binding("r", "reexport", "Re-export…", id="reexport",
                tooltip="Write the highlighted batch's IIF file again (asks first)"),
    ]

    busy = var(False, bindings=True)  # posting or re-exporting
    checking = var(False, bindings=True)  # the account check is running

    def __init__(self, crumbs: tuple[str, ...] = ("Post to QuickBooks",)) -> None:
        super().__init__()
        self.crumbs = crumbs
        self.method: str | None = None  # the books' method, else the one chosen for the first batch
        self.choice: str | None = None  # before the first batch: the method switched to in its confirmation
        self.through: date | None = None
        self.count: int | None = None  # how many events are unposted through self.through, once counted
        self.reading = False  # a load is running (the field's first Changed must not start another)
        self.batches: list[Batch] = []
        self.reported = False  # the status line holds the outcome of a post or re-export: keep it
        self.checked = None  # the AccountCheck of the path in the field, once run
        self.focus_batch: int | None = None  # a batch just posted: the batches list takes the focus on it
        self.refused: str | None = None  # why the user may not post or re-export (config ``access``), if not

    def default_through(self) -> str:
        through, error = check_through(self.wizard.current, self.app.today)
        return (through or self.app.today).isoformat()

    def compose(self) -> ComposeResult:
        self.refused = self.app.service.may("post")
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        with Vertical(id="post"):
            yield Static("Method: …", id="post-method", markup=False)
            with Horizontal(id="lists-row"):  # shown before the first batch
                yield Label("QuickBooks lists (.iif)", id="lists-label")
                yield ListsField("", placeholder="File › Utilities › Export › Lists to IIF Files", id="qb-lists",
                                 compact=True)
            yield StatusLine(self.LISTS_HINT, id="lists-result")
            with Horizontal(id="through-row"):
                yield Label("Post events dated through", id="through-label")
                yield Field(self.default_through(), placeholder="YYYY-MM-DD", id="through", max_length=10,
                            compact=True)
                yield Static("", id="through-error", classes="error", markup=False)
            yield Static("Reading the events not yet posted…", id="unposted-summary", markup=False)
            table = ItemTable(id="unposted")
            table.loading = True
            yield table
            yield StatusLine(self.refused or "", "error" if self.refused else "ok", id="post-status")
            yield Label("Batches posted (r on a batch writes its file again)", id="batches-title",
                        classes="section-title")
            yield ItemTable(id="batches")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._show_lists(False)  # until the batches are read
        unposted = self.query_one("#unposted", ItemTable)
        unposted.add_column("Date", key="on")
        unposted.add_column("Event", key="event")
        unposted.add_column("Customer", key="customer")
        unposted.add_column(number_header("Debits"), key="debits")
        batches = self.query_one("#batches", ItemTable)
        # fixed widths: the table is refilled as batches come and go, and must not shift about
        batches.add_column("Batch", key="number", width=5)
        batches.add_column("Through", key="through", width=10)
        batches.add_column(number_header("Entries"), key="entries", width=9)
        batches.add_column(number_header("Exports"), key="exports", width=7)
        batches.add_column("File", key="file")
        self.query_one("#through", Input).focus()
        self.changed_through(self.query_one("#through", Input).value)

    # -- loading --------------------------------------------------------------------------------------

    def changed_through(self, text: str) -> None:
        through, error = check_through(text, self.app.today)
        self.query_one("#through-error", Static).update(error)
        self.query_one("#through", Input).set_class(bool(error), "-invalid")
        if through is None:
            self.through, self.count = None, None
            self.query_one("#unposted-summary", Static).update("Fix the date to see what would be posted.")
            self.query_one("#unposted", ItemTable).show((), tuple)
        elif through != self.through or (self.count is None and not self.reading):
            if through != self.through:
                self.reported = False
            self.through, self.count = through, None
            self.query_one("#unposted-summary", Static).update(f"Reading the events not yet posted through "
                                                               f"{through}…")
            self.query_one("#unposted", ItemTable).loading = True
            self.load(through)
        self.refresh_bindings()

    def load(self, through: date | None) -> None:
        """The batches, then the events not yet posted through ``through`` (None: the batches only):
        their first page at once, their count and debits when counted."""
        self.reading = True
        self._load(through)

    @work(thread=True, exclusive=True, group="unposted", exit_on_error=False)
    def _load(self, through: date | None) -> None:
        service = self.app.service
        try:
            books = service.posting_method()
            method = books or self.choice or self.wizard.method.name
            batches = service.batches()
            unposted = service.unposted_list(method, through) if through is not None else None
            self.app.call_from_thread(self._show, through, books, method, unposted, batches)
            if unposted is not None:
                count, total = unposted.summary()
                self.app.call_from_thread(self._counted, through, method, count, total)
        except (PostingError, StoreError) as exc:  # the books' other method, a broken database
            self.app.call_from_thread(self._failed, through, " ".join(str(exc).split()))

    def _failed(self, through: date, message: str) -> None:
        if through == self.through:
            self.reading = False
        if self.is_attached and through == self.through:
            self.query_one("#unposted", ItemTable).loading = False
            self.query_one("#unposted-summary", Static).update("")
            self._status(f"Cannot post: {message}", error=True)

    def _show(self, through: date | None, books: str | None, method: str, unposted: Unposted | None,
              batches: list[Batch]) -> None:
        if unposted is None:
            self.reading = False  # the batches only: nothing to count
        if not self.is_attached:  # left before the list arrived
            return
        self._show_batches(books, method, batches)
        if through is None or unposted is None or through != self.through:
            return  # the date changed while reading: another worker brings that list
        table = self.query_one("#unposted", ItemTable)
        table.load(unposted.pages(), unposted_row, arrange=arrange_unposted(unposted))
        self.query_one("#unposted-summary", Static).update(f"Counting the events not yet posted through "
                                                           f"{through}…")

    def _counted(self, through: date, method: str, count: int, total: int) -> None:
        if not self.is_attached or through != self.through:
            return
        self.count, self.reading = count, False
        noun = "event" if count == 1 else "events"
        self.query_one("#unposted-summary", Static).update(
            f"{count:,} unposted {noun} dated through {through} · debits {format_grouped(total)}" if count else
            f"Nothing to post: every event dated through {through} is posted.")
        if not self.busy and not self.reported:
            if self.refused:
                self._status(self.refused, error=True)
            elif count:
                self._status(f"Ctrl+S posts them as batch {self.next_number} ({method}).", hint=True)
            else:
                self._status("")
        self.refresh_bindings()

    def _show_lists(self, show: bool) -> None:
        self.query_one("#lists-row").display = show
        self.query_one("#lists-result").display = show

    def _show_batches(self, books: str | None, method: str, batches: list[Batch]) -> None:
        self.method, self.batches = method, batches
        self._show_lists(not batches)
        wizard = self.wizard.method.name
        if books is None:
            text = (f"Method: {method} (not fixed yet: the first batch fixes it for the books; Ctrl+S asks "
                    "which method)")
        elif books != wizard:
            text = f"Method: {books}, the books' (since batch 1); this reconciliation uses {wizard}"
        else:
            text = f"Method: {books}, the books' (every batch since batch 1)"
        self.query_one("#post-method", Static).update(f"{text}\nFiles go to {self.app.service.posting_dir}")
        table = self.query_one("#batches", ItemTable)
        row = table.cursor_row
        table.show(batches, lambda b: (str(b.number), b.through, Text(f"{b.entries:,}", justify="right"),
                                       Text(str(b.exports), justify="right"), cell(Path(b.file).name)),
                   key=lambda b: str(b.number))
        if not batches:
            table.add_row("", Text("(none yet)", style="dim"), "", "", "")
        elif self.focus_batch is not None:
            numbers = [b.number for b in batches]
            if self.focus_batch in numbers:
                table.move_cursor(row=numbers.index(self.focus_batch))
                table.focus()  # after a post, r re-exports it and Esc leaves: letters never land in a field
            self.focus_batch = None
        elif row > 0:
            table.move_cursor(row=min(row, len(batches) - 1))

    @property
    def next_number(self) -> int:
        return max((b.number for b in self.batches), default=0) + 1

    def _status(self, text: str, error: bool = False, hint: bool = False) -> None:
        self.query_one("#post-status", StatusLine).say(text, "error" if error else "hint" if hint else "ok")

    # -- keys -----------------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "through":
            self.changed_through(event.value)
        elif event.input.id == "qb-lists" and not self.checking:
            self.checked = None  # another file: the result shown was another file's
            self._lists_result(self.LISTS_HINT, hint=True)

    def form_fields(self) -> list[Widget]:
        return [self.query_one("#through")]

    def field_problem(self, field: Widget) -> str:
        return check_through(field.value, self.app.today)[1] if field.id == "through" else ""

    def field_action(self, field: Widget):
        return self.action_check_accounts if field.id == "qb-lists" else None

    def form_done(self) -> None:
        """Enter on a valid date: the list of what would be posted takes the keys."""
        self.query_one("#unposted", ItemTable).focus()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def highlighted_batch(self) -> Batch | None:
        table = self.query_one("#batches", ItemTable)
        return table.highlighted_item() if self.focused is table else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check_accounts":
            return not self.checking and not self.busy and not self.batches
        if action in ("post", "reexport") and self.refused:
            return None  # shown greyed; the status line says why
        if action == "post":
            return not self.busy and bool(self.count) and self.through is not None
        if action == "reexport":
            return not self.busy and self.highlighted_batch() is not None
        if action == "back" and self.busy:
            return False  # stay until the batch is written and its outcome shown
        return super().check_action(action, parameters)

    # -- the account check ------------------------------------------------------------------------------

    def _lists_result(self, text: str, error: bool = False, hint: bool = False) -> None:
        self.query_one("#lists-result", StatusLine).say(text, "error" if error else "hint" if hint else "ok")

    def action_check_accounts(self) -> None:
        if self.checking or self.busy or self.batches:
            return
        field = self.query_one("#qb-lists", Input)
        path = field.value.strip()
        if not path:
            field.focus()
            self._lists_result("Type the path of QuickBooks' export (File › Utilities › Export › Lists to IIF Files, "
                               "Chart of Accounts ticked), then F4.", error=True)
            return
        self.checking, self.checked = True, None
        self._lists_result(f"Checking the accounts against {path}…", hint=True)
        self.run_check(path)

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def run_check(self, path: str) -> None:
        try:
            check = self.app.service.check_accounts(Path(path).expanduser())
        except (IIFError, OSError) as exc:  # not an IIF file, unreadable: one line, file:line
            self.app.call_from_thread(self._checked, path, None, " ".join(str(exc).split()))
            return
        self.app.call_from_thread(self._checked, path, check, "")

    def _checked(self, path: str, check, error: str) -> None:
        self.checking = False
        if not self.is_attached:
            return
        if path != self.query_one("#qb-lists", Input).value.strip():
            self._lists_result(self.LISTS_HINT, hint=True)  # typed over while it ran: that file is not checked
        elif check is None:
            self._lists_result(f"Cannot check: {error}", error=True)
        else:
            self.checked = check
            text, passed = check_lines(check)
            self._lists_result(text, error=not passed)

    # -- posting --------------------------------------------------------------------------------------

    def action_post(self) -> None:
        if self.busy or not self.count or self.through is None or self.method is None:
            return
        through, method, count = self.through, self.method, self.count
        path = batch_file(self.app.service.posting_dir, self.next_number)
        how = f"{method} method" if self.batches else f"by the {method.upper()} method"  # the first: by name
        text = (f"{count:,} {'entry' if count == 1 else 'entries'} dated through {through}, {how}.\n"
                f"File: {path}\n"
                f"Then import it in QuickBooks Desktop: File › Utilities › Import › IIF Files.")
        warning = ("Once posted, the batch is fixed: its events are never posted again, even if their records "
                   "change later (the tie-out diagnosis shows such changes).")
        if not self.batches:
            check = self.checked
            if check is not None and check.ok:
                text += f"\nAccounts checked: all {len(check.fits)} configured accounts are in {check.source}."
            else:
                warning = f"{self.first_batch_warning()}\n{warning}"
        if not self.batches:
            warning = (f"The first batch fixes the books' method: every later batch is {method} too.\n"
                       f"{warning}")
            self.app.push_screen(ConfirmFirstPost(f"Post batch {self.next_number} by the {method} method?", text,
                                                  warning, method),
                                 lambda answer: self._first_answer(answer, method, through))
            return
        self.app.push_screen(ConfirmPost(f"Post batch {self.next_number}?", text, warning),
                             lambda yes: self._start_post(method, through) if yes else None)

    def _first_answer(self, answer: str | None, method: str, through: date) -> None:
        if answer == method:
            self._start_post(method, through)
        elif answer is not None:  # the other method: list its events first, then Ctrl+S asks again
            self.choice, self.reported = answer, True
            self._status(f"Switched to the {answer} method: Ctrl+S posts its events (asks again).", hint=True)
            self.count = None
            self.query_one("#unposted", ItemTable).loading = True
            self.load(self.through)
            self.refresh_bindings()

    def first_batch_warning(self) -> str:
        """What the first batch's !ACCNT rows do, said plainly when the account check has not passed."""
        check = self.checked
        found = "" if check is None else (f" The account check found {len(check.problems)} "
                                          f"problem{'s' if len(check.problems) != 1 else ''}.")
        return ("This is the first batch: its !ACCNT rows create any account QuickBooks lacks, so a misspelt "
                f"config name becomes a new, wrong account.{found} F4 on this screen checks the accounts first.")

    def _start_post(self, method: str, through: date) -> None:
        self.busy = True
        self._status("Posting…", hint=True)
        self.write_batch(method, through)

    @work(thread=True, exclusive=True, group="post", exit_on_error=False)
    def write_batch(self, method: str, through: date) -> None:
        try:
            batch = self.app.service.post(method, through)
        except (PostingError, NotAllowed, RecordRefused, StoreError, OSError) as exc:  # the books' other
            # method, a batch file in the way, another post first, a busy database
            self.app.call_from_thread(self._done, f"Cannot post: {' '.join(str(exc).split())}", True)
            return
        if batch is None:
            self.app.call_from_thread(self._done, f"Nothing to post through {through}.", False)
            return
        self.app.call_from_thread(self._posted, batch)

    def _posted(self, batch: Batch) -> None:
        self.post_message(BooksChanged())  # posting changes what the diagnosis finds: F7 again at the tie-out
        noun = "entry" if batch.entries == 1 else "entries"
        self.focus_batch = batch.number  # r (re-export) is the next key that can apply: on the new batch
        self._done(f"Posted batch {batch.number}: {batch.entries:,} {noun} -> {batch.file}", False)

    def _done(self, message: str, error: bool) -> None:
        self.busy, self.reported = False, True
        if not self.is_attached:
            return
        self._status(message, error=error)
        if self.through is not None:
            self.count = None
            self.query_one("#unposted", ItemTable).loading = True
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
        self.write_again(number)

    @work(thread=True, exclusive=True, group="post", exit_on_error=False)
    def write_again(self, number: int) -> None:
        try:
            path, export = self.app.service.reexport(number)
        except (PostingError, NotAllowed, StoreError, OSError) as exc:  # an account renamed in the config since
            self.app.call_from_thread(self._done, f"Cannot re-export: {' '.join(str(exc).split())}", True)
            return
        self.app.call_from_thread(self._done, f"Batch {number} written again (export {export}) -> {path}. "
                                              f"Delete the old entries in QuickBooks before importing it.", False)
