"""The finalized record's format (DOMAIN §10, §12): its figures as stored, and back.

A record keeps the period's figures as the §12 JSON shape of ``report --format json`` (amounts as
text), so a closed period is shown exactly as it was signed off, never recomputed.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from recon_tui.config import Config
from recon_tui.ledger.summary import BALANCE_LINES, BalanceLine, Line, Summary
from recon_tui.ledger.tie_out import Reconciliation
from recon_tui.model import BANK_METHODS, PAYMENT_LABELS, Period
from recon_tui.money import format_cents, parse_cents


def report_json(rec: Reconciliation) -> dict:
    """The period's figures in the §12 JSON shape (the contract of ``report --format json``)."""
    s, m = rec.summary, format_cents
    return {
        "method": rec.method,
        "previous_date": s.period.previous.isoformat(),
        "current_date": s.period.current.isoformat(),
        "income": [{"account": line.label, "amount": m(line.amount)} for line in s.income],
        "income_total": m(s.income_total),
        "expenses": {**{line.key: m(line.amount) for line in s.expenses}, "total": m(s.expense_total)},
        "payments": {**{line.key: m(line.amount) for line in s.payments}, "subtotal": m(s.payments_subtotal),
                     "in_store_credit": m(s.in_store_credit_payments)},
        "balance_sheet": {line.key: {"change": m(line.change), "current": m(line.current)}
                          for line in s.balance_sheet},
        "ar_aging_total": m(rec.aging.total),
        "deposit_reconciliation": {"deposits": m(rec.deposits.deposits), "outstanding": m(rec.deposits.outstanding)},
        "tie_out": {"gl_account": rec.tie_out.gl_account, "studio_figure": m(rec.tie_out.studio_figure)},
    }


def stamp(now: datetime) -> str:
    """A moment as the records keep it (finalized, reopened, posted): UTC, to the second."""
    return now.astimezone(timezone.utc).isoformat(timespec="seconds")


def record_values(*, number: int, config: Config, request, rec: Reconciliation, counts, user: str,
                  now: datetime, sources: dict[str, list], fingerprint: str) -> dict:
    """A finalized record's stored values: ``request`` (a FinalizeRequest) as checked, with its
    ``counts``; ``sources`` and ``fingerprint`` as the store computed them for the period."""
    return {
        "number": number, "method": request.method,
        "previous_on": request.period.previous.isoformat(), "current_on": request.period.current.isoformat(),
        "finalized_at": stamp(now), "finalized_by": user, "notes": request.notes.strip(),
        "figures": report_json(rec),
        "counts": [{"method": c.method, "system": c.system, "counted": c.counted, "difference": c.difference,
                    "note": c.note} for c in counts],
        "qb_balance": request.qb_balance, "qb_difference": rec.tie_out.studio_figure - request.qb_balance,
        "qb_note": request.qb_note.strip(), "diagnosis": request.diagnosis,
        "gl_mapping": {"gl_accounts": vars(config.gl_accounts), "income_categories": dict(config.income_categories)},
        "fingerprint": fingerprint, "sources": sources,
    }


def _leaves(value, path: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _leaves(item, f"{path}.{key}" if path else key).items()}
    if isinstance(value, list):  # the income list: keyed by account
        return {f"{path}.{item['account']}": item["amount"] for item in value}
    return {path: str(value)}


def figure_changes(stored: dict, rec_now: Reconciliation) -> tuple[tuple[str, str, str], ...]:
    """(figure, as stored, now) for every figure of a stored record that ``rec_now`` moves."""
    before, after = _leaves(stored), _leaves(report_json(rec_now))
    return tuple((key, before.get(key, "0.00"), after.get(key, "0.00"))
                 for key in list(before) + [k for k in after if k not in before]
                 if before.get(key, "0.00") != after.get(key, "0.00"))


def stored_summary(record) -> Summary:
    """The §5 summary as it was finalized, rebuilt from the record's stored figures (never recomputed),
    so the history shows a closed period exactly as it was signed off."""
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
