"""Where you are in the drill-down: "Review › Balance Sheet › Deposits (Change) › Order B"."""

from __future__ import annotations

from textual.widgets import Static

SEPARATOR = " › "


class Breadcrumb(Static):
    DEFAULT_CSS = """
    Breadcrumb { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    """

    def __init__(self, crumbs: tuple[str, ...], **kwargs) -> None:
        super().__init__(SEPARATOR.join(crumbs), markup=False, **kwargs)
        self.crumbs = crumbs
