"""The studio's nouns, defined once: accounting methods, payment methods, the period, journal
entries, the records the posting rules read (DOMAIN §2-§4, §8).

Every layer may import this module and it imports nothing of ours but ``money``: a bank method, a
method's tie-out account or an event key means the same thing in the store, the ledger, the
QuickBooks files and on the screen.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

# -- accounting methods (DOMAIN §7) ----------------------------------------------------------------


@dataclass(frozen=True)
class Method:
    """An accounting method and the account its tie-out checks against QuickBooks.

    ``gl_role`` is the ``gl_accounts`` key of that account; ``sign`` turns a debit-positive amount
    into the account's own sign (A/R is a debit balance, Customer Deposits a credit balance);
    ``line_key`` is the Balance Sheet line (DOMAIN §5) that is the studio figure."""

    name: str
    gl_role: str
    sign: int
    line_key: str
    title: str  # as the start screen names it
    explain: str  # what its tie-out checks, in words
    sheet_label: str  # the Balance Sheet line of the studio figure, as the review names it

    def account(self, gl_accounts) -> str:
        """The QuickBooks account the method ties out, from a config's ``gl_accounts``."""
        return getattr(gl_accounts, self.gl_role)

    @property
    def accrues(self) -> bool:
        """Income is recognized when an order completes (accrual), not as money comes in (cash)."""
        return self is ACCRUAL

    @classmethod
    def of(cls, name: str | Method) -> Method:
        if isinstance(name, Method):
            return name
        try:
            return _BY_NAME[name]
        except (KeyError, TypeError):
            raise ValueError(f"unknown accounting method {name!r}") from None

    def __str__(self) -> str:
        return self.name


ACCRUAL = Method("accrual", "accounts_receivable", 1, "accounts_receivable", "Accrual",
                 "ties out Accounts Receivable = A/R Aging − Deposit Reconciliation outstanding",
                 "Accounts Receivable")
CASH = Method("cash", "customer_deposits", -1, "deposits", "Cash",
              "ties out Customer Deposits = Deposit Reconciliation deposits", "Deposits")
_BY_NAME = {m.name: m for m in (ACCRUAL, CASH)}
#: the methods' names, as the config, the database and the command line spell them
METHODS = tuple(_BY_NAME)


# -- payment methods (DOMAIN §3) ---------------------------------------------------------------------

#: money that reaches the bank (through Undeposited Funds), in the order every report lists them
BANK_METHODS = ("cash", "check", "eft", "credit_card", "other")
#: every payment method a payment record may carry
PAYMENT_METHODS = BANK_METHODS + ("in_store_credit", "bad_debt")
PAYMENT_LABELS = {"cash": "Cash", "check": "Check", "eft": "EFT", "credit_card": "Credit Cards", "other": "Other"}


# -- records and their kinds (DOMAIN §3, §4) ---------------------------------------------------------

#: the five kinds of source record, in import order (each is one CSV file and one table)
RECORD_KINDS = ("customers", "orders", "order_lines", "payments", "credit_adjustments")


class Status(enum.Enum):
    """An order's status at a date (DOMAIN §4; the rule is ``ledger.status.status_at``)."""

    WIP = "WIP"
    BUILT = "BUILT"
    COMPLETED = "COMPLETED"
    VOIDED = "VOIDED"


class Payment(NamedTuple):
    payment_id: str
    on: date
    method: str
    amount: int


class OrderFacts(NamedTuple):
    """One order as the posting rules read it (the store streams a million of them)."""

    order_id: str
    customer: str  # the customer's name
    completed_on: date | None
    voided_on: date | None
    sales_tax: int
    #: (income account, amount) per account, netted, in config order (zero accounts may be left out)
    income: tuple[tuple[str, int], ...]
    #: sorted by (on, payment_id)
    payments: tuple[Payment, ...]

    @property
    def total(self) -> int:
        return sum(amount for _, amount in self.income) + self.sales_tax


class Adjustment(NamedTuple):
    adjustment_id: str
    customer: str
    on: date
    amount: int


@dataclass(frozen=True)
class PaymentTotals:
    """Payments by method: positive and negative amounts kept apart (refunds)."""

    positive: dict[str, int]
    negative: dict[str, int]

    def net(self, method: str) -> int:
        return self.positive.get(method, 0) + self.negative.get(method, 0)


@dataclass(frozen=True)
class OrderTotals:
    """Sums over the orders in each status at one date."""

    wip_subtotal: int
    built_subtotal: int
    completed_total: int  # subtotal + sales tax
    completed_tax: int
    #: paid(o, d) summed over orders WIP, BUILT or VOIDED at d
    deposits: int


# -- the period (DOMAIN §2) --------------------------------------------------------------------------


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
    """``YYYY-MM-DD``; the error says which: empty, another form, or a day the calendar lacks."""
    if isinstance(text, str) and not text.strip():
        raise PeriodError(f"{what} is required (YYYY-MM-DD)")
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except (ValueError, TypeError):
        raise PeriodError(_not_a_date(text, what)) from None


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # not strftime's %B: the words must not follow the locale


def _not_a_date(text: object, what: str) -> str:
    """Why ``text`` is no date, in words: the form is right but there is no such month or day."""
    if isinstance(text, str) and len(text) == 10 and text.isascii() and text[4] == text[7] == "-" \
            and (text[:4] + text[5:7] + text[8:]).isdigit():
        year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
        if not 1 <= month <= 12:
            return f"{what} {text}: there is no month {month:02d}"
        if year >= 1:
            last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
            if not 1 <= day <= last:
                return f"{what} {text}: {_MONTHS[month - 1]} {year} has no day {day}"
    return f"{what}: {text!r} is not a date (expected YYYY-MM-DD)"


# -- journal entries (DOMAIN §8) ---------------------------------------------------------------------


class Line(NamedTuple):  # NamedTuples: a ten-year journal is millions of them
    """One line of an entry. Amounts are integer cents, **positive = debit**, negative = credit."""

    account: str  # the QuickBooks account name from the config, sub-accounts as Parent:Child
    amount: int  # cents; positive = debit, negative = credit


class Entry(NamedTuple):
    """One event's balanced journal entry: its lines sum to zero, lines to one account are netted,
    zero lines are left out, and an Accounts Receivable line, if any, comes first (QuickBooks takes
    the first line as the transaction's source and refuses an entry with more than one A/R line).

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


# -- posting (DOMAIN §8) -----------------------------------------------------------------------------

DOCNUM_LENGTH = 11  # QuickBooks' limit for a journal entry's DOCNUM


class PostingError(Exception):
    """Posting refused; the message is one line and says what to do."""


@dataclass(frozen=True, slots=True)
class Posted:
    """One entry as it was posted, goes into or comes out of an IIF file. MEMO carries ``entry.key``."""

    docnum: str  # at most 11 characters, unique in a file
    entry: Entry


def docnum(prefix: str, seq: int) -> str:
    """The DOCNUM of the ``seq``-th posted entry: the config's prefix and the number, 11 characters."""
    width = DOCNUM_LENGTH - len(prefix)
    number = str(seq).rjust(width, "0")
    if len(number) > width:
        raise PostingError(f"docnum sequence {seq} does not fit in {DOCNUM_LENGTH} characters with prefix "
                           f"{prefix!r} (choose a shorter posting.docnum_prefix)")
    return prefix + number
