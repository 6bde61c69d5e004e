"""Keyboard-only steps through the wizard, shared by the pilot and snapshot tests."""

from __future__ import annotations

from textual.pilot import Pilot

#: DOMAIN §11: the system's net receipts per bank method in (2026-03-31, 2026-04-30]
WORKED_COUNTS = {"cash": "0", "check": "30", "eft": "-150", "credit_card": "266", "other": "0"}


async def settle(pilot: Pilot) -> None:
    """Let the thread workers finish and their results reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # a worker may start another (first page, then totals)
    await pilot.pause()


async def to_dates(pilot: Pilot, method: str = "accrual") -> None:
    await settle(pilot)
    if method != pilot.app.wizard.method:
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
