"""Posting to QuickBooks (DOMAIN §8): the events not yet posted through a date, then a numbered batch.

A batch is written as an IIF file beside the database and is fixed once posted, so posting asks
first and says what it will write. Its ``!ACCNT`` rows create any account QuickBooks lacks, so
until the first batch the screen offers the account check (DOMAIN §12 ``check-accounts``): the path
of QuickBooks' "Lists to IIF Files" export, and F4 (or Enter in the field) checks every configured
account against it in a worker; the confirmation of a first batch without a passed check says what
is at stake. Re-exporting a batch writes the same entries again; the old ones must be deleted from
QuickBooks first, or they count twice. For a studio that never posted,
the unposted list holds every event of its history: the count and total show at once and the
table mounts a page at a time.
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
from textual.widgets import Input, Label, Static

from recon_tui.model import METHODS, Entry, PeriodError, parse_date
from recon_tui.money import format_grouped
from recon_tui.service import Batch, batch_file
from recon_tui.tui.commands import ListedCommands
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.screens.confirm import Confirm, asking
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import cell, money, number_header
from recon_tui.tui.widgets.fields import Field
from recon_tui.tui.widgets.items import ItemTable
from recon_tui.tui.widgets.status import StatusLine


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


class ConfirmPost(Confirm[bool]):
    """Says what will be written and what cannot be undone; y/Enter posts, n/Esc does not."""

    BINDINGS = [Binding("y,enter", "answer(True)", "Post", id="yes"),
                Binding("n,escape", "answer(False)", "Cancel", id="no")]

    def __init__(self, title: str, text: str, warning: str) -> None:
        super().__init__(*asking(title, text, warning, "y / Enter: post    n / Esc: cancel", note_class="warning"))


class ConfirmFirstPost(Confirm[str | None]):
    """The first batch fixes the books' method for good: no y/Enter here; the user names the method
    (a or c). The other letter switches the screen to that method (its events are listed first)."""

    BINDINGS = [Binding("a", "answer('accrual')", "Accrual", id="first_accrual"),
                Binding("c", "answer('cash')", "Cash", id="first_cash"),
                Binding("n,escape", "answer(None)", "Cancel", id="no")]

    def __init__(self, title: str, text: str, warning: str, method: str) -> None:
        other = next(m for m in METHODS if m != method)
        keys = (f"{method[0]}: post by the {method} method    {other[0]}: switch to {other} (lists its events "
                f"first)    n / Esc: cancel")
        super().__init__(*asking(title, text, warning, keys, note_class="warning"))


class ListsField(Field):
    """The path of QuickBooks' list export; Enter checks the accounts against it."""

    BINDINGS = [Binding("enter", "submit", "Check accounts", id="check_accounts_enter", show=False,
                        tooltip="Check the configured accounts against this export (as F4)")]


class AccountCheckCommands(ListedCommands):
    """The check in the command palette while the Post screen is up."""

    def _commands(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        if not isinstance(screen, PostScreen) or screen.batches:
            return []
        return [("Check accounts against QuickBooks' lists", "Every configured GL account in QuickBooks' Lists to "
                 "IIF Files export, with a fitting type (before the first batch)",
                 partial(screen.run_action, "check_accounts"))]


def check_lines(check, limit: int = 3) -> tuple[str, bool]:
    """What the screen says of an AccountCheck, in words, and whether it passed."""
    if check.ok:
        text = (f"All {len(check.fits)} configured accounts are in QuickBooks with fitting types"
                + (f" ({check.product})." if check.product else "."))
        if check.notes:
            text += f" {len(check.notes)} differ only in case: write them as QuickBooks does."
        return text, True
    if check.file_problems:
        return "\n".join(check.file_problems), False
    problems = [fit.short for fit in check.fits if fit.short]
    lines = [f"{len(problems)} problem{'s' if len(problems) != 1 else ''}; a first post would create missing "
             "accounts as new ones:"]
    lines += [f"• {problem}" for problem in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"• … and {len(problems) - limit} more (recon-tui check-accounts lists them all)")
    return "\n".join(lines), False


class ConfirmReexport(Confirm[bool]):
    BINDINGS = [Binding("y,enter", "answer(True)", "Write again", id="yes"),
                Binding("n,escape", "answer(False)", "Cancel", id="no")]

    def __init__(self, title: str, text: str, warning: str) -> None:
        super().__init__(*asking(title, text, warning, "y / Enter: write the file again    n / Esc: cancel",
                                 note_class="warning"))


class PostScreen(ReconScreen):
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
        self.entries: list[Entry] | None = None  # unposted through self.through, once loaded
        self.batches: list[Batch] = []
        self.reported = False  # the status line holds the outcome of a post or re-export: keep it
        self.checked = None  # the AccountCheck of the path in the field, once run

    def default_through(self) -> str:
        through, error = check_through(self.app.wizard.current, self.app.today)
        return (through or self.app.today).isoformat()

    def compose(self) -> ComposeResult:
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
            yield StatusLine(id="post-status", tone="ok")
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
            self.through, self.entries = None, None
            self.query_one("#unposted-summary", Static).update("Fix the date to see what would be posted.")
            self.query_one("#unposted", ItemTable).show((), tuple)
        elif through != self.through or self.entries is None:
            if through != self.through:
                self.reported = False
            self.through, self.entries = through, None
            self.query_one("#unposted-summary", Static).update(f"Reading the events not yet posted through "
                                                               f"{through}…")
            self.query_one("#unposted", ItemTable).loading = True
            self.load(through)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="unposted", exit_on_error=False)
    def load(self, through: date | None) -> None:
        """The batches, and the events not yet posted through ``through`` (None: the batches only)."""
        service = self.app.service
        try:
            books = service.posting_method()
            method = books or self.choice or self.app.wizard.method
            batches = service.batches()
            entries = service.unposted(method, through) if through is not None else None
        except Exception as exc:  # PostingError (the books' other method), a broken database
            self.app.call_from_thread(self._failed, through, " ".join(str(exc).split()))
            return
        total = sum(debits(e) for e in entries) if entries else 0  # here: hundreds of thousands on a long history
        self.app.call_from_thread(self._show, through, books, method, entries, total, batches)

    def _failed(self, through: date, message: str) -> None:
        if self.is_attached and through == self.through:
            self.query_one("#unposted", ItemTable).loading = False
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
        table = self.query_one("#unposted", ItemTable)
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

    def _show_lists(self, show: bool) -> None:
        self.query_one("#lists-row").display = show
        self.query_one("#lists-result").display = show

    def _show_batches(self, books: str | None, method: str, batches: list[Batch]) -> None:
        self.method, self.batches = method, batches
        self._show_lists(not batches)
        wizard = self.app.wizard.method
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "qb-lists":
            self.action_check_accounts()
        elif self.entries:
            self.query_one("#unposted", ItemTable).focus()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def highlighted_batch(self) -> Batch | None:
        table = self.query_one("#batches", ItemTable)
        return table.highlighted_item() if self.focused is table else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check_accounts":
            return not self.checking and not self.busy and not self.batches
        if action == "post":
            return not self.busy and bool(self.entries) and self.through is not None
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
        except Exception as exc:  # IIFError (not an IIF file, unreadable): one line, file:line
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
        if self.busy or not self.entries or self.through is None or self.method is None:
            return
        through, method, count = self.through, self.method, len(self.entries)
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
            self.entries = None
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
        except Exception as exc:  # PostingError: an account renamed in the config since
            self.app.call_from_thread(self._done, f"Cannot re-export: {' '.join(str(exc).split())}", True)
            return
        self.app.call_from_thread(self._done, f"Batch {number} written again (export {export}) -> {path}. "
                                              f"Delete the old entries in QuickBooks before importing it.", False)
