"""Money text <-> integer cents (DOMAIN §2): the one place money is parsed or formatted."""

from __future__ import annotations

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from recon_tui.money import MAX_CENTS, MoneyError, format_cents, format_grouped, parse_cents, parse_typed_cents


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


# -- amounts as people type them and QuickBooks shows them (parse_typed_cents) ------------------------

@pytest.mark.parametrize("text, cents", [
    ("$(7,794.65)", -779465), ("($7,794.65)", -779465), ("-$7,794.65", -779465), ("$-7,794.65", -779465),
    ("(7,794.65)", -779465), ("7794.65-", -779465), ("7,794.65-", -779465), ("$7,794.65-", -779465),
    ("$ (7,794.65)", -779465), ("$( 7,794.65 )", -779465), (" 7,794.65- ", -779465), ("5-", -500),
    ("$7,794.65", 779465), ("7,794.65", 779465), ("7794.65", 779465), ("(0.00)", 0), ("0.00-", 0),
    ("$(999,999,999.99)", -MAX_CENTS), ("999,999,999.99-", -MAX_CENTS),
])
def test_typed_amounts_as_quickbooks_shows_them(text, cents):
    value = parse_typed_cents(text)
    assert value == cents and type(value) is int


@pytest.mark.parametrize("text", [
    "5,457.64 Total", "Total 5,457.64", "1,2,3", "--5", "(5", "5)", "5-5", "-5-", "(5)-", "-(5)", "(-5)", "(5-)",
    "$(-5)", "$($5)", "$-5-", "-$5-", "$()", "((5))", "(5)(6)", "5 -", "- -5", "$5$", "5.00 -", "(5.00", "$(5",
    "7.794,65", "7,794.65--", "7,794.6-5",
])
def test_typed_amounts_refuse_junk_and_two_signs(text):
    with pytest.raises(MoneyError, match="is not an amount"):
        parse_typed_cents(text)


@pytest.mark.parametrize("text", ["$(1,000,000,000.00)", "1,000,000,000.00-", "($1000000000)"])
def test_typed_negatives_above_the_limit_are_too_large(text):
    with pytest.raises(MoneyError, match=r"too large \(at most 999,999,999.99\)"):
        parse_typed_cents(text)


def written_forms(cents: int) -> list[str]:
    """Every way ``cents`` may be written into an amount field: plain, grouped, with a $, and for a
    negative amount each of QuickBooks' ways (a minus before or after the $, parentheses, a trailing minus)."""
    plain, grouped = format_cents(abs(cents)), format_grouped(abs(cents))
    if cents >= 0:
        return [plain, grouped, f"${plain}", f"${grouped}", f"$ {grouped}", f"  {grouped}  "]
    return [f"-{plain}", f"-{grouped}", f"-${grouped}", f"$-{grouped}", f"-${plain}",
            f"({plain})", f"({grouped})", f"(${grouped})", f"$({grouped})", f"$ ({plain})", f"( {grouped} )",
            f"{plain}-", f"{grouped}-", f"${grouped}-", f" {grouped}- "]


@given(st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS))
@settings(max_examples=300)
def test_every_written_form_parses_back_to_the_same_cents(cents):
    for text in written_forms(cents):
        value = parse_typed_cents(text)
        assert value == cents and type(value) is int, text


@given(st.integers(min_value=-MAX_CENTS, max_value=-1))
@settings(max_examples=100)
def test_a_second_sign_or_trailing_words_are_refused(cents):
    for text in written_forms(cents):
        for bad in (f"-{text.strip()}", f"({text.strip()})", f"{text.strip()}-", f"{text.strip()} Total"):
            with pytest.raises(MoneyError):
                parse_typed_cents(bad)


@given(st.text(alphabet="0123456789,.$()- \t+e", max_size=16) | st.text(max_size=12))
@settings(max_examples=500)
def test_typed_text_is_an_amount_in_range_or_refused_in_words(text):
    try:
        value = parse_typed_cents(text)
    except MoneyError:
        return
    assert type(value) is int and -MAX_CENTS <= value <= MAX_CENTS
