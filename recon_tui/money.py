"""Cents <-> text: the one place money is parsed or formatted.

Money is an ``int`` number of cents everywhere inside the program. Text form (CSV, JSON) is
``-1234.56``: optional minus, digits, a point and exactly two decimals; no sign, no separators.
"""

from __future__ import annotations

import re

_AMOUNT = re.compile(r"^(-)?([0-9]+)(?:\.([0-9]{1,2}))?$")  # ASCII digits only (not \d)


class MoneyError(ValueError):
    """Text that is not an amount."""


def parse_cents(text: str) -> int:
    """``"-12.5"`` -> ``-1250``. Accepts 0, 1 or 2 decimals; rejects anything else."""
    match = _AMOUNT.match(text.strip())
    if match is None:
        raise MoneyError(f"not an amount: {text!r} (expected e.g. 1234.56 or -12.00)")
    sign, units, decimals = match.groups()
    cents = int(units) * 100 + int((decimals or "").ljust(2, "0"))
    return -cents if sign else cents


def format_cents(cents: int) -> str:
    """``-1250`` -> ``"-12.50"``."""
    if not isinstance(cents, int):  # guards against a float sneaking in from a computation
        raise TypeError(f"money must be int cents, got {type(cents).__name__}")
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units}.{rest:02d}"


def format_grouped(cents: int) -> str:
    """For screens and printed reports: ``-1234567`` -> ``"-12,345.67"``."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units:,}.{rest:02d}"
