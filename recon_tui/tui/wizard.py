"""The reconciliation in progress: one frozen record of what the user chose so far.

A step never writes another step's part: it posts ``Entered`` with its own part, and the app makes
the new record (``WizardState.entered``), which also drops what depended on the old values (a
diagnosis made for another method, other dates or another QuickBooks balance). The app keeps the
record, so going back with Esc (or forward again) never loses an entry. Plain Python, apart from the
two messages: the rules (DOMAIN §10: previous < current <= today; a non-zero count difference needs
a note; §16: the dates a bookkeeper closes next) are here so the screens only show the reasons.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from types import MappingProxyType

from textual.message import Message

from recon_tui.model import Method, Period, PeriodError, parse_date
from recon_tui.money import MoneyError, parse_typed_cents


# -- dates (DOMAIN §16) -------------------------------------------------------------------------------

def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def latest_ended_month_end(today: date) -> date:
    """The last day of the latest month that has ended by ``today`` (today itself on a month's last day)."""
    return today if today == month_end(today) else today.replace(day=1) - timedelta(days=1)


def default_current(previous: date | None, today: date) -> date:
    """The period a bookkeeper closes next: the month after ``previous`` when it has ended, else the
    latest month that has ended (never simply today)."""
    latest = latest_ended_month_end(today)
    if previous is not None:
        following = month_end(previous + timedelta(days=1))
        if following <= latest and following > previous:
            return following
    return latest


@dataclass(frozen=True)
class DateCheck:
    """The outcome of checking the two date fields: a period, or the reason per field."""

    period: Period | None = None
    previous_error: str = ""
    current_error: str = ""


def check_dates(previous: str, current: str, today: date) -> DateCheck:
    """Each field's own problem under it; previous ≥ current is said under the current date (the
    field a bookkeeper moves to fix a period)."""
    prev = cur = None
    previous_error = current_error = ""
    try:
        prev = parse_date(previous.strip(), "previous date")
    except PeriodError as exc:
        previous_error = str(exc)
    try:
        cur = parse_date(current.strip(), "current date")
    except PeriodError as exc:
        current_error = str(exc)
    if cur is not None and cur > today:
        current_error = f"current date {cur} is after today ({today})"
    if prev is not None and cur is not None and not prev < cur and not current_error:
        current_error = f"current date {cur} must be after the previous date {prev}"
    if prev is not None and cur is not None and not (previous_error or current_error):
        return DateCheck(Period(prev, cur))
    return DateCheck(None, previous_error, current_error)


# -- counts (DOMAIN §10) --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CountCheck:
    """One bank method's count: the counted cents (None until entered), difference and problem."""

    counted: int | None
    difference: int | None
    problem: str

    @property
    def needs_note(self) -> bool:
        return bool(self.difference)


def check_count(label: str, system: int, counted_text: str, note: str) -> CountCheck:
    text = counted_text.strip()
    if not text:
        return CountCheck(None, None, f"{label}: enter the counted amount")
    try:
        counted = parse_typed_cents(text)
    except MoneyError as exc:
        return CountCheck(None, None, f"{label}: {exc}")
    difference = counted - system
    if difference and not note.strip():
        return CountCheck(counted, difference, f"{label}: a note is required (difference is not zero)")
    return CountCheck(counted, difference, "")


# -- the state ----------------------------------------------------------------------------------------

def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


def _same_cents(a: str, b: str) -> bool:
    try:
        return parse_typed_cents(a) == parse_typed_cents(b)
    except MoneyError:
        return False


@dataclass(frozen=True)
class WizardState:
    """Method, dates, counted amounts and notes, the QuickBooks figures of the reconciliation being
    prepared. Texts are kept as typed (amounts in their plain form, ``1234.50``)."""

    method: Method
    previous: str = ""
    current: str = ""
    counted: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    notes: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    qb_balance: str = ""  # the QuickBooks GL balance typed at the tie-out
    qb_note: str = ""
    qb_trial_balance: str = ""  # optional QuickBooks report files for the diagnosis (DOMAIN §9)
    qb_detail: str = ""
    diagnosis: Mapping | None = None  # the last diagnosis (Diagnosis.to_json()), stored when finalizing
    final_notes: str = ""
    started: bool = False  # once the user left the start screen: quitting asks first
    #: the current date of the record in force, as last read from the books ("" none): the previous
    #: date a new reconciliation must use
    in_force_through: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", Method.of(self.method))
        object.__setattr__(self, "counted", _frozen(self.counted))
        object.__setattr__(self, "notes", _frozen(self.notes))

    def entered(self, **changes) -> WizardState:
        """The state with ``changes``, less what depended on the values they replace. ``counted``
        and ``notes`` name only the bank methods that changed (the others stay)."""
        for merged in ("counted", "notes"):
            if merged in changes:
                changes[merged] = {**getattr(self, merged), **changes[merged]}
        new = replace(self, **changes)
        kept = new.diagnosis
        if kept is not None and "diagnosis" not in changes:
            stale = (new.method != self.method or new.previous != self.previous or new.current != self.current
                     or new.counted != self.counted
                     or (new.qb_balance != self.qb_balance and not _same_cents(new.qb_balance, kept["qb_balance"])))
            if stale:
                new = replace(new, diagnosis=None)
        return new

    def books_changed(self) -> WizardState:
        """A batch was posted or records imported: what the diagnosis found is not so any more."""
        return replace(self, diagnosis=None)

    def following(self, in_force_through: str | None) -> WizardState:
        """The books as read now (after a finalize or a reopen): the previous date follows the record in
        force, and a date that came from a record since reopened is dropped (the Dates step offers its
        default again)."""
        through = in_force_through or ""
        previous = self.previous
        if through:
            previous = through
        elif previous == self.in_force_through:
            previous = ""
        if (previous, through) == (self.previous, self.in_force_through):
            return self
        return self.entered(previous=previous, in_force_through=through)

    def period(self, today: date) -> Period | None:
        return check_dates(self.previous, self.current, today).period


class Entered(Message):
    """A step's part of the reconciliation (field name -> value); the app makes the new state."""

    def __init__(self, **changes) -> None:
        super().__init__()
        self.changes = changes


class InForce(Message):
    """The books as read now: the current date of the record in force ("" or None: none). The app
    makes the previous date follow it (``WizardState.following``)."""

    def __init__(self, through: str | None) -> None:
        super().__init__()
        self.through = through


class BooksChanged(Message):
    """Something was written to the books (a batch posted, records imported): what the
    reconciliation in progress found from the old ones (its diagnosis) is dropped."""
