"""Finalizing a reconciliation (DOMAIN §10): checks, the immutable record, reopening, re-checks.

The rules a bookkeeper meets here: the period starts exactly where the last finalized one in
force ended (the first one's start is entered); previous < current <= today; every non-zero
difference (a counted bank method, the QuickBooks balance) needs a note. The database refuses to
change or delete a record once written, whatever program asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from recon_tui.config import Config
from recon_tui.ledger import Reconciliation, reconcile
from recon_tui.ledger.period import Period
from recon_tui.ledger.summary import BANK_METHODS, PAYMENT_LABELS
from recon_tui.money import format_cents
from recon_tui.store import queries, records
from recon_tui.store.records import RecordRefused, StoredRecord

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["Count", "FinalizeError", "FinalizeRequest", "RecordRefused", "StoredRecord", "finalize",
           "first_previous_date", "history", "recheck", "reopen", "validate"]


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


def counts_for(db: sqlite_utils.Database, period: Period, counted: dict[str, int],
               notes: dict[str, str]) -> list[Count]:
    system = queries.payment_totals(db, period.previous.isoformat(), period.current.isoformat())
    return [Count(m, system.net(m), counted.get(m, 0), notes.get(m, "").strip()) for m in BANK_METHODS]


def first_previous_date(db: sqlite_utils.Database) -> date | None:
    """The previous date a new reconciliation must use, or None when the user enters it."""
    last = records.latest_in_force(db)
    return date.fromisoformat(last.current_on) if last else None


def validate(db: sqlite_utils.Database, request: FinalizeRequest, today: date,
             rec: Reconciliation) -> list[Count]:
    """Every reason the request cannot be finalized, at once; the counts when it can."""
    problems = []
    required = first_previous_date(db)
    if required is not None and request.period.previous != required:
        problems.append(f"the previous date must be {required}, the current date of the last finalized "
                        f"reconciliation (got {request.period.previous})")
    if request.period.current > today:
        problems.append(f"the current date {request.period.current} is after today ({today})")
    unknown = sorted(set(request.counted) - set(BANK_METHODS))
    if unknown:
        problems.append(f"no bank method {', '.join(unknown)} (count one of: {', '.join(BANK_METHODS)})")
    counts = counts_for(db, request.period, request.counted, request.count_notes)
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


def finalize(db: sqlite_utils.Database, config: Config, request: FinalizeRequest, *, today: date,
             user: str, now: datetime | None = None) -> StoredRecord:
    """Write the record in one transaction and return it as stored."""
    from recon_tui.reporting import report_json

    rec = reconcile(db, config, request.period, request.method)
    counts = validate(db, request, today, rec)
    period_sources = records.sources(db, request.period.previous.isoformat(), request.period.current.isoformat())
    history_digest = records.history_digest(db, request.period.current.isoformat())
    number = records.next_number(db)
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    records.insert(db, {
        "number": number, "method": request.method,
        "previous_on": request.period.previous.isoformat(), "current_on": request.period.current.isoformat(),
        "finalized_at": stamp, "finalized_by": user, "notes": request.notes.strip(),
        "figures": report_json(rec),
        "counts": [{"method": c.method, "system": c.system, "counted": c.counted, "difference": c.difference,
                    "note": c.note} for c in counts],
        "qb_balance": request.qb_balance, "qb_difference": rec.tie_out.studio_figure - request.qb_balance,
        "qb_note": request.qb_note.strip(), "diagnosis": request.diagnosis,
        "gl_mapping": {"gl_accounts": vars(config.gl_accounts), "income_categories": dict(config.income_categories)},
        "fingerprint": records.fingerprint(period_sources, history_digest), "sources": period_sources,
    })
    return records.record(db, number)


def history(db: sqlite_utils.Database) -> list[StoredRecord]:
    return records.all_records(db)


def reopen(db: sqlite_utils.Database, number: int, reason: str, *, user: str,
           now: datetime | None = None) -> StoredRecord:
    if not reason.strip():
        raise FinalizeError(["reopening needs a reason"])
    latest = records.latest_in_force(db)
    if latest is None or latest.number != number:
        target = records.record(db, number)
        if target is None:
            raise FinalizeError([f"there is no reconciliation #{number}"])
        if not target.in_force:
            raise FinalizeError([f"reconciliation #{number} was already reopened on {target.reopened_at}"])
        raise FinalizeError([f"only the latest reconciliation in force (#{latest.number}) can be reopened"])
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    records.insert_reopening(db, number, stamp, user, reason.strip())
    return records.record(db, number)


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


def _leaves(value, path: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _leaves(item, f"{path}.{key}" if path else key).items()}
    if isinstance(value, list):  # the income list: keyed by account
        return {f"{path}.{item['account']}": item["amount"] for item in value}
    return {path: str(value)}


def recheck(db: sqlite_utils.Database, config: Config) -> list[Drift]:
    """Every record in force whose sources no longer match what was finalized, with what moved."""
    from recon_tui.reporting import report_json

    drifts = []
    for record in records.all_records(db):
        if not record.in_force:
            continue
        now = records.sources(db, record.previous_on, record.current_on)
        if records.fingerprint(now, records.history_digest(db, record.current_on)) == record.fingerprint:
            continue
        was = record.sources
        changes = tuple(
            SourceChange(key, was[key][1] if key in was else None, now[key][1] if key in now else None)
            for key in sorted(set(was) | set(now))
            if (was.get(key) or [None])[0] != (now.get(key) or [None])[0])
        period = Period(date.fromisoformat(record.previous_on), date.fromisoformat(record.current_on))
        before, after = _leaves(record.figures), _leaves(report_json(reconcile(db, config, period, record.method)))
        figures = tuple((key, before.get(key, "0.00"), after.get(key, "0.00"))
                        for key in list(before) + [k for k in after if k not in before]
                        if before.get(key, "0.00") != after.get(key, "0.00"))
        drifts.append(Drift(record.number, changes, figures))
    return drifts


def stored_summary(record: StoredRecord) -> "Summary":
    """The §5 summary as it was finalized, rebuilt from the record's stored figures (never recomputed),
    so the history shows a closed period exactly as it was signed off."""
    from recon_tui.ledger.summary import BALANCE_LINES, BalanceLine, Line, Summary
    from recon_tui.money import parse_cents

    f = record.figures
    payments = f["payments"]
    period = Period(date.fromisoformat(record.previous_on), date.fromisoformat(record.current_on))
    return Summary(
        period=period,
        income=tuple(Line(i["account"], i["account"], parse_cents(i["amount"])) for i in f["income"]),
        expenses=(Line("bad_debt", "Bad Debt", parse_cents(f["expenses"]["bad_debt"])),
                  Line("in_store_credit", "In-Store Credit", parse_cents(f["expenses"]["in_store_credit"]))),
        payments=tuple(Line(m, PAYMENT_LABELS[m], parse_cents(payments[m])) for m in BANK_METHODS)
        + (Line("refunds", "Refunds", parse_cents(payments["refunds"])),),
        in_store_credit_payments=parse_cents(payments["in_store_credit"]),
        balance_sheet=tuple(
            BalanceLine(key, label, side,
                        parse_cents(f["balance_sheet"][key]["current"]) - parse_cents(f["balance_sheet"][key]["change"]),
                        parse_cents(f["balance_sheet"][key]["current"]))
            for key, label, side in BALANCE_LINES),
    )
