"""The journal of DOMAIN §8 as an hledger / ledger journal, for the studio's accountant.

``hledger -f FILE bal -e D+1`` then shows the posted balance of every account at D. Each event is
one transaction: date, a description naming the event and the customer, the event key as a tag,
and the entry's lines (positive = debit), amounts without a commodity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from recon_tui.model import Entry, describe_key
from recon_tui.money import format_cents

_SPACES = re.compile(r"\s{2,}|\t")


def account_name(name: str) -> str:
    """hledger ends an account name at two spaces or a tab; a ';' would start a comment."""
    return _SPACES.sub(" ", name.replace(";", ",")).strip()


def description(text: str) -> str:
    """'|' splits payee from note and ';' starts a comment in a description: keep neither."""
    return " ".join(text.replace("|", "/").replace(";", ",").split())


def write_journal(out: TextIO, entries: Iterable[Entry], *, studio: str, method: str, through: str) -> int:
    out.write(f"; {description(studio)}: recon-tui journal (the entries posting gives QuickBooks), {method} method, events through {through}\n"
              f"; amounts in the studio's currency; positive = debit\n\n")
    count = 0
    for entry in entries:
        out.write(f"{entry.on.isoformat()} {description(describe_key(entry.key) + ' · ' + entry.customer)}  ; event:{entry.key}\n")
        width = max(len(account_name(line.account)) for line in entry.lines) + 4
        for line in entry.lines:
            name = account_name(line.account)
            out.write(f"    {name.ljust(width)}{format_cents(line.amount):>14}\n")
        out.write("\n")
        count += 1
    return count
