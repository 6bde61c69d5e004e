"""A tiny QuickBooks Desktop for tests: it imports our IIF files (or not, or twice), lets a test edit
an entry or add a foreign one, and exports its books the way QuickBooks does: a Trial Balance and a
Transaction Detail by Account report, as CSV with the preamble, the account headings, Total rows
and thousands separators of the real thing (see tests/fixtures/quickbooks/README.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from recon_tui.quickbooks.iif import read_iif


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

    def write_detail(self, path: Path, through: date) -> Path:
        """Transaction Detail by Account, all dates through ``through``, Debit/Credit columns."""
        rows = [[self.company], ["Transaction Detail by Account"], [f"All Transactions through {through:%m/%d/%Y}"],
                ["Accrual Basis"], [],
                ["", "", "Type", "", "Date", "", "Num", "", "Name", "", "Memo", "", "Debit", "", "Credit", "",
                 "Balance"]]
        accounts = sorted({s.account for s in self.splits})
        for account in accounts:
            mine = sorted((s for s in self.splits if s.account == account and s.on <= through), key=lambda s: s.on)
            if not mine:
                continue
            rows.append(["", account])
            running = 0
            for s in mine:
                running += s.amount
                rows.append(["", "", s.type, "", s.on.strftime("%m/%d/%Y"), "", s.num, "", s.name, "", s.memo, "",
                             money(s.amount) if s.amount > 0 else "", "", money(-s.amount) if s.amount < 0 else "",
                             "", money(running)])
            debits = sum(s.amount for s in mine if s.amount > 0)
            credits = -sum(s.amount for s in mine if s.amount < 0)
            rows.append(["", f"Total {account}", "", "", "", "", "", "", "", "", "", "", money(debits), "",
                         money(credits), "", money(running)])
        rows.append(["TOTAL", "", "", "", "", "", "", "", "", "", "", "",
                     money(sum(s.amount for s in self.splits if s.amount > 0 and s.on <= through)), "",
                     money(-sum(s.amount for s in self.splits if s.amount < 0 and s.on <= through)), "", "0.00"])
        with path.open("w", newline="", encoding="utf-8") as f:
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
