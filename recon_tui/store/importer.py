"""`recon-tui import DIR [--profile NAME] [--dry-run]`: the OMS's files -> the studio database (DOMAIN §3, §14).

All-or-nothing: rows are validated and written inside one transaction while the files stream
past (so a million payment rows never sit in memory at once); if any problem was found the
transaction is rolled back and the database is exactly as before. Every problem is collected and
reported as ``file:line: column: message``.

What each file holds and the rules its rows keep are in its entry of the table of file specs
(``import_files.FILES``); this module converts, checks, writes and runs the checks across files.
The rows come from *sources*: the plain §3 CSV files (``csv_rows.PlainFile``) or the studio
system's own exports read through an import profile (``exports.ProfileFile``); every problem names
the source's own file, line and header text.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: importing sqlite_utils costs start-up time
    import sqlite_utils

from recon_tui.config import Config
from recon_tui.import_profiles import ImportProfile
from recon_tui.money import MAX_CENTS, format_cents
from recon_tui.store import derived
from recon_tui.store.csv_rows import PlainFile
from recon_tui.store.exports import find_exports
from recon_tui.store.import_files import FILES, ORDER_LINES, ORDERS, FileSpec, check_bad_debt
from recon_tui.store.import_result import FileResult, ImportFailed, ImportResult, Problem, Progress
from recon_tui.store.import_values import ValueReader
from recon_tui.store.schema import StoreError, db_path, describe_sqlite_error

__all__ = ["MAX_CENTS", "FileResult", "ImportFailed", "ImportResult", "Problem", "Progress", "import_dir"]

_BATCH = 20_000




class _Sink:
    """What a source tells the run while it reads one file (see ``csv_rows.PlainFile``)."""

    def __init__(self, run: _Import, spec: FileSpec, quiet: bool) -> None:
        self.run, self.spec, self.quiet = run, spec, quiet
        progress = None if quiet else run.progress
        name = run.source_of[spec.kind].source or spec.filename  # the file the user sees
        self.report = (lambda done, total: progress(name, done, total)) if progress else None

    def problem(self, line: int, column: str, message: str) -> None:
        if not self.quiet:
            self.run.problem(self.spec, line, column, message)

    def reject(self, raw: dict) -> None:
        if not self.quiet:
            self.spec.reject(self.run, self.spec, raw)

    def broken(self) -> None:
        self.run.file_broken = True

    def warn(self, text: str) -> None:
        if not self.quiet:
            self.run.result.warnings.append(text)

    def absent(self, columns: tuple[str, ...]) -> None:
        self.run.absent[self.spec.filename] = columns


class _Import:
    """One import run: state shared by the per-file passes."""

    def __init__(self, db: sqlite_utils.Database, sources: list[tuple[FileSpec, object]], config: Config,
                 progress: Progress | None) -> None:
        self.db, self.config, self.progress = db, config, progress
        self.sources = sources
        self.source_of = {spec.kind: source for spec, source in sources}
        self.result = ImportResult()
        self.values = ValueReader(config)  # §3 text -> typed values, each rule once
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
        #: kind -> upper-case form -> (id, line; 0 in the database) of the ids with a lower-case letter
        self.folded: dict[str, dict[str, tuple[str, int]]] = {}
        self.clashes: list[tuple[int, str, str, int]] = []  # (line, id, the other id, its line) this file

    # -- problems ---------------------------------------------------------------------------
    def problem(self, spec: FileSpec, line: int, column: str, message: str) -> None:
        """A problem at a line of the spec's source, its column named by the source's own header text."""
        source = self.source_of[spec.kind]
        self.result.problems.append(Problem(source.label, line, source.header(column), message))

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
    def rows(self, spec: FileSpec, quiet: bool = False) -> Iterator[tuple[int, list[str]]]:
        """(line number, raw values in ``spec.columns`` order; "" for an absent optional column),
        trimmed. ``quiet``: a second reading, which reports nothing (the first one did)."""
        return self.source_of[spec.kind].rows(spec, _Sink(self, spec, quiet))

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
        convert = self.values.converters
        return (spec.names, tuple(i for i, col in enumerate(spec.columns) if col.required),
                tuple(convert[col.kind] for col in spec.columns))

    # -- writing ------------------------------------------------------------------------------
    def upsert_sql(self, spec: FileSpec) -> str:
        cols = ", ".join(spec.names)
        marks = ", ".join("?" for _ in spec.names)
        absent = self.absent.get(spec.filename, ())  # not in the file: an update leaves them alone
        updates = ", ".join(f"{c} = excluded.{c}" for c in spec.names if c not in spec.key and c not in absent)
        kept = [c for c in spec.names if c not in spec.key and c not in absent]
        differs = f"({', '.join(kept)}) IS NOT ({', '.join('excluded.' + c for c in kept)})"
        # a row equal to the stored one is not updated: the rows written are the new and the changed ones
        return (f"INSERT INTO {spec.table} ({cols}) VALUES ({marks}) "
                f"ON CONFLICT({', '.join(spec.key)}) DO UPDATE SET {updates} WHERE {differs}")

    def run_file(self, spec: FileSpec) -> FileResult:
        result = FileResult(spec.filename, source=self.source_of[spec.kind].source, kind=spec.kind)
        self.written = 0
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
        for line, raw in self.rows(spec):
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
            self.report_duplicates(spec, duplicates)
        after = self.db.execute(f"SELECT COUNT(*) FROM {spec.table}").fetchone()[0]
        result.new = after - before
        result.changed = self.written - result.new
        result.unchanged = result.rows - self.written
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

    def report_duplicates(self, spec: FileSpec, duplicates: list[tuple]) -> None:
        """Duplicate keys and ids differing only in case, each with the line of the first one."""
        clashes, self.clashes = self.clashes, []
        wanted = {key for _, key in duplicates} | {other for _, _, other, at in clashes if at < 0}
        first: dict = {}
        index = [spec.names.index(k) for k in spec.key]
        for line, raw in self.rows(spec, quiet=True):
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
        self.written += self.db.conn.executemany(sql, batch).rowcount

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

    def run(self, dry_run: bool = False, inspect: Callable | None = None) -> ImportResult:
        """Read every source in one transaction: committed when no problem was found, else rolled
        back. ``inspect(db)`` runs inside it after a good import (a dry run's look at what would
        change); ``dry_run``: rolled back all the same."""
        conn = self.db.conn
        # References are checked row by row above (with file:line messages); SQLite's own
        # per-row foreign-key checks would only double the write time of a large import.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                self.read_files()
                if inspect is not None and not self.result.problems:
                    inspect(self.db)
            except BaseException:
                conn.rollback()
                raise
            if self.result.problems or dry_run:
                conn.rollback()
            else:
                conn.commit()
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
        return self.result

    def read_files(self) -> None:
        for spec, _ in self.sources:
            try:
                self.result.files.append(self.run_file(spec))
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
               progress: Progress | None = None, *, profile: ImportProfile | None = None,
               dry_run: bool = False, inspect: Callable | None = None) -> ImportResult:
    """Import whichever §3 files are in ``directory`` (with ``profile``: the exports it names);
    raises :class:`ImportFailed` on any problem. ``dry_run``: everything is read, written and checked
    inside the transaction, then rolled back; ``inspect(db)`` runs inside it before the end."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ImportFailed(ImportResult(problems=[Problem(str(directory), 0, "(directory)", "not a directory")]))
    sources, problems = _sources(directory, profile)
    if problems:
        raise ImportFailed(ImportResult(problems=problems))
    try:
        result = _Import(db, sources, config, progress).run(dry_run, inspect)
    except sqlite3.Error as exc:  # the database, not the files: locked, full, read-only, corrupt
        raise StoreError(f"{db_path(db)}: {describe_sqlite_error(exc)}; nothing was imported") from None
    if result.problems:
        raise ImportFailed(result)
    return result


def _sources(directory: Path, profile: ImportProfile | None) -> tuple[list[tuple[FileSpec, object]], list[Problem]]:
    """(spec, source) of each record kind found in ``directory``, in import order; or the problems."""
    if profile is not None:
        found, problems = find_exports(directory, profile)
        return [(spec, found[spec.kind]) for spec in FILES if spec.kind in found], problems
    present = [(spec, PlainFile(directory / spec.filename)) for spec in FILES if (directory / spec.filename).is_file()]
    if not present:
        names = ", ".join(spec.filename for spec in FILES)
        return [], [Problem(str(directory), 0, "(files)", f"no import files found (expected any of {names})")]
    return present, []
