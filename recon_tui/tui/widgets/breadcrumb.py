"""Where you are in the drill-down: "Review › Balance Sheet › Deposits (Change) › Order B".

The last crumb is where you are, so a trail too long for the screen loses its first crumbs
("… › Deposits (Change) › Order B"), never the last one.
"""

from __future__ import annotations

from textual.widgets import Static

SEPARATOR = " › "


def fitted(crumbs: tuple[str, ...], width: int) -> str:
    """The trail in ``width`` cells: the first crumbs give way to "…" before the last is cut."""
    shown = list(crumbs)
    text = SEPARATOR.join(shown)
    while len(text) > width and len(shown) > 1:
        shown.pop(0)
        text = SEPARATOR.join(["…", *shown])
    return text if len(text) <= width else "…" + text[len(text) - width + 1:]


class Breadcrumb(Static):
    DEFAULT_CSS = """
    Breadcrumb { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    """

    def __init__(self, crumbs: tuple[str, ...], **kwargs) -> None:
        super().__init__(SEPARATOR.join(crumbs), markup=False, **kwargs)
        self.crumbs = crumbs

    def on_resize(self) -> None:
        self.update(fitted(self.crumbs, max(1, self.content_size.width)))
