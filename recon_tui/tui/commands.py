"""Command palette entries: jump back to any step already visited, the history, posting, importing,
the export, the help, and quitting (which asks, as Ctrl+Q does).

The entries call the app (which knows the steps and the screens); nothing here imports a screen.
Textual's own entries (keys, maximize, screenshot, theme) are left out: the palette lists ours.
A name whose words start with what was typed comes first ("tie" finds the tie-out, not Import).
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


def word_start_score(query: str, name: str) -> float:
    """1 and more when the typed text starts a word of ``name`` (earlier words first), else 0."""
    needle = query.strip().casefold()
    words = name.casefold().replace(":", " ").split()
    for index, word in enumerate(words):
        if word.startswith(needle) or word.replace("-", "").startswith(needle):
            return 2.0 - index / (len(words) + 1)
    return 0.0


class ListedCommands(Provider):
    """A provider whose entries are a list of (name, help, callback) from ``_commands``."""

    def _commands(self) -> list[tuple[str, str, object]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(max(score, word_start_score(query, name)), matcher.highlight(name), callback,
                          help=help_text)


class StepCommands(ListedCommands):
    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        commands = [(f"Go to step: {app.step_of(screen).title}",
                     f"Back to step {app.step_of(screen).number} (entries are kept)", partial(app.go_back_to, screen))
                    for screen in app.wizard_steps() if screen is not app.screen]
        commands.append(("History: finalized reconciliations", "Open, re-check or reopen a record",
                         app.action_history))
        commands.append(("Post to QuickBooks", "Post the events not yet posted as an IIF batch; re-export a batch",
                         app.action_open_post))
        commands.append(("Import the studio's files", "A dry run of a folder (per file: new, changed, unchanged), "
                         "then the import", app.action_open_import))
        if app.wizard.period(app.today) is not None:
            commands.append(("Export: this period's report as text", "Saved beside the database, laid out like "
                             "the reconciliation page", app.action_export_report))
        commands.append(("Help: the keys of this screen", "Every key that works here", app.action_help))
        commands.append(("Quit recon-tui", "Asks first while a reconciliation is in progress", app.action_quit))
        return commands
