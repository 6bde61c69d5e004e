"""The link to QuickBooks: ``check-accounts`` (the chart of accounts), ``post`` (IIF batches),
``diagnose`` (why the two differ) and ``export`` (the journal for the accountant)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from recon_tui.cli_arguments import UsageError
from recon_tui.cli_commands.common import EXIT_INPUT, Target, open_service, say
from recon_tui.config import Config


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


def cmd_check_accounts(args, target: Target) -> int:
    service = open_service(target, checked=False)  # the config alone: the database is never opened
    check = _check_accounts(service, args.qb_lists, "check-accounts")
    if args.format == "json":
        say(json.dumps(check.to_json(), indent=2))
        return 0 if check.ok else EXIT_INPUT
    if not check.file_problems:
        say(_account_table(check))
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


def cmd_post(args, target: Target) -> int:
    from recon_tui.money import format_cents
    from recon_tui.service.errors import PostingError

    config = target.config
    writes = args.reexport is not None or (args.through is not None and not args.dry_run)
    service = open_service(target, may="post" if writes else None)
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


def cmd_diagnose(args, target: Target) -> int:
    from recon_tui.money import MoneyError, parse_typed_cents
    from recon_tui.reporting import render_diagnosis
    from recon_tui.service import QBFigures
    from recon_tui.service.errors import QBReportError

    config = target.config
    service = open_service(target)
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
    say(render_diagnosis(diagnosis, args.format, config.studio_name, items=args.items))
    return 0


def cmd_export(args, target: Target) -> int:
    config = target.config
    service = open_service(target)
    method = args.method or config.accounting_method
    if args.output:
        target = Path(args.output)
        count = service.export_hledger_file(method, args.through, target)
        print(f"{count} entries through {args.through} ({method}) written to {target}", file=sys.stderr)
    else:
        service.export_hledger(method, args.through, sys.stdout)
    return 0
