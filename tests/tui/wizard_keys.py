"""Two ways to a step of the wizard, shared by the pilot and snapshot tests.

A test of one screen goes straight to it (``open_at``): the entries the earlier steps would have
taken are put in the wizard's state and the steps' screens pushed, one after the other, each loaded
before the next, as the app pushes them. Only the keyboard walks (test_wizard.py, and the whole
reconciliation in test_closing.py) press their way there (``to_dates`` ... ``to_tie_out``). The
snapshots are the same either way: the SVGs, recorded by walking, are the proof that both arrive
at the same state.
"""

from __future__ import annotations

from textual.pilot import Pilot

from conftest import WORKED_TODAY

from recon_tui.tui.screens.count import CountScreen
from recon_tui.tui.screens.dates import DatesScreen
from recon_tui.tui.screens.review import ReviewScreen
from recon_tui.tui.screens.finalize import build_request
from recon_tui.tui.screens.tieout import TieOutScreen
from recon_tui.tui.wizard import WizardState

#: DOMAIN §11: the system's net receipts per bank method in (2026-03-31, 2026-04-30]
WORKED_COUNTS = {"cash": "0", "check": "30", "eft": "-150", "credit_card": "266", "other": "0"}

#: the steps after Start, in order, as the app pushes them
STEPS = {"Dates": DatesScreen, "Count": CountScreen, "Review": ReviewScreen, "Tie-out": TieOutScreen}


def finalize_april(service, final_notes: str = "April close", **entries) -> None:
    """#1, April by the accrual method, finalized before the app runs: the request the wizard makes
    at its last step (the worked example's counts, QuickBooks balance 0.00; ``entries`` change it)."""
    wizard = WizardState(**{"method": "accrual", "previous": "2026-03-31", "current": "2026-04-30",
                            "counted": WORKED_COUNTS, "qb_balance": "0", "final_notes": final_notes, **entries})
    service.finalize(build_request(wizard, service.reconcile(wizard.period(WORKED_TODAY), "accrual")))


async def settle(pilot: Pilot) -> None:
    """Let the thread workers finish and their results reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # a worker may start another (first page, then totals)
    await pilot.pause()


async def open_at(pilot: Pilot, step: str, method: str | None = None, previous: str = "2026-03-31",
                  current: str = "2026-04-30", counts: dict[str, str] | None = None,
                  notes: dict[str, str] | None = None) -> None:
    """Straight to ``step`` (Dates, Count, Review or Tie-out) from the start screen, with the method
    (default: the config's), dates ("" leaves them to the Dates screen), counts (default: the worked
    example's) and notes entered."""
    app = pilot.app
    await settle(pilot)
    if method is not None and method != app.wizard.method.name:
        methods = app.screen.query_one("#method")
        methods.highlighted = methods.get_option_index(method)  # as ↑↓ on the start screen
        await pilot.pause()
    app.wizard = app.wizard.entered(started=True, previous=previous, current=current,
                                    counted=WORKED_COUNTS if counts is None else counts, notes=notes or {})
    for name, screen in STEPS.items():
        app.push_screen(screen())
        await settle(pilot)
        if name == step:
            break
    assert app.screen.STEP == step


# -- by keys, for the keyboard walks --------------------------------------------------------------

async def to_dates(pilot: Pilot, method: str = "accrual") -> None:
    await settle(pilot)
    if method != pilot.app.wizard.method.name:
        await pilot.press("down" if method == "cash" else "up")
    await pilot.press("enter")
    await settle(pilot)


async def type_dates(pilot: Pilot, previous: str, current: str) -> None:
    await pilot.press("ctrl+u", *previous, "tab", "ctrl+u", *current)
    await settle(pilot)


async def to_count(pilot: Pilot, method: str = "accrual", previous="2026-03-31", current="2026-04-30") -> None:
    await to_dates(pilot, method)
    await type_dates(pilot, previous, current)
    await pilot.press("enter")
    await settle(pilot)


async def type_counts(pilot: Pilot, counts: dict[str, str], notes: dict[str, str] | None = None) -> None:
    notes = notes or {}
    for method, amount in counts.items():
        await pilot.press(*amount, "tab", *notes.get(method, ""), "tab")
    await settle(pilot)


async def to_review(pilot: Pilot, method: str = "accrual") -> None:
    await to_count(pilot, method)
    await type_counts(pilot, WORKED_COUNTS)
    await pilot.press("ctrl+n")
    await settle(pilot)


async def to_tie_out(pilot: Pilot, method: str = "accrual") -> None:
    await to_review(pilot, method)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert pilot.app.screen.STEP == "Tie-out"
