"""Command line (DOMAIN §12): turns arguments (``cli_arguments.py``) into calls to the service, and
errors into exit codes.

Exit codes: 0 done; 1 the environment is wrong (config, database); 2 bad arguments, bad input
data, or not allowed by the config's ``access`` (nothing was written); 3 ``history --verify`` found
the hash chain broken; 70 an internal consistency check failed (a bug: please report it). A race
lost to another user is 2, in words.
Every failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from recon_tui.cli_arguments import UsageError, build_parser
from recon_tui.config import Config, ConfigError, find_config, load_config
from recon_tui.model import Period, PeriodError

EXIT_ENV, EXIT_INPUT, EXIT_BROKEN, EXIT_BUG = 1, 2, 3, 70
_DATABASE: list[str | None] = [None]  # the database the command works on, named in database errors
#: what textual-serve (``recon-tui serve``) sets TEXTUAL_DRIVER to for each browser tab's app: its stdin
#: and stdout are then the pipe to the browser, not a terminal
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def _negative_amounts(argv: list[str]) -> list[str]:
    """``--qb-balance -1,234.50`` as ``--qb-balance=-1,234.50``: argparse takes only plain negative
    numbers for values, and would read a grouped or $ amount as an unknown option."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] == "--qb-balance" and arg[:1] == "-" and arg[1:2] in set("0123456789$.("):
            out[-1] = f"--qb-balance={arg}"
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(_negative_amounts(sys.argv[1:] if argv is None else argv))
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
    from recon_tui.service.errors import NotAllowed, StoreError, UnknownCategoryError, describe_sqlite_error, is_a_bug

    if isinstance(exc, NotAllowed):  # the config's access list (DOMAIN §10): nothing was written
        return _fail(str(exc), EXIT_INPUT)
    if isinstance(exc, StoreError):
        return _fail(str(exc), EXIT_ENV)
    if isinstance(exc, UnknownCategoryError):
        return _fail(str(exc), EXIT_ENV)
    if is_a_bug(exc):
        return _fail(f"internal check failed (a bug, please report it): {exc}", EXIT_BUG)
    if isinstance(exc, OSError):
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), EXIT_ENV)
    from recon_tui.service.errors import RecordRefused
    if isinstance(exc, RecordRefused):  # a trigger said no: a write that would change what is never changed
        return _fail(f"{_DATABASE[0] or 'database'}: refused: {exc}; nothing was written", EXIT_INPUT)
    import sqlite3
    if isinstance(exc, sqlite3.Error):
        return _fail(f"{_DATABASE[0] or 'database'}: {describe_sqlite_error(exc)}", EXIT_ENV)
    return _fail(f"unexpected error (a bug, please report it): {type(exc).__name__}: {exc}", EXIT_BUG)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _config(args) -> Config:
    return load_config(find_config(args.config))


def _db_path(args, config: Config) -> Path:
    return Path(args.db) if args.db else config.database


def _service(args, config: Config, *, checked: bool = True, may: str | None = None):
    """The studio's books for this command; ``checked``: the database is opened (and migrated) first,
    so a bad one is a one-line error; ``may``: the user must be allowed that action (config ``access``),
    checked before anything else (NotAllowed: exit 2, nothing written)."""
    from recon_tui.service import ReconService

    _DATABASE[0] = str(_db_path(args, config))
    service = ReconService(config, _db_path(args, config), date.today())
    if may is not None:
        service.require(may)
    if checked:
        service.check()
    return service


# -- commands ---------------------------------------------------------------------------------------

def cmd_app(args) -> int:
    """The terminal UI on the studio's database (checked first, so a bad one is a one-line error)."""
    config = _config(args)
    _service(args, config)
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and os.environ.get("TEXTUAL_DRIVER") != WEB_DRIVER:
        raise UsageError("recon-tui: the app needs a terminal (for scripts use the commands: see --help)")
    from recon_tui.tui import run

    run(config, _db_path(args, config))
    return 0


def cmd_import(args) -> int:
    from recon_tui.service.errors import ImportFailed

    config = _config(args)
    directory = Path(args.directory)
    if not directory.is_dir():
        raise UsageError(f"import: {directory}: not a directory")
    profile = getattr(args, "profile", None)
    dry_run = getattr(args, "dry_run", False)
    try:
        with _progress() as progress:
            service = _service(args, config, checked=False)
            if dry_run:
                result, changed = service.import_preview(directory, profile, progress)
            else:
                result, changed = service.import_checked(directory, progress, profile)
    except ImportFailed as failed:
        for warning in failed.result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for problem in failed.result.problems:
            print(problem, file=sys.stderr)
        print(f"error: {len(failed.result.problems)} problem(s) found; nothing was imported", file=sys.stderr)
        return EXIT_INPUT
    for warning in result.warnings + changed:
        print(f"warning: {warning}", file=sys.stderr)
    if dry_run:
        from tabulate import tabulate

        rows = [[item.source or item.filename, item.kind, item.new, item.changed, item.unchanged] for item in result.files]
        print(tabulate(rows, headers=["file", "kind", "new", "changed", "unchanged"], tablefmt="simple"))
        print("finalized periods it would change: " + ("; ".join(f"#{n}" for n in _drift_numbers(changed)) or "none"))
        print(f"dry run: nothing was written to {_db_path(args, config)}")
        return 0
    for item in result.files:
        name = f"{item.source} ({item.kind})" if item.source else item.filename
        print(f"{name}: {item.rows} rows ({item.new} new, {item.changed} changed, {item.unchanged} unchanged)")
    print(f"imported into {_db_path(args, config)}")
    return 0


def _drift_numbers(warnings: list[str]) -> list[str]:
    """The record numbers the drift warnings name ("... finalized reconciliation #3: ...")."""
    import re

    return [m.group(1) for w in warnings if (m := re.search(r"reconciliation #(\d+)", w))]


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
    from recon_tui.reporting import render_report

    config = _config(args)
    period = Period(args.previous, args.current)
    rec = _service(args, config).reconcile(period, args.method or config.accounting_method)
    _print(render_report(rec, args.format, config.studio_name))
    return 0


def cmd_aging(args) -> int:
    from recon_tui.reporting import render_aging

    config = _config(args)
    _print(render_aging(_service(args, config).aging(args.as_of), args.format, config.studio_name))
    return 0


def cmd_deposits(args) -> int:
    from recon_tui.reporting import render_deposits

    config = _config(args)
    _print(render_deposits(_service(args, config).deposit_reconciliation(args.as_of), args.format,
                           config.studio_name))
    return 0


def cmd_finalize(args) -> int:
    from recon_tui.money import MoneyError, parse_typed_cents
    from recon_tui.service import FinalizeRequest, QBFigures
    from recon_tui.service.errors import FinalizeError, PostingError, QBReportError

    config = _config(args)
    service = _service(args, config, may="finalize")

    def cents(option: str, text: str) -> int:
        try:
            return parse_typed_cents(text)
        except MoneyError as exc:
            raise UsageError(f"finalize: {option}: {exc}") from None

    counted: dict[str, int] = {}
    for method, amount in args.count:
        if method in counted:
            raise UsageError(f"finalize: --count {method} given twice")
        counted[method] = cents(f"--count {method}", amount)
    covered = service.already_finalized(args.current)
    if covered is not None:
        raise UsageError(f"finalize: {covered}")
    previous = service.previous_date()
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
        if not Path(args.qb_detail).is_file():
            raise UsageError(f"finalize: --qb-detail {args.qb_detail}: file not found")
        try:
            diagnosis = service.diagnose(method, period.current,
                                         QBFigures(qb_balance, detail=Path(args.qb_detail))).to_json()
        except (QBReportError, PostingError) as exc:
            raise UsageError(f"finalize: {exc}") from None
    request = FinalizeRequest(
        method=method, period=period, counted=counted, count_notes=dict(args.count_note), qb_balance=qb_balance,
        qb_note=args.qb_note, notes=args.notes, diagnosis=diagnosis)
    try:
        record, printed = service.finalize(request)
    except FinalizeError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print("error: nothing was finalized", file=sys.stderr)
        return EXIT_INPUT
    print(f"finalized reconciliation #{record.number} ({record.method}, after {record.previous_on} "
          f"through {record.current_on})")
    print(f"printed report: {printed}")
    return 0


def cmd_history(args) -> int:
    from recon_tui.reporting import record_text, render_history
    from recon_tui.service.errors import FinalizeError

    config = _config(args)
    service = _service(args, config, may="reopen" if args.reopen is not None else None)
    if args.reopen is not None:
        try:
            record = service.reopen(args.reopen, args.reason)
        except FinalizeError as exc:
            raise UsageError(f"history --reopen: {exc}") from None
        start = service.previous_date()
        follows = (f"the next reconciliation starts after {start}" if start else
                   "no reconciliation is in force: the next one's previous date is entered")
        print(f"reopened reconciliation #{record.number} (after {record.previous_on} through {record.current_on}); "
              f"{follows}")
        return 0
    if args.verify:
        verdict = service.verify_chain()
        if verdict.intact:
            print(verdict.summary())
            return 0
        return _fail(verdict.summary(), EXIT_BROKEN)
    records = service.history()
    if args.show is not None:
        match = [r for r in records if r.number == args.show]
        if not match:
            raise UsageError(f"history --show: there is no reconciliation #{args.show}")
        if args.write_printed:
            print(f"printed report written again: {service.write_printed(match[0])}")
            return 0
        _print(record_text(match[0], config.studio_name))
        return 0
    if args.write_printed:
        raise UsageError("history --print: give the record with --show N")
    _print(render_history(records, service.recheck(), args.format, config.studio_name))
    return 0


def _check_accounts(service, path: str, command: str):
    """The AccountCheck of QuickBooks' list export at ``path``; a file it cannot read is bad input."""
    from recon_tui.service.errors import IIFError

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
    config = _config(args)  # the config alone: the database is never opened
    check = _check_accounts(_service(args, config, checked=False), args.qb_lists, "check-accounts")
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
    from recon_tui.service.errors import PostingError

    config = _config(args)
    writes = args.reexport is not None or (args.through is not None and not args.dry_run)
    service = _service(args, config, may="post" if writes else None)
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
    from recon_tui.money import MoneyError, parse_typed_cents
    from recon_tui.reporting import render_diagnosis
    from recon_tui.service import QBFigures
    from recon_tui.service.errors import QBReportError

    config = _config(args)
    service = _service(args, config)
    balance = None
    if args.qb_balance is not None:
        try:
            balance = parse_typed_cents(args.qb_balance)
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
    service = _service(args, config)
    method = args.method or config.accounting_method
    if args.output:
        target = Path(args.output)
        count = service.export_hledger_file(method, args.through, target)
        print(f"{count} entries through {args.through} ({method}) written to {target}", file=sys.stderr)
    else:
        service.export_hledger(method, args.through, sys.stdout)
    return 0


def cmd_demo(args) -> int:
    from recon_tui import demo
    from recon_tui.service.errors import ImportFailed

    config = _config(args)
    missing = [c for c in demo.REQUIRED_CATEGORIES if c not in config.category_accounts]
    if missing:
        raise ConfigError(f"{config.path}: income_categories: the demo studio needs the categories "
                          f"{', '.join(missing)}")
    if args.profile_example and not args.csv:
        raise UsageError("demo: --profile-example needs --csv DIR (the folder for the exports)")
    path = _db_path(args, config)
    if path.exists() and not args.force:
        raise UsageError(f"demo: {path} already exists (pass --force to replace it)")
    end = args.end or demo.DEMO_END
    studio = demo.build_demo(seed=args.seed, years=args.years, orders_per_year=args.orders_per_year, end=end)
    with tempfile.TemporaryDirectory(prefix="recon-demo-") as scratch:
        target = Path(args.csv) if args.csv and not args.profile_example else Path(scratch)
        target.mkdir(parents=True, exist_ok=True)
        counts = demo.write_csv(studio, target)
        if args.profile_example:  # issue 13: the order system's exports, for the example profile
            from recon_tui.demo_exports import write_exports
            counts = write_exports(studio, Path(args.csv), config.studio_name, printed=end)
        del studio  # the import reads the files back; free the records for it
        try:
            with _progress() as progress:
                _service(args, config, checked=False).replace_with_import(target, progress)
        except ImportFailed as failed:  # the generator broke a rule: a bug
            raise RuntimeError(f"demo data failed its own import: {failed.result.problems[0]}") from None
    for name, count in counts.items():
        print(f"{name}: {count} rows")
    if args.profile_example:
        print(f"order system exports written to {args.csv} (read them with: recon-tui import {args.csv} "
              "--profile oms, after uncommenting the example profile in config/recon.yaml)")
    elif args.csv:
        print(f"CSV files written to {args.csv}")
    print(f"demo studio written to {path}")
    return 0


def cmd_backup(args) -> int:
    from recon_tui.service import backups

    config = _config(args)
    service = _service(args, config)
    if not args.list:
        path = backups.make(service.books, "manual")
        print(f"backed up to {path}")
        return 0
    found = backups.list_backups(service.books)
    if not found:
        print(f"no backups yet in {backups.folder(service.books)}")
        return 0
    rows = [("File", "When (UTC)", "Before", "Size", "Records", "Batches")]
    rows += [(b.path.name, b.taken.strftime("%Y-%m-%d %H:%M:%S"), b.why, _size(b.size),
              "?" if b.records is None else str(b.records), "?" if b.batches is None else str(b.batches))
             for b in found]
    widths = [max(len(row[at]) for row in rows) for at in range(len(rows[0]))]
    right = {3, 4, 5}
    lines = ["  ".join(cell.rjust(w) if at in right else cell.ljust(w) for at, (cell, w) in enumerate(zip(row, widths)))
             .rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    _print("\n".join(lines))
    return 0


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def cmd_restore(args) -> int:
    from recon_tui.service import backups

    config = _config(args)
    service = _service(args, config, checked=False)  # a damaged database is what a restore is for
    try:
        done = backups.restore(service.books, args.file, force=args.force)
    except backups.RestoreRefused as exc:
        raise UsageError(f"restore: {exc}") from None
    if done.lost:
        print(f"warning: restored without {' and '.join(done.lost)} (--force)", file=sys.stderr)
    print(f"restored {done.source} into {_db_path(args, config)}")
    if done.undo is not None:
        print(f"the database as it was: {done.undo} (`recon-tui restore {done.undo.name}` undoes this)")
    return 0


def cmd_serve(args) -> int:
    """The app in a web browser (DOMAIN §15): textual-serve runs this same program once per tab."""
    from recon_tui.serve import TOKEN_ENV, StudioServer, app_command, is_loopback

    config = _config(args)
    _service(args, config)  # a bad database is one line now, not a broken page in every tab
    from_env = os.environ.pop(TOKEN_ENV, "")  # the tabs' app processes need not see it
    if from_env and len(from_env) < 16:
        raise UsageError(f"serve: ${TOKEN_ENV} must be at least 16 characters (a long random string)")
    token = from_env or config.serve_token
    if token is None and not is_loopback(args.host):
        raise UsageError(f"serve: --host {args.host} is reachable from other machines: set serve.token in "
                         f"{config.path} or ${TOKEN_ENV} first (or keep 127.0.0.1 and use an SSH tunnel)")
    command = app_command(_db_path(args, config), Path(config.path))
    server = StudioServer(command, host=args.host, port=args.port, token=token,
                          title=f"recon-tui: {config.studio_name}")
    try:
        server.serve()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        return _fail(f"serve: cannot listen on {args.host} port {args.port}: {reason}", EXIT_ENV)
    return 0


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


COMMANDS = {"import": cmd_import, "report": cmd_report, "aging": cmd_aging, "deposits": cmd_deposits,
            "finalize": cmd_finalize, "history": cmd_history, "post": cmd_post, "diagnose": cmd_diagnose,
            "export": cmd_export, "demo": cmd_demo, "check-accounts": cmd_check_accounts,
            "backup": cmd_backup, "restore": cmd_restore, "serve": cmd_serve}
