"""§3 text -> the typed values stored (DOMAIN §2, §3): each rule of a single value, once.

Every import reads its values through one :class:`ValueReader`, whichever the source (the plain
§3 files or an export read through a profile, which hands over §3 text too).
"""

from __future__ import annotations

import re
import sys
from datetime import date

from recon_tui.config import Config
from recon_tui.model import PAYMENT_METHODS
from recon_tui.money import MAX_CENTS, MoneyError, format_cents, parse_cents

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MAX_LINE_NO = 999_999_999
#: characters no id or text value may hold: C0 and C1 controls, DEL, and the Unicode line breaks
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class ValueReader:
    """The converters of one import run, by column kind (``import_files.Column.kind``); each raises
    ValueError saying what is wrong. Dates and amounts repeat, so each text is checked once."""

    def __init__(self, config: Config) -> None:
        self.categories = config.category_accounts
        self.config_path = config.path
        self.dates: dict[str, str] = {}  # validated date text, one shared copy of each
        self.amounts: dict[str, int] = {}  # parsed amounts: prices repeat
        self.converters = {"id": self.to_id, "text": self.to_text, "date": self.to_date, "money": self.to_money,
                           "line_no": self.to_line_no, "method": self.to_method, "category": self.to_category}

    @staticmethod
    def to_text(text: str) -> str:
        if text.isprintable():  # the fast path: no control character (nor a no-break space)
            return text
        bad = _CONTROL.search(text)
        if bad is None:
            return text
        char = bad.group()
        if char in "\t\n\r\x0b\x0c\x85\u2028\u2029":
            raise ValueError("must not contain tabs or line breaks")
        what = "a NUL byte (\\x00)" if char == "\x00" else f"a control character (U+{ord(char):04X})"
        raise ValueError(f"contains {what} at character {bad.start() + 1}; is this a text file?")

    def to_id(self, text: str) -> str:
        return sys.intern(self.to_text(text))  # ids repeat across files: keep one copy in memory

    def to_date(self, text: str) -> str:
        known = self.dates.get(text)
        if known is not None:
            return known
        if not _DATE.match(text):
            raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD)")
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a calendar date: {text!r}") from None
        self.dates[text] = text
        return text

    def to_money(self, text: str) -> int:
        known = self.amounts.get(text)
        if known is not None:
            return known
        try:
            cents = parse_cents(text)
        except MoneyError as exc:
            raise ValueError(str(exc)) from None
        if abs(cents) > MAX_CENTS:
            raise ValueError(f"amount {text} is too large (at most {format_cents(MAX_CENTS)})")
        if len(self.amounts) < 100_000:
            self.amounts[text] = cents
        return cents

    @staticmethod
    def to_line_no(text: str) -> int:
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= _MAX_LINE_NO:
            raise ValueError(f"not a line number: {text!r} (expected 1, 2, 3, ...)")
        return int(text)

    @staticmethod
    def to_method(text: str) -> str:
        if text not in PAYMENT_METHODS:
            raise ValueError(f"unknown payment method {text!r} (expected one of: {', '.join(PAYMENT_METHODS)})")
        return text

    def to_category(self, text: str) -> str:
        if text not in self.categories:
            raise ValueError(f"category {text!r} is not a key of income_categories in {self.config_path}")
        return text
