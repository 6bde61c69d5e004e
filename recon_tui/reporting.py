"""Printing a reconciliation: text laid out like the reconciliation page, markdown, csv, json.

The JSON shape of ``report`` is a contract (DOMAIN §12), kept by ``ledger/record.py`` (finalized
records store it); keep it stable.
"""

from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate

from recon_tui.ledger.aging import AgingReport
from recon_tui.ledger.deposits import DepositReconciliation
from recon_tui.ledger.record import report_json
from recon_tui.ledger.summary import BALANCE_LINES
from recon_tui.ledger.tie_out import Reconciliation
from recon_tui.model import ACCRUAL, PAYMENT_LABELS
from recon_tui.money import MoneyError, format_cents, format_grouped, parse_cents

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
        out += [title.upper(), tabulate(rows, headers=headers, tablefmt="simple", colalign=_align(headers),
                                        disable_numparse=True, preserve_whitespace=True), ""]
        if title == "Balance Sheet":
            out += [identity_line(rec), ""]
    return "\n".join(out)


def report_markdown(rec: Reconciliation, studio: str) -> str:
    s = rec.summary
    out = [f"# {studio}: reconciliation ({rec.method} method)", "",
           f"Period: after {s.period.previous} through {s.period.current}", ""]
    for title, headers, rows in _sections(rec, format_cents):
        out += [f"## {title}", "", tabulate(rows, headers=headers, tablefmt="github", colalign=_align(headers),
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
    return _csv(rows)


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
        return _csv(rows)
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
    return _table(studio, title, headers, rows, fmt, text_columns=4)


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
        return _csv(rows)
    headers = ["Order", "Customer", "Status", "Order total", "Deposits", "Outstanding"]
    rows = [[r.order_id, r.customer, r.status, money(r.order_total), money(r.deposits), money(r.outstanding)]
            for r in report.rows]
    rows.append(["Total", "", "", "", money(report.deposits), money(report.outstanding)])
    return _table(studio, f"Customer Deposit Reconciliation as of {report.as_of}", headers, rows, fmt,
                  text_columns=3)


def _table(studio: str, title: str, headers: list[str], rows: list[list], fmt: str, text_columns: int) -> str:
    style = "github" if fmt == "markdown" else "simple"
    heading = f"# {studio}: {title}\n" if fmt == "markdown" else f"{studio}: {title}\n"
    return heading + "\n" + tabulate(rows, headers=headers, tablefmt=style, colalign=_align(headers, text_columns),
                                     disable_numparse=True, preserve_whitespace=True) + "\n"


def _align(headers: list[str], text_columns: int = 1) -> list[str]:
    """The first ``text_columns`` columns are text (left), the rest money (right)."""
    return ["left" if i < text_columns else "right" for i in range(len(headers))]


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


# -- finalized records ------------------------------------------------------------------------------

def record_text(record, studio: str) -> str:
    """The printed report of a finalized record, drawn from its stored figures (never recomputed)."""
    f = record.figures
    money = lambda text: format_grouped(parse_cents(text))  # noqa: E731 - stored figures are §2 text
    out = [f"{studio}: reconciliation #{record.number} ({record.method} method)",
           f"Period: after {record.previous_on} through {record.current_on}",
           f"Finalized {record.finalized_at} by {record.finalized_by}"]
    if not record.in_force:
        out.append(f"REOPENED {record.reopened_at} by {record.reopened_by}: {record.reopen_reason}")
    out.append("")
    income = [[i["account"], money(i["amount"])] for i in f["income"]] or [["(no income this period)", "0.00"]]
    income.append(["Total Income", money(f["income_total"])])
    labels = {"bad_debt": "Bad Debt", "in_store_credit": "In-Store Credit", "total": "Total Expenses"}
    expenses = [[labels[k], money(v)] for k, v in f["expenses"].items()]
    pay_labels = {**PAYMENT_LABELS, "refunds": "Refunds", "subtotal": "SubTotal", "in_store_credit": "In-Store Credit"}
    payments = [[pay_labels[k], money(v)] for k, v in f["payments"].items()]
    sheet_labels = {key: (label, side) for key, label, side in BALANCE_LINES}
    sheet = []
    for side, title in (("asset", "Assets"), ("liability", "Liabilities")):
        sheet.append([title, "", ""])
        sheet += [[f"  {sheet_labels[k][0]}", money(v["change"]), money(v["current"])]
                  for k, v in f["balance_sheet"].items() if sheet_labels[k][1] == side]
    counts = [[PAYMENT_LABELS[c["method"]], format_grouped(c["system"]), format_grouped(c["counted"]), format_grouped(c["difference"]),
               c["note"]] for c in record.counts]
    tie = [["Studio figure", money(f["tie_out"]["studio_figure"])],
           [f"QuickBooks balance of {f['tie_out']['gl_account']}", format_grouped(record.qb_balance)],
           ["Difference", format_grouped(record.qb_difference)]]
    tables = [("Income Summary", ["Account", "Amount"], income, 1),
              ("Expense Summary", ["Expense", "Amount"], expenses, 1),
              ("Payments Received", ["Method", "Amount"], payments, 1),
              ("Balance Sheet", ["", "Change", "Current"], sheet, 1),
              ("Money counted", ["Method", "System", "Counted", "Difference", "Note"], counts, 1),
              (f"Tie-out ({record.method})", ["", "Amount"], tie, 1)]
    for title, headers, rows, text_columns in tables:
        align = _align(headers, text_columns)
        if title == "Money counted":
            align[-1] = "left"
        out += [title.upper(), tabulate(rows, headers=headers, tablefmt="simple", colalign=align,
                                        disable_numparse=True, preserve_whitespace=True), ""]
    if record.qb_note:
        out.append(f"Tie-out note: {record.qb_note}")
    if record.diagnosis:
        out += ["", diagnosis_table(record.diagnosis)]
    out.append(f"A/R Aging total {money(f['ar_aging_total'])}; Deposit Reconciliation deposits "
               f"{money(f['deposit_reconciliation']['deposits'])}, outstanding "
               f"{money(f['deposit_reconciliation']['outstanding'])}")
    if record.notes:
        out.append(f"Notes: {record.notes}")
    out.append(f"Source fingerprint: {record.fingerprint}")
    return "\n".join(out) + "\n"


# -- a stored figure's key and a change, in words ---------------------------------------------------

_SECTION_WORDS = {"income": "Income", "expenses": "Expenses", "payments": "Payments", "balance_sheet": "Balance Sheet",
                  "deposit_reconciliation": "Deposit Reconciliation", "tie_out": "Tie-out"}
_LINE_WORDS = {**PAYMENT_LABELS, "bad_debt": "Bad Debt", "in_store_credit": "In-Store Credit", "refunds": "Refunds",
               "subtotal": "SubTotal", "total": "Total", "outstanding": "Outstanding",
               "studio_figure": "Studio figure", "gl_account": "Account",
               **{key: label for key, label, _ in BALANCE_LINES}}
_FIGURE_WORDS = {"income_total": "Total Income", "expenses.total": "Total Expenses", "ar_aging_total": "A/R Aging total",
                 "method": "Method", "previous_date": "Previous date", "current_date": "Current date"}


def figure_words(key: str) -> str:
    """A stored figure's key as the screens name it: ``payments.credit_card`` -> "Payments: Credit Cards",
    ``balance_sheet.accounts_receivable.current`` -> "Balance Sheet: Accounts Receivable (current)"."""
    if key in _FIGURE_WORDS:
        return _FIGURE_WORDS[key]
    section, _, rest = key.partition(".")
    if section == "income":
        return f"Income: {rest}"  # keyed by the account's own name
    line, _, column = rest.partition(".")
    words = f"{_SECTION_WORDS.get(section, section)}: {_LINE_WORDS.get(line, line)}"
    return f"{words} ({column})" if column else words


def amount_words(text: str) -> str:
    """A stored amount (§2 text) as every screen shows money: grouped; anything else as it is."""
    try:
        return format_grouped(parse_cents(text))
    except (MoneyError, ValueError, TypeError):
        return str(text)


def change_words(change) -> str:
    """One source record that moved in a finalized period (a ledger SourceChange), money grouped."""
    what, m = f"{change.kind} {change.record_id}", format_grouped
    if change.was is None:
        return f"{what} added ({m(change.now)})"
    if change.now is None:
        return f"{what} gone or moved out of the period (was {m(change.was)})"
    if change.change:
        return f"{what} changed by {m(change.change)} ({m(change.was)} -> {m(change.now)})"
    return f"{what} edited (amount unchanged, {m(change.now)})"


def drift_lines(drift) -> list[str]:
    """What moved in a finalized record's period (a ledger Drift), in words, money grouped."""
    lines = [change_words(change) for change in drift.changes]
    if not drift.changes:
        lines.append("records dated before the period changed")
    lines += [f"{figure_words(name)}: {amount_words(was)} -> {amount_words(now)}" for name, was, now in drift.figures]
    return lines


def drift_warning(drift, limit: int = 3) -> str:
    """One line for an import that changed a finalized period (DOMAIN §10), as the review says it."""
    lines = drift_lines(drift)
    shown = "; ".join(lines[:limit]) + (f"; … and {len(lines) - limit} more" if len(lines) > limit else "")
    return (f"this import changed the period of finalized reconciliation #{drift.number}: {shown} "
            "(recon-tui history lists every change)")


def history_rows(records, drifts: dict[int, object]) -> list[list[str]]:
    rows = []
    for r in records:
        status = "in force" if r.in_force else f"reopened {r.reopened_at[:10]}"
        if r.number in drifts:
            status += "; sources changed since"
        rows.append([f"#{r.number}", r.method, r.previous_on, r.current_on, r.finalized_at[:16].replace("T", " "),
                     r.finalized_by, status, format_grouped(r.qb_difference)])
    return rows


def render_history(records, drifts: dict[int, object], fmt: str, studio: str) -> str:
    if fmt == "json":
        return json.dumps([{
            "number": r.number, "method": r.method, "previous_date": r.previous_on, "current_date": r.current_on,
            "finalized_at": r.finalized_at, "finalized_by": r.finalized_by, "in_force": r.in_force,
            "reopened_at": r.reopened_at, "reopen_reason": r.reopen_reason,
            "qb_balance": format_cents(r.qb_balance), "qb_difference": format_cents(r.qb_difference),
            "figures": r.figures,
            "source_changes": drifts[r.number].describe() if r.number in drifts else [],
        } for r in records], indent=2)
    headers = ["No.", "Method", "Previous", "Current", "Finalized (UTC)", "By", "Status", "QB difference"]
    if not records:
        return f"{studio}: no finalized reconciliation yet\n"
    text = _table(studio, "finalized reconciliations", headers, history_rows(records, drifts),
                  "markdown" if fmt == "markdown" else "text", text_columns=7)
    for number, drift in drifts.items():
        text += f"\n#{number}: source records dated in its period changed since it was finalized:\n"
        text += "".join(f"  {line}\n" for line in drift_lines(drift))
    return text


# -- the tie-out diagnosis (DOMAIN §9) -------------------------------------------------------------

def diagnosis_table(stored: dict) -> str:
    """A stored diagnosis (its JSON) as the printed report shows it: the causes and their amounts."""
    rows = [[c["title"], f"{len(c['items']):,}" if c["cause"] != "unexplained" else "",
             format_grouped(parse_cents(c["amount"]))] for c in stored["causes"]]
    rows.append(["Difference", "", format_grouped(parse_cents(stored["difference"]))])
    text = ("WHY THE DIFFERENCE (DIAGNOSIS)\n" + tabulate(rows, headers=["Cause", "Records", "Amount"], tablefmt="simple",
                                                       colalign=("left", "right", "right"), disable_numparse=True))
    opening = stored.get("qb_opening")
    if opening:  # the QuickBooks export started after the first transaction: the opening balance used
        shown = (f"{format_grouped(parse_cents(opening['amount']))} (line {opening['line']})" if opening["line"]
                 else "none, so 0.00")
        text += (f"\nQuickBooks export from {opening['start']}: opening balance {shown}; the studio posted "
                 f"{format_grouped(parse_cents(opening['studio_posted_before']))} before that date")
    return text


def render_diagnosis(d, fmt: str, studio: str, items: int = 20) -> str:
    """The causes of studio figure - QuickBooks balance, each with its records (``items`` per cause in
    text, 0 for all; json always lists them all)."""
    if fmt == "json":
        return json.dumps(d.to_json(), indent=1, ensure_ascii=False)
    money = format_grouped
    head = (f"{studio}: why {d.account} differs, {d.method} method, as of {d.as_of}\n\n"
            f"studio figure   {money(d.studio_figure):>16}\n"
            f"QuickBooks      {money(d.qb_balance):>16}\n"
            f"difference      {money(d.difference):>16}\n")
    if d.detail_file:
        head += f"(QuickBooks transaction detail: {d.detail_file})\n"
    if d.opening is not None:
        o = d.opening
        shown = f"{money(o.amount)} (line {o.line})" if o.line else "none, so 0.00"
        head += (f"(the export starts on {o.start}, from {o.how}; QuickBooks' opening balance {shown}; "
                 f"the studio posted {money(o.posted)} before it)\n")
    head += "".join(f"note: {note}\n" for note in d.notes)
    head += "\n"
    rows = [[c.title, f"{len(c.items):,}" if c.code != "unexplained" else "", money(c.amount)] for c in d.causes]
    rows.append(["Total", "", money(sum(c.amount for c in d.causes))])
    out = [head, tabulate(rows, headers=["Cause", "Records", "Amount"], tablefmt="simple",
                          colalign=("left", "right", "right"), disable_numparse=True) + "\n"]
    for c in d.causes:
        if not c.items:
            continue
        shown = c.items if items == 0 else c.items[:items]
        out.append(f"\n{c.title}: {money(c.amount)}\n")
        table = [[i.on.isoformat() if i.on else "", i.docnum, i.detail, money(i.amount)] for i in shown]
        out.append(tabulate(table, headers=["Date", "DOCNUM", "Record", "Amount"], tablefmt="simple",
                            colalign=("left", "left", "left", "right"), disable_numparse=True) + "\n")
        if len(shown) < len(c.items):
            out.append(f"... and {len(c.items) - len(shown)} more (--items 0 lists all)\n")
    return "".join(out)
