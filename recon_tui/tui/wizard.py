"""The reconciliation in progress: what the user chose so far, kept while moving between steps.

Lives on the app, so going back with Esc (or forward again) never loses an entry. Plain Python:
the rules (DOMAIN §10: previous < current <= today; a non-zero count difference needs a note)
are checked here so the screens only show the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from recon_tui.model import Period, PeriodError, parse_date
from recon_tui.money import MoneyError, parse_typed_cents


@dataclass
class DateCheck:
    """The outcome of checking the two date fields: a period, or the reason per field."""

    period: Period | None = None
    previous_error: str = ""
    current_error: str = ""


def check_dates(previous: str, current: str, today: date) -> DateCheck:
    check = DateCheck()
    prev = cur = None
    try:
        prev = parse_date(previous.strip(), "previous date")
    except PeriodError as exc:
        check.previous_error = str(exc)
    try:
        cur = parse_date(current.strip(), "current date")
    except PeriodError as exc:
        check.current_error = str(exc)
    if cur is not None and cur > today:
        check.current_error = f"current date {cur} is after today ({today})"
    if prev is not None and cur is not None and not prev < cur:
        check.previous_error = f"previous date {prev} must be before the current date {cur}"
    if prev is not None and cur is not None and not (check.previous_error or check.current_error):
        check.period = Period(prev, cur)
    return check


@dataclass
class CountCheck:
    """One bank method's count: the counted cents (None until entered), difference and problem."""

    counted: int | None
    difference: int | None
    problem: str


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


@dataclass
class Wizard:
    """Method, dates, counted amounts and notes of the reconciliation being prepared."""

    method: str
    previous: str = ""
    current: str = ""
    counted: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    qb_balance: str = ""  # the QuickBooks GL balance typed at the tie-out
    qb_note: str = ""
    qb_trial_balance: str = ""  # optional QuickBooks report files for the diagnosis (DOMAIN §9)
    qb_detail: str = ""
    diagnosis: dict | None = None  # the last diagnosis (Diagnosis.to_json()), stored when finalizing
    final_notes: str = ""
    started: bool = False  # once the user left the start screen: quitting asks first
    #: the current date of the record in force, as last read from the books ("" none): the previous
    #: date a new reconciliation must use
    in_force_through: str = ""

    def follow(self, in_force_through: str | None) -> None:
        """The books as read now (after a finalize or a reopen): the previous date follows the record in
        force, and a date that came from a record since reopened is dropped (the Dates step offers its
        default again)."""
        through = in_force_through or ""
        if through:
            self.previous = through
        elif self.previous == self.in_force_through:
            self.previous = ""
        self.in_force_through = through

    def period(self, today: date) -> Period | None:
        return check_dates(self.previous, self.current, today).period
