"""The studio system's own exports read through an import profile (DOMAIN §14).

Each record kind's file is found in the folder by the profile's glob; its header row is found by
the export's own column names among the report's title rows; every other row becomes the §3 text
the plain import format would hold (dates ``YYYY-MM-DD``, amounts ``-1234.50``, values mapped), so
the importer checks it by the very same §3 rules. A problem names the original file (with
``[Sheet]`` for a workbook), its physical row and the export's own header text.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from recon_tui.import_profiles import AMOUNT_COLUMNS, COLUMNS, DATE_COLUMNS, AmountStyle, FileMap, ImportProfile
from recon_tui.store.csv_rows import records
from recon_tui.store.import_result import Problem
from recon_tui.store.workbooks import Sheet, WorkbookError, column_letters

EXTENSIONS = (".csv", ".xlsx", ".xls")
_HEADER_SEARCH = 100  # rows searched for the header row
_CENT = Decimal("0.01")


def find_exports(directory: Path, profile: ImportProfile) -> tuple[dict[str, ProfileFile], list[Problem]]:
    """kind -> its export in ``directory`` (a kind whose glob matches no file is left out), and the
    problems finding them (two files matching one glob, a workbook that cannot be opened)."""
    names = sorted(p.name for p in directory.iterdir() if p.is_file() and p.suffix.casefold() in EXTENSIONS)
    found, problems = {}, []
    for file_map in profile.files:
        matches = [n for n in names if fnmatch.fnmatchcase(n.casefold(), file_map.match.casefold())]
        if len(matches) > 1:
            problems.append(Problem(str(directory), 0, "(files)", f"{file_map.kind}: {len(matches)} files match "
                                    f"{file_map.match!r}: {', '.join(map(repr, matches))}; keep one in the folder"))
            continue
        if not matches:
            continue
        path = directory / matches[0]
        try:
            found[file_map.kind] = ProfileFile(path, file_map, profile)
        except WorkbookError as exc:
            label = str(path) if file_map.sheet is None else f"{path}[{file_map.sheet}]"
            problems.append(Problem(label, 0, "(file)", str(exc)))
    if not found and not problems:
        globs = ", ".join(f"{f.kind}: {f.match!r}" for f in profile.files)
        problems.append(Problem(str(directory), 0, "(files)", f"no file matches import profile {profile.name!r} "
                                f"({globs}; .csv, .xlsx or .xls)"))
    return found, problems


class ProfileFile:
    """One export read through its profile entry: a source of §3 rows for the importer (see
    ``csv_rows.PlainFile`` for the protocol)."""

    def __init__(self, path: Path, file_map: FileMap, profile: ImportProfile) -> None:
        self.path, self.map, self.profile = path, file_map, profile
        self.sheet = Sheet(path, file_map.sheet) if path.suffix.casefold() != ".csv" else None
        self.source = path.name if self.sheet is None else f"{path.name}[{self.sheet.name}]"
        self.label = str(path) if self.sheet is None else f"{path}[{self.sheet.name}]"
        self.headers = dict(file_map.columns)

    def header(self, column: str) -> str:
        return self.headers.get(column, column)

    # -- the rows, as read --------------------------------------------------------------------------
    def _raw(self, sink) -> Iterator[tuple[int, list, tuple[int, str] | None]]:
        if self.sheet is None:
            total = self.path.stat().st_size
            yield from records(self.path, (lambda done: sink.report(done, total)) if sink.report else None)
            return
        total = self.sheet.height
        for number, row in enumerate(self.sheet.rows(), 1):
            if sink.report and number % 5000 == 0:
                sink.report(number, total)
            yield number, row, None

    def rows(self, spec, sink) -> Iterator[tuple[int, list[str]]]:
        raw = self._raw(sink)
        found = self._find_header(raw, sink)
        if found is None:
            sink.broken()
            return
        header_line, header = found
        width = len(header)
        folded = [_text(cell).strip().casefold() for cell in header]
        positions = [folded.index(self.headers[n].strip().casefold()) if n in self.headers
                     and self.headers[n].strip().casefold() in folded else width for n in spec.names]
        for name, at in zip(spec.names, positions):
            if name in self.headers and folded.count(folded[at] if at < width else None) > 1:
                sink.problem(header_line, name, "column appears twice in the header row")
                sink.broken()
                return
        absent = tuple(n for n, at in zip(spec.names, positions) if at == width)
        for name in absent:
            if name in self.headers:
                sink.warn(f"{self.label}: column {self.headers[name]!r} ({name}) is not in the header row "
                          f"(line {header_line}); records already imported keep their {name}")
        sink.absent(absent)
        skips = []
        for text, prefix in self.map.skip_rows_where:
            if text.strip().casefold() not in folded:
                sink.problem(header_line, text, "skip_rows_where names this column, but the header row lacks it")
                sink.broken()
                return
            skips.append((folded.index(text.strip().casefold()), prefix.strip().casefold()))
        merged = self._merged_rows(header_line, {at: n for n, at in zip(spec.names, positions) if at < width})
        if header_line in merged:
            name, where = merged[header_line][1]
            sink.problem(header_line, name, f"merged cells {where} in the header row; unmerge them")
            sink.broken()
            return
        errors = self.sheet.errors() if self.sheet is not None else {}
        kinds = [_cell_kind(c.name, c.kind) for c in spec.columns]
        pairs = [(self._converter(name, kind), at) for name, kind, at in zip(spec.names, kinds, positions)]
        for line, row, trouble in raw:
            if trouble is not None:
                index, message = trouble
                sink.problem(line, self._name_at(spec, positions, index), message)
                sink.reject({})
                continue
            if not any(row) or not _holds_text(row[positions[0]] if positions[0] < len(row) else ""):
                if all(_empty(cell) for cell in row) and not any((line - 1, at) in errors for at in positions):
                    continue  # an empty row (the first test is the fast one: cells all "")
            if skips and any(at < len(row) and _text(row[at]).strip().casefold().startswith(prefix)
                             for at, prefix in skips):
                continue
            if merged and line in merged:
                first, (name, where) = merged[line]
                if first:
                    sink.problem(line, name, f"merged cells {where}; unmerge them (every record needs its own cells)")
                sink.reject({})
                continue
            if len(row) != width:
                row = (row + [""] * width)[:width]
            row.append("")  # what an absent optional column reads
            try:  # the fast path: every cell converts
                values = [convert(row[at]) for convert, at in pairs]
                if not errors or not any((line - 1, at) in errors for at in positions):
                    yield line, values
                    continue
            except ValueError:
                pass
            values = []  # a bad row: report every problem
            for name, (convert, at) in zip(spec.names, pairs):
                try:
                    if (line - 1, at) in errors:
                        raise ValueError(f"the cell holds a formula error ({errors[(line - 1, at)]}), not a value")
                    values.append(convert(row[at]))
                except ValueError as exc:
                    sink.problem(line, name, str(exc))
                    values.append("")
            sink.reject(dict(zip(spec.names, values)))
        if sink.report:
            sink.report(1, 1)

    def _find_header(self, raw, sink) -> tuple[int, list] | None:
        """The first row holding every required column's header text (trimmed, any case)."""
        wanted = {self.headers[c].strip().casefold(): c for c in self.headers}
        required = {h for h, c in wanted.items() if not _optional(self.map.kind, c)}
        best: tuple[int, set] | None = None
        for line, row, trouble in raw:
            if trouble is not None:
                sink.problem(line, "(header)", trouble[1])
                return None
            cells = {_text(cell).strip().casefold() for cell in row}
            if required <= cells:
                return line, row
            have = required & cells
            if have and (best is None or len(have) > len(best[1])):
                best = (line, have)
            if line >= _HEADER_SEARCH:
                break
        names = ", ".join(repr(self.headers[wanted[h]]) for h in sorted(required, key=list(wanted).index))
        if best is None:
            sink.problem(0, "(header)", f"no header row found: no row among the first {_HEADER_SEARCH} holds "
                         f"{names} (the profile's column names); is this the right file?")
        else:
            missing = ", ".join(repr(self.headers[wanted[h]]) for h in wanted if h in required - best[1])
            sink.problem(best[0], "(header)", f"the header row lacks {missing} (the profile names {names})")
        return None

    def _merged_rows(self, header_line: int, named: dict[int, str]) -> dict[int, tuple[bool, tuple[str, str]]]:
        """line -> (whether it is the range's first line below the header, (column, range)) for the
        merged ranges over mapped cells from the header row down; ``named``: position -> §3 column."""
        if self.sheet is None:
            return {}
        rows: dict[int, tuple[bool, tuple[str, str]]] = {}
        for (top, left), (bottom, right) in self.sheet.merged():
            columns = [at for at in sorted(named) if left <= at <= right]
            if bottom + 1 < header_line or not columns:
                continue
            where = f"{column_letters(left)}{top + 1}:{column_letters(right)}{bottom + 1}"
            first = max(top + 1, header_line)
            for line in range(first, bottom + 2):
                rows.setdefault(line, (line == first, (named[columns[0]], where)))
        return rows

    def _name_at(self, spec, positions: list[int], index: int) -> str:
        return next((name for name, at in zip(spec.names, positions) if at == index), "(row)")

    # -- one cell -> §3 text ------------------------------------------------------------------------------
    def _converter(self, name: str, kind: str):
        """cell -> §3 text for one column (ValueError says why not); conversions are remembered, as
        dates, amounts and mapped values repeat."""
        if kind == "date":
            fmt = self.profile.date_format
            base = lambda cell: _date_text(cell, fmt)  # noqa: E731
        elif kind == "amount":
            style = self.profile.amounts
            base = lambda cell: _amount_text(cell, style)  # noqa: E731
        elif name not in self.map.values:
            whole = kind == "whole"
            return lambda cell: cell.strip() if cell.__class__ is str else _plain_text(cell, whole)
        else:
            base = lambda cell: _plain_text(cell, False)  # noqa: E731
        if name in self.map.values:
            header, known, file_map, plain = self.header(name), self.map.values[name], self.map, base

            def base(cell):
                text = plain(cell)
                if not text:
                    return text
                mapped = file_map.value(name, text)
                if mapped is None:
                    raise ValueError(f"{text!r} is not in the profile's values for {header!r} "
                                     f"(known, any case: {', '.join(sorted(known))})")
                return mapped
        cache: dict = {}

        def convert(cell):
            if cell.__class__ is bool:  # True == 1: never from the cache
                return base(cell)
            text = cache.get(cell)
            if text is None:
                text = base(cell)
                if len(cache) < 100_000:
                    cache[cell] = text
            return text
        return convert


def _optional(kind: str, column: str) -> bool:
    return column in COLUMNS[kind][1]


def _cell_kind(name: str, kind: str) -> str:
    if name in DATE_COLUMNS:
        return "date"
    if name in AMOUNT_COLUMNS:
        return "amount"
    return "whole" if kind in ("id", "line_no") else "text"


def _holds_text(cell) -> bool:
    return cell.__class__ is not str or bool(cell.strip())


def _empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)


def _plain_text(cell, whole: bool) -> str:
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        raise ValueError(f"a TRUE/FALSE cell ({cell}), not a value")
    if isinstance(cell, float):
        if cell.is_integer():
            return str(int(cell))
        if whole:
            raise ValueError(f"the number {cell!r} is not a whole number")
        return format(Decimal(repr(cell)), "f")
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, (datetime, date)):
        if whole:
            raise ValueError(f"a date cell ({cell:%Y-%m-%d}), not an id or a number")
        return cell.strftime("%Y-%m-%d")
    return "" if cell is None else str(cell).strip()


def _date_text(cell, date_format: str) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, bool) or isinstance(cell, (int, float)):
        shown = _text(cell)
        raise ValueError(f"a number ({shown}), not a date; format the column as dates, or as text like "
                         f"{date(2026, 3, 31).strftime(date_format)}")
    text = _plain_text(cell, whole=False)
    if not text:
        return ""
    try:
        return datetime.strptime(text, date_format).date().isoformat()
    except ValueError:
        raise ValueError(f"not a date: {text!r} (the profile's date_format is {date_format!r}, e.g. "
                         f"{date(2026, 3, 31).strftime(date_format)})") from None


def _amount_text(cell, style: AmountStyle) -> str:
    if isinstance(cell, bool):
        raise ValueError(f"a TRUE/FALSE cell ({cell}), not an amount")
    if isinstance(cell, int):
        return f"{cell}.00"
    if isinstance(cell, float):
        try:
            exact = Decimal(repr(cell))  # the shortest text that reads back as this float: what the cell shows
        except InvalidOperation:
            raise ValueError(f"not an amount: {cell!r}") from None
        if not exact.is_finite() or exact != exact.quantize(_CENT):
            raise ValueError(f"the number {cell!r} is not whole cents (an amount has at most 2 decimals)")
        return format(exact.quantize(_CENT), "f")
    if isinstance(cell, (datetime, date)):
        raise ValueError(f"a date cell ({cell:%Y-%m-%d}), not an amount")
    text = _plain_text(cell, whole=False)
    if not text:
        return ""
    match = _amount_pattern(style).fullmatch(text)
    if match is None or bool(match["open"]) != bool(match["close"]) or (match["open"] and (match["m1"] or match["m2"])):
        raise ValueError(f"not an amount: {text!r} (this profile writes {_example(style)})")
    negative = bool(match["open"] or match["m1"] or match["m2"])
    if match["open"] and style.negative == "minus" or (match["m1"] or match["m2"]) and style.negative == "parentheses":
        raise ValueError(f"not an amount: {text!r} (this profile writes {_example(style)})")
    number = match["number"].replace(style.thousands, "") if style.thousands else match["number"]
    number = f"0{number}" if number.startswith(".") else number
    return f"-{number}" if negative else number


_PATTERNS: dict[AmountStyle, re.Pattern] = {}


def _amount_pattern(style: AmountStyle) -> re.Pattern:
    pattern = _PATTERNS.get(style)
    if pattern is None:
        sep = re.escape(style.thousands)
        units = rf"[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+|[0-9]+" if style.thousands else r"[0-9]+"
        currency = rf"(?:{re.escape(style.currency)})?" if style.currency else ""
        pattern = _PATTERNS[style] = re.compile(
            rf"(?P<open>\()?\s*(?P<m1>-)?\s*{currency}\s*(?P<m2>-)?\s*(?P<number>(?:{units})(?:\.[0-9]*)?|\.[0-9]+)"
            rf"\s*(?P<close>\))?")
    return pattern


def _example(style: AmountStyle) -> str:
    positive = f"{style.currency}1{style.thousands}234.50"
    negative = {"minus": f"-{positive}", "parentheses": f"({positive})",
                "both": f"-{positive} or ({positive})"}[style.negative]
    return f"amounts like {positive}, negative ones like {negative}"


__all__ = ["EXTENSIONS", "ProfileFile", "find_exports"]
