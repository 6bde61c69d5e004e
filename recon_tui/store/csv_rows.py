"""Reading a CSV file record by record with the physical line each record is on, and the plain §3
import file (DOMAIN §3) as a source of rows for the importer.

The importer consumes *sources*: a file as messages name it, the header text of each §3 column,
and rows of §3 text with their line numbers. :class:`PlainFile` is a §3 CSV file; the studio
system's own exports read through an import profile are ``exports.ProfileFile``.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

#: what an undecodable byte becomes when read with errors="surrogateescape"
_UNDECODED = re.compile("[\udc80-\udcff]")
#: the csv dialect of every reading: a space after a comma may come before an opening quote
_CSV = {"skipinitialspace": True}

#: (physical line, fields, trouble): trouble is None, or (index of the field, message) for a line
#: that cannot be read as a record of its own
Record = tuple[int, list[str], "tuple[int, str] | None"]


class _Counting:
    """A text file wrapper that counts the characters handed to the csv reader (for progress)."""

    def __init__(self, handle, report: Callable[[int], None]) -> None:
        self.handle, self.report, self.done, self.since = handle, report, 0, 0

    def __iter__(self) -> Iterator[str]:
        for line in self.handle:
            self.done += len(line)
            self.since += 1
            if self.since >= 5000:
                self.report(self.done)
                self.since = 0
            yield line


def records(path: Path, report: Callable[[int], None] | None) -> Iterator[Record]:
    """Each record of a CSV file (UTF-8, with or without a BOM) with the physical line it is on.

    No value of the import format may hold a line break, so a record is one line; the csv module is
    left to read the whole file (fast), and only once it stumbles (a quoted value running over a
    line break, a field past its size limit, bytes that are not UTF-8) is the rest of the file read
    line by line, so each problem is told at the line it starts on.
    """
    line = 0
    with path.open(newline="", encoding="utf-8-sig") as handle:
        lines = _Counting(handle, report) if report else handle
        if not _ends_with_line_break(path):  # give the last line one: a quote it leaves open then shows
            lines = itertools.chain(lines, ("\n",))
        reader = csv.reader(lines, **_CSV)
        try:
            for row in reader:
                line += 1
                if reader.line_num != line:  # this record ran on past its line
                    line -= 1
                    break
                yield line, row, None
            else:
                return
        except (csv.Error, UnicodeDecodeError):
            pass  # the record after ``line`` could not be read
    yield from _records_line_by_line(path, line + 1)


def _records_line_by_line(path: Path, start: int) -> Iterator[Record]:
    """The records from line ``start`` on, each line read on its own (the slow and careful reading)."""
    limit = csv.field_size_limit()
    with path.open(newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        for line, text in enumerate(itertools.islice(handle, start - 1, None), start):
            if not text.endswith(("\n", "\r")):
                text += "\n"  # the last line: a quote left open now shows as a line break in its field
            if not text.isascii() and (bad := _UNDECODED.search(text)):
                row = _split(text[:min(bad.start(), limit - 1)] + "?")  # the fields up to the bad byte
                yield line, row, (len(row) - 1, f"not UTF-8 text (byte 0x{ord(bad.group()) - 0xDC00:02X} at "
                                                f"character {bad.start() + 1} of the line); save the file as UTF-8")
                continue
            try:
                row = _split(text)
            except csv.Error:  # a field longer than the limit
                row = _split(text[:limit - 1])
                yield line, row[:-1], (len(row) - 1, f"a value longer than {limit:,} characters; is this the "
                                                     f"right file?")
                continue
            if row and ("\n" in row[-1] or "\r" in row[-1]):
                yield line, row, (len(row) - 1, 'a quoted field starting here never ends on this line (a stray " ?)')
                continue
            yield line, row, None


def _ends_with_line_break(path: Path) -> bool:
    with path.open("rb") as raw:
        if raw.seek(0, 2) == 0:
            return True  # empty
        raw.seek(-1, 2)
        return raw.read(1) in (b"\n", b"\r")


def _split(text: str) -> list[str]:
    return next(csv.reader((text,), **_CSV), [])


class PlainFile:
    """A §3 import file (``payments.csv``): its header names the §3 columns themselves.

    ``rows(spec, sink)`` yields (line, raw values in ``spec.names`` order; "" for an absent optional
    column), trimmed; what cannot be a row is told to ``sink`` (``problem``, ``reject``, ``broken``,
    ``warn``, ``absent``, ``report``), the importer's side of the reading.
    """

    source = ""  # the FileResult's original file: none but the §3 file itself

    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = str(path)

    @staticmethod
    def header(column: str) -> str:
        return column

    def rows(self, spec, sink) -> Iterator[tuple[int, list[str]]]:
        total = self.path.stat().st_size
        report = (lambda done: sink.report(done, total)) if sink.report else None
        header: list[str] | None = None
        width, positions, padded = 0, [], False  # set from the header
        for line, row, trouble in records(self.path, report):
            if trouble is not None:  # a line the csv module could not split (reported here)
                index, message = trouble
                if header is None:
                    sink.problem(line, "(header)", message)
                    sink.broken()
                    return
                sink.problem(line, header[index] if index < width else "(row)", message)
                sink.reject({n: row[i].strip() for n, i in zip(spec.names, positions) if i < len(row)})
                continue
            if header is None:
                header = [h.strip() for h in row]
                for dup in sorted({h for h in header if header.count(h) > 1}):
                    sink.problem(1, dup, "column appears twice in the header")
                missing = [c.name for c in spec.columns if c.required and c.name not in header]
                for name in missing:
                    sink.problem(1, name, "required column is missing from the header")
                if missing:
                    sink.broken()
                    return
                for extra in header:
                    if extra not in spec.names:
                        sink.warn(f"{self.label}: column {extra!r} ignored (not part of the import format)")
                width = len(header)
                positions = [header.index(name) if name in header else width for name in spec.names]
                absent = tuple(n for n, i in zip(spec.names, positions) if i == width)
                sink.absent(absent)
                padded = bool(absent)  # absent columns read the "" appended to each row
                continue
            if len(row) != width:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                sink.problem(line, "(row)", f"has {len(row)} fields but the header has {width}")
                sink.reject({n: row[i].strip() for n, i in zip(spec.names, positions) if i < len(row)})
                continue
            if padded:
                row.append("")
            yield line, [row[i].strip() for i in positions]
        if header is None:
            sink.problem(1, "(header)", "empty file: a header row is required")
            sink.broken()
            return
        if report:
            report(total)
