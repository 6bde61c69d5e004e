"""QuickBooks Desktop's Trial Balance saved as CSV: every account's debit and credit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from recon_tui.quickbooks.report_csv import (
    TRIAL_BALANCE_HINT,
    Outline,
    Records,
    Section,
    account_key,
    cell_amount,
    check_total,
    closes,
    find_account,
    find_header,
    label_of,
    rest_is_empty,
)

@dataclass(frozen=True)
class TrialBalanceRow:
    """One account of the Trial Balance."""

    account: str  # full name, Parent:Child, without the number prefix
    number: str | None  # "1200" from "1200 · Accounts Receivable"
    debit: int
    credit: int
    line: int

    @property
    def balance(self) -> int:
        """Debit-positive."""
        return self.debit - self.credit


@dataclass(frozen=True)
class TrialBalance:
    path: Path
    as_of: date | None
    rows: tuple[TrialBalanceRow, ...]

    @cached_property
    def _index(self) -> dict[str, TrialBalanceRow]:
        return {account_key(row.account): row for row in self.rows}

    def balance_of(self, account: str) -> int:
        """Debit-positive balance of ``account`` (full name; number, case and spacing optional).

        The balance of the account's own row, as QuickBooks prints it: a parent's row does not
        include its sub-accounts (a parent heading with no amounts is not an account at all).
        """
        return find_account(self.path, self._index, account, [row.account for row in self.rows]).balance


_AS_OF_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d, %y", "%b %d, %y")


def _as_of(preamble: list[list[str]]) -> date | None:
    """"As of October 31, 2026" in the title block, else the column date "Oct 31, 26"."""
    column_date = None
    for row in preamble:
        for cell in row:
            text = " ".join(cell.split())
            said_as_of = text.casefold().startswith("as of ")
            for form in _AS_OF_FORMATS:
                try:
                    found = datetime.strptime(text[6:] if said_as_of else text, form).date()
                except ValueError:
                    continue
                if said_as_of:
                    return found
                column_date = column_date or found
    return column_date


def read_trial_balance(path: str | Path) -> TrialBalance:
    """Read a Trial Balance export; every account row, its number, debit and credit in cents."""
    path = Path(path)
    records = Records(path, TRIAL_BALANCE_HINT)
    columns, _, preamble = find_header(records, lambda names: "debit" in names and "credit" in names,
                                   "Debit and Credit")
    detail = [name for name in ("type", "date", "num") if name in columns]
    if detail:
        raise records.fail(f"the header has a {detail[0].title()} column: this is a transaction detail report, "
                           "not a Trial Balance")
    debit_at, credit_at = columns["debit"], columns["credit"]
    label_end = min(debit_at, credit_at)
    outline = Outline(records)
    rows: list[TrialBalanceRow] = []
    seen: dict[str, int] = {}
    sums = [0, 0]

    def add(section: Section, debit: int, credit: int) -> None:
        account = ":".join(section.parts)
        key = account_key(account)
        if key in seen:
            raise records.fail(f"account {account!r} appears twice (also on line {seen[key]})", section.line)
        seen[key] = section.line
        rows.append(TrialBalanceRow(account, section.number, debit, credit, section.line))
        sums[0] += debit
        sums[1] += credit

    def closed(sections: list[Section]) -> None:  # a heading with no amounts and no children: a zero account
        for section in sections:
            if not section.children and not section.has_amounts:
                add(section, 0, 0)

    for row in records:
        text, level = label_of(row, label_end)
        debit = cell_amount(records, row, debit_at, "Debit")
        credit = cell_amount(records, row, credit_at, "Credit")
        has_amounts = any(row[c].strip() for c in (debit_at, credit_at) if c < len(row))
        if not text:
            if has_amounts:
                raise records.fail("an amount with no account name")
            if any(cell.strip() for cell in row):
                raise records.fail("a row with no account name")
            continue
        if text.casefold() == "total":
            closed(outline.close_to((-1, -1)))
            check_total(records, text, debit, sums[0], "debits")
            check_total(records, text, credit, sums[1], "credits")
            rest_is_empty(records, records.line)
            break
        name = closes(text)
        if name is not None:
            section, sections = outline.total(text, name)
            closed(sections)
            check_total(records, text, debit - credit, sums[0] - sums[1] - section.start, "accounts")
            continue
        section, sections = outline.push(text, level, sums[0] - sums[1])
        closed(sections)
        if has_amounts:
            section.has_amounts = True
            add(section, debit, credit)
    else:
        raise records.fail(f"the file ends without the Trial Balance's TOTAL row (cut short?): {records.hint}")
    rows.sort(key=lambda r: r.line)
    return TrialBalance(path, _as_of(preamble), tuple(rows))
