"""QuickBooks Desktop IIF files in: our own batches read back, and QuickBooks' own exports (the
"Lists to IIF Files" chart of accounts and customers, transaction exports).

The format and what QuickBooks writes are described in iif_writer.py; the reader is lenient where
QuickBooks' own files differ from ours: CRLF or LF; MM/DD/YYYY or MM/DD/YY dates (00-49 = 20xx),
with dashes too; amounts with thousands separators in quotes (``"-1,725.00"``); values in double
quotes, tabs and all; UTF-8 (BOM or not), UTF-16 with its BOM, else Windows-1252.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from recon_tui.model import Entry, Line, Posted
from recon_tui.money import MoneyError, format_cents, parse_cents
from recon_tui.quickbooks.iif_writer import IIF_ACCOUNT_TYPES

#: What the reader also takes: SUSPENSE is listed by a QuickBooks chart importer (BankLink's).
_READ_ACCOUNT_TYPES = IIF_ACCOUNT_TYPES | {"SUSPENSE"}


class IIFError(Exception):
    """A malformed IIF file, phrased as ``file:line: what is wrong``."""


@dataclass(frozen=True)
class IIFFile:
    """What read_iif found: the list rows and the transactions, in file order."""

    accounts: dict[str, str]  # name -> ACCNTTYPE, as the ACCNT rows list them
    customers: list[str]  # CUST names in file order
    entries: list[Posted]
    product: str = ""  # the HDR row's PROD and VER ("QuickBooks Pro Version 34.0D"), if any


#: record type -> the columns its header must name; every other record type is passed over
_REQUIRED = {"ACCNT": ("NAME", "ACCNTTYPE"), "CUST": ("NAME",), "TRNS": ("TRNSTYPE", "DATE", "ACCNT", "AMOUNT"),
             "SPL": ("ACCNT", "AMOUNT"), "ENDTRNS": (), "HDR": ()}
_PLAIN_AMOUNT = re.compile(r"-?[0-9]+\.[0-9][0-9]")
_GROUPED_AMOUNT = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?")
_DATE = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
NOT_IIF = ("not an IIF file (it does not start with a !HEADER row such as !HDR, !ACCNT or !TRNS); "
           "export the lists from QuickBooks: File > Utilities > Export > Lists to IIF Files")


def read_iif(path: str | os.PathLike) -> IIFFile:
    """Read the ACCNT, CUST and GENERAL JOURNAL-shaped TRNS blocks of an IIF file.

    Takes what write_iif writes and QuickBooks' own files: its "Lists to IIF Files" export (the
    chart of accounts, customers and a dozen other lists) and transaction exports. Sections of
    other record types (``!INVITEM``, ``!VEND``, ``!EMP``, ``!CUSTNAMEDICT``, ``ENDGRP`` rows, ...)
    are passed over, with or without their header. A row may stop before its header's last columns
    (they are empty) or carry empty cells beyond them; a row of ours with values beyond them is an
    error. Every SPL row of a block must have its TRNS row's DATE and NAME, or none. Raises
    IIFError ``file:line: problem`` for anything else it cannot take, and for a file that is not
    IIF at all (its first line is not a header)."""
    return _Reader(os.fspath(path)).read()


def _unquote(fields: list[str]) -> list[str]:
    """Values in double quotes unwrapped; a quoted value that holds tabs (QuickBooks writes a note
    so) is joined again. A quote that never closes is left as it is."""
    out: list[str] = []
    at, count = 0, len(fields)
    while at < count:
        field = fields[at]
        at += 1
        if field[:1] != '"':
            out.append(field)
        elif len(field) > 1 and field[-1] == '"':
            out.append(field[1:-1])
        else:
            end = next((i for i in range(at, count) if fields[i][-1:] == '"'), None)
            if end is None:
                out.append(field)
            else:
                out.append("\t".join(fields[at - 1:end + 1])[1:-1])
                at = end + 1
    return out


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.days: dict[str, date] = {}

    def fail(self, line: int, problem: str) -> IIFError:
        return IIFError(f"{self.path}:{line}: {problem}")

    def read(self) -> IIFFile:
        """Parse the file as UTF-8 (BOM or not), UTF-16 if it starts with its BOM, else cp1252."""
        try:
            with open(self.path, "rb") as handle:
                start = handle.read(2)
        except OSError as exc:
            raise IIFError(f"{self.path}: cannot read: {exc.strerror}") from None
        utf16 = start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1252"):
            self.days.clear()
            try:
                with open(self.path, encoding=encoding, newline="\n") as handle:
                    return self.parse(handle)
            except UnicodeDecodeError:
                continue  # parsed lazily, so a later line can show the guess was wrong: start again
            except OSError as exc:
                raise IIFError(f"{self.path}: cannot read: {exc.strerror}") from None
        raise self.fail(self.undecodable(encoding), f"not {'UTF-16' if utf16 else 'UTF-8 or Windows-1252'} text")

    def undecodable(self, encoding: str) -> int:
        """The first line ``encoding`` cannot decode (line 1 for UTF-16, which is not split by lines)."""
        if encoding != "utf-16":
            with open(self.path, "rb") as handle:
                for number, raw in enumerate(handle, 1):
                    try:
                        raw.decode(encoding)
                    except UnicodeDecodeError:
                        return number
        return 1

    def parse(self, rows: Iterable[str]) -> IIFFile:
        fail, cents, day, days = self.fail, self.cents, self.day, self.days
        headers: dict[str, tuple[int, int, dict[str, int]]] = {}  # record -> (width, line, column -> index)
        accounts: dict[str, str] = {}
        customers: dict[str, None] = {}
        entries: list[Posted] = []
        product = ""
        started = False  # a header row was seen: this is an IIF file
        trns = spl = None  # (width, header line, ACCNT, AMOUNT, DATE, NAME, DOCNUM, MEMO indexes)
        start = 0  # the open TRNS row's line, 0 outside a block
        when = on = name = docnum = memo = None
        lines: list[Line] = []
        total = 0
        known_lines: dict[tuple[str, str], Line] = {}  # (ACCNT, AMOUNT) -> Line: lines are immutable, share them
        for number, row in enumerate(rows, 1):
            row = row.rstrip("\r\n")
            fields = row.split("\t")
            if '"' in row:
                fields = _unquote(fields)
            kind = fields[0]
            if kind == "SPL" or kind == "TRNS":
                spec = spl if kind == "SPL" else trns
                if spec is None:
                    raise fail(number, f"{kind} row before its !{kind} header")
                width = spec[0]
                if len(fields) != width + 1:
                    self.width(fields, kind, spec[:2], number)
                fields.append("")  # index -1: a column the header does not name
                key = fields[spec[2]], fields[spec[3]]
                line = known_lines.get(key)
                if line is None:
                    if not key[0]:
                        raise fail(number, f"{kind} row has an empty ACCNT")
                    if len(known_lines) > 65_536:
                        known_lines.clear()
                    line = known_lines[key] = Line(key[0], cents(key[1], number))
                if kind == "SPL":
                    if not start:
                        raise fail(number, "SPL row outside a TRNS ... ENDTRNS block")
                    spl_when, spl_name = fields[spec[4]], fields[spec[5]]
                    if spl_when and spl_when != when and day(spl_when, number) != on:
                        raise fail(number, f"SPL DATE {spl_when} is not its TRNS DATE {when}")
                    if spl_name and spl_name != name:
                        raise fail(number, f"SPL NAME {spl_name!r} is not its TRNS NAME {name!r}")
                    lines.append(line)
                    total += line.amount
                else:
                    if start:
                        raise fail(start, f"TRNS without ENDTRNS before line {number}")
                    start, when, name, docnum, memo = number, fields[spec[4]], fields[spec[5]], fields[spec[6]], fields[spec[7]]
                    on = days.get(when) or day(when, number)
                    lines = [line]
                    total = line.amount
                continue
            if kind == "ENDTRNS":
                if "ENDTRNS" not in headers:
                    raise fail(number, "ENDTRNS row before its !ENDTRNS header")
                if len(fields) > 1:
                    self.width(fields, kind, headers[kind][:2], number)
                if not start:
                    raise fail(number, "ENDTRNS without TRNS")
                if total:
                    raise fail(start, f"transaction does not balance: its lines sum to {format_cents(total)}")
                entries.append(Posted(docnum, Entry(memo, on, name, tuple(lines))))
                start = 0
                continue
            if not row or row.isspace():
                continue
            if start:
                raise fail(start, f"TRNS without ENDTRNS before line {number}")
            if kind[:1] == "!":
                started = True
                record = kind[1:]
                if record not in _REQUIRED:
                    continue  # a list we do not use: its rows are passed over below
                headers[record] = width, _, columns = self.header(kind, fields, number)
                if record in ("TRNS", "SPL"):
                    at = [columns.get(column, -1) for column in ("ACCNT", "AMOUNT", "DATE", "NAME", "DOCNUM", "MEMO")]
                    if record == "TRNS":
                        trns = (width, number, *at)
                    else:
                        spl = (width, number, *at)
                continue
            header = headers.get(kind)
            if header is None:
                if kind in _REQUIRED:
                    raise fail(number, f"{kind} row before its !{kind} header")
                if not started:
                    raise fail(number, NOT_IIF)
                if kind.strip() in _REQUIRED:
                    raise fail(number, f"unknown record type {kind!r} (spaces around {kind.strip()}?)")
                continue  # a row of a list we do not use (QuickBooks writes ENDGRP, ENDTAX without a header)
            width, header_line, columns = header
            if len(fields) != width + 1:
                self.width(fields, kind, (width, header_line), number)
            fields.append("")
            if kind == "ACCNT":
                account, account_type = fields[columns["NAME"]], fields[columns["ACCNTTYPE"]].strip()
                if not account:
                    raise fail(number, "ACCNT row has an empty NAME")
                if account_type not in _READ_ACCOUNT_TYPES:
                    raise fail(number, f"unknown ACCNTTYPE {account_type!r}")
                if accounts.setdefault(account, account_type) != account_type:
                    raise fail(number, f"account {account!r} is listed before as {accounts[account]}, here as {account_type}")
            elif kind == "CUST":
                customer = fields[columns["NAME"]]
                if not customer:
                    raise fail(number, "CUST row has an empty NAME")
                customers[customer] = None
            elif kind == "HDR" and not product:
                product = " ".join(fields[columns[c]].strip() for c in ("PROD", "VER") if c in columns).strip()
        if start:
            raise fail(start, "TRNS without ENDTRNS before the end of the file")
        return IIFFile(accounts, list(customers), entries, product)

    def width(self, fields: list[str], kind: str, header: tuple[int, int], number: int) -> None:
        """Pad a short row with empty values; refuse one with values beyond its header's columns."""
        width, line = header
        values = len(fields) - 1
        while values > width and not fields[values].strip():
            values -= 1
        if values > width:
            raise self.fail(number, f"{kind} row has a value in column {values}, but the !{kind} header at "
                                    f"line {line} names {width} columns")
        del fields[width + 1:]
        fields.extend([""] * (width + 1 - len(fields)))

    def header(self, kind: str, fields: list[str], number: int) -> tuple[int, int, dict[str, int]]:
        record = kind[1:]
        names = [field.strip().upper() for field in fields[1:]]
        while names and not names[-1]:
            names.pop()  # a spreadsheet pads rows with empty cells
        columns: dict[str, int] = {}
        for at, name in enumerate(names, 1):
            if not name:
                raise self.fail(number, f"{kind} header: column {at} has no name")
            if name in columns:
                raise self.fail(number, f"{kind} header names {name} twice")
            columns[name] = at
        for name in _REQUIRED[record]:
            if name not in columns:
                raise self.fail(number, f"{kind} header has no {name} column")
        return len(names), number, columns

    def cents(self, text: str, number: int) -> int:
        if _PLAIN_AMOUNT.fullmatch(text):
            return int(text.replace(".", ""))
        plain = text.strip()
        if _GROUPED_AMOUNT.fullmatch(plain):
            plain = plain.replace(",", "")
        try:
            return parse_cents(plain)
        except MoneyError:
            raise self.fail(number, f"bad AMOUNT {text!r} (expected e.g. 1234.56 or -12.00)") from None

    def day(self, text: str, number: int) -> date:
        on = self.days.get(text)
        if on is None:
            match = _DATE.fullmatch(text.strip())
            try:
                month, day, year = (int(match.group(at)) for at in (1, 3, 4))  # type: ignore[union-attr]
                if len(match.group(4)) == 2:  # type: ignore[union-attr]
                    year += 2000 if year < 50 else 1900
                on = date(year, month, day)
            except (AttributeError, ValueError):
                raise self.fail(number, f"bad DATE {text!r} (expected MM/DD/YYYY)") from None
            self.days[text] = on
        return on
