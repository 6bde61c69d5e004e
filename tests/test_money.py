"""Money text <-> integer cents (DOMAIN §2): the one place money is parsed or formatted."""

from __future__ import annotations

import pytest

from recon_tui.money import MoneyError, format_cents, format_grouped, parse_cents


@pytest.mark.parametrize("text, cents", [
    ("0", 0), ("0.00", 0), ("-0.00", 0),
    ("1", 100), ("1.5", 150), ("1.50", 150), ("1.05", 105), ("0.01", 1), ("0.1", 10),
    ("-12.5", -1250), ("-12.50", -1250), ("-0.01", -1),
    ("1234.56", 123456), ("-1234.56", -123456), ("007.10", 710),
    ("999999999.99", 99999999999),
    (" 12.00 ", 1200),  # surrounding blanks are trimmed
])
def test_parse_cents(text, cents):
    value = parse_cents(text)
    assert value == cents
    assert type(value) is int


@pytest.mark.parametrize("text", [
    "", " ", "-", ".", "1.", ".5", "-.5", "+5", "+5.00",
    "12.345", "1.000", "1,200.00", "1 200.00", "$5", "5$", "5.00 USD", "€5",
    "1e3", "1E3", "1.5e2", "nan", "NaN", "inf", "-inf", "Infinity", "0x10",
    "1.2.3", "--5", "5-", "(5.00)", "1_000", "1,5",
    "１２.００", "١٢", "12.٠٠",  # non-ASCII digits (int() would accept them)
])
def test_parse_cents_rejects_junk(text):
    with pytest.raises(MoneyError, match="not an amount"):
        parse_cents(text)


def test_money_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_cents("12.345")


@pytest.mark.parametrize("cents, text", [
    (0, "0.00"), (1, "0.01"), (-1, "-0.01"), (10, "0.10"), (99, "0.99"), (100, "1.00"),
    (-1250, "-12.50"), (123456, "1234.56"), (-123456, "-1234.56"), (100000000, "1000000.00"),
])
def test_format_cents(cents, text):
    assert format_cents(cents) == text


@pytest.mark.parametrize("cents", [0, 1, -1, 5, -5, 10, 99, 100, 101, -101, 1999, -1999, 123456789, -987654321])
def test_round_trip_cents_text_cents(cents):
    assert parse_cents(format_cents(cents)) == cents


@pytest.mark.parametrize("text", ["0.00", "0.01", "-0.01", "12.50", "-12.50", "1234.56", "-99999.99"])
def test_round_trip_text_cents_text(text):
    assert format_cents(parse_cents(text)) == text


@pytest.mark.parametrize("value", [1.5, 0.0, 12.0, -3.25, float("nan")])
def test_format_cents_refuses_a_float(value):
    with pytest.raises(TypeError, match="int cents"):
        format_cents(value)


def test_format_cents_refuses_text_and_decimal():
    from decimal import Decimal
    with pytest.raises(TypeError):
        format_cents("100")
    with pytest.raises(TypeError):
        format_cents(Decimal("1.00"))


@pytest.mark.parametrize("cents, text", [
    (0, "0.00"), (-1, "-0.01"), (123456, "1,234.56"), (-1234567, "-12,345.67"), (100000000, "1,000,000.00"),
])
def test_format_grouped(cents, text):
    assert format_grouped(cents) == text
