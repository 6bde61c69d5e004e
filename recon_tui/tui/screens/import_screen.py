"""Importing the studio system's files from the app (DOMAIN §3, §14): a dry run first, then the import.

The dry run reads the folder as the import would (through a profile of the config, or as §3 CSV
files) and writes nothing: per file, how many records are new, changed and unchanged, and which
finalized periods the import would change. The import itself asks first (it says how many records it
writes and that a backup copy is made before), then runs in a worker with a progress bar fed by the
importer's progress callback. An import is all or nothing: every problem is listed with its file,
line and column, and nothing is written. After an import the figures of any step already open were
read before it, so Esc goes back to the start screen (the wizard's entries are kept).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Input, Label, ProgressBar, Select, Static

from recon_tui.service import ImportResult
from recon_tui.service.errors import ImportFailed, NotAllowed, RecordRefused, StoreError
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.screens.confirm import Confirm, asking
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import cell, number_header
from recon_tui.tui.widgets.fields import Field
from recon_tui.tui.widgets.items import ItemTable
from recon_tui.tui.widgets.form import Form
from recon_tui.tui.widgets.status import StatusLine
from recon_tui.tui.wizard import BooksChanged

#: the profile choice that reads the folder as DOMAIN §3 CSV files
NO_PROFILE = ""
NO_PROFILE_LABEL = "recon-tui's own CSV files (no profile)"


def records(count: int) -> str:
    return f"{count:,} record{'' if count == 1 else 's'}"


def counts(result: ImportResult) -> tuple[int, int, int]:
    """New, changed and unchanged records over every file."""
    return (sum(f.new for f in result.files), sum(f.changed for f in result.files),
            sum(f.unchanged for f in result.files))


def counts_text(result: ImportResult) -> str:
    new, changed, unchanged = counts(result)
    files = len(result.files)
    return (f"{new:,} new, {changed:,} changed, {unchanged:,} unchanged "
            f"in {files} file{'' if files == 1 else 's'}")


def file_row(file) -> tuple:
    """Source file, record kind, new, changed, unchanged."""
    kind = (getattr(file, "kind", "") or Path(file.filename).stem).replace("_", " ")
    return (cell(file.source or file.filename), cell(kind), *(Text(f"{n:,}", justify="right")
                                                             for n in (file.new, file.changed, file.unchanged)))


WHERE_WIDTH = 40  # at most, so the column and the message stay in view at 80 columns


def problem_rows(folder: str) -> Callable[[object], tuple]:
    """Where (file:line, the file named within ``folder``, the line always in view), the column, the
    message."""
    def where(problem) -> str:
        name, inside = problem.file, Path(folder).expanduser()
        if Path(name) != inside and Path(name).is_relative_to(inside):
            name = str(Path(name).relative_to(inside))  # else the folder itself, or a name of its own
        text = f"{name}:{problem.line}" if problem.line else name
        return text if len(text) <= WHERE_WIDTH else "…" + text[-(WHERE_WIDTH - 1):]

    return lambda problem: (cell(where(problem)), cell(problem.column), cell(problem.message))


def folder_problem(text: str) -> str:
    """Why ``text`` is not a folder to import from, in words ("" : it is one)."""
    if not text.strip():
        return "Type the path of the folder that holds the files to import (paste works)."
    path = Path(text.strip()).expanduser()
    if not path.exists():
        return f"There is no folder {text.strip()}: check the path (nothing was read)."
    if not path.is_dir():
        return f"{text.strip()} is a file, not a folder: give the folder that holds it."
    return ""


class FolderField(Field):
    """The folder to import from; Enter runs the dry run."""

    BINDINGS = [Binding("enter", "submit", "Dry run", id="dry_run_enter", show=False,
                        tooltip="What the import would change, nothing written (as F5)")]


class ConfirmImport(Confirm[bool]):
    """Says how many records will be written and that a backup copy is made first; y/Enter imports."""

    BINDINGS = [Binding("y,enter", "answer(True)", "Import", id="yes"),
                Binding("n,escape,q", "answer(False)", "Cancel", key_display="n/esc", id="no")]

    def __init__(self, title: str, text: str, note: str, warnings: list[str]) -> None:
        body = asking(title, text, note, "y / Enter: import    n / Esc: cancel")
        extra = [Static("\n".join(f"⚠ {w}" for w in warnings), classes="warning", markup=False)] if warnings else []
        super().__init__(*body[:3], *extra, body[3])


class Progressed:
    """The importer's progress callback, from the worker's thread: the bytes read of every file so far
    against the bytes of every file (as the dry run found them), handed to the screen."""

    def __init__(self, sizes: dict[str, int], show: Callable[[str, int, int], None], call) -> None:
        self.sizes, self.done, self.show, self.call = dict(sizes), {}, show, call

    def __call__(self, filename: str, done: int, total: int) -> None:
        self.sizes[filename] = total
        self.done[filename] = done
        self.call(self.show, filename, sum(self.done.values()), sum(self.sizes.values()))


class ImportScreen(Form, ReconScreen):
    SUB_TITLE = "Import"
    BINDINGS = [
        Binding("f5", "dry_run", "Dry run", id="dry_run",
                tooltip="What the import would change, per file; nothing is written"),
        Binding("ctrl+s", "import", "Import…", id="import",
                tooltip="Import the files of the dry run (asks first; a backup copy is made before)"),
    ]

    busy = var(False, bindings=True)  # a dry run or the import is running
    writing = var(False, bindings=True)  # the import is running: stay until it is done
    ready = var(False, bindings=True)  # the dry run shown is of the folder and profile chosen, with records to write

    def __init__(self, folder: str = "") -> None:
        super().__init__()
        self.folder = folder
        self.preview: ImportResult | None = None
        self.preview_warnings: list[str] = []
        self.previewed: tuple[str, str] | None = None  # (folder, profile) of the dry run shown
        self.sizes: dict[str, int] = {}  # file -> bytes, as the dry run read them
        self.imported = False  # an import was written: the open steps' figures are stale

    def compose(self) -> ComposeResult:
        names = self.app.service.import_profile_names()
        options = [(name, name) for name in names] + [(NO_PROFILE_LABEL, NO_PROFILE)]
        yield from self.compose_header()
        yield Breadcrumb(("Import the studio's files",))
        with Vertical(id="import"):
            with Horizontal(id="import-folder-row", classes="import-row"):
                yield Label("Folder", classes="import-label")
                yield FolderField(self.folder, placeholder="the folder of the studio system's exports",
                                  id="import-folder", compact=True)
            with Horizontal(id="import-profile-row", classes="import-row"):
                yield Label("Profile", classes="import-label")
                yield Select(options, value=names[0] if names else NO_PROFILE, allow_blank=False,
                             id="import-profile", compact=True)
            yield StatusLine("F5 or Enter: a dry run shows what the import would change; nothing is written.",
                             id="import-status")
            yield Static("", id="import-summary", markup=False)
            files = ItemTable(id="import-files")
            files.display = False
            yield files
            problems = ItemTable(id="import-problems")
            problems.display = False
            yield problems
            yield Static("", id="import-detail", classes="hint", markup=False)
            yield Static("", id="import-warnings", classes="warning", markup=False)
            with Horizontal(id="import-progress-row"):
                yield Static("", id="import-progress-file", markup=False)
                yield ProgressBar(id="import-progress", show_eta=False)
            yield StatusLine("", id="import-result")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        files = self.query_one("#import-files", ItemTable)
        files.add_column("Source file", key="source")
        files.add_column("Kind", key="kind")
        for title, key in (("New", "new"), ("Changed", "changed"), ("Unchanged", "unchanged")):
            files.add_column(number_header(title), key=key)
        for each in ("#import-detail", "#import-warnings", "#import-progress-row"):
            self.query_one(each).display = False
        self.query_one("#import-folder", Input).focus()

    # -- what is chosen -------------------------------------------------------------------------------

    def chosen(self) -> tuple[str, str]:
        """The folder as typed (trimmed) and the profile ("" : none)."""
        profile = self.query_one("#import-profile", Select).value
        return self.query_one("#import-folder", Input).value.strip(), profile if isinstance(profile, str) else ""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "import-folder":
            self._changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._changed()

    def _changed(self) -> None:
        """Another folder or profile: the dry run shown is not of it any more."""
        if self.previewed is not None and self.previewed != self.chosen() and not self.busy:
            self.previewed, self.ready = None, False
            self._say("The folder or profile changed: F5 runs the dry run again.")
            self.query_one("#import-result", StatusLine).say("")

    def form_fields(self) -> list:
        return [self.query_one("#import-folder")]

    def field_action(self, field):
        return self.action_dry_run  # Enter in the folder: the dry run (as F5)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dry_run":
            return not self.busy
        if action == "import":
            return self.ready and not self.busy
        if action == "back" and self.writing:
            return False  # stay until the import is written and its outcome shown
        return super().check_action(action, parameters)

    def action_back(self) -> None:
        if self.writing:
            return
        steps = self.app.wizard_steps()
        if self.imported and len(steps) > 1:
            self.app.go_back_to(steps[0])  # the steps open read their figures before the import
        else:
            super().action_back()

    # -- the dry run ----------------------------------------------------------------------------------

    def action_dry_run(self) -> None:
        if self.busy:
            return
        folder, profile = self.chosen()
        problem = folder_problem(folder)
        if problem:
            self._clear()
            self._say(problem, "error")
            self.query_one("#import-folder", Input).focus()
            return
        self.busy, self.ready, self.previewed = True, False, None
        self._clear()
        self._say(f"Dry run: reading {folder}… nothing is written.")
        self._start_progress("Reading")
        self.dry_run(folder, profile)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def dry_run(self, folder: str, profile: str) -> None:
        progress = Progressed({}, self._progress, self.app.call_from_thread)
        try:
            result, warnings = self.app.service.import_preview(Path(folder).expanduser(), profile or None, progress)
        except ImportFailed as failed:
            self.app.call_from_thread(self._failed, folder, failed.result, dry=True)
            return
        except (StoreError, OSError) as exc:  # a database or folder problem: said in words
            self.app.call_from_thread(self._cannot, "Cannot read the folder", exc)
            return
        self.app.call_from_thread(self._previewed, folder, profile, result, warnings, progress.sizes)

    def _previewed(self, folder: str, profile: str, result: ImportResult, warnings: list[str],
                   sizes: dict[str, int]) -> None:
        self.busy = False
        if not self.is_attached:
            return
        self._stop_progress()
        self.preview, self.preview_warnings, self.sizes = result, warnings, sizes
        self.previewed = (folder, profile)
        new, changed, _ = counts(result)
        if not result.files:
            self._say(f"No files to import in {folder}" + (f" (profile {profile})." if profile else "."), "error")
            return
        self.query_one("#import-summary", Static).update(f"Dry run of {folder}: {counts_text(result)}.")
        self._show_files(result)
        self._show_warnings(result.warnings + warnings)
        self.ready = bool(new or changed) and self.chosen() == self.previewed
        if self.chosen() != self.previewed:  # typed over while it ran: this is another folder's
            self._say("The folder or profile changed: F5 runs the dry run again.")
            return
        self._say("Dry run done: nothing was written.")
        self.query_one("#import-result", StatusLine).say(
            f"Ctrl+S imports {records(new + changed)} (asks first)." if self.ready else
            "Every record is unchanged: nothing to import.", "hint" if self.ready else "ok")

    # -- the import -----------------------------------------------------------------------------------

    def action_import(self) -> None:
        if not self.ready or self.busy or self.preview is None or self.previewed is None:
            return
        folder, profile = self.previewed
        new, changed, unchanged = counts(self.preview)
        db = self.app.service.db_path
        text = (f"{records(new + changed)} will be written to {db}: {new:,} new, {changed:,} changed "
                f"({unchanged:,} unchanged are left as they are).\n"
                f"From {folder}, " + (f"through the profile {profile}." if profile else
                                      "as recon-tui's own CSV files (customers.csv, orders.csv, …)."))
        keep = self.app.service.config.backups_keep
        note = ("A backup copy of the database is made first, in backups/ beside it." if keep > 0 else
                f"No backup copy is made first: backups.keep is 0 in {self.app.service.config.path.name}.")
        self.app.push_screen(ConfirmImport(f"Import {records(new + changed)}?", text, note, self.preview_warnings),
                             lambda yes: self._start_import(folder, profile) if yes else None)

    def _start_import(self, folder: str, profile: str) -> None:
        self.busy = self.writing = True
        self.ready = False
        self.query_one("#import-result", StatusLine).say("")
        self._say(f"Importing from {folder}…")
        self._start_progress("Importing")
        self.run_import(folder, profile, dict(self.sizes))

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def run_import(self, folder: str, profile: str, sizes: dict[str, int]) -> None:
        progress = Progressed(sizes, self._progress, self.app.call_from_thread)
        try:
            result, warnings = self.app.service.import_checked(Path(folder).expanduser(), progress,
                                                               profile=profile or None)
        except ImportFailed as failed:
            self.app.call_from_thread(self._failed, folder, failed.result, dry=False)
            return
        except (StoreError, NotAllowed, RecordRefused, OSError) as exc:  # the backup could not be made, the
            # database is locked: nothing written
            self.app.call_from_thread(self._cannot, "Cannot import", exc)
            return
        self.app.call_from_thread(self._imported, folder, result, warnings)

    def _imported(self, folder: str, result: ImportResult, warnings: list[str]) -> None:
        self.busy = self.writing = False
        self.imported = True
        self.post_message(BooksChanged())  # the records changed: the tie-out's diagnosis is another's
        if not self.is_attached:
            return
        self.previewed, self.ready = None, False
        bar = self.query_one(ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)
        self.query_one("#import-progress-file", Static).update("Imported")
        self.query_one("#import-summary", Static).update(f"Imported from {folder}: {counts_text(result)}.")
        self._show_files(result)
        self._show_warnings(result.warnings + warnings)
        new, changed, _ = counts(result)
        again = " Esc goes back to the start screen: the steps read their figures again." if len(
            self.app.wizard_steps()) > 1 else ""
        self._say("Imported. A backup copy of the database was made first, in backups/ beside it."
                  if self.app.service.config.backups_keep > 0 else "Imported.")
        self.query_one("#import-result", StatusLine).say(
            f"Done: {records(new + changed)} written to {self.app.service.db_path}.{again}", "ok")

    # -- what went wrong ------------------------------------------------------------------------------

    def _failed(self, folder: str, result: ImportResult, dry: bool) -> None:
        self.busy = self.writing = False
        if not self.is_attached:
            return
        self._clear()
        count = len(result.problems)
        self.query_one("#import-summary", Static).update(
            f"{'Dry run of' if dry else 'Import from'} {folder}: {count:,} problem{'' if count == 1 else 's'}; "
            "nothing was written.")
        problems = self.query_one("#import-problems", ItemTable)
        problems.display = True
        render = problem_rows(folder)
        self._problem_columns(problems, result.problems, render)
        problems.show(result.problems, render)
        problems.focus()  # j/k, / at once; shift+tab goes back to the folder
        self._show_warnings(result.warnings)
        self._say("Correct the files (each problem: file:line, column), then F5 again.", "error")
        self.query_one("#import-detail").display = True
        self._detail()

    def _problem_columns(self, table: ItemTable, problems, render) -> None:
        """Where and the column in full; the message as wide as the rest of the screen (cut with …;
        the line under the table holds the highlighted one in full), so nothing scrolls sideways."""
        shown = [[str(c) for c in render(p)] for p in problems[:500]]
        where = max([9, *(len(r[0]) for r in shown)])
        column = min(24, max([6, *(len(r[1]) for r in shown)]))
        # the screen less its padding, the three cells' padding and the scroll bar
        message = max(20, self.app.size.width - 2 - where - column - 6 - 2)
        table.clear(columns=True)
        table.add_column("File:line", key="where", width=where)
        table.add_column("Column", key="column", width=column)
        table.add_column("Problem", key="message", width=message)

    def _cannot(self, what: str, exc: Exception) -> None:
        self.busy = self.writing = False
        if not self.is_attached:
            return
        self._stop_progress()
        self._say(f"{what}: {' '.join(str(exc).split())}. Nothing was written.", "error")

    def on_data_table_row_highlighted(self, event) -> None:
        if event.data_table.id == "import-problems":
            self._detail()

    def _detail(self) -> None:
        """The highlighted problem in full, as the CLI prints it (a long message is cut in the table)."""
        problem = self.query_one("#import-problems", ItemTable).highlighted_item()
        self.query_one("#import-detail", Static).update(str(problem) if problem is not None else "")

    # -- the parts of the screen ----------------------------------------------------------------------

    def _say(self, text: str, tone: str = "hint") -> None:
        self.query_one("#import-status", StatusLine).say(text, tone)

    def _clear(self) -> None:
        self.query_one("#import-summary", Static).update("")
        self.query_one("#import-result", StatusLine).say("")
        for each in ("#import-files", "#import-problems", "#import-detail", "#import-warnings",
                     "#import-progress-row"):
            self.query_one(each).display = False

    def _show_files(self, result: ImportResult) -> None:
        table = self.query_one("#import-files", ItemTable)
        table.display = True
        table.show(result.files, file_row)

    def _show_warnings(self, warnings: list[str]) -> None:
        shown = self.query_one("#import-warnings", Static)
        shown.update("\n".join(f"⚠ {w}" for w in warnings))
        shown.display = bool(warnings)

    def _start_progress(self, doing: str) -> None:
        self.query_one("#import-progress-row").display = True
        self.query_one("#import-progress-file", Static).update(doing)
        self.query_one(ProgressBar).update(total=None, progress=0)

    def _progress(self, filename: str, done: int, total: int) -> None:
        if self.is_attached:
            self.query_one("#import-progress-file", Static).update(Path(filename).name)
            self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _stop_progress(self) -> None:
        self.query_one("#import-progress-row").display = False
