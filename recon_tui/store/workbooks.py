"""Excel workbooks (.xlsx, .xls) as rows of cells, through python-calamine (DOMAIN §14).

Calamine gives a cell's value (text, a float, a date or datetime, a bool) but reads a formula whose
value is an error (``#N/A``) as an empty cell, so for .xlsx the sheet's XML is searched for error
cells as well (a quick scan: most sheets hold none). Merged ranges come from calamine.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

_MAGIC = {b"%PDF": "a PDF file", b"PK\x03\x04": "a zip archive, not a workbook", b"\xd0\xcf\x11\xe0": "an Office file "
          "that is not a workbook", b"{\\rt": "an RTF document", b"<htm": "a web page", b"<!DO": "a web page"}
_ERROR_CELL = re.compile(rb'<c ([^>]*?)t="e"([^>]*)>(.*?)</c>', re.S)
_REF = re.compile(rb'r="([A-Z]+)([0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


class WorkbookError(Exception):
    """The file cannot be read as a workbook, or lacks the sheet asked for (the message in words)."""


def column_letters(index: int) -> str:
    """0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


class Sheet:
    """One sheet of a workbook: its rows of cells (row 1 first, empty rows included), its merged
    ranges and (for .xlsx) its error cells."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        from python_calamine import CalamineError, CalamineWorkbook

        self.path = path
        try:
            book = CalamineWorkbook.from_path(str(path))
        except CalamineError as exc:
            raise WorkbookError(f"cannot be read as an Excel workbook: {_what_it_is(path) or exc}; export it "
                                "again as .xlsx, .xls or .csv") from None
        except OSError as exc:
            raise WorkbookError(f"cannot be read: {exc.strerror or exc}") from None
        names = list(book.sheet_names)
        if sheet is None:
            if not names:
                raise WorkbookError("the workbook holds no sheet")
            sheet = names[0]
        else:
            found = [name for name in names if name.strip().casefold() == sheet.strip().casefold()]
            if not found:
                raise WorkbookError(f"no sheet named {sheet!r} (the sheets: {', '.join(map(repr, names))})")
            sheet = found[0]
        self.name = sheet
        try:
            self._sheet = book.get_sheet_by_name(sheet)
        except CalamineError as exc:
            raise WorkbookError(f"sheet {sheet!r} cannot be read: {exc}") from None
        self.height = self._sheet.height

    def rows(self) -> Iterator[list]:
        """Each row's cells from row 1 (title rows and empty rows included)."""
        return iter(self._sheet.to_python(skip_empty_area=False))

    def merged(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges, ((first row, first column), (last row, last column)), 0-based."""
        return list(self._sheet.merged_cell_ranges or ())

    def errors(self) -> dict[tuple[int, int], str]:
        """(row, column), 0-based -> the error a formula cell holds (``#N/A``); .xlsx only."""
        if self.path.suffix.casefold() not in (".xlsx", ".xlsm"):
            return {}
        try:
            with zipfile.ZipFile(self.path) as archive:
                data = archive.read(_sheet_part(archive, self.name))
        except (KeyError, StopIteration, zipfile.BadZipFile, ElementTree.ParseError):
            return {}
        if b't="e"' not in data:
            return {}
        found = {}
        for match in _ERROR_CELL.finditer(data):
            ref = _REF.search(match.group(1) + b" " + match.group(2))
            if ref is None:
                continue
            value = _VALUE.search(match.group(3))
            text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
            found[(int(ref.group(2)) - 1, _column_index(ref.group(1)))] = text
        return found


def _sheet_part(archive: zipfile.ZipFile, name: str) -> str:
    """The zip member holding the sheet called ``name``."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    rid = next(s.get(f"{{{ns['r']}}}id") for s in book.iter(f"{{{ns['m']}}}sheet") if s.get("name") == name)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _what_it_is(path: Path) -> str:
    try:
        with path.open("rb") as raw:
            head = raw.read(8)
    except OSError:
        return ""
    if not head:
        return "the file is empty"
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"it is {what}"
    if head.isascii():
        return "it is a text file (a CSV saved under an Excel name?)"
    return ""
