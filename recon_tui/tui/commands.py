"""Command palette entries: jump back to any step already visited, or open the help.

The entries call the app (which knows the steps and the screens); nothing here imports a screen.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


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
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


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
        commands.append(("Help: every key", "List the keys of every screen", app.action_help))
        return commands
