"""Table cells every screen writes the same way: amounts right-aligned, names that are never markup."""

from __future__ import annotations

from rich.text import Text

from recon_tui.money import format_grouped


def money(cents: int, style: str = "") -> Text:
    """An amount as the studio writes it (1,234.56), right-aligned; ``style`` is e.g. "bold" for a total."""
    return Text(format_grouped(cents), justify="right", style=style)


def number_header(title: str) -> Text:
    """A column title over amounts or counts, right-aligned like them."""
    return Text(title, justify="right")


def cell(text: str, style: str = "") -> Text:
    """A cell that is never read as markup (names and memos come from files) and ends in … if cut."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")
