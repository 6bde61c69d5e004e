"""Printing finalized records: a record's report from its stored figures, the history, a change
of a stored figure in words, the stored diagnosis."""

from __future__ import annotations

import json

from tabulate import tabulate

from recon_tui.ledger.summary import BALANCE_LINES
from recon_tui.model import PAYMENT_LABELS
from recon_tui.money import MoneyError, format_cents, format_grouped, parse_cents
from recon_tui.reporting.tables import align, table


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
        columns = align(headers, text_columns)
        if title == "Money counted":
            columns[-1] = "left"
        out += [title.upper(), tabulate(rows, headers=headers, tablefmt="simple", colalign=columns,
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
    text = table(studio, "finalized reconciliations", headers, history_rows(records, drifts),
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
