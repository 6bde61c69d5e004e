"""Issue 13: importing from the app. `i` on the start screen (or the palette) opens the Import screen:
a dry run of a folder shows per file what is new, changed and unchanged and writes nothing; the
import asks first, runs with a progress bar and says what it wrote; a bad row is listed with its
file:line and column and nothing is written; a folder that is not there is said in words."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import ProgressBar

from recon_tui.tui.commands import StepCommands
from recon_tui.tui.screens.import_screen import ConfirmImport, ImportScreen
from recon_tui.tui.screens.start import StartScreen

from conftest import FIXTURES, WORKED_TODAY, fresh_copy
from wizard_keys import WORKED_COUNTS, finalize_april, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
PAYMENTS = (FIXTURES / "worked_example" / "payments.csv").read_text(encoding="utf-8")


@pytest.fixture
def own_db(worked_db, tmp_path, shown) -> Path:
    """A fresh copy of the worked example per test (the import writes to it, its backup beside it)."""
    return fresh_copy(worked_db, shown("studio", tmp_path / "studio"))


def folder_with(shown, tmp_path: Path, payments: str, name: str = "imports") -> Path:
    """A folder holding one §3 file, payments.csv, as the app is given it (see ``shown``)."""
    folder = shown(name, tmp_path / name)
    (folder / "payments.csv").write_text(payments, encoding="utf-8")
    return folder


def changed_p3(amount: str = "35.00") -> str:
    """The worked example's payments with P3 (a check in April) changed, and a new payment P6."""
    return (PAYMENTS.replace("P3,B,2026-04-10,check,30.00,1043", f"P3,B,2026-04-10,check,{amount},1043")
            + "P6,B,2026-04-28,cash,10.00,\n")


def amount_of(db: Path, payment_id: str) -> int | None:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT amount FROM payments WHERE payment_id = ?", (payment_id,)).fetchone()
    finally:
        conn.close()
    return None if row is None else row[0]


def rows(table) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def to_import(pilot) -> ImportScreen:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ImportScreen)
    return pilot.app.screen


async def dry_run(pilot, folder: Path) -> None:
    await to_import(pilot)
    await pilot.press(*str(folder), "f5")
    await settle(pilot)


# -- opening and leaving ---------------------------------------------------------------------------

async def test_i_opens_the_import_screen_and_esc_goes_back(app_on):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_import(pilot)
        keys = {binding.key for _, binding, enabled, _ in screen.active_bindings.values() if enabled}
        assert {"escape", "f5"} <= keys and "ctrl+s" not in keys  # no import before a dry run
        assert screen.query_one("#import-profile").value == ""  # the worked example has no profile
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)


async def test_the_palette_offers_the_import(app_on):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        commands = {name: callback for name, _, callback in StepCommands(app.screen)._commands()}
        commands["Import the studio's files"]()
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)


async def test_a_folder_that_is_not_there_is_said_in_words(app_on, tmp_path):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_import(pilot)
        await pilot.press(*str(tmp_path / "nowhere"), "enter")
        await settle(pilot)
        assert text(app, "#import-status") == f"There is no folder {tmp_path / 'nowhere'}: check the path (nothing " \
                                              "was read)."
        assert not app.screen.query_one("#import-files").display


# -- the dry run, then the import ------------------------------------------------------------------

async def test_a_dry_run_shows_the_counts_and_writes_nothing(app_on, own_db, shown, tmp_path):
    folder = folder_with(shown, tmp_path, changed_p3())
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await dry_run(pilot, folder)
        assert rows(app.screen.query_one("#import-files")) == [["payments.csv", "payments", "1", "1", "4"]]
        assert text(app, "#import-summary") == f"Dry run of {folder}: 1 new, 1 changed, 4 unchanged in 1 file."
        assert text(app, "#import-status") == "Dry run done: nothing was written."
        assert text(app, "#import-result") == "Ctrl+S imports 2 records (asks first)."
        assert not app.screen.query_one("#import-warnings").display  # nothing finalized
    assert amount_of(own_db, "P3") == 3000 and amount_of(own_db, "P6") is None
    assert not (own_db.parent / "backups").exists()


async def test_confirming_imports_with_a_progress_bar(app_on, own_db, shown, tmp_path):
    folder = folder_with(shown, tmp_path, changed_p3())
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await dry_run(pilot, folder)
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmImport)
        said = " ".join(str(s.render()) for s in dialog.query("Static"))
        assert "Import 2 records?" in said and "2 records will be written to" in said
        assert "1 new, 1 changed (4 unchanged are left as they are)" in said
        assert "A backup copy of the database is made first" in said
        await pilot.press("n")  # cancelled: nothing written
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen) and amount_of(own_db, "P3") == 3000
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        bar = screen.query_one(ProgressBar)
        assert screen.query_one("#import-progress-row").display and bar.total and bar.progress == bar.total
        assert text(app, "#import-result").startswith("Done: 2 records written to ")
        assert text(app, "#import-summary") == f"Imported from {folder}: 1 new, 1 changed, 4 unchanged in 1 file."
        keys = {binding.key for _, binding, enabled, _ in screen.active_bindings.values() if enabled}
        assert "ctrl+s" not in keys  # imported: nothing left to import until another dry run
    assert amount_of(own_db, "P3") == 3500 and amount_of(own_db, "P6") == 1000
    assert list((own_db.parent / "backups").glob("*before-import*"))


async def test_the_dry_run_names_the_finalized_period_it_would_change(app_on, own_db, shown, tmp_path):
    folder = folder_with(shown, tmp_path, changed_p3())
    app = app_on()
    finalize_april(app.service, "closed", notes={m: "counted" for m in WORKED_COUNTS}, qb_note="difference explained")
    async with app.run_test(size=(80, 24)) as pilot:
        await dry_run(pilot, folder)
        warnings = text(app, "#import-warnings")
        assert app.screen.query_one("#import-warnings").display and "#1" in warnings
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "#1" in said  # the confirmation says it too
        await pilot.press("escape")
        await settle(pilot)
    assert amount_of(own_db, "P3") == 3000


async def test_after_an_import_esc_goes_back_to_the_start(app_on, own_db, shown, tmp_path):
    """The steps open read their figures before the import: Esc goes back to the start screen."""
    from wizard_keys import open_at

    folder = folder_with(shown, tmp_path, changed_p3())
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Review")
        app.wizard = app.wizard.entered(diagnosis={"method": "accrual"})
        app.action_open_import()
        await settle(pilot)
        await pilot.press(*str(folder), "f5")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Esc goes back to the start screen" in text(app, "#import-result")
        assert app.wizard.diagnosis is None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert app.wizard.previous == "2026-03-31"  # the entries are kept


# -- what goes wrong -------------------------------------------------------------------------------

BAD = PAYMENTS.replace("P3,B,2026-04-10,check,30.00,1043", "P3,B,2026-04-10,bitcoin,35.00,1043")


async def test_a_bad_row_is_listed_with_its_file_line_and_column(app_on, own_db, shown, tmp_path):
    folder = folder_with(shown, tmp_path, BAD)
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await dry_run(pilot, folder)
        screen = app.screen
        problems = screen.query_one("#import-problems")
        assert problems.display and not screen.query_one("#import-files").display
        found = rows(problems)
        assert found == [["payments.csv:4", "method", "unknown payment method 'bitcoin' (expected one of: cash, "
                          "check, eft, credit_card, other, in_store_credit, bad_debt)"]]
        assert text(app, "#import-summary") == f"Dry run of {folder}: 1 problem; nothing was written."
        assert text(app, "#import-detail") == f"{folder / 'payments.csv'}:4: method: {found[0][2]}"
        assert screen.focused is problems  # j/k and / at once
        keys = {binding.key for _, binding, enabled, _ in screen.active_bindings.values() if enabled}
        assert "ctrl+s" not in keys
    assert amount_of(own_db, "P3") == 3000


async def test_a_file_gone_bad_after_the_dry_run_lists_its_problem_and_writes_nothing(app_on, own_db, shown,
                                                                                        tmp_path):
    folder = folder_with(shown, tmp_path, changed_p3())
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await dry_run(pilot, folder)
        (folder / "payments.csv").write_text(BAD, encoding="utf-8")  # changed after the dry run
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [r[1] for r in rows(app.screen.query_one("#import-problems"))] == ["method"]
        assert text(app, "#import-summary").startswith(f"Import from {folder}: 1 problem; nothing was written.")
    assert amount_of(own_db, "P3") == 3000


# -- as users see it -------------------------------------------------------------------------------

@pytest.mark.shows_paths  # the folder read
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_import_dry_run(snap_compare, app_on, shown, tmp_path, size):
    folder = folder_with(shown, tmp_path, changed_p3())
    for name, line in (("customers.csv", "customer_id,name\nC1,Ada Park\nC2,Ben Ortiz\nC3,Cy Lund\nC4,Di Moss\n"),):
        (tmp_path / "imports" / name).write_text(line, encoding="utf-8")
    app = app_on()
    finalize_april(app.service, "closed", notes={m: "counted" for m in WORKED_COUNTS}, qb_note="difference explained")

    async def run_before(pilot) -> None:
        await dry_run(pilot, folder)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


# -- through a profile (DOMAIN §14) -----------------------------------------------------------------

PROFILE = """
import_profiles:
  oms:
    date_format: "%m/%d/%Y"
    amounts: {currency: "$", thousands: ",", negative: parentheses}
    files:
      payments:
        match: "Payment List*"
        columns: {payment_id: Payment No, order_id: Invoice No, paid_on: Payment Date,
                  method: Payment Method, amount: Amount, reference: Check/CC No}
        values:
          method: {Cash: cash, Check: check, ACH: eft, Visa: credit_card}
"""

PAYMENT_LIST = """Payment List
Payment No,Invoice No,Payment Date,Payment Method,Amount,Check/CC No
P1,A,03/10/2026,Cash,$50.00,
P2,A,04/05/2026,Visa,$266.00,
P3,B,04/10/2026,Check,$35.00,1043
P4,C,02/01/2026,ACH,$150.00,
P5,C,04/16/2026,ACH,($150.00),
"""


async def test_a_profile_reads_the_studio_systems_export(own_db, tmp_path):
    from datetime import datetime, timezone

    from recon_tui.config import load_config
    from recon_tui.tui.app import make_app

    config = tmp_path / "recon.yaml"
    config.write_text((FIXTURES / "worked_example.yaml").read_text(encoding="utf-8") + PROFILE, encoding="utf-8")
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "Payment List 2026-05.csv").write_text(PAYMENT_LIST, encoding="utf-8")
    app = make_app(load_config(config), own_db, WORKED_TODAY, blink=False, user="bookkeeper",
                   clock=lambda: datetime(2026, 5, 2, 17, 30, tzinfo=timezone.utc))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_import(pilot)
        profile = screen.query_one("#import-profile")
        assert profile.value == "oms"  # the first profile
        assert [label for label, _ in profile._options] == ["oms", "recon-tui's own CSV files (no profile)"]
        await pilot.press(*str(folder), "f5")
        await settle(pilot)
        assert rows(screen.query_one("#import-files")) == [["Payment List 2026-05.csv", "payments", "0", "1", "4"]]
        profile.value = ""  # as §3 files: none of their names is there
        await pilot.pause()
        assert text(app, "#import-status") == "The folder or profile changed: F5 runs the dry run again."
        await pilot.press("f5")
        await settle(pilot)
        assert [r[1:] for r in rows(screen.query_one("#import-problems"))] == [
            ["(files)", "no import files found (expected any of customers.csv, orders.csv, order_lines.csv, "
                        "payments.csv, credit_adjustments.csv)"]]
        assert text(app, "#import-detail").startswith(f"{folder}: (files): no import files found")
        await pilot.press("shift+tab")  # from the problems back to the profile
        profile.value = "oms"
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert text(app, "#import-result").startswith("Done: 1 record written to ")
    assert amount_of(own_db, "P3") == 3500
