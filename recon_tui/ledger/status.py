"""An order's status at a date (DOMAIN §4)."""

from __future__ import annotations

from datetime import date

from recon_tui.model import Status


def status_at(day: date | str, ordered_on, built_on=None, completed_on=None, voided_on=None) -> Status | None:
    """The order's status on ``day``; None when it does not exist yet.

    Works on ``date`` objects or ISO text alike (ISO dates compare as dates).
    """
    if voided_on is not None and voided_on <= day:
        return Status.VOIDED
    if completed_on is not None and completed_on <= day:
        return Status.COMPLETED
    if built_on is not None and built_on <= day:
        return Status.BUILT
    if ordered_on <= day:
        return Status.WIP
    return None
