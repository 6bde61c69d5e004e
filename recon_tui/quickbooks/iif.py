"""QuickBooks Desktop IIF files: the posted journal entries out, and read back to check them.

What QuickBooks expects, from Intuit's IIF reference for transactions and from IIF writers and
readers used against real QuickBooks files (CiviCRM's IIF export, SlowBooks' QuickBooks 2003
export/import, riif and its fixtures, Jonathan Corbet's IIF reader) and QuickBooks Desktop's own
list exports (see tests/fixtures/quickbooks/README.md):

- Plain text, one record a line, fields separated by TAB. There is no escape for a tab or a line
  break inside a value, so :func:`clean` turns them into a space.
- A header row ``!KIND<TAB>COLUMN...`` names the columns of the ``KIND`` rows after it; columns
  come in any order and most are optional (TRNSTYPE, ACCNT and AMOUNT are required). We write
  ``!TRNS TRNSID TRNSTYPE DATE ACCNT NAME AMOUNT DOCNUM MEMO``, ``!SPL SPLID ...`` and ``!ENDTRNS``:
  the TRNSID/SPLID columns are in Intuit's own samples and left empty (QuickBooks assigns them).
- One transaction = a TRNS row, its SPL rows, an ENDTRNS row. In a GENERAL JOURNAL the AMOUNT is
  positive for a debit and negative for a credit, and the rows of a block sum to zero; QuickBooks
  takes the TRNS row as the transaction's source, which is why the A/R line goes first.
- List rows before the transactions, so the import creates a missing account or customer instead
  of stopping: ``!ACCNT`` NAME ACCNTTYPE (AR, OCASSET, OCLIAB, INC, EXP, ...) and ``!CUST`` NAME.
  A sub-account is written ``Parent:Child`` and has its parent's type; the writer lists the
  parents too, before their children. A colon in a customer NAME makes a job (``Customer:Job``),
  so :func:`customer_name` turns it into ``-``. Because an ``!ACCNT`` row creates any account
  QuickBooks lacks, a misspelt config name becomes a new, wrong account: ``recon-tui
  check-accounts`` compares the config with QuickBooks' own chart of accounts first (chart.py).
- QuickBooks writes Windows line ends (CRLF), and so do we: open the output with ``newline=""``
  so Python does not translate them. The reader takes CRLF or LF.
- Dates MM/DD/YYYY. Older versions wrote MM/DD/YY; the reader takes those too (00-49 = 20xx), and
  dashes as well as slashes (``12-31-2025``, ``12-31-25``).
- Amounts ``1234.56`` / ``-1234.56``: two decimals, no thousands separator. QuickBooks' own
  exports quote an amount that has separators (``"-1,725.00"``); the reader takes those.
- Double quotes: a value in ``"`` is a quoted value to QuickBooks and to every reader seen (its
  exports quote a value holding a comma, e.g. ``"-1,725.00"``, and a quoted note may hold tabs),
  and no escape for a quote inside a value exists, so :func:`clean` turns ``"`` into ``'`` (as
  CiviCRM's exporter does); the reader unwraps a value in quotes, tabs and all.
- Limits: a customer name is at most 41 characters in QuickBooks Desktop (integrators' notes);
  account names 31 a level and 159 in full, a journal entry's DOCNUM 11 and MEMO 4095 are the
  QuickBooks SDK's limits for those fields. The writer refuses a longer value rather than cut it:
  a cut name can land on another customer or account, and the posting record would no longer say
  what was posted. Amounts are never changed, only refused.

Text rules (DOMAIN §8, "IIF files that every QuickBooks Desktop version imports"). Every text field
goes out as printable ASCII, so the file reads the same as Windows-1252 (the caller still opens it
so, with CRLF), UTF-8 or anything else:

- The 2019-and-later import cuts a line at ``;``, so a ``;`` in a customer NAME or a MEMO is
  written ``,`` (``Smith; Jo`` -> ``Smith, Jo``). A DOCNUM or TRNSTYPE holding one, or anything
  else outside printable ASCII, is refused: we make those (DOCNUMs from the config's prefix).
- That import turns a letter outside ASCII into ``?`` and so creates a *new* customer (``Zo?
  Smith``). Names and MEMOs are therefore transliterated by ``anyascii`` (``Zoë`` -> ``Zoe``,
  ``Łukasz`` -> ``Lukasz``, ``Straße`` -> ``Strasse``, ``北京`` -> ``BeiJing``), after the rules
  above (tabs and line breaks -> space, ``"`` -> ``'``) and before ``:`` -> ``-`` in a customer
  name, so a transliterated colon (an emoji becomes ``:name:``) cannot make a job either. The
  mapping is a fixed table, so one studio name is always one QuickBooks name: :func:`iif_text`
  and :func:`customer_name` are pure, and ``as_written`` gives exactly what ``write_iif`` writes.
  The 41-character limit applies to the transliterated name (``北京`` grows to 7 letters).
- Two studio customers whose names become the same ASCII name (``Zoë Smith`` and ``Zoe Smith``)
  are one QuickBooks customer: one CUST row, and both customers' entries carry that NAME, just as
  two studio customers who share a name already are. Their balances are told apart on the studio
  side only (the posted records keep the original names and keys).
- A GL account name is not transliterated but refused (with ``;`` too): ``Café Sales`` written as
  ``Cafe Sales`` would be a new, empty account beside the real one. The error says to rename the
  account in QuickBooks and in the config to plain letters.

The writer streams: ``entries`` may be a generator of any length, so the accounts and customers
for the list rows come as arguments, and an entry that uses one not given is refused. A refused
entry raises ValueError before any of its rows is written, but the entries before it are already
in ``out``: write to a temporary file and keep it only when write_iif returns. The caller passes
the studio's own names and keys; write_iif does every conversion (each distinct customer name is
converted once).
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from anyascii import anyascii

from recon_tui.ledger.entries import Entry, Line
from recon_tui.money import MoneyError, format_cents, parse_cents

#: GLAccounts field -> IIF ACCNTTYPE; income accounts are INC.
ACCOUNT_TYPES: dict[str, str] = {
    "undeposited_funds": "OCASSET",
    "accounts_receivable": "AR",
    "customer_deposits": "OCLIAB",
    "in_store_credit": "OCLIAB",
    "sales_tax": "OCLIAB",
    "bad_debt": "EXP",
    "in_store_credit_expense": "EXP",
    "unallocated_income": "INC",
}
#: Every ACCNTTYPE QuickBooks Desktop knows.
IIF_ACCOUNT_TYPES = frozenset({"AP", "AR", "BANK", "CCARD", "COGS", "EQUITY", "EXEXP", "EXINC", "EXP",
                               "FIXASSET", "INC", "LTLIAB", "NONPOSTING", "OASSET", "OCASSET", "OCLIAB"})
#: What the reader also takes: SUSPENSE is listed by a QuickBooks chart importer (BankLink's).
_READ_ACCOUNT_TYPES = IIF_ACCOUNT_TYPES | {"SUSPENSE"}
NAME_MAX = 41
ACCOUNT_PART_MAX = 31
ACCOUNT_MAX = 159
DOCNUM_MAX = 11
MEMO_MAX = 4095

_TRNS_COLUMNS = "TRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO"
_UNSAFE = r"\x00-\x1f\x7f-\x9f\u2028\u2029"  # control characters and Unicode line breaks
_BREAKS = re.compile(f"[ {_UNSAFE}]*[{_UNSAFE}][ {_UNSAFE}]*")


class IIFError(Exception):
    """A malformed IIF file, phrased as ``file:line: what is wrong``."""


@dataclass(frozen=True, slots=True)
class Posted:
    """One entry as it goes into, or comes out of, an IIF file. MEMO carries ``entry.key``."""

    docnum: str  # at most 11 characters, unique in a file
    entry: Entry


@dataclass(frozen=True)
class IIFFile:
    """What read_iif found: the list rows and the transactions, in file order."""

    accounts: dict[str, str]  # name -> ACCNTTYPE, as the ACCNT rows list them
    customers: list[str]  # CUST names in file order
    entries: list[Posted]
    product: str = ""  # the HDR row's PROD and VER ("QuickBooks Pro Version 34.0D"), if any


def account_types(config) -> dict[str, str]:
    """Every account the config names -> its ACCNTTYPE (income accounts INC)."""
    types = {getattr(config.gl_accounts, field): kind for field, kind in ACCOUNT_TYPES.items()}
    for account in config.income_accounts:
        types.setdefault(account, "INC")
    return types


def clean(text: str) -> str:
    """A value safe in an IIF field: tabs, line breaks and other control characters -> one space
    (a run of them with the spaces around it becomes a single space), ``"`` -> ``'``, stripped."""
    if text.isprintable() and '"' not in text and text[:1] != " " and text[-1:] != " ":
        return text  # the usual case; isprintable() is False for every other whitespace
    return _BREAKS.sub(" ", text).replace('"', "'").strip()


def _plain(text: str) -> bool:
    """Already a value write_iif writes unchanged: printable ASCII, no ``"`` or ``;``, stripped."""
    return (text.isascii() and text.isprintable() and '"' not in text and ";" not in text
            and text[:1] != " " and text[-1:] != " ")


def iif_text(text: str) -> str:
    """A text value as the IIF file carries it: :func:`clean`, transliterated to ASCII by
    ``anyascii`` (cleaned again: it may give back a quote or a space), ``;`` -> ``,``."""
    if _plain(text):
        return text
    text = clean(text)
    if not text.isascii():
        text = clean(anyascii(text))
    return text.replace(";", ",")


def customer_name(name: str) -> str:
    """The customer's NAME as QuickBooks will know it: :func:`iif_text`, and a colon (which would
    make a Customer:Job) written as ``-``."""
    return iif_text(name).replace(":", "-")


def as_written(posted: Posted) -> Posted:
    """``posted`` as write_iif writes it, which is what read_iif returns: names and key converted."""
    entry = posted.entry
    lines = tuple(Line(clean(line.account), line.amount) for line in entry.lines)
    return Posted(posted.docnum, Entry(iif_text(entry.key), entry.on, customer_name(entry.customer), lines))


def write_iif(out: TextIO, entries: Iterable[Posted], accounts: dict[str, str], customers: Iterable[str],
              trnstype: str = "GENERAL JOURNAL") -> int:
    """Write ``entries`` as an IIF file to ``out`` (opened with ``newline=""``); return how many.

    ``accounts`` (name -> ACCNTTYPE, e.g. :func:`account_types`) and ``customers`` become the
    ACCNT and CUST rows, written first; every line's account and every entry's customer must be
    among them. Each entry is one TRNS block: its first line as TRNS, the others as SPL, ENDTRNS.
    Raises ValueError for an entry that does not balance, has fewer than two lines, an A/R line
    that is not the first and only one, a DOCNUM that is empty, too long, not plain ASCII or used
    before, a name over QuickBooks' limits, or an account name that is not plain ASCII.
    """
    if not trnstype or not _plain(trnstype):
        raise ValueError(f"TRNSTYPE {trnstype!r} is not a plain IIF value")
    account_rows, lookup = _accounts(accounts)
    known: dict[str, str] = {}  # NAME as written -> the first studio name that becomes it
    for raw in customers:
        name = customer_name(raw)
        if name and known.setdefault(name, raw) == raw and len(name) > NAME_MAX:
            said = repr(name) if name == raw else f"{raw!r} (in ASCII {name!r})"
            raise ValueError(f"customer name {said} is longer than QuickBooks' {NAME_MAX} characters")
    names = sorted(known)
    write = out.write
    write("!ACCNT\tNAME\tACCNTTYPE\r\n" + "".join(f"ACCNT\t{name}\t{kind}\r\n" for name, kind in account_rows))
    if names:
        write("!CUST\tNAME\r\n" + "".join(f"CUST\t{name}\r\n" for name in names))
    write(f"!TRNS\tTRNSID\t{_TRNS_COLUMNS}\r\n!SPL\tSPLID\t{_TRNS_COLUMNS}\r\n!ENDTRNS\r\n")

    names_of: dict[str, str] = {}  # studio name -> NAME as written; names repeat across a customer's events
    days: dict[date, str] = {}
    amounts: dict[int, str] = {}  # formatted amounts; they repeat a lot
    docnums: set[str] = set()
    count = 0
    for posted in entries:
        docnum, entry = posted.docnum, posted.entry
        if docnum in docnums:
            _refuse(posted, "DOCNUM is already used by an earlier entry in this file")
        if not (0 < len(docnum) <= DOCNUM_MAX and _plain(docnum)):
            _refuse(posted, f"DOCNUM must be 1 to {DOCNUM_MAX} characters of plain ASCII text (no ; or \")")
        lines = entry.lines
        if len(lines) < 2:
            _refuse(posted, "has no lines" if not lines else "has one line; a journal entry needs two")
        customer = names_of.get(entry.customer)
        if customer is None:
            customer = customer_name(entry.customer)
            if customer and customer not in known:
                _refuse(posted, f"customer {entry.customer!r} is not among the customers given for the CUST rows")
            names_of[entry.customer] = customer
        memo = entry.key
        if not _plain(memo):
            memo = iif_text(memo)
        if not memo or len(memo) > MEMO_MAX:
            _refuse(posted, f"the key (MEMO) must be 1 to {MEMO_MAX} characters")
        day = days.get(entry.on)
        if day is None:
            on = entry.on
            day = days[on] = f"{on.month:02d}/{on.day:02d}/{on.year:04d}"
        head = f"\t\t{trnstype}\t{day}\t"  # the empty TRNSID / SPLID first
        middle = f"\t{customer}\t"
        tail = f"\t{docnum}\t{memo}\r\n"
        rows = ["TRNS"]
        total = 0
        for line in lines:
            known_account = lookup.get(line.account)
            if known_account is None:
                _refuse(posted, f"account {line.account!r} is not among the accounts given for the ACCNT rows")
            account, receivable = known_account
            if receivable and (len(rows) > 1 or not customer):
                _refuse(posted, f"line {len(rows)} is on the A/R account {account!r}: QuickBooks takes one "
                                "A/R line, the first, with the customer's name")
            amount = line.amount
            text = amounts.get(amount)
            if text is None:
                if len(amounts) > 65_536:
                    amounts.clear()
                if amount.__class__ is not int:
                    _refuse(posted, f"amount {amount!r} is not a whole number of cents")
                text = amounts[amount] = format_cents(amount)
            total += amount
            rows.append(f"{head}{account}{middle}{text}{tail}SPL")
        if total:
            _refuse(posted, f"does not balance: its lines sum to {format_cents(total)}")
        rows[-1] = rows[-1][:-3] + "ENDTRNS\r\n"
        write("".join(rows))
        docnums.add(docnum)
        count += 1
    return count


def _refuse(posted: Posted, problem: str):
    raise ValueError(f"entry {posted.entry.key!r} (DOCNUM {posted.docnum!r}): {problem}")


def _accounts(accounts: dict[str, str]) -> tuple[list[tuple[str, str]], dict[str, tuple[str, bool]]]:
    """ACCNT rows (each parent before its children) and a lookup name -> (IIF name, is it A/R)."""
    rows: dict[str, str] = {}
    lookup: dict[str, tuple[str, bool]] = {}
    for raw, kind in accounts.items():
        if kind not in IIF_ACCOUNT_TYPES:
            raise ValueError(f"account {raw!r}: {kind!r} is not a QuickBooks ACCNTTYPE")
        name = clean(raw)
        if not name.isascii() or ";" in name:
            what = "a ';' (QuickBooks' import cuts the line there)" if name.isascii() else \
                "letters outside ASCII (QuickBooks' import turns them into '?')"
            raise ValueError(f"account {raw!r} has {what}, so the import would create a new account: rename it "
                             "in QuickBooks and in the config to plain letters"
                             + (f" (e.g. {iif_text(name)!r})" if iif_text(name) != name else ""))
        parts = name.split(":")
        if any(not part or part != part.strip() for part in parts):
            raise ValueError(f"account {raw!r} is not an account name (sub-accounts are Parent:Child)")
        if len(name) > ACCOUNT_MAX or any(len(part) > ACCOUNT_PART_MAX for part in parts):
            raise ValueError(f"account {name!r} is longer than QuickBooks allows "
                             f"({ACCOUNT_PART_MAX} characters a level, {ACCOUNT_MAX} in full)")
        for depth in range(1, len(parts) + 1):
            path = ":".join(parts[:depth])
            if rows.setdefault(path, kind) != kind:
                raise ValueError(f"account {path!r} would be both {rows[path]} and {kind}; "
                                 "QuickBooks gives a sub-account its parent's type")
        lookup[raw] = lookup[name] = (name, kind == "AR")
    return list(rows.items()), lookup


# -- reading ---------------------------------------------------------------------------------------

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
