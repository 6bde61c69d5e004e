"""The studio database: SQLite via sqlite-utils, with a schema version and migrations.

Money columns are INTEGER cents; dates are TEXT ``YYYY-MM-DD`` (they sort and compare as dates).
``orders.subtotal`` is the sum of the order's lines, kept by the importer so the engine's
aggregates never need to join the lines table for balance-sheet figures.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typing import TYPE_CHECKING

from recon_tui.store import chain

if TYPE_CHECKING:
    import sqlite_utils


class StoreError(Exception):
    """A database that cannot be used: missing, corrupt, locked, or from a newer version."""


def _never_changed(table: str, noun: str, deleted: str = "never deleted") -> str:
    """The two triggers that make the database refuse to change or delete a row of ``table``."""
    return f"""
        CREATE TRIGGER {table}_never_change BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{noun} is never changed'); END;
        CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}
            BEGIN SELECT RAISE(ABORT, '{noun} is {deleted}'); END;"""


_V1 = """
        CREATE TABLE customers (
            customer_id TEXT PRIMARY KEY,
            name TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE orders (
            order_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            ordered_on TEXT NOT NULL,
            built_on TEXT,
            completed_on TEXT,
            voided_on TEXT,
            sales_tax INTEGER NOT NULL,
            -- kept by the importer (store/derived.py): sum of the lines; balance after every
            -- payment; the date of the order's last event or payment
            subtotal INTEGER NOT NULL DEFAULT 0,
            final_balance INTEGER NOT NULL DEFAULT 0,
            last_activity TEXT NOT NULL DEFAULT ''
        ) WITHOUT ROWID;
        CREATE TABLE order_lines (
            order_id TEXT NOT NULL REFERENCES orders(order_id),
            line_no INTEGER NOT NULL,
            category TEXT NOT NULL,
            description TEXT,
            amount INTEGER NOT NULL,
            PRIMARY KEY (order_id, line_no)
        ) WITHOUT ROWID;
        CREATE TABLE payments (
            payment_id TEXT PRIMARY KEY,
            order_id TEXT NOT NULL REFERENCES orders(order_id),
            paid_on TEXT NOT NULL,
            method TEXT NOT NULL,
            amount INTEGER NOT NULL,
            reference TEXT
        ) WITHOUT ROWID;
        CREATE TABLE credit_adjustments (
            adjustment_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            adjusted_on TEXT NOT NULL,
            amount INTEGER NOT NULL,
            reason TEXT
        ) WITHOUT ROWID;
        -- per-day changes of the Balance Sheet totals (store/derived.py)
        CREATE TABLE daily_payments (
            day TEXT NOT NULL,
            method TEXT NOT NULL,
            positive INTEGER NOT NULL,
            negative INTEGER NOT NULL,
            PRIMARY KEY (day, method)
        ) WITHOUT ROWID;
        CREATE TABLE daily_orders (
            day TEXT PRIMARY KEY,
            wip INTEGER NOT NULL,
            built INTEGER NOT NULL,
            completed_total INTEGER NOT NULL,
            completed_tax INTEGER NOT NULL,
            deposits INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- the date-range queries of the engine: status changes in a period, payments by date
        CREATE INDEX orders_customer ON orders(customer_id);
        CREATE INDEX orders_ordered_on ON orders(ordered_on);
        CREATE INDEX orders_built_on ON orders(built_on);
        CREATE INDEX orders_completed_on ON orders(completed_on);
        CREATE INDEX orders_voided_on ON orders(voided_on);
        CREATE INDEX orders_last_activity ON orders(last_activity, ordered_on);
        CREATE INDEX orders_owing ON orders(final_balance) WHERE final_balance != 0;
        CREATE INDEX payments_paid_on ON payments(paid_on, method, amount);
        CREATE INDEX payments_order ON payments(order_id, paid_on, amount);
        CREATE INDEX credit_adjustments_on ON credit_adjustments(adjusted_on, amount);
        CREATE INDEX credit_adjustments_customer ON credit_adjustments(customer_id);
"""


#: Migration n brings the schema from version n-1 to n. Later features (posting batches,
#: finalized reconciliation records) arrive as further entries; never edit a released one.
#: v2: finalized reconciliation records (DOMAIN §10). The database itself refuses to change or
#: delete one, keeps the chain (each record starts where the last one in force ended) and lets
#: only the latest record in force be reopened.
_V2 = """
        CREATE TABLE reconciliations (
            number INTEGER PRIMARY KEY,
            method TEXT NOT NULL CHECK (method IN ('accrual', 'cash')),
            previous_on TEXT NOT NULL,
            current_on TEXT NOT NULL,
            finalized_at TEXT NOT NULL,     -- UTC, ISO 8601
            finalized_by TEXT NOT NULL,     -- OS user
            notes TEXT NOT NULL,
            figures TEXT NOT NULL,          -- JSON: every figure of DOMAIN §5-7 (the §12 shape)
            counts TEXT NOT NULL,           -- JSON: per bank method system, counted, difference, note
            qb_balance INTEGER NOT NULL,    -- the QuickBooks GL balance used, cents
            qb_difference INTEGER NOT NULL, -- studio figure - QuickBooks balance
            qb_note TEXT NOT NULL,
            diagnosis TEXT,                 -- JSON: why the two differ (DOMAIN §9), when known
            gl_mapping TEXT NOT NULL,       -- JSON: the config's accounts as used
            fingerprint TEXT NOT NULL,      -- SHA-256 over the source records of the period
            sources TEXT NOT NULL,          -- JSON: per source record of the period, digest and amount
            CHECK (previous_on < current_on)
        );
        CREATE TABLE reopenings (
            number INTEGER PRIMARY KEY REFERENCES reconciliations(number),
            reopened_at TEXT NOT NULL,
            reopened_by TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0)
        );
        CREATE VIEW reconciliations_in_force AS
            SELECT * FROM reconciliations WHERE number NOT IN (SELECT number FROM reopenings);
""" + _never_changed("reconciliations", "a finalized reconciliation", "never deleted (reopen it instead)") + \
    _never_changed("reopenings", "a reopening") + """
        CREATE TRIGGER reconciliations_chain BEFORE INSERT ON reconciliations
            WHEN NEW.number <= COALESCE((SELECT MAX(number) FROM reconciliations), 0)
              OR NEW.previous_on != COALESCE(
                    (SELECT current_on FROM reconciliations_in_force ORDER BY number DESC LIMIT 1),
                    NEW.previous_on)
            BEGIN SELECT RAISE(ABORT, 'a reconciliation must start at the last finalized current date, with the next number'); END;
        CREATE TRIGGER reopen_only_the_latest BEFORE INSERT ON reopenings
            WHEN NEW.number IS NOT (SELECT MAX(number) FROM reconciliations_in_force)
            BEGIN SELECT RAISE(ABORT, 'only the latest finalized reconciliation in force can be reopened'); END;
"""

#: v3: posting to QuickBooks (DOMAIN §8). A batch is the set of events posted together into one IIF
#: file; each posted entry keeps exactly what was written (its lines as JSON) and, for the tie-out
#: diagnosis (§9), its amounts on the two tie-out accounts. What was posted never changes; each
#: re-export of a batch is recorded.
_V3 = """
        CREATE TABLE posting_batches (
            number INTEGER PRIMARY KEY,
            method TEXT NOT NULL CHECK (method IN ('accrual', 'cash')),
            through TEXT NOT NULL,          -- every unposted event dated on or before this date
            posted_at TEXT NOT NULL,        -- UTC, ISO 8601
            posted_by TEXT NOT NULL,
            entries INTEGER NOT NULL,
            file TEXT NOT NULL              -- the IIF file as first written
        );
        CREATE TABLE posted_entries (
            event_key TEXT PRIMARY KEY,     -- order:<id>:completed, order:<id>:voided, payment:<id>, adjustment:<id>
            kind TEXT NOT NULL,             -- completed, voided, payment, adjustment
            record_id TEXT NOT NULL,        -- the order, payment or adjustment id
            docnum TEXT NOT NULL UNIQUE,    -- unique per event, <= 11 characters
            seq INTEGER NOT NULL UNIQUE,    -- the number inside the docnum
            batch INTEGER NOT NULL REFERENCES posting_batches(number),
            posted_on TEXT NOT NULL,        -- the entry's date
            customer TEXT NOT NULL,
            lines TEXT NOT NULL,            -- JSON [[account, cents], ...], A/R first, as written
            ar INTEGER NOT NULL,            -- the entry's amount on the A/R account (debit-positive)
            deposits INTEGER NOT NULL       -- ... on the customer deposits account
        ) WITHOUT ROWID;
        CREATE INDEX posted_entries_batch ON posted_entries(batch, seq);
        CREATE TABLE batch_exports (
            batch INTEGER NOT NULL REFERENCES posting_batches(number),
            export INTEGER NOT NULL,        -- 1 = the original file, 2.. = re-exports
            exported_at TEXT NOT NULL,
            exported_by TEXT NOT NULL,
            file TEXT NOT NULL,
            PRIMARY KEY (batch, export)
        ) WITHOUT ROWID;
""" + _never_changed("posting_batches", "a posting batch") + _never_changed("posted_entries", "a posted entry") + \
    _never_changed("batch_exports", "an export") + "\n"


def _never_replaced(table: str, noun: str, key: str) -> str:
    """A BEFORE INSERT trigger refusing a row whose key is taken: ``INSERT OR REPLACE`` would
    otherwise delete the stored row without firing its delete trigger."""
    match = " AND ".join(f"t.{column} = NEW.{column}" for column in key.split(", "))
    return f"""
        CREATE TRIGGER {table}_never_replaced BEFORE INSERT ON {table}
            WHEN EXISTS (SELECT 1 FROM {table} t WHERE {match})
            BEGIN SELECT RAISE(ABORT, '{noun} is never overwritten'); END;"""


#: The guard of posted_entries against ``INSERT OR REPLACE``. A post lifts it for its own entries
#: inside its transaction and puts it back before committing (store/posted.py ``guard_lifted``): a
#: per-row trigger costs 4 s on a first post of 600,000 events, and no other connection ever sees
#: the table without it.
POSTED_ENTRIES_GUARD = """CREATE TRIGGER posted_entries_never_replaced BEFORE INSERT ON posted_entries
            WHEN EXISTS (SELECT 1 FROM posted_entries t WHERE t.event_key = NEW.event_key)
              OR EXISTS (SELECT 1 FROM posted_entries t WHERE t.docnum = NEW.docnum)
              OR EXISTS (SELECT 1 FROM posted_entries t WHERE t.seq = NEW.seq)
            BEGIN SELECT RAISE(ABORT, 'a posted entry is never overwritten'); END"""

#: v4: nothing stored is overwritten, numbers are gapless, and the hash chain (store/chain.py; the
#: chain of an older database is computed by ``chain.build`` in the same transaction).
_V4 = (chain.SCHEMA + _never_replaced("reconciliations", "a finalized reconciliation", "number")
       + _never_replaced("reopenings", "a reopening", "number")
       + _never_replaced("posting_batches", "a posting batch", "number")
       + _never_replaced("batch_exports", "an export", "batch, export") + """
""" + POSTED_ENTRIES_GUARD + """;
        CREATE TRIGGER reconciliations_gapless BEFORE INSERT ON reconciliations
            WHEN NEW.number != COALESCE((SELECT MAX(number) FROM reconciliations), 0) + 1
            BEGIN SELECT RAISE(ABORT, 'a reconciliation takes the next number: no gap, no reuse'); END;
        CREATE TRIGGER posting_batches_gapless BEFORE INSERT ON posting_batches
            WHEN NEW.number != COALESCE((SELECT MAX(number) FROM posting_batches), 0) + 1
            BEGIN SELECT RAISE(ABORT, 'a posting batch takes the next number: no gap, no reuse'); END;
""", chain.build)

#: each migration: its SQL, or (SQL, a function of the connection run after it, in the same transaction)
MIGRATIONS: tuple = (_V1, _V2, _V3, _V4)
SCHEMA_VERSION = len(MIGRATIONS)


def _connect(path: Path) -> sqlite_utils.Database:
    import sqlite_utils  # here, not at module level: most commands never need it before this

    conn = sqlite3.connect(str(path), timeout=2.0, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


def schema_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def open_store(path: str | Path, *, create: bool = False) -> sqlite_utils.Database:
    """Open (and with ``create``, create or migrate) the studio database.

    Every failure becomes a one-line :class:`StoreError` naming the file.
    """
    path = Path(path)
    if not path.exists() and not create:
        raise StoreError(f"{path}: database not found (create it with `recon-tui import` or `recon-tui demo`)")
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = _connect(path)
        version = schema_version(db)  # reads the header: fails here on a file that is not SQLite
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: database schema v{version} is newer than this recon-tui "
                             f"(v{SCHEMA_VERSION}); upgrade recon-tui")
        tables = db.table_names()  # reads the schema page: a damaged file fails here, not mid-report
        if version == 0:
            if tables:  # another program's SQLite file: never add our tables to it
                raise StoreError(f"{path}: not a recon-tui database (it holds other tables)")
            if not create:
                raise StoreError(f"{path}: empty database (import data with `recon-tui import`)")
            db.execute("PRAGMA journal_mode = WAL")  # persistent: set once, when the file is made
        if version < SCHEMA_VERSION:
            migrate(db, version)  # an older recon-tui schema: migrating needs nothing from the user
        return db
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {describe_sqlite_error(exc)}") from None


def migrate(db: sqlite_utils.Database, from_version: int) -> None:
    """Each migration and its version bump commit together, or not at all."""
    for number in range(from_version, SCHEMA_VERSION):
        sql, then = MIGRATIONS[number] if isinstance(MIGRATIONS[number], tuple) else (MIGRATIONS[number], None)
        try:
            db.conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number + 1};")
            if then is not None:
                then(db.conn)
            db.conn.commit()
        except sqlite3.Error:
            if db.conn.in_transaction:
                db.conn.rollback()
            raise


def begin_immediate(db: sqlite_utils.Database, wait: float) -> bool:
    """BEGIN IMMEDIATE (the write lock), waiting up to ``wait`` seconds for another writer; False
    when the database stayed busy. A transaction left open is committed first."""
    conn = db.conn
    if conn.in_transaction:
        conn.commit()
    (before,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {before}")
    return True


def db_path(db: sqlite_utils.Database) -> str:
    """The file behind a connection (for messages)."""
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] or ":memory:"


def describe_sqlite_error(exc: sqlite3.Error) -> str:
    message = str(exc)
    if "not a database" in message or "malformed" in message:
        return f"not a recon-tui database or corrupt ({message})"
    if "locked" in message or "busy" in message:
        return "database is locked by another program (close it and try again)"
    if "readonly" in message or "read-only" in message:
        return "database is read-only (check the file's and its folder's permissions); nothing was written"
    return message


def close_whole(db: sqlite_utils.Database) -> None:
    """Close the database with everything in its main file (the WAL emptied), ready to be moved."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
