"""QuickBooks Desktop's transaction detail saved as CSV: Transaction Detail by Account, the General
Ledger and the Transaction List by Date, every row debit-positive (see ``quickbooks/__init__.py``)."""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from recon_tui.gc_pause import gc_paused
from recon_tui.money import format_grouped
from recon_tui.quickbooks.periods import ReportPeriod, parse_period, title_period
from recon_tui.quickbooks.report_csv import (
    AMOUNT_FORMS,
    DETAIL_HINT,
    PLAIN_AMOUNT,
    Outline,
    Records,
    account_key,
    cell_amount,
    check_total,
    closes,
    find_account,
    find_header,
    label_of,
    parse_amount,
    parse_date,
    rest_is_empty,
    split_label,
)

OPENING_LABELS = frozenset({"beginning balance", "balance forward", "opening balance"})
# Header names of the detail report's data columns; the account labels sit in the columns before them.
DETAIL_COLUMNS = frozenset({"account", "type", "date", "num", "adj", "name", "memo", "split", "debit", "credit", "amount",
                            "balance", "clr", "cls", "class", "entered/last modified", "last modified by"})


class DetailRow(NamedTuple):
    """One transaction line on one account (a tuple: a million of them are read at once)."""

    account: str  # full name (Parent:Child): of the account section, or the row's Account column
    type: str  # "General Journal", "Payment", ...
    on: date
    num: str  # the Num column (our IIF DOCNUM), "" if empty
    name: str
    memo: str
    amount: int  # cents, debit-positive
    line: int


@dataclass(frozen=True)
class DetailReport:
    path: Path
    rows: tuple[DetailRow, ...]
    opening: Mapping[str, int] = field(default_factory=dict)  # account -> opening balance, debit-positive
    accounts: tuple[str, ...] = ()  # every account in the file (sections, or Account column values)
    period: ReportPeriod | None = None  # the dates the report says it covers; None: it does not say
    total: int | None = None  # the closing TOTAL row, debits - credits; None when not read (``only``)
    opening_lines: Mapping[str, int] = field(default_factory=dict)  # account -> the line its opening is on
    by_account_column: bool = False  # a Transaction List: rows placed by their Account column
    balance_column: bool = True  # a report without one cannot print opening balances

    @property
    def balanced(self) -> bool:
        """A whole-ledger export: every account's lines, so its TOTAL is 0.00 (debits = credits)."""
        return self.total == 0

    @cached_property
    def _index(self) -> dict[str, list[DetailRow]]:
        index: dict[str, list[DetailRow]] = {account_key(a): [] for a in self.accounts}
        keys: dict[str, str] = {}
        for row in self.rows:
            key = keys.get(row.account)
            if key is None:
                key = keys[row.account] = account_key(row.account)
            index.setdefault(key, []).append(row)
        return index

    def has_account(self, account: str) -> bool:
        return account_key(account) in self._index

    def rows_for(self, account: str) -> list[DetailRow]:
        """The rows under ``account`` itself (not its sub-accounts); matched as ``balance_of``.

        An account that has a heading in the file but no rows gives ``[]``; one that is not in the
        file at all raises QBAccountNotFound (a misspelt name must not look like "no activity").
        """
        names = list(dict.fromkeys(self.accounts or [row.account for row in self.rows]))
        return list(find_account(self.path, self._index, account, names))

    def opening_of(self, account: str) -> int | None:
        """The account's opening balance (debit-positive), None when the file shows none."""
        key = account_key(account)
        return next((value for name, value in self.opening.items() if account_key(name) == key), None)


def _is_detail_header(names: list[str]) -> bool:
    return "date" in names and "num" in names and ("amount" in names or ("debit" in names and "credit" in names))


def read_detail(path: str | Path, only: Collection[str] | None = None) -> DetailReport:
    """Read a Transaction Detail by Account, General Ledger or Transaction List by Date export.

    Every amount is debit-positive, as QuickBooks writes them for every account type (DOMAIN §9):
    the caller turns them into the account's own sign. A report with an Account column (the
    Transaction List by Date) places each row by that column; the label rows above its rows
    (``Jan - Dec 26``) are periods, not accounts. Each account's running Balance is checked against
    its amounts, and an opening balance is taken from the heading row, a Beginning Balance row, or
    (when neither is printed) the first row's Balance less its amount.

    ``only``: keep the rows of these accounts (by name as in ``balance_of``) and pass over the
    others unread (the diagnosis needs one account): their dates and amounts are not checked, nor
    the Total rows that include them. Reading stops once every account asked for has had its
    section (``accounts`` then lists the sections up to there; ``total`` is None).
    """
    with gc_paused():  # a million rows are a million new objects and no cycles
        return _read_detail(Path(path), only)


def _read_detail(path: Path, only: Collection[str] | None = None) -> DetailReport:
    records = Records(path, DETAIL_HINT)
    columns, header, preamble = find_header(records, _is_detail_header, "Date, Num and Debit/Credit or Amount")
    width = len(header)
    blank = width  # when a column is absent, every row gets one "" appended for it to read
    at = {name: columns.get(name, blank) for name in ("type", "num", "name", "memo", "balance")}
    account_at = columns.get("account", blank)
    by_column = account_at != blank
    debit_credit = "debit" in columns and "credit" in columns
    if debit_credit:
        first, second, first_title = columns["debit"], columns["credit"], "Debit"
    else:
        first, second, first_title = columns["amount"], blank, "Amount"
    absent = blank in at.values() or second == blank
    label_end = min(index for name, index in columns.items() if name in DETAIL_COLUMNS)
    date_at, type_at, num_at, name_at, memo_at = columns["date"], at["type"], at["num"], at["name"], at["memo"]
    balance_at = at["balance"]
    kept = None if only is None else {account_key(name) for name in only}
    period = title_period(records.preamble)
    row_period = None  # a Transaction List's period row

    outline = Outline(records)
    accounts: dict[str, None] = {}  # every account, in order
    opening: dict[str, int] = {}
    opening_lines: dict[str, int] = {}
    from_column: dict[str, str] = {}
    rows: list[DetailRow] = []
    append = rows.append
    dates: dict[str, date] = {}
    cents: dict[str, int] = {"": 0}  # amount text -> cents
    new = tuple.__new__  # half the cost of DetailRow(...), which goes through a Python __new__
    pad = [""] * width  # QuickBooks writes every cell of a row; a file from elsewhere may stop early
    reader = records.reader
    plain = PLAIN_AMOUNT.fullmatch
    account, running, line, end = None, 0, 0, reader.line_num
    wanted = True  # the current section's rows are kept
    seen_keys: set[str] = set()  # the account_key of every heading so far
    skipped = 0  # rows of other accounts passed over (``only``): Totals that include them go unchecked
    total = None
    ended = False  # the last row read closes the report (TOTAL, or the Transaction List's last Total)
    # A run: consecutive rows of one section, whose Balance column must follow their amounts.
    run: list | None = None  # [account, first line, first Balance text, its amount, running before it,
    #                          last line, last Balance text, right after the heading]
    fresh = False  # the next row is the first under its heading (or its opening row)

    def opening_balance(row: list[str], account: str | None) -> None:
        """The Balance cell, else the amount cells, as the current account's opening (debit-positive)."""
        if account is None:
            raise records.fail("an opening balance outside any account heading")
        if row[balance_at].strip():
            value = cell_amount(records, row, balance_at, "Balance")
        else:
            value = cell_amount(records, row, first, first_title) - cell_amount(records, row, second, "Credit")
        opening[account] = value
        opening_lines[account] = records.line

    def end_run() -> None:
        """Check the run's Balance column; the first row's Balance gives an opening none was printed for."""
        nonlocal run
        owner, first_line, first_text, first_amount, before, last_line, last_text, after_heading = run
        run = None
        if not first_text.strip() or not last_text.strip():
            return
        start_balance = _balance(records, first_text, first_line) - first_amount
        moved = running - before
        end_balance = _balance(records, last_text, last_line)
        if end_balance - start_balance != moved:
            raise records.fail(f"the Balance column does not follow the amounts: {owner} goes from "
                               f"{format_grouped(start_balance)} (line {first_line}) to {format_grouped(end_balance)}, "
                               f"but its rows add up to {format_grouped(moved)} (a row missing, or the file "
                               "edited?)", last_line)
        if not after_heading:
            return
        printed = opening.get(owner)
        if printed is None:
            if start_balance:
                opening[owner] = start_balance
                opening_lines[owner] = first_line
        elif printed != start_balance:
            raise records.fail(f"{owner}: the opening balance {format_grouped(printed)} (line "
                               f"{opening_lines[owner]}) is not where the Balance column starts, "
                               f"{format_grouped(start_balance)}", first_line)

    def total_shown(row: list[str]) -> int:
        return cell_amount(records, row, first, "Total") - cell_amount(records, row, second, "Total")

    try:
        for row in reader:
            line = end + 1
            end = reader.line_num
            if len(row) != width:
                if len(row) < width:
                    row.extend(pad[len(row):])
                elif any(cell.strip() for cell in row[width:]):
                    raise records.fail("cells beyond the header's last column", line)
                else:
                    del row[width:]
            if absent:
                row.append("")
            day = row[date_at]
            if day:  # a transaction: the hot path, kept to plain indexing and str methods
                if not wanted:
                    skipped += 1
                    continue
                on = dates.get(day)
                if on is None:
                    on = dates[day] = _date(records, line, day)
                # parse_amount, inlined and remembered: prices repeat, and a million calls cost a second
                cell = row[first]
                amount = cents.get(cell)
                if amount is None:
                    amount = cents[cell] = int(cell.replace(",", "").replace(".", "")) if plain(cell) \
                        else parse_amount(cell)
                cell = row[second]
                if cell:
                    credit = cents.get(cell)
                    if credit is None:
                        credit = cents[cell] = int(cell.replace(",", "").replace(".", "")) if plain(cell) \
                            else parse_amount(cell)
                    amount -= credit
                if by_column and row[account_at]:
                    text = row[account_at]
                    mine = from_column.get(text)
                    if mine is None:
                        mine = from_column[text] = ":".join(split_label(text)[0])
                        accounts.setdefault(mine, None)
                    running += amount
                    if kept is not None and account_key(mine) not in kept:
                        continue
                elif account is None:
                    raise records.fail("a transaction outside any account heading (and no Account column to say "
                                       "whose)", line)
                else:
                    mine = account
                    if run is None:
                        run = [account, line, row[balance_at], amount, running, line, row[balance_at], fresh]
                        fresh = False
                    else:
                        run[5] = line
                        run[6] = row[balance_at]
                    running += amount
                append(new(DetailRow, (mine, row[type_at], on, row[num_at], row[name_at], row[memo_at], amount,
                                       line)))
                continue
            records.line = line
            if run is not None:
                end_run()
            text, level = label_of(row, label_end)
            if not text:  # nothing in the label columns
                if not any(cell.strip() for cell in row):
                    continue
                first_cell = next(cell.strip() for cell in row if cell.strip())
                if first_cell.casefold() == "total" or first_cell.casefold().startswith("total "):
                    text = first_cell  # a report with no label columns writes its total in the first one
            if not text:
                if any(cell.strip().casefold() in OPENING_LABELS for cell in row):
                    opening_balance(row, account)
                    fresh = True
                    continue
                raise records.fail(f"no date on this {row[type_at].strip() or 'transaction'} row")
            low = text.casefold()
            if low == "total":
                outline.close_to((-1, -1))
                total = total_shown(row)
                if not skipped:
                    check_total(records, text, total, running, "rows")
                rest_is_empty(records, line)
                ended = True
                break
            ended = False
            if low in OPENING_LABELS:
                opening_balance(row, account)
                fresh = True
                continue
            name = closes(text)
            if name is not None:
                section, _ = outline.total(text, name)
                if section.skipped == skipped:
                    check_total(records, text, total_shown(row), running - section.start, "rows")
                if by_column and not outline.open:
                    total = total_shown(row)  # the Transaction List's last row closes its period
                    ended = True
                account = outline.name()
                fresh = False
            else:
                section = outline.push(text, level, running)[0]
                section.skipped = skipped
                if by_column and (found := parse_period(text, line)) is not None:
                    section.period = True  # "Jan - Dec 26": the rows' dates, not an account
                    row_period = row_period or found
                account = outline.name()
                if account is not None:
                    accounts.setdefault(account, None)
                    seen_keys.add(outline.open[-1].key)
                fresh = True
            wanted = kept is None or account is None or by_column or account_key(account) in kept
            if (kept is not None and not by_column and kept <= seen_keys
                    and not any(s.key in kept for s in outline.open)):
                records.require_total_row()  # what is not read must still be a whole report
                ended = True
                break  # every account asked for has been read (an account has one section)
            if name is None and row[balance_at].strip():  # the Desktop GL prints the opening balance here
                opening_balance(row, account)
        if run is not None:
            end_run()
        if not ended:
            raise records.fail(f"the file ends without the report's TOTAL row (cut short, or saved from part of the "
                               f"report?): {records.hint}", end)
    except ValueError:  # from parse_amount on the hot path: name the cell
        records.line = line
        cell_amount(records, row, first, first_title)
        cell_amount(records, row, second, "Credit")
        raise
    except csv.Error as error:
        raise records.fail(f"not readable as CSV ({error})", end + 1) from None
    return DetailReport(path, tuple(rows), opening, tuple(accounts), period or row_period, total, opening_lines,
                        by_column, "balance" in columns)


def _balance(records: Records, text: str, line: int) -> int:
    try:
        return parse_amount(text)
    except ValueError:
        raise records.fail(f"Balance {text.strip()!r} is not an amount ({AMOUNT_FORMS})", line) from None


def _date(records: Records, line: int, text: str) -> date:
    try:
        return parse_date(text)
    except ValueError:
        raise records.fail(f"date {text.strip()!r} is not a date (QuickBooks writes MM/DD/YYYY)", line) from None
