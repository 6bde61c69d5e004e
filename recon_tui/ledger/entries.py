"""Journal entries as posted to QuickBooks (DOMAIN §8): the types every part of the link shares.

An entry is one event's balanced journal entry. Amounts are integer cents, **positive = debit**,
negative = credit; the lines of an entry sum to zero. Lines to one account are netted, zero lines
are left out, and an Accounts Receivable line, if any, comes first (QuickBooks takes the first line
as the transaction's source and refuses a journal entry with more than one A/R line).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class Line(NamedTuple):  # NamedTuples: a ten-year journal is millions of them
    account: str  # the QuickBooks account name from the config, sub-accounts as Parent:Child
    amount: int  # cents; positive = debit, negative = credit


class Entry(NamedTuple):
    """One event's journal entry.

    ``key`` names the event and never changes while the source record exists:
    ``order:<order_id>:completed``, ``order:<order_id>:voided``, ``payment:<payment_id>``,
    ``adjustment:<adjustment_id>``.
    """

    key: str
    on: date
    customer: str  # the customer's name; every line carries it (QuickBooks' NAME column)
    lines: tuple[Line, ...]

    def amount_on(self, account: str) -> int:
        return sum(line.amount for line in self.lines if line.account == account)

    @property
    def balanced(self) -> bool:
        return sum(line.amount for line in self.lines) == 0


def make_lines(pairs, receivable: str) -> tuple[Line, ...]:
    """Net ``(account, amount)`` pairs per account, drop zero lines, put ``receivable`` first.

    The other accounts keep the order in which they first appear in ``pairs``.
    """
    accounts = [account for account, _ in pairs]
    if len(set(accounts)) == len(accounts):  # the usual case: nothing to net
        lines = [Line(account, amount) for account, amount in pairs if amount]
        if lines and lines[0].account != receivable and any(line.account == receivable for line in lines):
            lines.sort(key=lambda line: line.account != receivable)
        return tuple(lines)
    net: dict[str, int] = {}
    for account, amount in pairs:
        net[account] = net.get(account, 0) + amount
    lines = [Line(account, amount) for account, amount in net.items() if amount]
    lines.sort(key=lambda line: line.account != receivable)  # stable: A/R first, the rest as they came
    return tuple(lines)


def split_key(key: str) -> tuple[str, str]:
    """An event key's kind and record: 'payment:P1' -> ('payment', 'P1'),
    'order:A:completed' -> ('completed', 'A'), 'order:A:voided' -> ('voided', 'A')."""
    kind, _, rest = key.partition(":")
    if kind == "order":
        record, _, event = rest.rpartition(":")
        return event, record
    return kind, rest


def describe_key(key: str) -> str:
    """'payment:P1' -> 'payment P1'; 'order:A:completed' -> 'order A completed'."""
    kind, record = split_key(key)
    return f"order {record} {kind}" if kind in ("completed", "voided") else f"{kind} {record}"
