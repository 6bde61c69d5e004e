"""Textual's Footer, recomposed at most once per refresh however often the bindings change.

Textual's Footer queues a full recompose (a dozen widgets) for every ``refresh_bindings()`` call.
Filling a table or moving a cursor asks for that many times in one go, and a backlog of a hundred
recomposes kept the review busy for a second before the next keypress was handled (measured with
bench/bench_tui.py). One pending recompose at a time shows exactly the same keys.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    _recompose_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_once)

    async def _recompose_once(self) -> None:
        self._recompose_pending = False
        await self.recompose()
