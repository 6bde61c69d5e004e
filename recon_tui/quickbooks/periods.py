"""The dates a QuickBooks report says it covers: its title's date line, or a Transaction List's
period row. They tell the diagnosis where an export starts (DOMAIN §9: opening balances)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {name: number for number, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")), 1) for name in names}
_SIDE = re.compile(r"(?:(?P<month>[a-z]+)\.?)?\s*(?P<first>\d{1,4})?(?:\s*,\s*(?P<year>\d{4}|\d{2}))?", re.ASCII)
_ALL_DATES = frozenset({"all transactions", "all dates", "all"})


@dataclass(frozen=True)
class ReportPeriod:
    """The dates a report says it covers (its title block, or the Transaction List's period row)."""

    start: date | None  # None: from the company's first transaction (Dates: All)
    end: date | None  # None: to its last
    text: str
    line: int


def _year(text: str) -> int:
    number = int(text)
    return number if len(text) == 4 else number + (2000 if number < 50 else 1900)


def _side(text: str, left: bool) -> tuple[int | None, int | None, int | None] | None:
    """``"October 31, 2026"`` -> (10, 31, 2026); ``"Jan"`` -> (1, None, None); None if not a date.

    A lone number after a month is a year (``October 2026``, the period row's ``Oct 26``), except on
    the left of a range, where the year comes after the right side (``January 1 through ...``)."""
    match = _SIDE.fullmatch(text.strip().casefold())
    if match is None or not any(match.groups()):
        return None
    month, number, year = match.group("month"), match.group("first"), match.group("year")
    if month is not None and month not in _MONTHS:
        return None
    day = None
    if number is not None:
        if year is not None or (left and len(number) <= 2):
            if len(number) > 2:
                return None
            day = int(number)
        elif len(number) in (2, 4):
            year = number
        else:
            return None
    return (_MONTHS[month] if month else None, day, _year(year) if year else None)


def parse_period(text: str, line: int = 0) -> ReportPeriod | None:
    """The period in a report's date line, in QuickBooks Desktop's forms (None if it is not one):
    ``All Transactions``; ``As of October 31, 2026``; ``January 1 through October 31, 2026``;
    ``December 15, 2025 through January 14, 2026``; ``October 2026``; ``October 1 - 31, 2026``;
    the Transaction List's period row ``Jan - Dec 26``, ``Oct 26``, ``Jan 1 - Oct 31, 26``."""
    clean_text = " ".join(text.split())
    low = clean_text.casefold()
    if low in _ALL_DATES:
        return ReportPeriod(None, None, clean_text, line)
    if low.startswith("as of "):
        end = _side(low[6:], False)
        if end is None or None in end:
            return None
        try:
            return ReportPeriod(None, date(end[2], end[0], end[1]), clean_text, line)
        except ValueError:
            return None
    for separator in (" through ", " - ", "-", " to "):
        if separator in low:
            left, right = low.split(separator, 1)
            break
    else:
        left = right = low
        separator = ""
    first, last = _side(left, bool(separator)), _side(right, False)
    if first is None or last is None:
        return None
    year = last[2]
    month_end = last[0] if last[0] is not None else first[0]
    if year is None or month_end is None or first[0] is None:
        return None
    if not separator and last[1] is not None:
        return None  # a single day is no period ("October 31, 2026" is a print date or an As of)
    try:
        start = date(first[2] or year, first[0], first[1] or 1)
        if first[2] is None and start > date(year, month_end, 1):  # "December 15 through January 14, 2026"
            start = start.replace(year=year - 1)
        end = date(year, month_end, last[1] or calendar.monthrange(year, month_end)[1])
    except ValueError:
        return None
    return ReportPeriod(start, end, clean_text, line) if start <= end else None


def title_period(preamble: list[tuple[int, list[str]]]) -> ReportPeriod | None:
    for line, row in preamble:
        for cell in row:
            if cell.strip():
                found = parse_period(cell, line)
                if found is not None:
                    return found
    return None
