"""The Post screen's questions: a batch, the first batch (which fixes the books' method), a
re-export; the field of QuickBooks' list export and what its account check found, in words."""

from __future__ import annotations

from textual.binding import Binding

from recon_tui.model import METHODS
from recon_tui.tui.screens.confirm import Confirm, asking
from recon_tui.tui.widgets.fields import Field


class ConfirmPost(Confirm[bool]):
    """Says what will be written and what cannot be undone; y/Enter posts, n/Esc does not."""

    BINDINGS = [Binding("y,enter", "answer(True)", "Post", id="yes"),
                Binding("n,escape,q", "answer(False)", "Cancel", key_display="n/esc", id="no")]

    def __init__(self, title: str, text: str, warning: str) -> None:
        super().__init__(*asking(title, text, warning, "y / Enter: post    n / Esc: cancel", note_class="warning"))


class ConfirmFirstPost(Confirm[str | None]):
    """The first batch fixes the books' method for good: no y/Enter here; the user names the method
    (a or c). The other letter switches the screen to that method (its events are listed first)."""

    BINDINGS = [Binding("a", "answer('accrual')", "Accrual", id="first_accrual"),
                Binding("c", "answer('cash')", "Cash", id="first_cash"),
                Binding("n,escape,q", "answer(None)", "Cancel", key_display="n/esc", id="no")]

    def __init__(self, title: str, text: str, warning: str, method: str) -> None:
        other = next(m for m in METHODS if m != method)
        keys = (f"{method[0]}: post by the {method} method    {other[0]}: switch to {other} (lists its events "
                f"first)    n / Esc: cancel")
        super().__init__(*asking(title, text, warning, keys, note_class="warning"))


class ListsField(Field):
    """The path of QuickBooks' list export; Enter checks the accounts against it."""

    BINDINGS = [Binding("enter", "submit", "Check accounts", id="check_accounts_enter", show=False,
                        tooltip="Check the configured accounts against this export (as F4)")]


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
                Binding("n,escape,q", "answer(False)", "Cancel", key_display="n/esc", id="no")]

    def __init__(self, title: str, text: str, warning: str) -> None:
        super().__init__(*asking(title, text, warning, "y / Enter: write the file again    n / Esc: cancel",
                                 note_class="warning"))
