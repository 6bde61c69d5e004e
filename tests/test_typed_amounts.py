"""Amounts as bookkeepers type them (issue 11 #6): what QuickBooks displays is taken, by the app's
amount fields and by the CLI's --count / --qb-balance; the importer's files keep the strict form."""

from __future__ import annotations

from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.money import MAX_CENTS, MoneyError, parse_cents, parse_typed_cents

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("text, cents", [
    ("35,666.67", 3566667), ("$1,234.50", 123450), ("(100.00)", -10000), ("-1,234.50", -123450),
    ("1234.5", 123450), ("0", 0), ("-0.00", 0), ("12", 1200), (".5", 50), ("5.", 500),
    ("-$5.00", -500), ("$-5.00", -500), ("($1,234.50)", -123450), ("( 12.00 )", -1200), ("$ 7", 700),
    ("  2,000  ", 200000), ("5-", -500), ("1,000,000", 100000000), ("999,999,999.99", MAX_CENTS), ("-999999999.99", -MAX_CENTS),
])
def test_typed_amounts(text, cents):
    value = parse_typed_cents(text)
    assert value == cents and type(value) is int


@pytest.mark.parametrize("text", [
    "", " ", "$", ".", "-", "()", "abc", "1,5", "1,23,456", "12,34.00", "1.234", "1 000", "--5", "(-5)", "-(5)",
    "$$5", "5$", "1e3", "nan", "+5", "１２", "(5", "5)", "1_000", "12.3.4",
])
def test_typed_amounts_refuse_what_is_not_money(text):
    with pytest.raises(MoneyError, match="is not an amount"):
        parse_typed_cents(text)


@pytest.mark.parametrize("text", ["99999999999999999999", "1,000,000,000.00", "-1000000000", "(1,000,000,000)",
                                  "999999999.999"])
def test_typed_amounts_above_the_importers_limit_are_refused_with_words(text):
    with pytest.raises(MoneyError, match=r"too large \(at most 999,999,999.99\)|is not an amount"):
        parse_typed_cents(text)
    if text != "999999999.999":
        with pytest.raises(MoneyError, match="too large"):
            parse_typed_cents(text)


def test_the_strict_file_form_is_unchanged():
    for text in ("35,666.67", "$1,234.50", "(100.00)"):
        with pytest.raises(MoneyError, match="not an amount"):
            parse_cents(text)


@pytest.fixture
def studio(tmp_path, capsys):
    config = tmp_path / "recon.yaml"
    config.write_text((FIXTURES / "worked_example.yaml").read_text())
    common = ["--db", str(tmp_path / "studio.db"), "--config", str(config)]
    assert main(["import", str(FIXTURES / "worked_example"), *common]) == 0
    capsys.readouterr()
    return common


APRIL = ["finalize", "--previous", "2026-03-31", "--current", "2026-04-30"]


def test_cli_finalize_takes_typed_amounts(studio, tmp_path, capsys):
    counts = ["--count", "check=$30.00", "--count", "credit_card=266", "--count", "eft=(150.00)"]
    assert main([*APRIL, *counts, "--qb-balance", "-1,234.50", "--qb-note", "sign test", *studio]) == 0
    capsys.readouterr()
    text = (tmp_path / "reconciliation-0001.txt").read_text()
    assert "-1,234.50" in text or "-1234.50" in text


@pytest.mark.parametrize("option", [["--qb-balance", "99999999999999999999"],
                                    ["--qb-balance", "0", "--count", "other=99999999999999999999"]])
def test_cli_finalize_refuses_a_too_large_amount(studio, tmp_path, capsys, option):
    counts = ["--count", "check=30", "--count", "credit_card=266", "--count", "eft=-150"]
    assert main([*APRIL, *counts, *option, *studio]) == 2
    assert "too large (at most 999,999,999.99)" in capsys.readouterr().err
    assert not (tmp_path / "reconciliation-0001.txt").exists()


def test_cli_finalize_says_what_is_not_an_amount(studio, capsys):
    assert main([*APRIL, "--qb-balance", "12,34", *studio]) == 2
    assert "--qb-balance: '12,34' is not an amount" in capsys.readouterr().err


def test_cli_diagnose_takes_a_typed_balance(studio, capsys):
    assert main(["diagnose", "--current", "2026-04-30", "--qb-balance", "$1,000.00", *studio]) == 0
    assert "1,000.00" in capsys.readouterr().out


def test_typed_amounts_share_the_importers_limit():
    from recon_tui.store import importer

    assert importer.MAX_CENTS is MAX_CENTS and MAX_CENTS == 99_999_999_999
