"""QuickBooks Desktop's own reports, saved as CSV: the Trial Balance and the transaction detail.

The tie-out needs the GL balance of one account (the Trial Balance) and, for the diagnosis, the
entries QuickBooks holds on it (the General Ledger or Transaction Detail by Account report). What
QuickBooks writes, from exports seen in public code (dg-cpa/knives ``qbdcore.py``, which reads a
"Quickbooks Desktop GL Detail.csv"; dustinmichels/GAS-snippets ``quickbooks-macro``, which tidies a
Desktop General Ledger export) and QuickBooks Desktop's own report options (stated from knowledge
of the product; the reader is lenient where that could be wrong). The fixtures' README has more:

- Preamble rows before the column header: the printed report's left block (time, print date,
  "Accrual Basis") and its centre block (company, report title, "As of October 31, 2026" or a
  date range), blank rows, and on a Trial Balance a row with the column date ("Oct 31, 26")
  above Debit/Credit. The header is *found* by its column names (any order, any case), never
  by position. A preamble cell that is an amount means the header is missing: an error there.
- Empty spacer columns between the named columns, and the account labels in the columns before
  the first named one, one column per hierarchy level (or one column, indented with spaces).
  The first header cell is usually empty.
- Labels ``1200 · Accounts Receivable`` (account number, middle dot U+00B7) or plain names;
  sub-accounts either written ``Parent:Child`` (each part may carry its number) or as rows
  nested under the parent's heading, closed by ``Total Child`` / ``Total Parent`` rows; the
  report ends with a ``TOTAL`` row. Total rows are checked against the rows above them, so a
  file edited by hand (or cut short) is refused instead of read wrong.
- Amounts ``1,234.56``; a negative as ``-1,234.56``, ``(1,234.56)`` or ``1,234.56-`` (the three
  choices of Customize Report > Fonts & Numbers); an optional ``$``; an empty cell is 0. Zero,
  one or two decimals (a file re-saved by Excel loses trailing zeros); anything else is an error.
  Not detectable, so not to be used: the "Without Cents" and "Divided By 1000" options.
- Transaction dates ``MM/DD/YYYY`` (``M/D/YYYY`` too); ``MM/DD/YY`` as in the IIF reader: 00-49
  is 20xx, 50-99 19xx.
- UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 (what QuickBooks Desktop writes
  on Windows); CRLF or LF.

Signs (DOMAIN §9, from real exported files): QuickBooks prints every Amount and running Balance
debit-positive, whatever the account type: a deposit received on a liability is ``-75.00``, income
is negative, a whole ledger's ``TOTAL`` is 0.00. Every amount this module returns is so, in cents:
a Trial Balance row is ``debit - credit``, a detail row its Amount (or ``debit - credit``), an
opening balance its Balance. Turning them into an account's own sign is the caller's job, from the
account's role in the config; nothing here guesses a "natural sign".

Opening balances: a report run for dates that start after the company's first transaction (the
default, this fiscal year) prints each account's opening balance on its heading row (the Desktop
General Ledger) or on a "Beginning Balance" / "Balance Forward" / "Opening Balance" row; when
neither is printed, the first row's Balance less its amount is the opening. They are kept out of
``rows`` and given in ``DetailReport.opening``; the report's dates (``parse_period``) say where the
rows start.

The Transaction List by Date has no account sections: an Account column names each row's account,
and the label rows (``Jan - Dec 26``) are its period. A transaction row outside any heading takes
its account from an Account column; without one it is an error.

Self-checks, so a file that is not what it seems is refused rather than read wrong: every Total
row against the rows above it, each account's running Balance against its amounts, the closing
TOTAL (a file cut short has none), and the kinds of file a bookkeeper might pick by mistake (a PDF,
an Excel workbook, a file re-saved with ``;`` separators, another system's report).

Every error is a :class:`QBReportError` whose message starts ``FILE:LINE:`` (LINE = the 1-based
physical line the CSV record starts on), or ``FILE:`` when no line is to blame.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from recon_tui.gc_pause import gc_paused
from recon_tui.money import format_grouped

__all__ = ["QBReportError", "QBAccountNotFound", "TrialBalanceRow", "TrialBalance", "DetailRow", "DetailReport",
           "read_trial_balance", "read_detail", "parse_amount", "parse_date"]

AMOUNT_FORMS = "QuickBooks writes e.g. 1,234.56, -1,234.56, (1,234.56) or 1,234.56-"
OPENING_LABELS = frozenset({"beginning balance", "balance forward", "opening balance"})
# Header names of the detail report's data columns; the account labels sit in the columns before them.
DETAIL_COLUMNS = frozenset({"account", "type", "date", "num", "adj", "name", "memo", "split", "debit", "credit", "amount",
                            "balance", "clr", "cls", "class", "entered/last modified", "last modified by"})


class QBReportError(Exception):
    """A QuickBooks report file that cannot be read; the message says where and why."""


class QBAccountNotFound(QBReportError, LookupError):
    """The account asked for is not in the report."""


# ---------------------------------------------------------------------------------------------
# Amounts and dates

_AMOUNT = re.compile(r"(\()?(-)?\$?(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(-)?(\))?", re.ASCII)
# The form nearly every cell has. One compiled match beats the chain of str checks that the
# thousands separators need (measured: 1.5 against 2.4 microseconds a cell on the test machine).
_PLAIN = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d\d", re.ASCII)


def parse_amount(text: str) -> int:
    """QuickBooks' amount text -> cents; ``""`` is 0. Raises ValueError for anything else."""
    if _PLAIN.fullmatch(text):
        return int(text.replace(",", "").replace(".", ""))  # "-1,234.56" -> -123456
    return _parse_amount_slowly(text)


def _parse_amount_slowly(text: str) -> int:
    stripped = text.strip()
    if not stripped:
        return 0
    match = _AMOUNT.fullmatch(stripped)
    if match is None:
        raise ValueError(text)
    open_paren, minus, minus_after_dollar, whole, decimals, trailing_minus, close_paren = match.groups()
    if bool(open_paren) != bool(close_paren):
        raise ValueError(text)
    if sum(map(bool, (open_paren, minus, minus_after_dollar, trailing_minus))) > 1:
        raise ValueError(text)
    value = int(whole.replace(",", "")) * 100 + int((decimals or "").ljust(2, "0"))
    return -value if (open_paren or minus or minus_after_dollar or trailing_minus) else value


def parse_date(text: str) -> date:
    """``MM/DD/YYYY``, ``M/D/YYYY`` or ``MM/DD/YY`` (00-49 = 20xx) -> date; ValueError otherwise."""
    parts = text.strip().split("/")
    if len(parts) == 3:
        month, day, year = parts
        if (0 < len(month) <= 2 and 0 < len(day) <= 2 and len(year) in (2, 4)
                and (month + day + year).isascii() and (month + day + year).isdigit()):
            number = int(year)
            if len(year) == 2:
                number += 2000 if number < 50 else 1900
            return date(number, int(month), int(day))
    raise ValueError(text)


# ---------------------------------------------------------------------------------------------
# Account names

def split_label(label: str) -> tuple[list[str], str | None]:
    """``"4000 · Income:4010 · Session Fees"`` -> (["Income", "Session Fees"], "4010")."""
    parts, number = [], None
    for part in label.split(":"):
        part = part.strip()
        number = None
        if "\u00b7" in part:
            prefix, _, rest = part.partition("\u00b7")
            prefix, rest = prefix.strip(), rest.strip()
            if prefix and rest and not any(c.isspace() for c in prefix):
                part, number = rest, prefix
        parts.append(part)
    return parts, number


def account_key(name: str) -> str:
    """The form names are compared in: numbers dropped, case and runs of spaces ignored."""
    return ":".join(" ".join(part.split()).casefold() for part in split_label(name)[0])


def _find(path: Path, index: Mapping[str, object], account: str, accounts: list[str]):
    found = index.get(account_key(account))
    if found is None:
        listed = ", ".join(accounts) if accounts else "none"
        raise QBAccountNotFound(f"{path}: account {account!r} not found (accounts in the file: {listed})")
    return found


# ---------------------------------------------------------------------------------------------
# Reading the file

_BINARY = ((b"%PDF", "a PDF document"), (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
           (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls)"))


def _encoding(path: Path, hint: str) -> tuple[bytes, str]:
    """The file's bytes and the encoding they decode with (checked here, so no error comes later)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise QBReportError(f"{path}: cannot read the file ({error.strerror or error})") from None
    for magic, what in _BINARY:
        if data.startswith(magic):
            raise QBReportError(f"{path}:1: this is {what}, not a CSV file: {hint}")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise QBReportError(f"{path}:1: a binary file, not a CSV export: {hint}")
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.isascii():
        return data, "ascii"
    else:
        try:
            data.decode("utf-8")
            return data, "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding == "cp1252":
            raise QBReportError(f"{path}: neither UTF-8 nor Windows-1252 text "
                                f"(byte 0x{data[error.start]:02X} at offset {error.start})") from None
        raise QBReportError(f"{path}: the file starts with a byte-order mark but is not {encoding} "
                            f"({error.reason} at byte {error.start})") from None
    return data, encoding


class _Records:
    """csv records with the physical line each one starts on (a quoted cell may hold line breaks)."""

    def __init__(self, path: Path, hint: str):
        self.path = path
        self.hint = hint  # what to export instead, for the errors that mean "not this report"
        self.data, self.encoding = _encoding(path, hint)
        # Decoded as it is read: a StringIO of the whole text would hold 4 bytes a character.
        self.reader = csv.reader(io.TextIOWrapper(io.BytesIO(self.data), encoding=self.encoding, newline=""))
        self.line = 0  # where the last record returned starts
        self.preamble: list[tuple[int, list[str]]] = []  # the rows before the header, with their lines

    def require_total_row(self) -> None:
        """A QuickBooks report ends with its TOTAL (or Total ...) row: a file that does not was cut short."""
        if self.encoding == "utf-16":
            data = self.data.decode("utf-16").encode("utf-8")
        else:
            data = self.data
        cut = max(len(data) - 65536, 0)  # the end is enough (a copy of a 100 MB export is not free)
        body = data[cut:].rstrip(b'\r\n\t ,"')  # trailing blank lines and empty cells
        if not body and cut:
            cut, body = 0, data.rstrip(b'\r\n\t ,"')
        if not body:
            return  # an empty file: the header check says what is wrong
        last = body[body.rfind(b"\n") + 1:].decode("utf-8" if self.encoding == "utf-16" else self.encoding.replace(
            "-sig", ""), errors="replace")
        cells = next(csv.reader([last]), [])
        first = next((cell.strip().casefold() for cell in cells if cell.strip()), "")
        if first == "total" or first.startswith("total "):
            return
        raise self.fail("the file ends without the report's TOTAL row (cut short, or saved from part of the "
                        f"report?): {self.hint}", data.count(b"\n", 0, cut) + body.count(b"\n") + 1)

    def __iter__(self):
        return self

    def __next__(self) -> list[str]:
        start = self.reader.line_num + 1
        try:
            row = next(self.reader)
        except csv.Error as error:
            raise QBReportError(f"{self.path}:{start}: not readable as CSV ({error})") from None
        self.line = start
        return row

    def fail(self, what: str, line: int | None = None) -> QBReportError:
        return QBReportError(f"{self.path}:{self.line if line is None else line}: {what}")


def _header(records: _Records, is_header, wanted: str) -> tuple[dict[str, int], list[str], list[list[str]]]:
    """Skip the preamble; return the header's {name: column}, the header row and the preamble rows."""
    preamble = []
    for row in records:
        if any(cell.count(";") >= 2 for cell in row):
            raise records.fail(f"the values are separated by ';', not ',' (a spreadsheet saved it in a European "
                               f"format?): {records.hint}")
        names = [cell.strip().casefold() for cell in row]
        if is_header(names):
            columns: dict[str, int] = {}
            for index, name in enumerate(names):
                if name and name in columns:
                    raise records.fail(f"the header row has two {row[index].strip()!r} columns")
                if name:
                    columns[name] = index
            return columns, row, preamble
        for cell in row:
            if cell.strip() and any(c.isdigit() for c in cell) and _is_amount(cell):
                raise records.fail(f"{cell.strip()!r} comes before the header row; expected a header row with "
                                   f"the columns {wanted} ({records.hint})")
        preamble.append(row)
        records.preamble.append((records.line, row))
    raise QBReportError(f"{records.path}:1: no header row with the columns {wanted}: not a QuickBooks report of "
                        f"this kind; {records.hint}")


def _is_amount(cell: str) -> bool:
    try:
        parse_amount(cell)
    except ValueError:
        return False
    return True


def _amount(records: _Records, row: list[str], column: int, title: str) -> int:
    cell = row[column] if column < len(row) else ""
    try:
        return parse_amount(cell)
    except ValueError:
        raise records.fail(f"{title} {cell.strip()!r} is not an amount ({AMOUNT_FORMS})") from None


DETAIL_HINT = ("in QuickBooks Desktop run Reports > Accountant & Taxes > Transaction Detail by Account (Dates: All, "
               "or this fiscal year) and save it with Excel > Create New Worksheet > Create a comma separated "
               "values (.csv) file")
TRIAL_BALANCE_HINT = ("in QuickBooks Desktop run Reports > Accountant & Taxes > Trial Balance as of the current "
                      "date and save it with Excel > Create New Worksheet > Create a comma separated values (.csv) file")


def _label(row: list[str], end: int) -> tuple[str, tuple[int, int]]:
    """The account label in the columns before ``end`` and its level (column, indentation)."""
    for column in range(min(end, len(row))):
        cell = row[column]
        text = cell.strip()
        if text:
            return text, (column, len(cell) - len(cell.lstrip()))
    return "", (0, 0)


def _closes(text: str) -> str | None:
    """``"Total 1200 · A/R"`` -> ``"1200 · A/R"``; also QuickBooks Online's ``"Total for X"``."""
    low = text.casefold()
    if low.startswith("total for "):
        return text[10:].strip()
    if low.startswith("total "):
        return text[6:].strip()
    return None


@dataclass
class _Section:
    """An open account heading while reading: the rows under it belong to it (or its children)."""

    level: tuple[int, int]
    label: str
    parts: list[str]
    number: str | None
    line: int
    start: int  # running net when it opened, to check its Total row
    skipped: int = 0  # rows passed over unread (read_detail's ``only``) before it opened
    children: bool = False
    has_amounts: bool = False
    period: bool = False  # a Transaction List's period row ("Jan - Dec 26"), not an account

    @cached_property
    def key(self) -> str:
        """The full name (Parent:Child) as ``account_key`` compares names."""
        return account_key(":".join(self.parts))


class _Outline:
    """The stack of open account headings, shared by both readers."""

    def __init__(self, records: _Records):
        self.records = records
        self.open: list[_Section] = []

    def name(self) -> str | None:
        """The innermost open account (period rows are not accounts)."""
        for section in reversed(self.open):
            if not section.period:
                return ":".join(section.parts)
        return None

    def push(self, label: str, level: tuple[int, int], running: int) -> tuple[_Section, list[_Section]]:
        """Open a heading; returns it and the sections it closes (its earlier siblings and theirs)."""
        closed = self.close_to(level)
        parts, number = split_label(label)
        accounts = [s for s in self.open if not s.period]
        if accounts:
            parent = accounts[-1]
            parent.children = True
            head = [p.casefold() for p in parts[:len(parent.parts)]]
            if len(parts) <= len(parent.parts) or head != [p.casefold() for p in parent.parts]:
                parts = parent.parts + parts  # "Child" under "Parent", not written "Parent:Child"
        section = _Section(level, label, parts, number, self.records.line, running)
        self.open.append(section)
        return section, closed

    def close_to(self, level: tuple[int, int]) -> list[_Section]:
        closed = []
        while self.open and self.open[-1].level >= level:
            closed.append(self.open.pop())
        return closed

    def total(self, text: str, name: str) -> tuple[_Section, list[_Section]]:
        """The section a ``Total name`` row closes, and every section it closes."""
        key = " ".join(name.split()).casefold()
        for depth in range(len(self.open) - 1, -1, -1):
            if " ".join(self.open[depth].label.split()).casefold() == key:
                closed = self.open[depth:][::-1]
                del self.open[depth:]
                return closed[-1], closed
        labels = ", ".join(repr(s.label) for s in self.open) or "none"
        raise self.records.fail(f"{text!r} closes no open account (open: {labels})")


def _check_total(records: _Records, text: str, shown: int, added: int, what: str) -> None:
    if shown != added:
        raise records.fail(f"{text!r} shows {format_grouped(shown)} but the {what} above add up to "
                           f"{format_grouped(added)}")


def _rest_is_empty(records: _Records, after_total: int) -> None:
    for row in records:
        if any(cell.strip() for cell in row):
            raise records.fail(f"a row after the TOTAL row (line {after_total})")


# ---------------------------------------------------------------------------------------------
# Trial Balance

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
        return _find(self.path, self._index, account, [row.account for row in self.rows]).balance


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
    records = _Records(path, TRIAL_BALANCE_HINT)
    columns, _, preamble = _header(records, lambda names: "debit" in names and "credit" in names,
                                   "Debit and Credit")
    detail = [name for name in ("type", "date", "num") if name in columns]
    if detail:
        raise records.fail(f"the header has a {detail[0].title()} column: this is a transaction detail report, "
                           "not a Trial Balance")
    debit_at, credit_at = columns["debit"], columns["credit"]
    label_end = min(debit_at, credit_at)
    outline = _Outline(records)
    rows: list[TrialBalanceRow] = []
    seen: dict[str, int] = {}
    sums = [0, 0]

    def add(section: _Section, debit: int, credit: int) -> None:
        account = ":".join(section.parts)
        key = account_key(account)
        if key in seen:
            raise records.fail(f"account {account!r} appears twice (also on line {seen[key]})", section.line)
        seen[key] = section.line
        rows.append(TrialBalanceRow(account, section.number, debit, credit, section.line))
        sums[0] += debit
        sums[1] += credit

    def closed(sections: list[_Section]) -> None:  # a heading with no amounts and no children: a zero account
        for section in sections:
            if not section.children and not section.has_amounts:
                add(section, 0, 0)

    for row in records:
        text, level = _label(row, label_end)
        debit = _amount(records, row, debit_at, "Debit")
        credit = _amount(records, row, credit_at, "Credit")
        has_amounts = any(row[c].strip() for c in (debit_at, credit_at) if c < len(row))
        if not text:
            if has_amounts:
                raise records.fail("an amount with no account name")
            if any(cell.strip() for cell in row):
                raise records.fail("a row with no account name")
            continue
        if text.casefold() == "total":
            closed(outline.close_to((-1, -1)))
            _check_total(records, text, debit, sums[0], "debits")
            _check_total(records, text, credit, sums[1], "credits")
            _rest_is_empty(records, records.line)
            break
        name = _closes(text)
        if name is not None:
            section, sections = outline.total(text, name)
            closed(sections)
            _check_total(records, text, debit - credit, sums[0] - sums[1] - section.start, "accounts")
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


# ---------------------------------------------------------------------------------------------
# The period a report covers: "All Transactions", "January 1 through October 31, 2026", "Jan - Dec 26"

_MONTHS = {name: number for number, names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")), 1) for name in names}
_SIDE = re.compile(r"(?:(?P<month>[a-z]+)\.?)?\s*(?P<first>\d{1,4})?(?:\s*,\s*(?P<year>\d{4}|\d{2}))?", re.ASCII)
_ALL_DATES = frozenset({"all transactions", "all dates", "all"})


@dataclass(frozen=True)
class ReportPeriod:
    """The dates a report says it covers (its title block, or the Transaction List's period row)."""

    start: date | None  # None: from the company's first transaction (Dates: All)
    end: date | None  # None: to its last
    text: str
    line: int


def _year(text: str) -> int:
    number = int(text)
    return number if len(text) == 4 else number + (2000 if number < 50 else 1900)


def _side(text: str, left: bool) -> tuple[int | None, int | None, int | None] | None:
    """``"October 31, 2026"`` -> (10, 31, 2026); ``"Jan"`` -> (1, None, None); None if not a date.

    A lone number after a month is a year (``October 2026``, the period row's ``Oct 26``), except on
    the left of a range, where the year comes after the right side (``January 1 through ...``)."""
    match = _SIDE.fullmatch(text.strip().casefold())
    if match is None or not any(match.groups()):
        return None
    month, number, year = match.group("month"), match.group("first"), match.group("year")
    if month is not None and month not in _MONTHS:
        return None
    day = None
    if number is not None:
        if year is not None or (left and len(number) <= 2):
            if len(number) > 2:
                return None
            day = int(number)
        elif len(number) in (2, 4):
            year = number
        else:
            return None
    return (_MONTHS[month] if month else None, day, _year(year) if year else None)


def parse_period(text: str, line: int = 0) -> ReportPeriod | None:
    """The period in a report's date line, in QuickBooks Desktop's forms (None if it is not one):
    ``All Transactions``; ``As of October 31, 2026``; ``January 1 through October 31, 2026``;
    ``December 15, 2025 through January 14, 2026``; ``October 2026``; ``October 1 - 31, 2026``;
    the Transaction List's period row ``Jan - Dec 26``, ``Oct 26``, ``Jan 1 - Oct 31, 26``."""
    clean_text = " ".join(text.split())
    low = clean_text.casefold()
    if low in _ALL_DATES:
        return ReportPeriod(None, None, clean_text, line)
    if low.startswith("as of "):
        end = _side(low[6:], False)
        if end is None or None in end:
            return None
        try:
            return ReportPeriod(None, date(end[2], end[0], end[1]), clean_text, line)
        except ValueError:
            return None
    for separator in (" through ", " - ", "-", " to "):
        if separator in low:
            left, right = low.split(separator, 1)
            break
    else:
        left = right = low
        separator = ""
    first, last = _side(left, bool(separator)), _side(right, False)
    if first is None or last is None:
        return None
    year = last[2]
    month_end = last[0] if last[0] is not None else first[0]
    if year is None or month_end is None or first[0] is None:
        return None
    if not separator and last[1] is not None:
        return None  # a single day is no period ("October 31, 2026" is a print date or an As of)
    try:
        start = date(first[2] or year, first[0], first[1] or 1)
        if first[2] is None and start > date(year, month_end, 1):  # "December 15 through January 14, 2026"
            start = start.replace(year=year - 1)
        end = date(year, month_end, last[1] or calendar.monthrange(year, month_end)[1])
    except ValueError:
        return None
    return ReportPeriod(start, end, clean_text, line) if start <= end else None


def _title_period(preamble: list[tuple[int, list[str]]]) -> ReportPeriod | None:
    for line, row in preamble:
        for cell in row:
            if cell.strip():
                found = parse_period(cell, line)
                if found is not None:
                    return found
    return None


# ---------------------------------------------------------------------------------------------
# Transaction detail (Transaction Detail by Account, General Ledger, Transaction List by Date)

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
        return list(_find(self.path, self._index, account, names))

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
    records = _Records(path, DETAIL_HINT)
    columns, header, preamble = _header(records, _is_detail_header, "Date, Num and Debit/Credit or Amount")
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
    period = _title_period(records.preamble)
    row_period = None  # a Transaction List's period row

    outline = _Outline(records)
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
    plain = _PLAIN.fullmatch
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
            value = _amount(records, row, balance_at, "Balance")
        else:
            value = _amount(records, row, first, first_title) - _amount(records, row, second, "Credit")
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
        return _amount(records, row, first, "Total") - _amount(records, row, second, "Total")

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
            text, level = _label(row, label_end)
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
                    _check_total(records, text, total, running, "rows")
                _rest_is_empty(records, line)
                ended = True
                break
            ended = False
            if low in OPENING_LABELS:
                opening_balance(row, account)
                fresh = True
                continue
            name = _closes(text)
            if name is not None:
                section, _ = outline.total(text, name)
                if section.skipped == skipped:
                    _check_total(records, text, total_shown(row), running - section.start, "rows")
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
        _amount(records, row, first, first_title)
        _amount(records, row, second, "Credit")
        raise
    except csv.Error as error:
        raise records.fail(f"not readable as CSV ({error})", end + 1) from None
    return DetailReport(path, tuple(rows), opening, tuple(accounts), period or row_period, total, opening_lines,
                        by_column)


def _balance(records: _Records, text: str, line: int) -> int:
    try:
        return parse_amount(text)
    except ValueError:
        raise records.fail(f"Balance {text.strip()!r} is not an amount ({AMOUNT_FORMS})", line) from None


def _date(records: _Records, line: int, text: str) -> date:
    try:
        return parse_date(text)
    except ValueError:
        raise records.fail(f"date {text.strip()!r} is not a date (QuickBooks writes MM/DD/YYYY)", line) from None
