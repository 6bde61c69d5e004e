"""The database's copies: ``backup`` (a copy now, or the list) and ``restore``."""

from __future__ import annotations

import sys

from recon_tui.cli_commands.common import Target, open_service, say
from recon_tui.cli_arguments import UsageError


def cmd_backup(args, target: Target) -> int:
    from recon_tui.service import backups

    service = open_service(target)
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
    say("\n".join(lines))
    return 0


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def cmd_restore(args, target: Target) -> int:
    from recon_tui.service import backups

    service = open_service(target, checked=False)  # a damaged database is what a restore is for
    try:
        done = backups.restore(service.books, args.file, force=args.force)
    except backups.RestoreRefused as exc:
        raise UsageError(f"restore: {exc}") from None
    if done.lost:
        print(f"warning: restored without {' and '.join(done.lost)} (--force)", file=sys.stderr)
    print(f"restored {done.source} into {target.database}")
    if done.undo is not None:
        print(f"the database as it was: {done.undo} (`recon-tui restore {done.undo.name}` undoes this)")
    return 0
