"""Finalizing a reconciliation (DOMAIN §10): the checks, reopening, and the re-check of a closed period.

The rules a bookkeeper meets here: the period starts exactly where the last finalized one in
force ended (the first one's start is entered); previous < current <= today; every non-zero
difference (a counted bank method, the QuickBooks balance) needs a note. Only the latest record
in force may be reopened, with a reason. The database refuses to change or delete a record once
written, whatever program asks; the service reads and writes it through the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from recon_tui.ledger.record import figure_changes
from recon_tui.ledger.tie_out import Reconciliation
from recon_tui.model import BANK_METHODS, PAYMENT_LABELS, PaymentTotals, Period
from recon_tui.money import format_cents


class FinalizeError(ValueError):
    """The reconciliation cannot be finalized as asked; the message says why (one problem a line)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Count:
    """The money counted for one bank method against what the system says came in."""

    method: str
    system: int
    counted: int
    note: str = ""

    @property
    def label(self) -> str:
        return PAYMENT_LABELS[self.method]

    @property
    def difference(self) -> int:
        return self.counted - self.system


@dataclass(frozen=True)
class FinalizeRequest:
    method: str
    period: Period
    counted: dict[str, int]  # bank method -> cents counted (a method left out counts 0.00)
    qb_balance: int
    count_notes: dict[str, str] = field(default_factory=dict)
    qb_note: str = ""
    notes: str = ""
    diagnosis: dict | None = None


def counts_for(system: PaymentTotals, counted: dict[str, int], notes: dict[str, str]) -> list[Count]:
    """Each bank method's count against ``system``, the payments dated in the period."""
    return [Count(m, system.net(m), counted.get(m, 0), notes.get(m, "").strip()) for m in BANK_METHODS]


def validate(request: FinalizeRequest, today: date, rec: Reconciliation, required_previous: date | None,
             system: PaymentTotals) -> list[Count]:
    """Every reason the request cannot be finalized, at once; the counts when it can.

    ``required_previous``: the current date of the last finalized record in force (None: the user
    enters the previous date); ``system``: the payments dated in the request's period."""
    problems = []
    if required_previous is not None and request.period.previous != required_previous:
        problems.append(f"the previous date must be {required_previous}, the current date of the last finalized "
                        f"reconciliation (got {request.period.previous})")
    if request.period.current > today:
        problems.append(f"the current date {request.period.current} is after today ({today})")
    unknown = sorted(set(request.counted) - set(BANK_METHODS))
    if unknown:
        problems.append(f"no bank method {', '.join(unknown)} (count one of: {', '.join(BANK_METHODS)})")
    counts = counts_for(system, request.counted, request.count_notes)
    for count in counts:
        if count.difference and not count.note:
            problems.append(f"{count.label}: counted {format_cents(count.counted)} but the system says "
                            f"{format_cents(count.system)}; a difference of {format_cents(count.difference)} needs a note")
    difference = rec.tie_out.studio_figure - request.qb_balance
    if difference and not request.qb_note.strip():
        problems.append(f"the studio figure {format_cents(rec.tie_out.studio_figure)} and the QuickBooks balance "
                        f"{format_cents(request.qb_balance)} of {rec.tie_out.gl_account} differ by "
                        f"{format_cents(difference)}; that needs a note")
    d = request.diagnosis
    if d is not None and (d.get("method") != request.method or d.get("as_of") != request.period.current.isoformat()
                          or d.get("qb_balance") != format_cents(request.qb_balance)):
        problems.append(f"the diagnosis is of {d.get('method')} at {d.get('as_of')} against a QuickBooks balance of "
                        f"{d.get('qb_balance')}, not of this reconciliation; diagnose again")
    if problems:
        raise FinalizeError(problems)
    return counts


def check_reopen(number: int, reason: str, latest, target) -> None:
    """Raise FinalizeError unless record ``number`` may be reopened: ``latest`` is the latest record
    in force (None: none), ``target`` the record numbered ``number`` (None: there is none)."""
    if not reason.strip():
        raise FinalizeError(["reopening needs a reason"])
    if latest is None or latest.number != number:
        if target is None:
            raise FinalizeError([f"there is no reconciliation #{number}"])
        if not target.in_force:
            raise FinalizeError([f"reconciliation #{number} was already reopened on {target.reopened_at}"])
        raise FinalizeError([f"only the latest reconciliation in force (#{latest.number}) can be reopened"])


# -- later runs: have the sources of a finalized period changed? --------------------------------

@dataclass(frozen=True)
class SourceChange:
    key: str  # "payment:P4"
    was: int | None  # the amount it carried when finalized (None: it was not there)
    now: int | None  # the amount it carries now (None: it is gone, or moved out of the period)

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def record_id(self) -> str:
        return self.key.split(":", 1)[1]

    @property
    def change(self) -> int:
        return (self.now or 0) - (self.was or 0)

    def describe(self) -> str:
        if self.was is None:
            return f"{self.kind} {self.record_id} added ({format_cents(self.now)})"
        if self.now is None:
            return f"{self.kind} {self.record_id} gone or moved out of the period (was {format_cents(self.was)})"
        if self.change:
            return f"{self.kind} {self.record_id} changed by {format_cents(self.change)} " \
                   f"({format_cents(self.was)} -> {format_cents(self.now)})"
        return f"{self.kind} {self.record_id} edited (amount unchanged, {format_cents(self.now)})"


@dataclass(frozen=True)
class Drift:
    """A finalized record whose period's source records changed since."""

    number: int
    changes: tuple[SourceChange, ...]  # records dated in the period
    figures: tuple[tuple[str, str, str], ...]  # (figure, as finalized, now) for every figure that moved

    def describe(self) -> list[str]:
        lines = [change.describe() for change in self.changes]
        if not self.changes:
            lines.append("records dated before the period changed")
        lines += [f"{name}: {was} -> {now}" for name, was, now in self.figures]
        return lines


def drift(record, sources_now: dict[str, list], rec_now: Reconciliation) -> Drift:
    """What moved in a finalized record's period: its sources then and now (``"kind:id" -> [digest,
    amount]``) and its figures then and as ``rec_now`` computes them today."""
    was = record.sources
    changes = tuple(
        SourceChange(key, was[key][1] if key in was else None,
                     sources_now[key][1] if key in sources_now else None)
        for key in sorted(set(was) | set(sources_now))
        if (was.get(key) or [None])[0] != (sources_now.get(key) or [None])[0])
    return Drift(record.number, changes, figure_changes(record.figures, rec_now))
