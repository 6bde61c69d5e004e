"""Command line (DOMAIN §12): argument parsing only; turns arguments into calls, errors into exit codes.

Exit codes: 0 done; 1 the environment is wrong (config, database); 2 bad arguments or bad input
data (nothing was written); 70 an internal consistency check failed (a bug: please report it).
Every failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from recon_tui import __version__
from recon_tui.config import METHODS, Config, ConfigError, find_config, load_config
from recon_tui.ledger.period import Period, PeriodError, parse_date

EXIT_ENV, EXIT_INPUT, EXIT_BUG = 1, 2, 70


class UsageError(Exception):
    """Bad arguments: exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _date_arg(what: str):
    def convert(text: str) -> date:
        try:
            return parse_date(text, what)
        except PeriodError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None
    return convert


def _pair(option: str):
    def convert(text: str) -> tuple[str, str]:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise argparse.ArgumentTypeError(f"{text!r} is not METHOD=VALUE (e.g. cash=1234.50)")
        return key.strip(), value.strip()
    return convert


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--db", metavar="PATH", help="studio database (default: `database` in the config)")
    sub.add_argument("--config", metavar="PATH",
                     help="config file (default: $RECON_TUI_CONFIG, ./config/recon.yaml, ~/.config/recon-tui/recon.yaml)")


def _format(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--format", choices=("text", "markdown", "csv", "json"), default="text",
                     help="output format (default: text)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="recon-tui", description=(
        "Close a portrait studio's books each period: the studio's orders and payments reconciled "
        "and tied out to QuickBooks Desktop."))
    parser.add_argument("--version", action="version", version=f"recon-tui {__version__}")
    _common(parser)  # with no command: the reconciliation app on this database
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                 description="With no command, recon-tui opens the reconciliation app (a terminal UI).")

    imp = subs.add_parser("import", help="import the order system's CSV files (all-or-nothing)",
                          description="Import customers.csv, orders.csv, order_lines.csv, payments.csv and "
                          "credit_adjustments.csv from DIR (whichever are present). Rows are upserted by id; "
                          "if any row is invalid nothing is written and every problem is listed.")
    imp.add_argument("directory", metavar="DIR", help="folder holding the CSV files")
    _common(imp)

    rep = subs.add_parser("report", help="the reconciliation of a period (DOMAIN §5-7)",
                          description="Print the Income, Expense, Payments and Balance Sheet tables for the "
                          "period (PREVIOUS, CURRENT], the A/R Aging and Deposit Reconciliation totals, and the "
                          "studio figure to tie out against QuickBooks.")
    rep.add_argument("--previous", required=True, type=_date_arg("--previous"), metavar="YYYY-MM-DD",
                     help="the previous reconciliation date (the period starts after it)")
    rep.add_argument("--current", required=True, type=_date_arg("--current"), metavar="YYYY-MM-DD",
                     help="the current reconciliation date (the period ends on it)")
    rep.add_argument("--method", choices=METHODS, help="accounting method (default: the config's)")
    _format(rep)
    _common(rep)

    for name, title in (("aging", "A/R Aging"), ("deposits", "Customer Deposit Reconciliation")):
        sub = subs.add_parser(name, help=f"the {title} report as of a date",
                              description=f"Print the {title} report as of a date (DOMAIN §6).")
        sub.add_argument("--as-of", required=True, type=_date_arg("--as-of"), metavar="YYYY-MM-DD")
        _format(sub)
        _common(sub)

    fin = subs.add_parser("finalize", help="finalize a reconciliation: an immutable, numbered record",
                          description="Check and finalize the reconciliation of (PREVIOUS, CURRENT] (DOMAIN §10): "
                          "the money counted per bank method, the QuickBooks balance it ties out to, and notes. "
                          "The record is written once and never changed; a printed report is saved beside the "
                          "database. PREVIOUS is required only for the first reconciliation; later ones start "
                          "at the last finalized current date.")
    fin.add_argument("--current", required=True, type=_date_arg("--current"), metavar="YYYY-MM-DD")
    fin.add_argument("--previous", type=_date_arg("--previous"), metavar="YYYY-MM-DD",
                     help="only for the first reconciliation (later ones must start at the last current date)")
    fin.add_argument("--method", choices=METHODS, help="accounting method (default: the config's)")
    fin.add_argument("--count", action="append", default=[], metavar="METHOD=AMOUNT", type=_pair("--count"),
                     help="money counted for a bank method (cash, check, eft, credit_card, other); "
                          "a method not given counts 0.00. Repeat for each method.")
    fin.add_argument("--count-note", action="append", default=[], metavar="METHOD=TEXT", type=_pair("--count-note"),
                     help="why a counted amount differs from the system (needed for every difference)")
    fin.add_argument("--qb-balance", required=True, metavar="AMOUNT",
                     help="the QuickBooks GL balance of the tie-out account (A/R for accrual, Customer Deposits for cash)")
    fin.add_argument("--qb-note", default="", metavar="TEXT", help="why the QuickBooks balance differs (needed if it does)")
    fin.add_argument("--qb-detail", metavar="FILE",
                     help="QuickBooks transaction detail export (CSV): the diagnosis of the difference (DOMAIN §9) "
                          "is computed with it and kept with the record")
    fin.add_argument("--notes", default="", metavar="TEXT", help="notes kept with the record")
    _common(fin)

    hist = subs.add_parser("history", help="finalized reconciliations; show, re-check or reopen one",
                           description="List every finalized reconciliation, re-checking each for source records "
                           "changed since it was finalized. --show N prints one from its stored figures; "
                           "--reopen N --reason TEXT reopens the latest one (recorded, never deleted).")
    hist.add_argument("--show", type=_positive, metavar="N", help="print reconciliation N")
    hist.add_argument("--reopen", type=_positive, metavar="N", help="reopen reconciliation N (the latest in force)")
    hist.add_argument("--reason", default="", metavar="TEXT", help="why it is reopened (required with --reopen)")
    _format(hist)
    _common(hist)

    post = subs.add_parser("post", help="post unposted events to QuickBooks as a numbered IIF batch",
                           description="Take every event dated on or before --through that has never been posted "
                           "(DOMAIN §8) into the next numbered batch and write it as studio-batch-NNNN.iif beside "
                           "the database (or in --out), ready for QuickBooks Desktop's File > Utilities > Import > "
                           "IIF Files. What was posted is recorded and never changes. --reexport N writes batch N "
                           "again; delete the original entries from QuickBooks before importing it. --list shows "
                           "the batches.")
    what = post.add_mutually_exclusive_group(required=True)
    what.add_argument("--through", type=_date_arg("--through"), metavar="YYYY-MM-DD",
                      help="post every unposted event dated on or before this date")
    what.add_argument("--reexport", type=_positive, metavar="N", help="write batch N again")
    what.add_argument("--list", action="store_true", help="list the posting batches")
    post.add_argument("--method", choices=METHODS,
                      help="accounting method of the books (default: the method of earlier batches, else the config's)")
    post.add_argument("--out", metavar="DIR", help="folder for the IIF file (default: beside the database)")
    post.add_argument("--dry-run", action="store_true", help="say what would be posted; write nothing")
    post.add_argument("--qb-lists", metavar="FILE.iif",
                      help="first check the configured accounts against QuickBooks' list export, as check-accounts "
                           "does, and post nothing if any is missing or of the wrong type")
    _common(post)

    chk = subs.add_parser("check-accounts", help="check the config's GL accounts against QuickBooks' chart of accounts",
                          description="Read QuickBooks Desktop's list export (File > Utilities > Export > Lists to IIF "
                          "Files, with Chart of Accounts ticked; the chart alone will do) and check that every "
                          "account the config names (gl_accounts and income_categories) is there, sub-accounts as "
                          "Parent:Child, with a type that fits its use. Run it before the first post: a batch's "
                          "!ACCNT rows create any account QuickBooks lacks, so a misspelt name becomes a new, wrong "
                          "account. Exit 0 when every account fits; exit 2 listing each missing account (with the "
                          "closest QuickBooks name) or wrong type.")
    chk.add_argument("--qb-lists", required=True, metavar="FILE.iif", help="QuickBooks' Lists to IIF Files export")
    chk.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    chk.add_argument("--config", metavar="PATH", help="config file (default: $RECON_TUI_CONFIG, "
                     "./config/recon.yaml, ~/.config/recon-tui/recon.yaml)")

    diag = subs.add_parser("diagnose", help="why the studio figure and QuickBooks differ, to the cent (DOMAIN §9)",
                           description="Split studio figure - QuickBooks balance of the tie-out account (A/R for "
                           "accrual, Customer Deposits for cash) at --current into its causes: events never "
                           "posted, records edited after posting, posted events that no longer exist, and with "
                           "QuickBooks' transaction detail (--qb-detail) batches never imported, entries imported "
                           "twice, studio entries changed in QuickBooks and entries that are not the studio's. "
                           "The QuickBooks balance is --qb-balance, or read from a Trial Balance export "
                           "(--qb-trial-balance), or summed from the detail export.")
    diag.add_argument("--current", required=True, type=_date_arg("--current"), metavar="YYYY-MM-DD")
    diag.add_argument("--method", choices=METHODS, help="accounting method (default: the posting method, else the config's)")
    source = diag.add_mutually_exclusive_group()
    source.add_argument("--qb-balance", metavar="AMOUNT", help="the account's balance in QuickBooks at --current")
    source.add_argument("--qb-trial-balance", metavar="FILE", help="QuickBooks Trial Balance as of --current, exported as CSV")
    diag.add_argument("--qb-detail", metavar="FILE",
                      help="QuickBooks Transaction Detail by Account (or General Ledger, or Transaction List by Date), "
                           "Dates: All or this fiscal year, through --current, saved as CSV")
    diag.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    diag.add_argument("--items", type=int, default=20, metavar="N",
                      help="records listed per cause in text output (default: 20; 0 for all)")
    _common(diag)

    exp = subs.add_parser("export", help="the posted journal for the accountant (hledger/ledger format)",
                          description="Write the journal of DOMAIN §8 (every event's entry dated on or before "
                          "--through) as an hledger journal: `hledger -f FILE bal -e <day after --through>` shows "
                          "the same balances the posting rules give QuickBooks.")
    exp.add_argument("--format", choices=("hledger",), default="hledger", help="journal format (default: hledger)")
    exp.add_argument("--method", choices=METHODS, help="accounting method (default: the config's)")
    exp.add_argument("--through", required=True, type=_date_arg("--through"), metavar="YYYY-MM-DD")
    exp.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    _common(exp)

    demo = subs.add_parser("demo", help="build the deterministic demo studio",
                           description="Build a realistic demo portrait studio (same seed, same data) into "
                           "the database, and with --csv also write it as import CSV files.")
    demo.add_argument("--csv", metavar="DIR", help="also write the §3 CSV files into DIR")
    demo.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    demo.add_argument("--years", type=_positive, default=3, help="years of history (default: 3)")
    demo.add_argument("--orders-per-year", type=_positive, default=3000, help="orders per year (default: 3000)")
    demo.add_argument("--end", type=_date_arg("--end"), metavar="YYYY-MM-DD",
                      help="last day of the history (default: 2026-10-31)")
    demo.add_argument("--force", action="store_true", help="replace an existing database")
    _common(demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            return cmd_app(args)
        return COMMANDS[args.command](args)
    except UsageError as exc:
        return _fail(str(exc), EXIT_INPUT)
    except (ConfigError, PeriodError) as exc:
        return _fail(str(exc), EXIT_INPUT if isinstance(exc, PeriodError) else EXIT_ENV)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # `| head` is not an error
        return 0
    except Exception as exc:  # the last line of defence: one line, never a traceback
        return _handle(exc)


def _handle(exc: Exception) -> int:
    from recon_tui.ledger.reports import TieOutError
    from recon_tui.ledger.summary import BalanceIdentityError, UnknownCategoryError
    from recon_tui.store import StoreError

    if isinstance(exc, StoreError):
        return _fail(str(exc), EXIT_ENV)
    if isinstance(exc, UnknownCategoryError):
        return _fail(str(exc), EXIT_ENV)
    if isinstance(exc, (BalanceIdentityError, TieOutError)):
        return _fail(f"internal check failed (a bug, please report it): {exc}", EXIT_BUG)
    if isinstance(exc, OSError):
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), EXIT_ENV)
    import sqlite3
    if isinstance(exc, sqlite3.Error):
        from recon_tui.store.schema import describe_sqlite_error
        return _fail(f"database: {describe_sqlite_error(exc)}", EXIT_ENV)
    return _fail(f"unexpected error (a bug, please report it): {type(exc).__name__}: {exc}", EXIT_BUG)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _config(args) -> Config:
    return load_config(find_config(args.config))


def _db_path(args, config: Config) -> Path:
    return Path(args.db) if args.db else config.database


def _open(args, config: Config):
    from recon_tui.store import open_store
    return open_store(_db_path(args, config))


# -- commands ---------------------------------------------------------------------------------------

def cmd_app(args) -> int:
    """The terminal UI on the studio's database (checked first, so a bad one is a one-line error)."""
    config = _config(args)
    _open(args, config).close()
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("recon-tui: the app needs a terminal (for scripts use the commands: see --help)")
    from recon_tui.tui import run

    run(config, _db_path(args, config))
    return 0


def cmd_import(args) -> int:
    from recon_tui.store import open_store
    from recon_tui.store.importer import ImportFailed, import_dir

    config = _config(args)
    directory = Path(args.directory)
    if not directory.is_dir():
        raise UsageError(f"import: {directory}: not a directory")
    path = _db_path(args, config)
    existed = path.exists()
    db = open_store(path, create=True)
    try:
        with _progress() as progress:
            result = import_dir(db, directory, config, progress=progress)
    except ImportFailed as failed:
        db.close()
        if not existed:  # leave no empty database behind
            for created in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                created.unlink(missing_ok=True)
        for warning in failed.result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for problem in failed.result.problems:
            print(problem, file=sys.stderr)
        print(f"error: {len(failed.result.problems)} problem(s) found; nothing was imported", file=sys.stderr)
        return EXIT_INPUT
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for item in result.files:
        print(f"{item.filename}: {item.rows} rows ({item.new} new, {item.rows - item.new} updated or unchanged)")
    print(f"imported into {_db_path(args, config)}")
    return 0


class _progress:
    """A progress bar on stderr while a terminal is watching; nothing otherwise."""

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("{task.description:<26}"), BarColumn(), TaskProgressColumn(),
                            TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.bar.start()
        self.tasks: dict[str, int] = {}
        return self.update

    def update(self, filename: str, done: int, total: int) -> None:
        if filename not in self.tasks:
            self.tasks[filename] = self.bar.add_task(filename, total=total)
        self.bar.update(self.tasks[filename], completed=done)

    def __exit__(self, *exc) -> None:
        if hasattr(self, "bar"):
            self.bar.stop()


def cmd_report(args) -> int:
    from recon_tui.ledger import reconcile
    from recon_tui.reporting import render_report

    config = _config(args)
    period = Period(args.previous, args.current)
    db = _open(args, config)
    rec = reconcile(db, config, period, args.method or config.accounting_method)
    _print(render_report(rec, args.format, config.studio_name))
    return 0


def cmd_aging(args) -> int:
    from recon_tui.ledger.reports import aging_report
    from recon_tui.reporting import render_aging

    config = _config(args)
    _print(render_aging(aging_report(_open(args, config), config, args.as_of), args.format, config.studio_name))
    return 0


def cmd_deposits(args) -> int:
    from recon_tui.ledger.reports import deposit_reconciliation
    from recon_tui.reporting import render_deposits

    config = _config(args)
    _print(render_deposits(deposit_reconciliation(_open(args, config), args.as_of), args.format, config.studio_name))
    return 0


def cmd_finalize(args) -> int:
    import getpass

    from recon_tui.ledger.finalize import FinalizeError, FinalizeRequest, finalize, first_previous_date
    from recon_tui.money import MoneyError, parse_cents
    from recon_tui.reporting import record_text

    config = _config(args)
    db = _open(args, config)

    def cents(option: str, text: str) -> int:
        try:
            return parse_cents(text)
        except MoneyError as exc:
            raise UsageError(f"finalize: {option}: {exc}") from None

    counted: dict[str, int] = {}
    for method, amount in args.count:
        if method in counted:
            raise UsageError(f"finalize: --count {method} given twice")
        counted[method] = cents(f"--count {method}", amount)
    previous = first_previous_date(db)
    if previous is None and args.previous is None:
        raise UsageError("finalize: this is the first reconciliation: give --previous (the date it starts after)")
    if previous is not None and args.previous is not None and args.previous != previous:
        raise UsageError(f"finalize: --previous must be {previous}, the current date of the last finalized "
                         "reconciliation (or leave it out)")
    method = args.method or config.accounting_method
    period = Period(previous or args.previous, args.current)
    qb_balance = cents("--qb-balance", args.qb_balance)
    diagnosis = None
    if args.qb_detail is not None:
        from recon_tui.link import QBFigures
        from recon_tui.quickbooks.reports import QBReportError
        from recon_tui.store.posting import PostingError

        if not Path(args.qb_detail).is_file():
            raise UsageError(f"finalize: --qb-detail {args.qb_detail}: file not found")
        try:
            diagnosis = _link(args, config).diagnose(method, period.current,
                                                     QBFigures(qb_balance, detail=Path(args.qb_detail))).to_json()
        except (QBReportError, PostingError) as exc:
            raise UsageError(f"finalize: {exc}") from None
    request = FinalizeRequest(
        method=method, period=period, counted=counted, count_notes=dict(args.count_note), qb_balance=qb_balance,
        qb_note=args.qb_note, notes=args.notes, diagnosis=diagnosis)
    try:
        record = finalize(db, config, request, today=date.today(), user=getpass.getuser())
    except FinalizeError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print("error: nothing was finalized", file=sys.stderr)
        return EXIT_INPUT
    from recon_tui.closing import printed_report_path

    printed = printed_report_path(_db_path(args, config), record.number)
    printed.write_text(record_text(record, config.studio_name), encoding="utf-8")
    print(f"finalized reconciliation #{record.number} ({record.method}, after {record.previous_on} "
          f"through {record.current_on})")
    print(f"printed report: {printed}")
    return 0


def cmd_history(args) -> int:
    import getpass

    from recon_tui.ledger.finalize import FinalizeError, first_previous_date, history, recheck, reopen
    from recon_tui.reporting import record_text, render_history

    config = _config(args)
    db = _open(args, config)
    if args.reopen is not None:
        try:
            record = reopen(db, args.reopen, args.reason, user=getpass.getuser())
        except FinalizeError as exc:
            raise UsageError(f"history --reopen: {exc}") from None
        start = first_previous_date(db)
        follows = (f"the next reconciliation starts after {start}" if start else
                   "no reconciliation is in force: the next one's previous date is entered")
        print(f"reopened reconciliation #{record.number} (after {record.previous_on} through {record.current_on}); "
              f"{follows}")
        return 0
    records = history(db)
    if args.show is not None:
        match = [r for r in records if r.number == args.show]
        if not match:
            raise UsageError(f"history --show: there is no reconciliation #{args.show}")
        _print(record_text(match[0], config.studio_name))
        return 0
    drifts = {d.number: d for d in recheck(db, config)}
    _print(render_history(records, drifts, args.format, config.studio_name))
    return 0


def _link(args, config: Config):
    from recon_tui.service import ReconService

    path = _db_path(args, config)
    _open(args, config).close()  # checked (and migrated) first: a bad database is a one-line error
    return ReconService(config, path, date.today())


def _check_accounts(service, path: str, command: str):
    """The AccountCheck of QuickBooks' list export at ``path``; a file it cannot read is bad input."""
    from recon_tui.quickbooks.iif import IIFError

    try:
        return service.check_accounts(Path(path))
    except IIFError as exc:
        raise UsageError(f"{command}: {exc}") from None


def _account_table(check) -> str:
    """Config key, account, QuickBooks type, OK: one row per configured account, 80 columns wide."""
    rows = [("Config key", "Account", "QuickBooks", "OK")]
    rows += [(fit.label, fit.account, fit.qb_type or "-", "ok" if fit.ok else fit.status.upper()) for fit in check.fits]
    widths = [max(len(row[at]) for row in rows) for at in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3] for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths) + "  --")
    return "\n".join(lines)


def _say_problems(check) -> None:
    for problem in check.problems:
        print(f"error: {problem}", file=sys.stderr)


def cmd_check_accounts(args) -> int:
    from recon_tui.service import ReconService

    config = _config(args)
    check = _check_accounts(ReconService(config, config.database, date.today()), args.qb_lists, "check-accounts")
    if args.format == "json":
        _print(json.dumps(check.to_json(), indent=2))
        return 0 if check.ok else EXIT_INPUT
    if not check.file_problems:
        _print(_account_table(check))
    for note in check.notes:
        print(f"note: {note}", file=sys.stderr)
    if check.ok:
        source = f"{check.source} ({check.product})" if check.product else check.source
        print(f"all {len(check.fits)} configured accounts are in {source} with fitting types")
        return 0
    _say_problems(check)
    print(f"error: {len(check.problems)} problem(s): fix the config or QuickBooks' chart of accounts before posting",
          file=sys.stderr)
    return EXIT_INPUT


def _method(args, config: Config, service) -> str:
    return args.method or service.posting_method() or config.accounting_method


def cmd_post(args) -> int:
    from recon_tui.money import format_cents
    from recon_tui.store.posting import PostingError

    config = _config(args)
    service = _link(args, config)
    out = Path(args.out) if args.out else None
    if out is not None and not out.is_dir():
        raise UsageError(f"post: --out {out}: not a folder")
    if args.through is not None and args.through > date.today():
        raise UsageError(f"post: --through {args.through} is after today")
    first = False  # a first batch without the account check: say what its !ACCNT rows do
    if args.qb_lists is not None:
        if args.list:
            raise UsageError("post: --qb-lists goes with --through or --reexport")
        check = _check_accounts(service, args.qb_lists, "post --qb-lists")
        if not check.ok:
            _say_problems(check)
            print("error: post: the configured accounts do not fit QuickBooks' chart of accounts; nothing was posted",
                  file=sys.stderr)
            return EXIT_INPUT
        print(f"checked: all {len(check.fits)} configured accounts are in {check.source}", file=sys.stderr)
    elif args.through is not None:
        first = not service.batches()
    try:
        if args.list:
            batches = service.batches()
            if not batches:
                print("no batches posted yet")
            for b in batches:
                again = f", exported {b.exports} times" if b.exports > 1 else ""
                print(f"batch {b.number}: {b.entries} entries through {b.through} ({b.method}), posted {b.posted_at} "
                      f"by {b.posted_by}{again}: {b.file}")
            return 0
        if args.reexport is not None:
            path, export = service.reexport(args.reexport, out)
            print(f"batch {args.reexport} written again (export {export}): {path}")
            print("warning: delete batch {0}'s entries from QuickBooks before importing this file, or they count "
                  "twice (the diagnosis will show them as imported twice)".format(args.reexport), file=sys.stderr)
            return 0
        method = _method(args, config, service)
        if args.dry_run:
            entries = service.unposted(method, args.through)
            debits = sum(line.amount for e in entries for line in e.lines if line.amount > 0)
            print(f"would post {len(entries)} entries through {args.through} ({method}), debits {format_cents(debits)}")
            if first and entries:
                _first_batch_note()
            return 0
        batch = service.post(method, args.through, out)
    except PostingError as exc:
        raise UsageError(f"post: {exc}") from None
    if batch is None:
        print(f"nothing to post: every event dated on or before {args.through} is posted")
        return 0
    print(f"posted batch {batch.number}: {batch.entries} entries through {batch.through} ({batch.method})")
    print(f"IIF file: {batch.file}")
    if first:
        _first_batch_note()
    return 0


def _first_batch_note() -> None:
    print("note: the first batch's !ACCNT rows create any account QuickBooks lacks (a misspelt config name becomes "
          "a new, wrong account); before importing it, run `recon-tui check-accounts --qb-lists FILE.iif`",
          file=sys.stderr)


def cmd_diagnose(args) -> int:
    from recon_tui.link import QBFigures
    from recon_tui.money import MoneyError, parse_cents
    from recon_tui.quickbooks.reports import QBReportError
    from recon_tui.reporting import render_diagnosis

    config = _config(args)
    service = _link(args, config)
    balance = None
    if args.qb_balance is not None:
        try:
            balance = parse_cents(args.qb_balance)
        except MoneyError as exc:
            raise UsageError(f"diagnose: --qb-balance: {exc}") from None
    if balance is None and args.qb_trial_balance is None and args.qb_detail is None:
        raise UsageError("diagnose: give the QuickBooks balance: --qb-balance, --qb-trial-balance or --qb-detail")
    for option, value in (("--qb-trial-balance", args.qb_trial_balance), ("--qb-detail", args.qb_detail)):
        if value is not None and not Path(value).is_file():
            raise UsageError(f"diagnose: {option} {value}: file not found")
    qb = QBFigures(balance, Path(args.qb_trial_balance) if args.qb_trial_balance else None,
                   Path(args.qb_detail) if args.qb_detail else None)
    try:
        diagnosis = service.diagnose(_method(args, config, service), args.current, qb)
    except QBReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    _print(render_diagnosis(diagnosis, args.format, config.studio_name, items=args.items))
    return 0


def cmd_export(args) -> int:
    config = _config(args)
    service = _link(args, config)
    method = args.method or config.accounting_method
    if args.output:
        target = Path(args.output)
        temp = target.with_name(target.name + ".partial")
        try:
            with temp.open("w", encoding="utf-8") as out:
                count = service.export_hledger(method, args.through, out)
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        print(f"{count} entries through {args.through} ({method}) written to {target}", file=sys.stderr)
    else:
        service.export_hledger(method, args.through, sys.stdout)
    return 0


def cmd_demo(args) -> int:
    from recon_tui import demo
    from recon_tui.store import open_store
    from recon_tui.store.importer import ImportFailed, import_dir

    config = _config(args)
    missing = [c for c in demo.REQUIRED_CATEGORIES if c not in config.category_accounts]
    if missing:
        raise ConfigError(f"{config.path}: income_categories: the demo studio needs the categories "
                          f"{', '.join(missing)}")
    path = _db_path(args, config)
    if path.exists() and not args.force:
        raise UsageError(f"demo: {path} already exists (pass --force to replace it)")
    studio = demo.build_demo(seed=args.seed, years=args.years, orders_per_year=args.orders_per_year,
                             end=args.end or demo.DEMO_END)
    with tempfile.TemporaryDirectory(prefix="recon-demo-") as scratch:
        target = Path(args.csv) if args.csv else Path(scratch)
        target.mkdir(parents=True, exist_ok=True)
        counts = demo.write_csv(studio, target)
        del studio  # the import reads the files back; free the records for it
        fresh = path.with_name(path.name + ".new")
        for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            leftover.unlink(missing_ok=True)
        db = open_store(fresh, create=True)
        try:
            with _progress() as progress:
                import_dir(db, target, config, progress=progress)
        except ImportFailed as failed:  # the generator broke a rule: a bug
            db.close()
            fresh.unlink(missing_ok=True)
            raise RuntimeError(f"demo data failed its own import: {failed.result.problems[0]}") from None
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        for old in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            old.unlink(missing_ok=True)
        os.replace(fresh, path)  # the old database stays whole until the new one is complete
    for name, count in counts.items():
        print(f"{name}: {count} rows")
    if args.csv:
        print(f"CSV files written to {args.csv}")
    print(f"demo studio written to {path}")
    return 0


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


COMMANDS = {"import": cmd_import, "report": cmd_report, "aging": cmd_aging, "deposits": cmd_deposits,
            "finalize": cmd_finalize, "history": cmd_history, "post": cmd_post, "diagnose": cmd_diagnose,
            "export": cmd_export, "demo": cmd_demo, "check-accounts": cmd_check_accounts}
