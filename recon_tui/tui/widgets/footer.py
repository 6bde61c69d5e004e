"""Textual's Footer, recomposed at most once per refresh however often the bindings change.

Textual's Footer queues a full recompose (a dozen widgets) for every ``refresh_bindings()`` call.
Filling a table or moving a cursor asks for that many times in one go, and a backlog of a hundred
recomposes kept the review busy for a second before the next keypress was handled (measured with
bench/bench_tui.py). One pending recompose at a time shows exactly the same keys, and none at all
when the keys on display did not change (most focus moves), which also halves a keypress's work.
"""

from __future__ import annotations

from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Compact, and without the palette's own corner: every screen's keys fit 80 columns (Ctrl+P is
    in the help)."""

    _recompose_pending = False

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        kwargs.setdefault("show_command_palette", False)
        super().__init__(*args, **kwargs)
    _shown: tuple | None = None  # the keys on display: moving the focus often changes none of them

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._recompose_pending:
            self._recompose_pending = True
            self.call_after_refresh(self._recompose_once)

    def _keys(self) -> tuple:
        return tuple((binding.key, binding.description, enabled, tooltip)
                     for _, binding, enabled, tooltip in self.screen.active_bindings.values() if binding.show)

    async def _recompose_once(self) -> None:
        self._recompose_pending = False
        if not self.is_attached:  # its screen was dismissed or switched away meanwhile
            return
        try:
            keys = self._keys()
        except NoScreen:
            return
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
