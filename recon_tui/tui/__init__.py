"""The terminal UI: the only package that imports textual."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from recon_tui.config import Config


def run(config: Config, db_path: Path | None = None, today: date | None = None) -> None:
    from recon_tui.tui.app import make_app

    make_app(config, Path(db_path or config.database), today or date.today()).run()
