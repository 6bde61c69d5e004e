"""What every command shares: the config and database it works on (``Target``), the exit codes,
and one-line errors and whole-text output."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from recon_tui.config import Config, find_config, load_config

EXIT_ENV, EXIT_INPUT, EXIT_BROKEN, EXIT_BUG = 1, 2, 3, 70


@dataclass(frozen=True)
class Target:
    """The config a command reads and the database it works on: ``--db``, else the config's
    ``database``. Worked out once, before the command runs, and passed along."""

    config: Config
    database: Path

    @classmethod
    def of(cls, args) -> Target:
        config = load_config(find_config(args.config))
        return cls(config, Path(args.db) if args.db else config.database)


def open_service(target: Target, *, checked: bool = True, may: str | None = None):
    """The studio's books for this command; ``checked``: the database is opened (and migrated) first,
    so a bad one is a one-line error; ``may``: the user must be allowed that action (config ``access``),
    checked before anything else (NotAllowed: exit 2, nothing written)."""
    from recon_tui.service import ReconService

    service = ReconService(target.config, target.database, date.today())
    if may is not None:
        service.require(may)
    if checked:
        service.check()
    return service


def fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def say(text: str) -> None:
    """A whole text (a report, a table) on stdout, ending in one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
