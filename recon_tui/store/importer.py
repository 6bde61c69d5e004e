"""`recon-tui import DIR`: the OMS's CSV files -> the studio database (DOMAIN §3).

All-or-nothing: rows are validated and written inside one transaction while the files stream
past (so a million payment rows never sit in memory at once); if any problem was found the
transaction is rolled back and the database is exactly as before. Every problem is collected and
reported as ``file:line: column: message``.

What each file holds and the rules its rows keep are in its entry of the table of file specs
(``import_files.FILES``); this module reads, converts, writes and runs the checks across files.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: importing sqlite_utils costs start-up time
    import sqlite_utils

from recon_tui.config import Config
from recon_tui.model import PAYMENT_METHODS
from recon_tui.money import MAX_CENTS, MoneyError, format_cents, parse_cents
from recon_tui.store import derived
from recon_tui.store.import_files import FILES, ORDER_LINES, ORDERS, FileSpec, check_bad_debt
from recon_tui.store.schema import StoreError, db_path, describe_sqlite_error

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_BATCH = 20_000
_MAX_LINE_NO = 999_999_999


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file  # line 0: the whole file
        return f"{where}: {self.column}: {self.message}"


@dataclass
class FileResult:
    filename: str
    rows: int = 0
    new: int = 0


@dataclass
class ImportResult:
    files: list[FileResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportFailed(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__(f"{len(result.problems)} problem(s); nothing was imported")
        self.result = result


Progress = Callable[[str, int, int], None]  # (filename, bytes done, bytes total)


class _Counting:
    """A text file wrapper that counts the bytes handed to the csv reader (for progress)."""

    def __init__(self, handle, report: Callable[[int], None]) -> None:
        self.handle, self.report, self.done, self.since = handle, report, 0, 0

    def __iter__(self) -> Iterator[str]:
        for line in self.handle:
            self.done += len(line)
            self.since += 1
            if self.since >= 5000:
                self.report(self.done)
                self.since = 0
            yield line


#: characters no id or text value may hold: C0 and C1 controls, DEL, and the Unicode line breaks
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: what an undecodable byte becomes when read with errors="surrogateescape"
_UNDECODED = re.compile("[\udc80-\udcff]")
#: the csv dialect of every reading: a space after a comma may come before an opening quote
_CSV = {"skipinitialspace": True}

#: (physical line, fields, trouble): trouble is None, or (index of the field, message) for a line
#: that cannot be read as a record of its own
Record = tuple[int, list[str], "tuple[int, str] | None"]


def _records(path: Path, report: Callable[[int], None] | None) -> Iterator[Record]:
    """Each record of a CSV file with the physical line it is on.

    No value of the import format may hold a line break, so a record is one line; the csv module is
    left to read the whole file (fast), and only once it stumbles (a quoted value running over a
    line break, a field past its size limit, bytes that are not UTF-8) is the rest of the file read
    line by line, so each problem is told at the line it starts on.
    """
    line = 0
    with path.open(newline="", encoding="utf-8-sig") as handle:
        lines = _Counting(handle, report) if report else handle
        if not _ends_with_line_break(path):  # give the last line one: a quote it leaves open then shows
            lines = itertools.chain(lines, ("\n",))
        reader = csv.reader(lines, **_CSV)
        try:
            for row in reader:
                line += 1
                if reader.line_num != line:  # this record ran on past its line
                    line -= 1
                    break
                yield line, row, None
            else:
                return
        except (csv.Error, UnicodeDecodeError):
            pass  # the record after ``line`` could not be read
    yield from _records_line_by_line(path, line + 1)


def _records_line_by_line(path: Path, start: int) -> Iterator[Record]:
    """The records from line ``start`` on, each line read on its own (the slow and careful reading)."""
    limit = csv.field_size_limit()
    with path.open(newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        for line, text in enumerate(itertools.islice(handle, start - 1, None), start):
            if not text.endswith(("\n", "\r")):
                text += "\n"  # the last line: a quote left open now shows as a line break in its field
            if not text.isascii() and (bad := _UNDECODED.search(text)):
                row = _split(text[:min(bad.start(), limit - 1)] + "?")  # the fields up to the bad byte
                yield line, row, (len(row) - 1, f"not UTF-8 text (byte 0x{ord(bad.group()) - 0xDC00:02X} at "
                                                f"character {bad.start() + 1} of the line); save the file as UTF-8")
                continue
            try:
                row = _split(text)
            except csv.Error:  # a field longer than the limit
                row = _split(text[:limit - 1])
                yield line, row[:-1], (len(row) - 1, f"a value longer than {limit:,} characters; is this the "
                                                     f"right file?")
                continue
            if row and ("\n" in row[-1] or "\r" in row[-1]):
                yield line, row, (len(row) - 1, 'a quoted field starting here never ends on this line (a stray " ?)')
                continue
            yield line, row, None


def _ends_with_line_break(path: Path) -> bool:
    with path.open("rb") as raw:
        if raw.seek(0, 2) == 0:
            return True  # empty
        raw.seek(-1, 2)
        return raw.read(1) in (b"\n", b"\r")


def _split(text: str) -> list[str]:
    return next(csv.reader((text,), **_CSV), [])


class _Import:
    """One import run: state shared by the per-file passes."""

    def __init__(self, db: sqlite_utils.Database, directory: Path, config: Config,
                 progress: Progress | None) -> None:
        self.db, self.dir, self.config, self.progress = db, directory, config, progress
        self.result = ImportResult()
        self.categories = config.category_accounts
        self.customers: set[str] | None = None  # ids known in db or this import, loaded lazily
        #: order_id -> (ordered_on, built_on, completed_on, voided_on), db overlaid by this import
        self.orders: dict[str, tuple] | None = None
        self.order_lines_at: dict[str, int] = {}  # order_id -> orders.csv line (orders changed here)
        self.line_orders: dict[str, int] = {}  # order_id -> first order_lines.csv line
        self.payment_ids: set[str] = set()
        self.paid_orders: set[str] = set()  # orders gaining or losing a payment in this import
        self.updated_orders: set[str] = set()  # orders.csv rows for orders already in the database
        #: orders with a rejected orders.csv / order_lines.csv row: their merged state is incomplete
        self.rejected_orders: set[str] = set()
        #: a whole file could not be read (header, encoding): the merged checks would mislead
        self.file_broken = False
        #: filename -> optional columns its header leaves out: existing records keep those values
        self.absent: dict[str, tuple[str, ...]] = {}
        self.dates: dict[str, str] = {}  # validated date text, one shared copy of each
        self.amounts: dict[str, int] = {}  # parsed amounts: prices repeat
        #: kind -> upper-case form -> (id, line; 0 in the database) of the ids with a lower-case letter
        self.folded: dict[str, dict[str, tuple[str, int]]] = {}
        self.clashes: list[tuple[int, str, str, int]] = []  # (line, id, the other id, its line) this file

    # -- problems ---------------------------------------------------------------------------
    def problem(self, spec: FileSpec, line: int, column: str, message: str) -> None:
        self.result.problems.append(Problem(str(self.dir / spec.filename), line, column, message))

    # -- lookups ----------------------------------------------------------------------------
    def known_customers(self) -> set[str]:
        if self.customers is None:
            self.customers = {r[0] for r in self.db.execute("SELECT customer_id FROM customers")}
        return self.customers

    def known_orders(self) -> dict[str, tuple]:
        if self.orders is None:
            self.orders = {r[0]: r[1:] for r in self.db.execute(
                "SELECT order_id, ordered_on, built_on, completed_on, voided_on FROM orders")}
        return self.orders

    # -- reading ----------------------------------------------------------------------------
    def rows(self, spec: FileSpec, path: Path, quiet: bool = False) -> Iterator[tuple[int, list[str]]]:
        """(line number, raw values in ``spec.columns`` order; "" for an absent optional column).

        Values are trimmed of the whitespace around them. ``quiet``: a second reading, which reports
        nothing (the first one did).
        """
        if quiet:
            saved, self.result, self.progress = (self.result, self.progress), ImportResult(), None
            try:
                yield from self.rows(spec, path)
            finally:
                self.result, self.progress = saved
            return
        total = path.stat().st_size
        report = (lambda done: self.progress(spec.filename, done, total)) if self.progress else (lambda d: None)
        header: list[str] | None = None
        width, positions, padded = 0, [], False  # set from the header
        for line, row, trouble in _records(path, report if self.progress else None):
            if trouble is not None:  # a line the csv module could not split (reported here)
                index, message = trouble
                if header is None:
                    self.problem(spec, line, "(header)", message)
                    self.file_broken = True
                    return
                self.problem(spec, line, header[index] if index < width else "(row)", message)
                spec.reject(self, spec, {n: row[i].strip() for n, i in zip(spec.names, positions) if i < len(row)})
                continue
            if header is None:
                header = [h.strip() for h in row]
                for dup in sorted({h for h in header if header.count(h) > 1}):
                    self.problem(spec, 1, dup, "column appears twice in the header")
                missing = [c.name for c in spec.columns if c.required and c.name not in header]
                for name in missing:
                    self.problem(spec, 1, name, "required column is missing from the header")
                if missing:
                    self.file_broken = True
                    return
                for extra in header:
                    if extra not in spec.names:
                        self.result.warnings.append(
                            f"{self.dir / spec.filename}: column {extra!r} ignored (not part of the import format)")
                width = len(header)
                positions = [header.index(name) if name in header else width for name in spec.names]
                self.absent[spec.filename] = tuple(n for n, i in zip(spec.names, positions) if i == width)
                padded = bool(self.absent[spec.filename])  # absent columns read the "" appended to each row
                continue
            if len(row) != width:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                self.problem(spec, line, "(row)", f"has {len(row)} fields but the header has {width}")
                spec.reject(self, spec, {n: row[i].strip() for n, i in zip(spec.names, positions) if i < len(row)})
                continue
            if padded:
                row.append("")
            yield line, [row[i].strip() for i in positions]
        if header is None:
            self.problem(spec, 1, "(header)", "empty file: a header row is required")
            self.file_broken = True
            return
        report(total)

    def parse(self, spec: FileSpec, line: int, raw: list[str], plan) -> dict | None:
        """Raw text -> typed values (a dict in column order), or None after reporting the problems."""
        names, required, converters = plan
        try:  # the fast path: a good row converts in one go
            values = [convert(text) if text else None for text, convert in zip(raw, converters)]
            if all(values[i] is not None for i in required):
                return dict(zip(names, values))
        except ValueError:
            pass
        for text, name, convert in zip(raw, names, converters):  # a bad row: report every problem
            if not text:
                if names.index(name) in required:
                    self.problem(spec, line, name, "required value is empty")
                continue
            try:
                convert(text)
            except ValueError as exc:
                self.problem(spec, line, name, str(exc))
        return None

    def plan(self, spec: FileSpec) -> tuple:
        """(column names, positions of the required ones, a converter per column)."""
        convert = {"id": self.to_id, "text": self.to_text, "date": self.to_date, "money": self.to_money,
                   "line_no": self.to_line_no, "method": self.to_method, "category": self.to_category}
        return (spec.names, tuple(i for i, col in enumerate(spec.columns) if col.required),
                tuple(convert[col.kind] for col in spec.columns))

    @staticmethod
    def to_text(text: str) -> str:
        if text.isprintable():  # the fast path: no control character (nor a no-break space)
            return text
        bad = _CONTROL.search(text)
        if bad is None:
            return text
        char = bad.group()
        if char in "\t\n\r\x0b\x0c\x85\u2028\u2029":
            raise ValueError("must not contain tabs or line breaks")
        what = "a NUL byte (\\x00)" if char == "\x00" else f"a control character (U+{ord(char):04X})"
        raise ValueError(f"contains {what} at character {bad.start() + 1}; is this a text file?")

    def to_id(self, text: str) -> str:
        return sys.intern(self.to_text(text))  # ids repeat across files: keep one copy in memory

    def to_date(self, text: str) -> str:
        known = self.dates.get(text)
        if known is not None:
            return known
        if not _DATE.match(text):
            raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD)")
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a calendar date: {text!r}") from None
        self.dates[text] = text
        return text

    def to_money(self, text: str) -> int:
        known = self.amounts.get(text)
        if known is not None:
            return known
        try:
            cents = parse_cents(text)
        except MoneyError as exc:
            raise ValueError(str(exc)) from None
        if abs(cents) > MAX_CENTS:
            raise ValueError(f"amount {text} is too large (at most {format_cents(MAX_CENTS)})")
        if len(self.amounts) < 100_000:
            self.amounts[text] = cents
        return cents

    @staticmethod
    def to_line_no(text: str) -> int:
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= _MAX_LINE_NO:
            raise ValueError(f"not a line number: {text!r} (expected 1, 2, 3, ...)")
        return int(text)

    @staticmethod
    def to_method(text: str) -> str:
        if text not in PAYMENT_METHODS:
            raise ValueError(f"unknown payment method {text!r} (expected one of: {', '.join(PAYMENT_METHODS)})")
        return text

    def to_category(self, text: str) -> str:
        if text not in self.categories:
            raise ValueError(f"category {text!r} is not a key of income_categories in {self.config.path}")
        return text

    # -- writing ------------------------------------------------------------------------------
    def upsert_sql(self, spec: FileSpec) -> str:
        cols = ", ".join(spec.names)
        marks = ", ".join("?" for _ in spec.names)
        absent = self.absent.get(spec.filename, ())  # not in the file: an update leaves them alone
        updates = ", ".join(f"{c} = excluded.{c}" for c in spec.names if c not in spec.key and c not in absent)
        return (f"INSERT INTO {spec.table} ({cols}) VALUES ({marks}) "
                f"ON CONFLICT({', '.join(spec.key)}) DO UPDATE SET {updates}")

    def run_file(self, spec: FileSpec, path: Path) -> FileResult:
        result = FileResult(spec.filename)
        before = self.db.execute(f"SELECT COUNT(*) FROM {spec.table}").fetchone()[0]
        # keys seen so far: a set, not key -> line, to keep a million-row file small in memory;
        # the first line of a duplicate is looked up once the file is read (a rare path)
        seen: set = spec.seen(self)
        duplicates: list[tuple] = []  # (line, key)
        single_key = len(spec.key) == 1
        batch: list[tuple] = []
        sql = ""  # built once the header is read (it depends on the columns present)
        plan = self.plan(spec)
        folded = self.folded_ids(spec) if single_key else {}
        for line, raw in self.rows(spec, path):
            sql = sql or self.upsert_sql(spec)
            result.rows += 1
            values = self.parse(spec, line, raw, plan)
            if values is None:
                spec.reject(self, spec, dict(zip(spec.names, raw)))
                continue
            spec.prepare(self, values)
            key = values[spec.key[0]] if single_key else tuple(values[k] for k in spec.key)
            if key in seen:
                duplicates.append((line, key))
                spec.reject(self, spec, values)
                continue
            seen.add(key)
            if single_key and (key.upper() != key or key in folded) and self.case_clash(spec, line, key, seen):
                spec.reject(self, spec, values)
                continue
            if not spec.check(self, spec, line, values):
                spec.reject(self, spec, values)
                continue
            spec.remember(self, spec, line, values)
            # good rows are written even after a problem (the transaction is rolled back then), so
            # the checks over the merged state still see this import and report its problems too
            batch.append(tuple(values.values()))
            if len(batch) >= _BATCH:
                self.write(spec, sql, batch)
                batch.clear()
        if batch:
            self.write(spec, sql, batch)
        if duplicates or self.clashes:
            self.report_duplicates(spec, path, duplicates)
        after = self.db.execute(f"SELECT COUNT(*) FROM {spec.table}").fetchone()[0]
        result.new = after - before
        return result

    def folded_ids(self, spec: FileSpec) -> dict[str, tuple[str, int]]:
        """Upper-case form -> (id, line; 0: in the database) of the ids holding a lower-case letter."""
        folded = self.folded.get(spec.kind)
        if folded is None:
            column = spec.key[0]
            folded = self.folded[spec.kind] = {
                upper: (i, 0) for (i,) in self.db.execute(
                    f"SELECT {column} FROM {spec.table} WHERE {column} != upper({column}) "  # upper: ASCII only
                    f"OR length(CAST({column} AS BLOB)) != length({column})") if (upper := i.upper()) != i}
        return folded

    def case_clash(self, spec: FileSpec, line: int, key: str, seen: set) -> bool:
        """Whether ``key`` differs only in case from an id of this file or of the database (reported).

        ``C1`` beside ``c1`` would be two customers here but one to QuickBooks. Only the ids holding
        a lower-case letter are kept by their upper-case form, so the usual ids cost one lookup.
        """
        folded, column, upper = self.folded_ids(spec), spec.key[0], key.upper()
        other = folded.get(upper)
        if upper != key and other is None:
            if upper in seen:
                other = (upper, -1)  # earlier in this file: its line is looked up once the file is read
            elif self.db.execute(f"SELECT 1 FROM {spec.table} WHERE {column} = ?", [upper]).fetchone():
                other = (upper, 0)
            else:
                folded[upper] = (key, line)
                return False
        if other is None or other[0] == key:
            return False
        self.clashes.append((line, key, *other))
        return True

    def case_hint(self, spec: FileSpec, ref: str, known) -> str:
        """For an unknown reference: the id it may have meant, differing only in case."""
        upper = ref.upper()
        other = self.folded_ids(spec).get(upper, (upper if upper in known else None,))[0]
        return f" (did you mean {other!r}? ids differ only in case)" if other and other != ref else ""

    def report_duplicates(self, spec: FileSpec, path: Path, duplicates: list[tuple]) -> None:
        """Duplicate keys and ids differing only in case, each with the line of the first one."""
        clashes, self.clashes = self.clashes, []
        wanted = {key for _, key in duplicates} | {other for _, _, other, at in clashes if at < 0}
        first: dict = {}
        index = [spec.names.index(k) for k in spec.key]
        for line, raw in self.rows(spec, path, quiet=True):
            key = tuple(raw[i] for i in index)
            key = key[0] if len(key) == 1 else (key[0], int(key[1]) if key[1].isdigit() else key[1])
            if key in wanted and key not in first:
                first[key] = line
        for line, key in duplicates:
            values = key if isinstance(key, tuple) else (key,)
            shown = ", ".join(f"{k}={v}" for k, v in zip(spec.key, values))
            self.problem(spec, line, spec.key[-1], f"duplicate {shown} (first on line {first.get(key, '?')})")
        for line, key, other, at in clashes:
            where = (f"already in the database (to update it, use {other!r})" if at == 0
                     else f"on line {first.get(other, '?') if at < 0 else at}")
            self.problem(spec, line, spec.key[0], f"{key!r} differs only in upper/lower case from {other!r}, "
                         f"{where}; QuickBooks would take them as one record")

    def write(self, spec: FileSpec, sql: str, batch: list[tuple]) -> None:
        spec.before_write(self, batch)
        self.db.conn.executemany(sql, batch)

    # -- checks over the merged state (this import on top of the database) --------------------
    def check_merged(self) -> None:
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS touched (order_id TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM temp.touched")
        touched = set(self.order_lines_at) | set(self.line_orders) | self.paid_orders
        self.db.conn.executemany("INSERT INTO temp.touched VALUES (?)", ((o,) for o in touched))
        # the per-order figures kept beside the records (subtotal first: it is checked below)
        derived.refresh_orders(self.db, "SELECT order_id FROM temp.touched")
        orders_spec, lines_spec = ORDERS, ORDER_LINES
        for order_id, subtotal in self.db.execute(
                "SELECT order_id, subtotal FROM orders WHERE subtotal < 0 "
                "AND order_id IN (SELECT order_id FROM temp.touched) ORDER BY order_id"):
            if order_id in self.rejected_orders:
                continue
            spec, line = ((lines_spec, self.line_orders[order_id]) if order_id in self.line_orders
                          else (orders_spec, self.order_lines_at[order_id]))
            self.problem(spec, line, "amount", f"order {order_id}'s subtotal (sum of its lines) "
                         f"would be negative: {format_cents(subtotal)}")
        # payments already in the database, on orders this import changed (an order new in this
        # import has no payments but this import's, which were checked as they were read)
        self.db.execute("DELETE FROM temp.touched WHERE order_id NOT IN (SELECT value FROM json_each(?))",
                        [json.dumps(sorted(self.updated_orders))])
        rows = self.db.execute(
            "SELECT p.payment_id, p.order_id, p.paid_on, p.method FROM payments p "
            "WHERE p.order_id IN (SELECT order_id FROM temp.touched) ORDER BY p.order_id, p.payment_id")
        for payment_id, order_id, paid_on, method in rows:
            if (payment_id in self.payment_ids or order_id not in self.order_lines_at
                    or order_id in self.rejected_orders):
                continue  # checked against its order when it was read (or its order was rejected)
            order = self.known_orders()[order_id]
            line = self.order_lines_at[order_id]
            if paid_on < order[0]:
                self.problem(orders_spec, line, "ordered_on", f"order {order_id} has payment {payment_id} "
                             f"dated {paid_on}, before ordered_on {order[0]}")
            elif method == "bad_debt":
                check_bad_debt(self, orders_spec, line, "voided_on" if order[3] else "completed_on",
                               payment_id, paid_on, order)

    def run(self) -> ImportResult:
        present = [(spec, self.dir / spec.filename) for spec in FILES if (self.dir / spec.filename).is_file()]
        if not present:
            names = ", ".join(spec.filename for spec in FILES)
            self.result.problems.append(Problem(str(self.dir), 0, "(files)", f"no import files found (expected any of {names})"))
            return self.result
        conn = self.db.conn
        # References are checked row by row above (with file:line messages); SQLite's own
        # per-row foreign-key checks would only double the write time of a large import.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                self.read_files(present)
            except BaseException:
                conn.rollback()
                raise
            if self.result.problems:
                conn.rollback()
            else:
                conn.commit()
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
        return self.result

    def read_files(self, present: list[tuple[FileSpec, Path]]) -> None:
        for spec, path in present:
            try:
                self.result.files.append(self.run_file(spec, path))
            except UnicodeDecodeError as exc:
                self.problem(spec, 0, "(file)", f"not UTF-8 text (bad byte at offset {exc.start})")
                self.file_broken = True
            except csv.Error as exc:
                self.problem(spec, 0, "(file)", f"unreadable CSV: {exc}")
                self.file_broken = True
        step = self.progress or (lambda *args: None)
        step("checks across files", 0, 2)
        if not self.file_broken:
            self.check_merged()
        step("checks across files", 1, 2)
        if not self.result.problems:
            derived.refresh_daily(self.db)
        step("checks across files", 2, 2)


def import_dir(db: sqlite_utils.Database, directory: str | Path, config: Config,
               progress: Progress | None = None) -> ImportResult:
    """Import whichever §3 files are in ``directory``; raises :class:`ImportFailed` on any problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ImportFailed(ImportResult(problems=[Problem(str(directory), 0, "(directory)", "not a directory")]))
    try:
        result = _Import(db, directory, config, progress).run()
    except sqlite3.Error as exc:  # the database, not the files: locked, full, read-only, corrupt
        raise StoreError(f"{db_path(db)}: {describe_sqlite_error(exc)}; nothing was imported") from None
    if result.problems:
        raise ImportFailed(result)
    return result
