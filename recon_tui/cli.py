"""Command line (DOMAIN §12): turns arguments (``cli_arguments.py``) into calls to the commands
(``cli_commands/``), and errors into exit codes.

Exit codes: 0 done; 1 the environment is wrong (config, database); 2 bad arguments, bad input
data, or not allowed by the config's ``access`` (nothing was written); 3 ``history --verify`` found
the hash chain broken; 70 an internal consistency check failed (a bug: please report it). A race
lost to another user is 2, in words.
Every failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from recon_tui.cli_arguments import UsageError, build_parser
from recon_tui.cli_commands.app import WEB_DRIVER, cmd_app, cmd_serve
from recon_tui.cli_commands.backups import cmd_backup, cmd_restore
from recon_tui.cli_commands.closing import cmd_finalize, cmd_history
from recon_tui.cli_commands.common import EXIT_BUG, EXIT_ENV, EXIT_INPUT, Target, fail
from recon_tui.cli_commands.importing import cmd_demo, cmd_import
from recon_tui.cli_commands.quickbooks import cmd_check_accounts, cmd_diagnose, cmd_export, cmd_post
from recon_tui.cli_commands.reports import cmd_aging, cmd_deposits, cmd_report
from recon_tui.config import ConfigError
from recon_tui.model import PeriodError

__all__ = ["COMMANDS", "WEB_DRIVER", "main"]

COMMANDS = {"import": cmd_import, "report": cmd_report, "aging": cmd_aging, "deposits": cmd_deposits,
            "finalize": cmd_finalize, "history": cmd_history, "post": cmd_post, "diagnose": cmd_diagnose,
            "export": cmd_export, "demo": cmd_demo, "check-accounts": cmd_check_accounts,
            "backup": cmd_backup, "restore": cmd_restore, "serve": cmd_serve}


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
    database: Path | None = None  # the database the command works on, once known: named in its errors
    try:
        args = parser.parse_args(_negative_amounts(sys.argv[1:] if argv is None else argv))
        target = Target.of(args)
        database = target.database
        if args.command is None:
            return cmd_app(args, target)
        return COMMANDS[args.command](args, target)
    except UsageError as exc:
        return fail(str(exc), EXIT_INPUT)
    except (ConfigError, PeriodError) as exc:
        return fail(str(exc), EXIT_INPUT if isinstance(exc, PeriodError) else EXIT_ENV)
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # `| head` is not an error
        return 0
    except Exception as exc:  # the last line of defence: one line, never a traceback
        return _handle(exc, database)


def _handle(exc: Exception, database: Path | None) -> int:
    from recon_tui.service.errors import NotAllowed, StoreError, UnknownCategoryError, describe_sqlite_error, is_a_bug

    if isinstance(exc, NotAllowed):  # the config's access list (DOMAIN §10): nothing was written
        return fail(str(exc), EXIT_INPUT)
    if isinstance(exc, StoreError):
        return fail(str(exc), EXIT_ENV)
    if isinstance(exc, UnknownCategoryError):
        return fail(str(exc), EXIT_ENV)
    if is_a_bug(exc):
        return fail(f"internal check failed (a bug, please report it): {exc}", EXIT_BUG)
    if isinstance(exc, OSError):
        return fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), EXIT_ENV)
    from recon_tui.service.errors import RecordRefused
    if isinstance(exc, RecordRefused):  # a trigger said no: a write that would change what is never changed
        return fail(f"{database or 'database'}: refused: {exc}; nothing was written", EXIT_INPUT)
    import sqlite3
    if isinstance(exc, sqlite3.Error):
        return fail(f"{database or 'database'}: {describe_sqlite_error(exc)}", EXIT_ENV)
    return fail(f"unexpected error (a bug, please report it): {type(exc).__name__}: {exc}", EXIT_BUG)
