"""What an import says back (DOMAIN §3, §12): per file the rows read and how many were new,
changed and unchanged; the warnings; and every problem as ``file:line: column: message``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file  # line 0: the whole file
        return f"{where}: {self.column}: {self.message}"


@dataclass
class FileResult:
    """One record kind's file. ``new + changed + unchanged == rows`` once the import succeeded;
    ``source`` is the studio system's own export it was read from (``Payment List.xlsx[Payments]``),
    "" for a plain §3 file."""

    filename: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    source: str = ""
    kind: str = ""


@dataclass
class ImportResult:
    files: list[FileResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportFailed(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__(f"{len(result.problems)} problem(s); nothing was imported")
        self.result = result


Progress = Callable[[str, int, int], None]  # (filename, done, total: bytes, or rows of a workbook)
