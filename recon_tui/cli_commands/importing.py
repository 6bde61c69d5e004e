"""Records coming in: ``import`` (the order system's files) and ``demo`` (a made-up studio, written
as files and imported the same way)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from recon_tui.cli_arguments import UsageError
from recon_tui.cli_commands.common import EXIT_INPUT, Target, open_service
from recon_tui.config import ConfigError


def cmd_import(args, target: Target) -> int:
    from recon_tui.service.errors import ImportFailed

    directory = Path(args.directory)
    if not directory.is_dir():
        raise UsageError(f"import: {directory}: not a directory")
    profile = getattr(args, "profile", None)
    dry_run = getattr(args, "dry_run", False)
    try:
        with _progress() as progress:
            service = open_service(target, checked=False)
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
        print(f"dry run: nothing was written to {target.database}")
        return 0
    for item in result.files:
        name = f"{item.source} ({item.kind})" if item.source else item.filename
        print(f"{name}: {item.rows} rows ({item.new} new, {item.changed} changed, {item.unchanged} unchanged)")
    print(f"imported into {target.database}")
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


def cmd_demo(args, target: Target) -> int:
    from recon_tui import demo
    from recon_tui.service.errors import ImportFailed

    config = target.config
    missing = [c for c in demo.REQUIRED_CATEGORIES if c not in config.category_accounts]
    if missing:
        raise ConfigError(f"{config.path}: income_categories: the demo studio needs the categories "
                          f"{', '.join(missing)}")
    if args.profile_example and not args.csv:
        raise UsageError("demo: --profile-example needs --csv DIR (the folder for the exports)")
    path = target.database
    if path.exists() and not args.force:
        raise UsageError(f"demo: {path} already exists (pass --force to replace it)")
    end = args.end or demo.DEMO_END
    studio = demo.build_demo(seed=args.seed, years=args.years, orders_per_year=args.orders_per_year, end=end)
    with tempfile.TemporaryDirectory(prefix="recon-demo-") as scratch:
        folder = Path(args.csv) if args.csv and not args.profile_example else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        counts = demo.write_csv(studio, folder)
        if args.profile_example:  # issue 13: the order system's exports, for the example profile
            from recon_tui.demo_exports import write_exports
            counts = write_exports(studio, Path(args.csv), config.studio_name, printed=end)
        del studio  # the import reads the files back; free the records for it
        try:
            with _progress() as progress:
                open_service(target, checked=False).replace_with_import(folder, progress)
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
