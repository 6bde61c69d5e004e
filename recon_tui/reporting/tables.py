"""The plain tables every printed report is made of (tabulate), and csv rows."""

from __future__ import annotations

import csv
import io

from tabulate import tabulate


def table(studio: str, title: str, headers: list[str], rows: list[list], fmt: str, text_columns: int) -> str:
    style = "github" if fmt == "markdown" else "simple"
    heading = f"# {studio}: {title}\n" if fmt == "markdown" else f"{studio}: {title}\n"
    return heading + "\n" + tabulate(rows, headers=headers, tablefmt=style, colalign=align(headers, text_columns),
                                     disable_numparse=True, preserve_whitespace=True) + "\n"


def align(headers: list[str], text_columns: int = 1) -> list[str]:
    """The first ``text_columns`` columns are text (left), the rest money (right)."""
    return ["left" if i < text_columns else "right" for i in range(len(headers))]


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
