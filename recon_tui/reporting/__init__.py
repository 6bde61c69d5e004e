"""Printing a reconciliation: text laid out like the reconciliation page, markdown, csv, json.

The JSON shape of ``report`` is a contract (DOMAIN §12), kept by ``ledger/record.py`` (finalized
records store it); keep it stable. Finalized records print from ``reporting/records.py``; its
functions are named here too, so callers import them from ``recon_tui.reporting``.
"""

from __future__ import annotations

import json

from tabulate import tabulate

from recon_tui.ledger.aging import AgingReport
from recon_tui.ledger.deposits import DepositReconciliation
from recon_tui.ledger.record import report_json
from recon_tui.ledger.tie_out import Reconciliation
from recon_tui.model import ACCRUAL
from recon_tui.money import format_cents, format_grouped
from recon_tui.reporting.tables import align, csv_text, table

__all__ = ["FORMATS", "amount_words", "change_words", "diagnosis_table", "drift_lines", "drift_warning",
           "figure_words", "history_rows", "identity_line", "record_text", "render_aging", "render_deposits",
           "render_diagnosis", "render_history", "render_report", "report_csv", "report_json", "report_markdown",
           "report_text"]

FORMATS = ("text", "markdown", "csv", "json")


def _sections(rec: Reconciliation, money) -> list[tuple[str, list[str], list[list]]]:
    """(title, headers, rows) for every table of the reconciliation page."""
    s = rec.summary
    income = [[line.label, money(line.amount)] for line in s.income] or [["(no income this period)", money(0)]]
    income.append(["Total Income", money(s.income_total)])
    expenses = [[line.label, money(line.amount)] for line in s.expenses]
    expenses.append(["Total Expenses", money(s.expense_total)])
    payments = [[line.label, money(line.amount)] for line in s.payments]
    payments.append(["SubTotal", money(s.payments_subtotal)])
    payments.append(["In-Store Credit", money(s.in_store_credit_payments)])
    sheet = []
    for side, title in (("asset", "Assets"), ("liability", "Liabilities")):
        sheet.append([title, "", ""])
        sheet += [[f"  {line.label}", money(line.change), money(line.current)]
                  for line in s.balance_sheet if line.side == side]
    aging = [[label, money(amount)] for label, amount in zip(rec.aging.labels, rec.aging.buckets)]
    aging.append(["Total", money(rec.aging.total)])
    deposits = [["Deposits held", money(rec.deposits.deposits)],
                ["Balance outstanding", money(rec.deposits.outstanding)]]
    t = rec.tie_out
    if t.method == ACCRUAL.name:
        tie = [["A/R Aging total", money(t.aging_total)],
               ["less Deposit Reconciliation outstanding", money(-t.outstanding_total)],
               ["Studio figure (= Accounts Receivable)", money(t.studio_figure)]]
    else:
        tie = [["Deposit Reconciliation deposits", money(t.deposits_total)],
               ["Studio figure (= Deposits)", money(t.studio_figure)]]
    tie.append([f"Must equal the QuickBooks balance of: {t.gl_account}", ""])
    as_of = s.period.current.isoformat()
    return [
        ("Income Summary", ["Account", "Amount"], income),
        ("Expense Summary", ["Expense", "Amount"], expenses),
        ("Payments Received", ["Method", "Amount"], payments),
        ("Balance Sheet", ["", "Change", "Current"], sheet),
        (f"A/R Aging as of {as_of}", ["Days", "Balance"], aging),
        (f"Customer Deposit Reconciliation as of {as_of}", ["", "Amount"], deposits),
        (f"Tie-out ({t.method})", ["", "Amount"], tie),
    ]


def identity_line(rec: Reconciliation, money=format_grouped) -> str:
    """The balance identity with this period's figures (it always holds: the engine checked it)."""
    s = rec.summary
    assets, liabilities = s.side_change("asset"), s.side_change("liability")
    return (f"Identity: Change(assets) - Change(liabilities) = Income - Expenses\n"
            f"  {money(assets)} - ({money(liabilities)}) = {money(assets - liabilities)}"
            f" = {money(s.income_total)} - {money(s.expense_total)}  OK")


def report_text(rec: Reconciliation, studio: str) -> str:
    s = rec.summary
    out = [f"{studio}: reconciliation ({rec.method} method)",
           f"Period: after {s.period.previous} through {s.period.current}", ""]
    for title, headers, rows in _sections(rec, format_grouped):
        out += [title.upper(), tabulate(rows, headers=headers, tablefmt="simple", colalign=align(headers),
                                        disable_numparse=True, preserve_whitespace=True), ""]
        if title == "Balance Sheet":
            out += [identity_line(rec), ""]
    return "\n".join(out)


def report_markdown(rec: Reconciliation, studio: str) -> str:
    s = rec.summary
    out = [f"# {studio}: reconciliation ({rec.method} method)", "",
           f"Period: after {s.period.previous} through {s.period.current}", ""]
    for title, headers, rows in _sections(rec, format_cents):
        out += [f"## {title}", "", tabulate(rows, headers=headers, tablefmt="github", colalign=align(headers),
                                             disable_numparse=True, preserve_whitespace=True), ""]
        if title == "Balance Sheet":
            out += [identity_line(rec, format_cents), ""]
    return "\n".join(out)


def report_csv(rec: Reconciliation) -> str:
    """Long format: section, line, column, amount (one figure per row)."""
    data = report_json(rec)
    rows: list[list[str]] = [["section", "line", "column", "amount"]]
    rows += [["income", item["account"], "amount", item["amount"]] for item in data["income"]]
    rows.append(["income", "total", "amount", data["income_total"]])
    rows += [["expenses", key, "amount", value] for key, value in data["expenses"].items()]
    rows += [["payments", key, "amount", value] for key, value in data["payments"].items()]
    for key, cols in data["balance_sheet"].items():
        rows += [["balance_sheet", key, col, value] for col, value in cols.items()]
    rows.append(["ar_aging", "total", "amount", data["ar_aging_total"]])
    rows += [["deposit_reconciliation", key, "amount", v] for key, v in data["deposit_reconciliation"].items()]
    rows.append(["tie_out", data["tie_out"]["gl_account"], "studio_figure", data["tie_out"]["studio_figure"]])
    return csv_text(rows)


def render_report(rec: Reconciliation, fmt: str, studio: str) -> str:
    if fmt == "json":
        return json.dumps(report_json(rec), indent=2)
    if fmt == "csv":
        return report_csv(rec)
    if fmt == "markdown":
        return report_markdown(rec, studio)
    return report_text(rec, studio)


# -- the two reports on their own -----------------------------------------------------------------

def aging_json(report: AgingReport) -> dict:
    m = format_cents
    return {
        "as_of": report.as_of.isoformat(),
        "buckets": list(report.labels),
        "customers": [{
            "customer_id": c.customer_id, "customer": c.customer, "total": m(c.total),
            "buckets": [m(x) for x in c.buckets],
            "orders": [{"order_id": r.order_id, "status": r.status, "aging_date": r.aging_date.isoformat(),
                        "age_days": r.age_days, "bucket": report.labels[r.bucket], "balance": m(r.balance)}
                       for r in c.rows],
        } for c in report.customers],
        "bucket_totals": [m(x) for x in report.buckets],
        "total": m(report.total),
    }


def render_aging(report: AgingReport, fmt: str, studio: str) -> str:
    if fmt == "json":
        return json.dumps(aging_json(report), indent=2)
    money = format_grouped if fmt == "text" else format_cents
    headers = ["Customer / order", "Status", "Aging date", "Days"] + list(report.labels) + ["Total"]
    if fmt == "csv":
        rows = [["customer_id", "customer", "order_id", "status", "aging_date", "age_days", "bucket", "balance"]]
        rows += [[r.customer_id, r.customer, r.order_id, r.status, r.aging_date.isoformat(), str(r.age_days),
                  report.labels[r.bucket], money(r.balance)] for r in report.rows]
        return csv_text(rows)
    rows = []
    blank = [""] * len(report.labels)
    for c in report.customers:
        rows.append([c.customer, "", "", ""] + [money(x) for x in c.buckets] + [money(c.total)])
        for r in c.rows:
            cells = list(blank)
            cells[r.bucket] = money(r.balance)
            rows.append([f"  {r.order_id}", r.status, r.aging_date.isoformat(), str(r.age_days)] + cells + [""])
    rows.append(["Total", "", "", ""] + [money(x) for x in report.buckets] + [money(report.total)])
    title = f"A/R Aging as of {report.as_of}"
    return table(studio, title, headers, rows, fmt, text_columns=4)


def deposits_json(report: DepositReconciliation) -> dict:
    m = format_cents
    return {
        "as_of": report.as_of.isoformat(),
        "orders": [{"order_id": r.order_id, "customer_id": r.customer_id, "customer": r.customer,
                    "status": r.status, "order_total": m(r.order_total), "deposits": m(r.deposits),
                    "outstanding": m(r.outstanding)} for r in report.rows],
        "deposits": m(report.deposits),
        "outstanding": m(report.outstanding),
    }


def render_deposits(report: DepositReconciliation, fmt: str, studio: str) -> str:
    if fmt == "json":
        return json.dumps(deposits_json(report), indent=2)
    money = format_grouped if fmt == "text" else format_cents
    if fmt == "csv":
        rows = [["order_id", "customer_id", "customer", "status", "order_total", "deposits", "outstanding"]]
        rows += [[r.order_id, r.customer_id, r.customer, r.status, money(r.order_total), money(r.deposits),
                  money(r.outstanding)] for r in report.rows]
        return csv_text(rows)
    headers = ["Order", "Customer", "Status", "Order total", "Deposits", "Outstanding"]
    rows = [[r.order_id, r.customer, r.status, money(r.order_total), money(r.deposits), money(r.outstanding)]
            for r in report.rows]
    rows.append(["Total", "", "", "", money(report.deposits), money(report.outstanding)])
    return table(studio, f"Customer Deposit Reconciliation as of {report.as_of}", headers, rows, fmt,
                  text_columns=3)


from recon_tui.reporting.records import (amount_words, change_words, diagnosis_table, drift_lines,  # noqa: E402
                                         drift_warning, figure_words, history_rows, record_text,
                                         render_diagnosis, render_history)
