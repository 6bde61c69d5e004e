"""Date errors in words (issue 11 #13): a day the calendar lacks, an empty field, another form."""

from __future__ import annotations

from datetime import date

import pytest

from recon_tui.model import PeriodError, parse_date


@pytest.mark.parametrize("text, message", [
    ("2026-02-30", "current date 2026-02-30: February 2026 has no day 30"),
    ("2025-02-29", "current date 2025-02-29: February 2025 has no day 29"),
    ("2026-04-31", "current date 2026-04-31: April 2026 has no day 31"),
    ("2026-12-00", "current date 2026-12-00: December 2026 has no day 0"),
    ("2026-13-01", "current date 2026-13-01: there is no month 13"),
    ("2026-00-10", "current date 2026-00-10: there is no month 00"),
    ("", "current date is required (YYYY-MM-DD)"),
    ("   ", "current date is required (YYYY-MM-DD)"),
    ("2026-3-31", "current date: '2026-3-31' is not a date (expected YYYY-MM-DD)"),
    ("31/03/2026", "current date: '31/03/2026' is not a date (expected YYYY-MM-DD)"),
    ("0000-01-01", "current date: '0000-01-01' is not a date (expected YYYY-MM-DD)"),
])
def test_date_errors_say_what_is_wrong(text, message):
    with pytest.raises(PeriodError) as raised:
        parse_date(text, "current date")
    assert str(raised.value) == message


def test_real_dates_still_parse():
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("2026-12-31", "previous date") == date(2026, 12, 31)


@pytest.mark.parametrize(("value", "said"), [
    ("2026-02-30", "argument --previous: 2026-02-30: February 2026 has no day 30"),
    ("2026-13-01", "argument --previous: 2026-13-01: there is no month 13"),
    ("2026-2-3", "argument --previous: '2026-2-3' is not a date (expected YYYY-MM-DD)"),
    ("", "argument --previous: a date is required (YYYY-MM-DD)"),
])
def test_the_cli_says_what_is_wrong_with_a_date_argument(value, said, capsys):
    from recon_tui.cli import main

    assert main(["report", "--previous", value, "--current", "2026-03-31"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err
