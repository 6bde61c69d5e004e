"""What every QuickBooks Desktop report saved as CSV has in common, and how it is read.

The layout (``quickbooks/__init__.py`` says where each fact comes from): title rows before the
column header, which is *found* by its names; spacer columns; account labels in the columns before
the first named one (one column a level, or indented), ``1200 · Name`` numbered labels,
``Parent:Child`` names or sections nested under their parent and closed by ``Total ...`` rows; a
closing ``TOTAL`` row; amounts ``1,234.56`` with ``-``, ``( )`` or a trailing ``-`` for negatives;
UTF-8 (BOM or not), UTF-16 or Windows-1252. Every error is a :class:`QBReportError` ``FILE:LINE: what``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from recon_tui.money import format_grouped

AMOUNT_FORMS = "QuickBooks writes e.g. 1,234.56, -1,234.56, (1,234.56) or 1,234.56-"


class QBReportError(Exception):
    """A QuickBooks report file that cannot be read; the message says where and why."""


class QBAccountNotFound(QBReportError, LookupError):
    """The account asked for is not in the report."""


# ---------------------------------------------------------------------------------------------
# Amounts and dates

_AMOUNT = re.compile(r"(\()?(-)?\$?(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(-)?(\))?", re.ASCII)
# The form nearly every cell has. One compiled match beats the chain of str checks that the
# thousands separators need (measured: 1.5 against 2.4 microseconds a cell on the test machine).
PLAIN_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d\d", re.ASCII)


def parse_amount(text: str) -> int:
    """QuickBooks' amount text -> cents; ``""`` is 0. Raises ValueError for anything else."""
    if PLAIN_AMOUNT.fullmatch(text):
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


def find_account(path: Path, index: Mapping[str, object], account: str, accounts: list[str]):
    found = index.get(account_key(account))
    if found is None:
        listed = ", ".join(accounts) if accounts else "none"
        raise QBAccountNotFound(f"{path}: account {account!r} not found (accounts in the file: {listed})")
    return found


# ---------------------------------------------------------------------------------------------
# Reading the file

_BINARY = ((b"%PDF", "a PDF document"), (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
           (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls)"))


def read_bytes(path: Path, hint: str) -> tuple[bytes, str]:
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


class Records:
    """csv records with the physical line each one starts on (a quoted cell may hold line breaks)."""

    def __init__(self, path: Path, hint: str):
        self.path = path
        self.hint = hint  # what to export instead, for the errors that mean "not this report"
        self.data, self.encoding = read_bytes(path, hint)
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


def find_header(records: Records, is_header, wanted: str) -> tuple[dict[str, int], list[str], list[list[str]]]:
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
            if cell.strip() and any(c.isdigit() for c in cell) and is_amount(cell):
                raise records.fail(f"{cell.strip()!r} comes before the header row; expected a header row with "
                                   f"the columns {wanted} ({records.hint})")
        preamble.append(row)
        records.preamble.append((records.line, row))
    raise QBReportError(f"{records.path}:1: no header row with the columns {wanted}: not a QuickBooks report of "
                        f"this kind; {records.hint}")


def is_amount(cell: str) -> bool:
    try:
        parse_amount(cell)
    except ValueError:
        return False
    return True


def cell_amount(records: Records, row: list[str], column: int, title: str) -> int:
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


def label_of(row: list[str], end: int) -> tuple[str, tuple[int, int]]:
    """The account label in the columns before ``end`` and its level (column, indentation)."""
    for column in range(min(end, len(row))):
        cell = row[column]
        text = cell.strip()
        if text:
            return text, (column, len(cell) - len(cell.lstrip()))
    return "", (0, 0)


def closes(text: str) -> str | None:
    """``"Total 1200 · A/R"`` -> ``"1200 · A/R"``; also QuickBooks Online's ``"Total for X"``."""
    low = text.casefold()
    if low.startswith("total for "):
        return text[10:].strip()
    if low.startswith("total "):
        return text[6:].strip()
    return None


@dataclass
class Section:
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


class Outline:
    """The stack of open account headings, shared by both readers."""

    def __init__(self, records: Records):
        self.records = records
        self.open: list[Section] = []

    def name(self) -> str | None:
        """The innermost open account (period rows are not accounts)."""
        for section in reversed(self.open):
            if not section.period:
                return ":".join(section.parts)
        return None

    def push(self, label: str, level: tuple[int, int], running: int) -> tuple[Section, list[Section]]:
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
        section = Section(level, label, parts, number, self.records.line, running)
        self.open.append(section)
        return section, closed

    def close_to(self, level: tuple[int, int]) -> list[Section]:
        closed = []
        while self.open and self.open[-1].level >= level:
            closed.append(self.open.pop())
        return closed

    def total(self, text: str, name: str) -> tuple[Section, list[Section]]:
        """The section a ``Total name`` row closes, and every section it closes."""
        key = " ".join(name.split()).casefold()
        for depth in range(len(self.open) - 1, -1, -1):
            if " ".join(self.open[depth].label.split()).casefold() == key:
                closed = self.open[depth:][::-1]
                del self.open[depth:]
                return closed[-1], closed
        labels = ", ".join(repr(s.label) for s in self.open) or "none"
        raise self.records.fail(f"{text!r} closes no open account (open: {labels})")


def check_total(records: Records, text: str, shown: int, added: int, what: str) -> None:
    if shown != added:
        raise records.fail(f"{text!r} shows {format_grouped(shown)} but the {what} above add up to "
                           f"{format_grouped(added)}")


def rest_is_empty(records: Records, after_total: int) -> None:
    for row in records:
        if any(cell.strip() for cell in row):
            raise records.fail(f"a row after the TOTAL row (line {after_total})")
