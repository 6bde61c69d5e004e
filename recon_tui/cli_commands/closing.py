"""Closing a period: ``finalize`` writes the numbered record, ``history`` lists, shows, verifies and
reopens the records."""

from __future__ import annotations

import sys
from pathlib import Path

from recon_tui.cli_arguments import UsageError
from recon_tui.cli_commands.common import EXIT_BROKEN, EXIT_INPUT, Target, fail, open_service, say
from recon_tui.model import Period


def cmd_finalize(args, target: Target) -> int:
    from recon_tui.money import MoneyError, parse_typed_cents
    from recon_tui.service import FinalizeRequest, QBFigures
    from recon_tui.service.errors import FinalizeError, PostingError, QBReportError

    config = target.config
    service = open_service(target, may="finalize")

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
    # the previous date first, then whether the period is covered: a finalize of this period by
    # another process in between is then said as "already finalized", not as a wrong --previous
    previous = service.previous_date()
    covered = service.already_finalized(args.current)
    if covered is not None:
        raise UsageError(f"finalize: {covered}")
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


def cmd_history(args, target: Target) -> int:
    from recon_tui.reporting import record_text, render_history
    from recon_tui.service.errors import FinalizeError

    config = target.config
    service = open_service(target, may="reopen" if args.reopen is not None else None)
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
        return fail(verdict.summary(), EXIT_BROKEN)
    records = service.history()
    if args.show is not None:
        match = [r for r in records if r.number == args.show]
        if not match:
            raise UsageError(f"history --show: there is no reconciliation #{args.show}")
        if args.write_printed:
            print(f"printed report written again: {service.write_printed(match[0])}")
            return 0
        say(record_text(match[0], config.studio_name))
        return 0
    if args.write_printed:
        raise UsageError("history --print: give the record with --show N")
    say(render_history(records, service.recheck(), args.format, config.studio_name))
    return 0
