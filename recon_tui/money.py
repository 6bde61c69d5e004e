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
# (in threes) or not at all, 0-2 decimals; negative with one minus (before or after the $, or after
# the amount) or in parentheses (with the $ inside or before them). Only ASCII digits (not \d).
_TYPED = re.compile(r"(?P<minus>-)?\$?\s*(?P<minus_after_dollar>-)?"
                    r"(?P<units>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<decimals>[0-9]{0,2}))?"
                    r"(?P<trailing_minus>-)?")
_PARENTHESES = re.compile(r"(?P<dollar>\$?)\s*\((?P<inside>.*)\)")


def parse_typed_cents(text: str) -> int:
    """An amount as a person types or pastes it: ``35,666.67``, ``$1,234.50``, ``-1,234.50``,
    ``1234.5``, and QuickBooks' negatives ``(100.00)``, ``$(7,794.65)``, ``($7,794.65)``,
    ``-$7,794.65``, ``7,794.65-``. One sign at most. Refuses amounts above ``MAX_CENTS``; the
    strict ``parse_cents`` stays for files."""
    body = text.strip()
    parentheses = _PARENTHESES.fullmatch(body)
    if parentheses is not None:
        body = parentheses["inside"].strip()
        if parentheses["dollar"] and body.startswith("$"):  # $($5): one $ only
            body = ""
    match = _TYPED.fullmatch(body)
    signs = 0 if match is None else sum(map(bool, match.group("minus", "minus_after_dollar", "trailing_minus")))
    if match is None or not (match["units"] or match["decimals"]) or signs + (parentheses is not None) > 1:
        raise MoneyError(f"{text.strip()!r} is not an amount (e.g. 1,234.56, $1,234.56, -12.00 or (12.00))")
    cents = int(match["units"].replace(",", "") or "0") * 100 + int((match["decimals"] or "").ljust(2, "0"))
    if cents > MAX_CENTS:
        raise MoneyError(f"{text.strip()!r} is too large (at most {format_grouped(MAX_CENTS)})")
    return -cents if signs or parentheses is not None else cents
