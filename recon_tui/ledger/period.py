"""The reconciliation period ``(previous, current]`` and order status at a date (DOMAIN §2, §4)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class PeriodError(ValueError):
    """Dates that do not make a period."""


@dataclass(frozen=True)
class Period:
    """Every event dated after ``previous`` and on or before ``current``."""

    previous: date
    current: date

    def __post_init__(self) -> None:
        if not self.previous < self.current:
            raise PeriodError(f"the previous date {self.previous} must be before the current date {self.current}")

    @classmethod
    def parse(cls, previous: str, current: str) -> "Period":
        return cls(parse_date(previous, "previous"), parse_date(current, "current"))

    def __contains__(self, day: date) -> bool:
        return self.previous < day <= self.current

    def __str__(self) -> str:
        return f"({self.previous}, {self.current}]"


def parse_date(text: str, what: str = "date") -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except (ValueError, TypeError):
        raise PeriodError(f"{what}: {text!r} is not a date (expected YYYY-MM-DD)") from None


class Status(enum.Enum):
    WIP = "WIP"
    BUILT = "BUILT"
    COMPLETED = "COMPLETED"
    VOIDED = "VOIDED"


def status_at(day: date | str, ordered_on, built_on=None, completed_on=None, voided_on=None) -> Status | None:
    """DOMAIN §4: the order's status on ``day``; None when it does not exist yet.

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
