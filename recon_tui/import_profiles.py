"""Import profiles (DOMAIN §14): how a studio system's own exports map onto the §3 record kinds.

A profile names, per record kind, the export file (a case-insensitive glob: ``.csv``, ``.xlsx`` or
``.xls``), the §3 column -> the export's header text, optional value maps, and the report rows to
skip; one date format and one amount style hold for the whole profile. The config reads the
``import_profiles`` key through :func:`read_profiles`, so every mistake is a ``file:line: key:``
error when the config loads (exit 1), never at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import yaml

#: §3's record kinds, their columns, and which are required (DOMAIN §3)
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required, optional)
    "customers": (("customer_id", "name"), ()),
    "orders": (("order_id", "customer_id", "ordered_on", "sales_tax"), ("built_on", "completed_on", "voided_on")),
    "order_lines": (("order_id", "line_no", "category", "amount"), ("description",)),
    "payments": (("payment_id", "order_id", "paid_on", "method", "amount"), ("reference",)),
    "credit_adjustments": (("adjustment_id", "customer_id", "adjusted_on", "amount"), ("reason",)),
}
KINDS = tuple(COLUMNS)
#: the §3 columns holding a date, and an amount (the profile's date format and amount style apply)
DATE_COLUMNS = frozenset({"ordered_on", "built_on", "completed_on", "voided_on", "paid_on", "adjusted_on"})
AMOUNT_COLUMNS = frozenset({"sales_tax", "amount"})
NEGATIVE_STYLES = ("minus", "parentheses", "both")


@dataclass(frozen=True)
class AmountStyle:
    """How the export writes money: an optional currency sign, a thousands separator (or none), and
    negatives with a minus, in parentheses, or either."""

    currency: str = ""
    thousands: str = ""
    negative: str = "minus"


@dataclass(frozen=True)
class FileMap:
    """One record kind's export within a profile."""

    kind: str
    match: str                                    # case-insensitive glob of the file name
    columns: tuple[tuple[str, str], ...]          # (§3 column, the export's header text), config order
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # §3 column -> {key: §3 value}
    skip_rows_where: tuple[tuple[str, str], ...] = ()  # (the export's header text, text prefix)
    sheet: str | None = None                      # Excel: the sheet by name (None: the first)

    def header(self, column: str) -> str:
        """The export's header text of a §3 column (for messages)."""
        return dict(self.columns)[column]

    def value(self, column: str, text: str) -> str | None:
        """The §3 value of an export value in a mapped column (keys match trimmed, any case);
        None when the map does not know it. A column without a map keeps its value."""
        known = self.values.get(column)
        if known is None:
            return text
        return known.get(value_key(text))


@dataclass(frozen=True)
class ImportProfile:
    name: str
    date_format: str
    amounts: AmountStyle
    files: tuple[FileMap, ...]

    def file(self, kind: str) -> FileMap | None:
        return next((f for f in self.files if f.kind == kind), None)


def value_key(text: str) -> str:
    """How value-map keys match: trimmed, spaces inside collapsed, any case."""
    return " ".join(str(text).split()).casefold()


# -- reading the config key ---------------------------------------------------------------------------

def read_profiles(reader, node: yaml.Node) -> dict[str, ImportProfile]:
    """``import_profiles:`` from the config's node tree; ``reader`` is config.py's node reader
    (its ``mapping``, ``text`` and ``fail`` give file:line errors)."""
    profiles = {}
    for name, (key_node, value) in reader.mapping(node, "import_profiles", None).items():
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_\-]*", name):
            raise reader.fail(key_node, f"import_profiles.{name}", "profile names are letters, digits, _ and -")
        profiles[name] = _profile(reader, name, value)
    return profiles


def _profile(reader, name: str, node: yaml.Node) -> ImportProfile:
    key = f"import_profiles.{name}"
    keys = reader.mapping(node, key, ("date_format", "amounts", "files"), required=("files",))
    date_format = "%Y-%m-%d"
    if "date_format" in keys:
        fmt_node = keys["date_format"][1]
        date_format = reader.text(fmt_node, f"{key}.date_format")
        if not _usable_date_format(date_format):
            raise reader.fail(fmt_node, f"{key}.date_format", f"{date_format!r} is not a date format with a day, "
                              "a month and a year (strptime codes, e.g. \"%m/%d/%Y\")")
    amounts = AmountStyle()
    if "amounts" in keys:
        amounts = _amounts(reader, keys["amounts"][1], f"{key}.amounts")
    files_node = keys["files"][1]
    found = reader.mapping(files_node, f"{key}.files", KINDS)
    if not found:
        raise reader.fail(files_node, f"{key}.files", f"name at least one record kind ({', '.join(KINDS)})")
    files = tuple(_file(reader, kind, value, f"{key}.files.{kind}") for kind, (_, value) in found.items())
    return ImportProfile(name, date_format, amounts, files)


def _usable_date_format(fmt: str) -> bool:
    """A strptime format that reads back a date it wrote, and names a day, a month and a year."""
    if not any(code in fmt for code in ("%d", "%j")) or not any(c in fmt for c in ("%m", "%b", "%B", "%j")) \
            or not any(code in fmt for code in ("%Y", "%y")):
        return False
    try:
        sample = datetime(2026, 11, 29)
        return datetime.strptime(sample.strftime(fmt), fmt).date() == sample.date()
    except ValueError:
        return False


def _amounts(reader, node: yaml.Node, key: str) -> AmountStyle:
    keys = reader.mapping(node, key, ("currency", "thousands", "negative"))
    values = {}
    for name in ("currency", "thousands"):
        if name in keys:
            raw = keys[name][1]
            text = raw.value if isinstance(raw, yaml.ScalarNode) and raw.tag != "tag:yaml.org,2002:null" else ""
            if len(text) > 3 or any(ch.isdigit() or ch in ".-()" for ch in text):
                raise reader.fail(raw, f"{key}.{name}", f"{text!r} cannot be a {name} mark (up to 3 characters, "
                                  "no digits, '.', '-' or parentheses)")
            values[name] = text
    if values.get("thousands") == ".":
        raise reader.fail(keys["thousands"][1], f"{key}.thousands", "'.' is the decimal point")
    if "negative" in keys:
        negative = reader.text(keys["negative"][1], f"{key}.negative")
        if negative not in NEGATIVE_STYLES:
            raise reader.fail(keys["negative"][1], f"{key}.negative",
                              f"{negative!r} is not one of {', '.join(NEGATIVE_STYLES)}")
        values["negative"] = negative
    return AmountStyle(**values)


def _file(reader, kind: str, node: yaml.Node, key: str) -> FileMap:
    keys = reader.mapping(node, key, ("match", "sheet", "columns", "values", "skip_rows_where"),
                          required=("match", "columns"))
    match = reader.text(keys["match"][1], f"{key}.match")
    sheet = reader.text(keys["sheet"][1], f"{key}.sheet") if "sheet" in keys else None
    required, optional = COLUMNS[kind]
    column_nodes = reader.mapping(keys["columns"][1], f"{key}.columns", required + optional)
    for column in required:
        if column not in column_nodes:
            raise reader.fail(keys["columns"][1], f"{key}.columns.{column}",
                              f"missing: {kind} need {', '.join(required)} (the export's header text for each)")
    columns = tuple((column, reader.text(value, f"{key}.columns.{column}"))
                    for column, (_, value) in column_nodes.items())
    headers = [header.casefold() for _, header in columns]
    for (column, header), (_, value_node) in zip(columns, column_nodes.values()):
        if headers.count(header.casefold()) > 1:
            raise reader.fail(value_node, f"{key}.columns.{column}", f"{header!r} is named for two columns")
    values: dict[str, dict[str, str]] = {}
    if "values" in keys:
        for column, (col_node, map_node) in reader.mapping(keys["values"][1], f"{key}.values", None).items():
            where = f"{key}.values.{column}"
            if column not in dict(columns):
                raise reader.fail(col_node, where, f"{column!r} is not one of the columns mapped above")
            pairs = reader.mapping(map_node, where, None)
            mapped: dict[str, str] = {}
            for export_value, (k_node, v_node) in pairs.items():
                mapped_key = value_key(export_value)
                if mapped_key in mapped:
                    raise reader.fail(k_node, f"{where}.{export_value}", "the same value twice (keys match in any case)")
                mapped[mapped_key] = reader.text(v_node, f"{where}.{export_value}")
            values[column] = mapped
    skips: list[tuple[str, str]] = []
    if "skip_rows_where" in keys:
        for header, (_, prefix_node) in reader.mapping(keys["skip_rows_where"][1], f"{key}.skip_rows_where",
                                                        None).items():
            skips.append((header, reader.text(prefix_node, f"{key}.skip_rows_where.{header}")))
    return FileMap(kind, match, columns, values, tuple(skips), sheet)
