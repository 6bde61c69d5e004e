"""Step 1: which studio and database this is, who is working, the last finalized period, and the method.

The method starts at the one the books already use (the last finalized reconciliation's, else the
books' posting method, else the config's), so Enter, or posting from here, never switches the books
to a method nobody chose. What the screen shows is read again each time it comes back into view:
after a reopen in the history it shows the record now in force, and the wizard's previous date
follows it.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static
from textual.widgets.option_list import Option

from recon_tui.model import METHODS, Method
from recon_tui.service import StoredRecord
from recon_tui.service.errors import StoreError
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.widgets.fields import MethodList
from recon_tui.tui.wizard import Entered, InForce


def who_text(service) -> str:
    """Who is working, and what the config's ``access`` does not let them do (DOMAIN §10)."""
    refused = [action for action in ("finalize", "reopen", "post") if service.may(action)]
    if not refused:
        return f"You are {service.user}"
    actions = " or ".join([", ".join(refused[:-1]), refused[-1]] if len(refused) > 1 else refused)
    return f"You are {service.user} (you may not {actions}: see access in {service.config.path.name})"


def method_note(chosen: str, last: StoredRecord | None, books: str | None, usual: str, why: str) -> str:
    """A word on the method highlighted: a warning when it differs from the books' so far."""
    if last is not None and chosen != last.method:
        return (f"⚠ The last period (#{last.number}) was finalized as {last.method}: {chosen} here changes "
                "the method between consecutive periods.")
    if books is not None and chosen != books:
        return f"⚠ The books post to QuickBooks by the {books} method (fixed by batch 1), not {chosen}."
    if chosen == usual:
        return f"{Method.of(chosen).title}: {why}."
    return ""


class StartScreen(StepScreen):
    STEP = "Start"
    BINDINGS = [Binding("h", "history", "History", id="history", tooltip="Finalized reconciliations"),
                Binding("p", "post", "Post to QB", id="post", tooltip="Post events to QuickBooks as an IIF batch"),
                Binding("i", "import", "Import", id="import",
                        tooltip="Import the studio system's files: a dry run first, then the import")]

    def __init__(self) -> None:
        super().__init__()
        self.loaded = False  # the books were read once: Enter goes on
        self.defaulted: Method | None = None  # the method last put in place by default (not by the user)
        self.chosen: Method | None = None  # the method highlighted
        self.last: StoredRecord | None = None
        self.books: str | None = None
        self.usual: tuple[str, str] = ("", "")

    def compose(self) -> ComposeResult:
        service = self.app.service
        yield from self.compose_header()
        with Vertical(id="start", classes="step"):
            yield Static(service.studio_name, id="studio", classes="title", markup=False)
            yield Static(f"Database: {service.db_path}", id="database", markup=False)
            yield Static(who_text(service), id="who", markup=False)
            yield Static("Last finalized: …", id="last-finalized", markup=False)
            yield Label("Accounting method (↑↓ to choose, Enter to continue)", classes="prompt")
            options = [Option(f"{m.title}: {m.explain}", id=m.name) for m in map(Method.of, METHODS)]
            yield MethodList(*options, id="method")
            yield Static("", id="method-note", classes="hint", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        methods = self.query_one(MethodList)
        self.chosen = self.wizard.method
        methods.highlighted = list(METHODS).index(self.chosen.name)
        self.defaulted = None if self.wizard.started else self.chosen
        methods.focus()

    def on_screen_resume(self) -> None:
        self.load_last_finalized()  # again after the history (a reopen) or a post

    @work(thread=True, exclusive=True, group="start", exit_on_error=False)
    def load_last_finalized(self) -> None:
        service = self.app.service
        try:
            service.check()
        except StoreError as exc:  # a missing or broken database: said in words, the app stays
            self.app.call_from_thread(self._show_problem, f"Database problem: {exc}")
            return
        last = service.last_finalized()
        books = service.posting_method()
        usual = service.usual_method()
        reopened = last is None and bool(service.history())
        self.app.call_from_thread(self._show_books, last, books, usual, reopened)

    def _show_problem(self, text: str) -> None:
        self.loaded = True
        self.query_one("#last-finalized", Static).update(text)

    def _show_books(self, last: StoredRecord | None, books: str | None, usual: tuple[str, str],
                    reopened: bool = False) -> None:
        self.loaded, self.last, self.books, self.usual = True, last, books, usual
        self.post_message(InForce(last.current_on if last else None))
        if last is None:
            text = ("No finalized reconciliation in force (the last one was reopened)" if reopened
                    else "No finalized reconciliation yet")
        else:
            text = (f"Last finalized: #{last.number} ({last.method}), after {last.previous_on} through "
                    f"{last.current_on}, on {last.finalized_at[:10]} by {last.finalized_by}")
        self.query_one("#last-finalized", Static).update(text)
        books_method = Method.of(usual[0])
        if self.defaulted is not None and self.chosen == self.defaulted and books_method != self.chosen:
            self.chosen = self.defaulted = books_method  # not moved by the user yet: the books' method
            self.query_one(MethodList).highlighted = list(METHODS).index(books_method.name)
            self.post_message(Entered(method=books_method))
        self._show_note()

    def _show_note(self) -> None:
        if self.loaded and self.usual[0] and self.chosen is not None:
            note = method_note(self.chosen.name, self.last, self.books, *self.usual)
            self.query_one("#method-note", Static).update(note)

    def on_option_list_option_highlighted(self, event: MethodList.OptionHighlighted) -> None:
        method = Method.of(event.option.id)
        if method != self.chosen:
            self.defaulted = None  # the user moved it
            self.chosen = method
            self.post_message(Entered(method=method))
        self._show_note()

    def on_option_list_option_selected(self, event: MethodList.OptionSelected) -> None:
        if not self.loaded:
            return  # the books' method is not read yet (a few milliseconds)
        self.post_message(Entered(method=Method.of(event.option.id), started=True))
        self.post_message(self.Done(self))

    def action_history(self) -> None:
        self.app.action_history()

    def action_post(self) -> None:
        self.app.action_open_post()

    def action_import(self) -> None:
        self.app.action_open_import()
