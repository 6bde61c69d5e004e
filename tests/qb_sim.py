"""A tiny QuickBooks Desktop for tests: it imports our IIF files (or not, or twice), lets a test edit
an entry or add a foreign one, and exports its books the way QuickBooks does: a Trial Balance and a
Transaction Detail by Account report, as CSV with the preamble, the account headings, Total rows
and thousands separators of the real thing (see tests/fixtures/quickbooks/README.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from recon_tui.quickbooks.iif_reader import read_iif


@dataclass
class Split:
    type: str
    on: date
    num: str
    name: str
    memo: str
    account: str
    amount: int  # debit-positive cents


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"


@dataclass
class QuickBooks:
    company: str = "Worked Example Studio"
    splits: list[Split] = field(default_factory=list)

    def import_iif(self, path) -> None:
        for posted in read_iif(path).entries:
            for line in posted.entry.lines:
                self.splits.append(Split("General Journal", posted.entry.on, posted.docnum, posted.entry.customer,
                                         posted.entry.key, line.account, line.amount))

    def change(self, docnum: str, account: str, amount: int) -> None:
        """Someone edits a studio entry in QuickBooks (and its balancing split, to keep it balanced)."""
        entry = [s for s in self.splits if s.num == docnum]
        target = next(s for s in entry if s.account == account)
        other = next(s for s in entry if s.account != account)
        other.amount -= amount - target.amount
        target.amount = amount

    def add(self, on: date, num: str, name: str, memo: str, account: str, amount: int, against: str) -> None:
        """A journal entry made in QuickBooks itself."""
        self.splits.append(Split("General Journal", on, num, name, memo, account, amount))
        self.splits.append(Split("General Journal", on, num, name, memo, against, -amount))

    def balance(self, account: str, through: date) -> int:
        return sum(s.amount for s in self.splits if s.account == account and s.on <= through)

    def write_detail(self, path: Path, through: date, start: date | None = None, layout: str = "debit_credit",
                     opening_row: bool = False, encoding: str = "utf-8") -> Path:
        """Transaction Detail by Account through ``through``, as QuickBooks Desktop exports it: amounts and
        running balances debit-positive for every account (DOMAIN §9); TOTAL 0.00 for the whole ledger.

        ``start``: the report's first date (the default *this fiscal year*); each account then opens with
        its balance before ``start`` on its heading row (``opening_row``: on a Beginning Balance row).
        ``layout``: ``debit_credit`` (Debit, Credit, Balance), ``amount`` (Amount, Balance) or
        ``list`` (the Transaction List by Date: no sections, an Account column, a period row)."""
        dates = "All Transactions" if start is None else f"{start:%B %-d, %Y} through {through:%B %-d, %Y}"
        if layout == "list":
            return self._write_list(path, through, start, encoding)
        columns = ["Type", "Date", "Num", "Name", "Memo"] + (["Debit", "Credit"] if layout == "debit_credit"
                                                             else ["Amount"]) + ["Balance"]
        head = ["", ""] + [c for name in columns for c in (name, "")][:-1]
        width = len(head)

        def line(label: str = "", **cells: str) -> list[str]:
            row = [""] * width
            row[1] = label
            for name, value in cells.items():
                row[head.index(name.title())] = value
            return row

        def amounts(cents: int) -> dict[str, str]:
            if layout == "debit_credit":
                return {"debit": money(cents) if cents > 0 else "", "credit": money(-cents) if cents < 0 else ""}
            return {"amount": money(cents)}

        rows = [[self.company], ["Transaction Detail by Account"], [dates], ["Accrual Basis"], [], head]
        debits = credits = 0
        for account in sorted({s.account for s in self.splits}):
            before = sum(s.amount for s in self.splits if s.account == account and start and s.on < start)
            mine = sorted((s for s in self.splits if s.account == account and s.on <= through
                           and (start is None or s.on >= start)), key=lambda s: s.on)
            if not mine and not before:
                continue
            if start is not None and opening_row:
                rows.append(line(account))
                rows.append(line("   Beginning Balance", balance=money(before)))
            else:
                rows.append(line(account, balance=money(before) if start is not None else ""))
            running = before
            for s in mine:
                running += s.amount
                rows.append(line(type=s.type, date=s.on.strftime("%m/%d/%Y"), num=s.num, name=s.name, memo=s.memo,
                                 balance=money(running), **amounts(s.amount)))
            account_debits = sum(s.amount for s in mine if s.amount > 0)
            account_credits = -sum(s.amount for s in mine if s.amount < 0)
            debits, credits = debits + account_debits, credits + account_credits
            shown = ({"debit": money(account_debits), "credit": money(account_credits)} if layout == "debit_credit"
                     else {"amount": money(account_debits - account_credits)})
            rows.append(line(f"Total {account}", balance=money(running), **shown))
        total = line("TOTAL", **({"debit": money(debits), "credit": money(credits)} if layout == "debit_credit"
                                 else {"amount": money(debits - credits)}))
        total[0], total[1] = "TOTAL", ""
        rows.append(total)
        with path.open("w", newline="", encoding=encoding) as f:
            csv.writer(f, lineterminator="\r\n").writerows(rows)
        return path

    def _write_list(self, path: Path, through: date, start: date | None, encoding: str) -> Path:
        """With Dates: All the title says "All Transactions" and the period row still names months."""
        head = ["", "Type", "Date", "Num", "Name", "Memo", "Account", "Split", "Amount"]
        period = f"{start or date(through.year, 1, 1):%b} - {through:%b %y}"
        dates = "All Transactions" if start is None else f"{start:%B %-d, %Y} through {through:%B %-d, %Y}"
        rows = [[self.company], ["Transaction List by Date"], [dates], [], head, [period]]
        total = 0
        for s in sorted((s for s in self.splits if (start is None or start <= s.on) and s.on <= through),
                        key=lambda s: (s.on, s.num)):
            rows.append(["", s.type, s.on.strftime("%m/%d/%Y"), s.num, s.name, s.memo, s.account, "-SPLIT-",
                         money(s.amount)])
            total += s.amount
        rows.append([f"Total {period}", "", "", "", "", "", "", "", money(total)])
        with path.open("w", newline="", encoding=encoding) as f:
            csv.writer(f, lineterminator="\r\n").writerows(rows)
        return path

    def write_trial_balance(self, path: Path, through: date) -> Path:
        rows = [[self.company], ["Trial Balance"], [f"As of {through:%B %d, %Y}"], ["Accrual Basis"], [],
                ["", "", f"{through:%b %d, %y}"], ["", "", "Debit", "", "Credit"]]
        debits = credits = 0
        for account in sorted({s.account for s in self.splits}):
            b = self.balance(account, through)
            if b > 0:
                debits += b
            else:
                credits -= b
            rows.append(["", account, money(b) if b > 0 else "", "", money(-b) if b < 0 else ""])
        rows.append(["TOTAL", "", money(debits), "", money(credits)])
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\r\n").writerows(rows)
        return path
