"""QuickBooks Desktop IIF files out: the posted journal entries, as every QuickBooks Desktop version
imports them. The reader of the format (our batches read back, QuickBooks' own exports) is
iif_reader.py.

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

import io
import re
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from anyascii import anyascii

from recon_tui.model import Entry, Line, Posted
from recon_tui.money import format_cents

#: QuickBooks Desktop reads IIF files as Windows-1252; every field is written as printable ASCII
IIF_ENCODING = "cp1252"

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
NAME_MAX = 41
ACCOUNT_PART_MAX = 31
ACCOUNT_MAX = 159
DOCNUM_MAX = 11
MEMO_MAX = 4095

_TRNS_COLUMNS = "TRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO"
_UNSAFE = r"\x00-\x1f\x7f-\x9f\u2028\u2029"  # control characters and Unicode line breaks
_BREAKS = re.compile(f"[ {_UNSAFE}]*[{_UNSAFE}][ {_UNSAFE}]*")


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


def iif_blocks(posted: list[Posted], accounts: dict[str, str], customers: set[str]) -> str:
    """The TRNS blocks write_iif writes for ``posted``, without its list rows: a batch written in
    chunks puts the list rows of every chunk's customers once, first (``write_iif(out, [], ...)``)."""
    out = io.StringIO()
    start: list[int] = []

    def entries():
        start.append(out.tell())  # write_iif asks for the first entry once its list rows are written
        yield from posted
    write_iif(out, entries(), accounts, customers)
    text = out.getvalue()
    if not start or not start[0]:  # write_iif read the entries first after all: find the list rows' end
        head = io.StringIO()
        write_iif(head, [], accounts, customers)
        if not text.startswith(head.getvalue()):
            raise RuntimeError("write_iif's list rows do not come first: the batch file cannot be put together")
        start = [len(head.getvalue())]
    return text[start[0]:]
