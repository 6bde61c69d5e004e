"""The reports of a period or a date: ``report``, ``aging``, ``deposits``."""

from __future__ import annotations

from recon_tui.cli_commands.common import Target, open_service, say
from recon_tui.model import Period


def cmd_report(args, target: Target) -> int:
    from recon_tui.reporting import render_report

    config = target.config
    period = Period(args.previous, args.current)
    rec = open_service(target).reconcile(period, args.method or config.accounting_method)
    say(render_report(rec, args.format, config.studio_name))
    return 0


def cmd_aging(args, target: Target) -> int:
    from recon_tui.reporting import render_aging

    config = target.config
    say(render_aging(open_service(target).aging(args.as_of), args.format, config.studio_name))
    return 0


def cmd_deposits(args, target: Target) -> int:
    from recon_tui.reporting import render_deposits

    config = target.config
    say(render_deposits(open_service(target).deposit_reconciliation(args.as_of), args.format, config.studio_name))
    return 0
