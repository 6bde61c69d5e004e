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


#: The largest amount anyone may type or import (999,999,999.99): the importer's limit too. It keeps
#: every value and any realistic SUM() inside SQLite's 64-bit INTEGER, which would otherwise fail
#: mid-import with an OverflowError.
MAX_CENTS = 10**11 - 1

# As people type money and as QuickBooks displays it: an optional $, thousands separated by commas
# (in threes) or not at all, 0-2 decimals; negative with a minus or in parentheses.
_TYPED = re.compile(r"^(-)?\$?\s*(-)?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.([0-9]{0,2}))?$")


def parse_typed_cents(text: str) -> int:
    """An amount as a person types it: ``35,666.67``, ``$1,234.50``, ``(100.00)``, ``-1,234.50``,
    ``1234.5``. Refuses amounts above ``MAX_CENTS``; the strict ``parse_cents`` stays for files."""
    body = text.strip()
    negative = body.startswith("(") and body.endswith(")")
    if negative:
        body = body[1:-1].strip()
    match = _TYPED.match(body)
    if match is None or not body or (negative and match.group(1, 2) != (None, None)):
        raise MoneyError(f"{text.strip()!r} is not an amount (e.g. 1,234.56, $1,234.56, -12.00 or (12.00))")
    minus, minus_after_sign, units, decimals = match.groups()
    if minus and minus_after_sign or not (units or decimals):
        raise MoneyError(f"{text.strip()!r} is not an amount (e.g. 1,234.56, $1,234.56, -12.00 or (12.00))")
    cents = int(units.replace(",", "") or "0") * 100 + int((decimals or "").ljust(2, "0"))
    if cents > MAX_CENTS:
        raise MoneyError(f"{text.strip()!r} is too large (at most {format_grouped(MAX_CENTS)})")
    return -cents if negative or minus or minus_after_sign else cents
