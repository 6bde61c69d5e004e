"""The QuickBooks link on screen, keyboard only: posting a batch, re-exporting it, and the tie-out's
diagnosis (DOMAIN §8-§10) down to the records and into the finalized record."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from recon_tui.quickbooks.detail import read_detail
from recon_tui.quickbooks.iif_reader import read_iif
from recon_tui.quickbooks.trial_balance import read_trial_balance

from conftest import WORKED_TODAY, fixed_app, fresh_copy
from wizard_keys import open_at, settle

APRIL_END = date(2026, 4, 30)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def own_db(worked_db, tmp_path, shown) -> Path:
    """A fresh copy of the worked example per test (posting writes to it and beside it; the screens
    print the batch files' and QuickBooks reports' paths: ``shown``)."""
    return fresh_copy(worked_db, shown("link", tmp_path / "link"))


@pytest.fixture
def link_app(own_db):
    return fixed_app(own_db)


async def to_post_screen(pilot):
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "PostScreen"


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def rows(table) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def causes(app) -> dict[str, tuple[str, str]]:
    """Cause title -> (records, amount) as the diagnosis table shows them."""
    return {r[0]: (r[1], r[2]) for r in rows(app.screen.query_one("#causes"))}


def stored_diagnosis(db: Path):
    conn = sqlite3.connect(db)
    [(value,)] = conn.execute("SELECT diagnosis FROM reconciliations").fetchall()
    conn.close()
    return json.loads(value) if value is not None else None


# -- QuickBooks' reports, as a bookkeeper saves them ----------------------------------------------

def write_detail(path: Path, rows_on_ar: list[tuple[str, str, str, str, int]]) -> Path:
    """A Transaction Detail by Account export holding only Accounts Receivable: (date, num, name,
    memo, debit-positive cents) per row, with QuickBooks' preamble, spacer columns and Total rows."""
    def money(cents: int) -> str:
        return f"{abs(cents) // 100:,}.{abs(cents) % 100:02d}"

    out = [["Worked Example Studio"], ["Transaction Detail by Account"], ["All Transactions through 04/30/2026"],
           ["Accrual Basis"], [], ["", "Type", "Date", "Num", "Name", "Memo", "Split", "Debit", "Credit", "Balance"],
           ["Accounts Receivable"]]
    running = 0
    for on, num, name, memo, cents in rows_on_ar:
        running += cents
        out.append(["", "General Journal", on, num, name, memo, "-SPLIT-", money(cents) if cents > 0 else "",
                    money(cents) if cents < 0 else "", ("-" if running < 0 else "") + money(running)])
    debits = sum(c for *_, c in rows_on_ar if c > 0)
    credits = -sum(c for *_, c in rows_on_ar if c < 0)
    out.append(["Total Accounts Receivable", "", "", "", "", "", "", money(debits), money(credits),
                ("-" if running < 0 else "") + money(running)])
    out.append(["TOTAL", "", "", "", "", "", "", money(debits), money(credits), ""])
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\r\n").writerows(out)
    return path


def write_trial_balance(path: Path, ar_cents: int) -> Path:
    """A Trial Balance as of 2026-04-30: Accounts Receivable and what balances it."""
    def money(cents: int) -> str:
        return f"{abs(cents) // 100:,}.{abs(cents) % 100:02d}" if cents else ""

    out = [["Worked Example Studio"], ["Trial Balance"], ["As of April 30, 2026"], ["Accrual Basis"], [],
           ["", "", "Apr 30, 26"], ["", "", "Debit", "", "Credit"],
           ["", "Accounts Receivable", money(max(ar_cents, 0)), "", money(max(-ar_cents, 0))],
           ["", "Opening Balance Equity", money(max(-ar_cents, 0)), "", money(max(ar_cents, 0))],
           ["TOTAL", "", money(abs(ar_cents)), "", money(abs(ar_cents))]]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\r\n").writerows(out)
    return path


def quickbooks_after_import(db: Path) -> Path:
    """QuickBooks after batch 1 was imported, its payment P2 imported twice, plus a write-up made in
    QuickBooks itself: A/R there is 266.00 - 266.00 - 266.00 + 10.00 = -256.00."""
    ar = {p.entry.key: (p.docnum, p.entry.amount_on("Accounts Receivable"))
          for p in read_iif(db.parent / "studio-batch-0001.iif").entries}
    (a_doc, a_amount), (p2_doc, p2_amount) = ar["order:A:completed"], ar["payment:P2"]
    assert (a_amount, p2_amount) == (26600, -26600)
    return write_detail(db.parent / "qb-detail.csv", [
        ("04/05/2026", a_doc, "Ada Park", "order:A:completed", a_amount),
        ("04/05/2026", p2_doc, "Ada Park", "payment:P2", p2_amount),
        ("04/06/2026", p2_doc, "Ada Park", "payment:P2", p2_amount),
        ("04/28/2026", "JE-9", "Ada Park", "write-up by hand", 1000),
    ])


def test_the_reports_written_here_are_what_quickbooks_writes(tmp_path):
    """The CSVs these tests give the tie-out read as QuickBooks' own (recon_tui.quickbooks.reports)."""
    detail = read_detail(write_detail(tmp_path / "d.csv", [("04/05/2026", "SP000000004", "Ada Park", "x", 26600),
                                                            ("04/28/2026", "JE-9", "Ada Park", "y", -1000)]))
    assert [(r.num, r.amount) for r in detail.rows_for("Accounts Receivable")] == [("SP000000004", 26600),
                                                                                   ("JE-9", -1000)]
    assert read_trial_balance(write_trial_balance(tmp_path / "tb.csv", -25600)).balance_of(
        "Accounts Receivable") == -25600


# -- posting --------------------------------------------------------------------------------------

async def test_posting_a_batch_from_the_post_screen(link_app, own_db):
    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_post_screen(pilot)
        assert app.screen.query_one("#through").value == "2026-05-02"  # no period yet: today
        assert text(app, "#unposted-summary") == "9 unposted events dated through 2026-05-02 · debits 1,287.00"
        assert app.screen.query_one("#unposted").row_count == 9
        assert "accrual" in text(app, "#post-method")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmFirstPost"  # the first batch: the method by name
        dialog = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "9 entries dated through 2026-05-02" in dialog and "studio-batch-0001.iif" in dialog
        assert "the batch is fixed" in dialog
        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen"
        assert text(app, "#post-status") == f"Posted batch 1: 9 entries -> {own_db.parent / 'studio-batch-0001.iif'}"
        assert app.screen.query_one("#unposted").row_count == 0
        assert text(app, "#unposted-summary").startswith("Nothing to post")
        assert rows(app.screen.query_one("#batches")) == [["1", "2026-05-02", "9", "1", "studio-batch-0001.iif"]]
        await pilot.press("ctrl+s")  # nothing left: no dialog
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen"
    [batch] = app.service.batches()
    assert (batch.number, batch.entries, batch.through, batch.method) == (1, 9, "2026-05-02", "accrual")
    assert (own_db.parent / "studio-batch-0001.iif").is_file()
    assert app.service.unposted("accrual", WORKED_TODAY) == []


async def test_cancelling_the_post_writes_nothing_and_the_date_is_checked(link_app, own_db):
    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_post_screen(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen" and app.service.batches() == []
        await pilot.press("ctrl+u", *"2026-05-03")
        await settle(pilot)
        assert "after today" in text(app, "#through-error")
        await pilot.press("ctrl+s")  # refused: no dialog
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen"
        await pilot.press("ctrl+u", *"2026-03-10")
        await settle(pilot)
        assert text(app, "#through-error") == ""
        assert [r[1] for r in rows(app.screen.query_one("#unposted"))] == ["payment:P4", "order:C:completed",
                                                                          "payment:P1"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("a")  # the first batch: a names the method (y and Enter do not post)
        await settle(pilot)
        assert "Posted batch 1: 3 entries" in text(app, "#post-status")
    assert [(b.number, b.entries, b.through) for b in app.service.batches()] == [(1, 3, "2026-03-10")]
    assert not (own_db.parent / "studio-batch-0002.iif").exists()


async def test_re_exporting_a_batch_counts_the_export(link_app, own_db):
    app = link_app()
    app.service.post("accrual", APRIL_END)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_post_screen(pilot)
        assert "the books'" in text(app, "#post-method")
        await pilot.press("r")  # in the date field a letter is typed, not a command
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen" and app.screen.query_one("#through").value == "r"
        assert "not a date" in text(app, "#through-error")
        await pilot.press("ctrl+u", *"2026-05-02", "tab", "tab")  # the unposted list, then the batches
        await settle(pilot)
        assert app.screen.focused.id == "batches"
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmReexport"
        dialog = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "studio-batch-0001-export-2.iif" in dialog and "Delete batch 1's entries from QuickBooks" in dialog
        await pilot.press("n")
        await settle(pilot)
        assert app.service.batches()[0].exports == 1
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Batch 1 written again (export 2)" in text(app, "#post-status")
        assert rows(app.screen.query_one("#batches"))[0][3] == "2"
        await pilot.press("r", "y")
        await settle(pilot)
        assert "(export 3)" in text(app, "#post-status")
    assert app.service.batches()[0].exports == 3
    assert (own_db.parent / "studio-batch-0001-export-2.iif").is_file()
    assert (own_db.parent / "studio-batch-0001-export-3.iif").is_file()


QB_LISTS = Path(__file__).resolve().parent.parent / "fixtures" / "quickbooks" / "lists_chart_only.iif"


def worked_chart(folder: Path) -> Path:
    """QuickBooks' chart of accounts as the worked example's config names it (income accounts at the top)."""
    text = QB_LISTS.read_bytes()
    for sub in (b"Session Fees", b"Print Sales", b"Other Income"):
        text = text.replace(b"ACCNT\tIncome:" + sub + b"\t", b"ACCNT\t" + sub + b"\t")
    path = folder / "worked-lists.iif"
    path.write_bytes(text)
    return path


async def test_the_accounts_are_checked_before_the_first_batch(link_app, own_db):
    app = link_app()
    good = worked_chart(own_db.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_post_screen(pilot)
        assert app.screen.query_one("#lists-row").display and "F4 checks" in text(app, "#lists-result")
        assert app.screen.focused.id == "through"
        await pilot.press("f4")  # no path yet: the field takes the focus and says what to type
        await settle(pilot)
        assert app.screen.focused.id == "qb-lists" and "Type the path" in text(app, "#lists-result")
        await pilot.press(*str(QB_LISTS), "enter")  # the Sunset chart: three income accounts sit under Income
        await settle(pilot)
        result = text(app, "#lists-result")
        assert result.startswith("3 problems; a first post would create missing accounts as new ones:")
        assert '• Session Fees: not in QuickBooks (closest: "Income:Session Fees")' in result
        assert app.screen.checked is not None and not app.screen.checked.ok
        await pilot.press("ctrl+u", *str(own_db.parent / "nothing.iif"), "f4")
        await settle(pilot)
        assert text(app, "#lists-result").startswith(f"Cannot check: {own_db.parent / 'nothing.iif'}: cannot read")
        await pilot.press("ctrl+u", *str(own_db), "f4")  # a database is not an IIF file
        await settle(pilot)
        assert "not an IIF file" in text(app, "#lists-result")
        await pilot.press("ctrl+u", *str(good), "f4")
        await settle(pilot)
        assert text(app, "#lists-result") == ("All 10 configured accounts are in QuickBooks with fitting types "
                                              "(QuickBooks Pro Version 34.0D).")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert f"Accounts checked: all 10 configured accounts are in {good}." in dialog
        assert "!ACCNT" not in dialog
        await pilot.press("a")
        await settle(pilot)
        assert "Posted batch 1" in text(app, "#post-status")
        assert not app.screen.query_one("#lists-row").display  # after the first batch the accounts exist
        await pilot.press("f4")
        await settle(pilot)
        assert text(app, "#lists-result").startswith("All 10")  # F4 does nothing any more
    assert len(app.service.batches()) == 1


async def test_a_first_batch_without_a_passed_check_says_what_is_at_stake(link_app, own_db):
    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_post_screen(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert ("This is the first batch: its !ACCNT rows create any account QuickBooks lacks, so a misspelt "
                "config name becomes a new, wrong account. F4 on this screen checks the accounts first.") in dialog
        await pilot.press("n", "f4", *str(QB_LISTS), "enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "The account check found 3 problems." in dialog
        await pilot.press("n")
        await settle(pilot)
    app = link_app()
    app.service.post("accrual", date(2026, 3, 10))
    async with app.run_test(size=(80, 24)) as pilot:  # later batches: no check offered, no warning
        await to_post_screen(pilot)
        assert not app.screen.query_one("#lists-row").display
        await pilot.press("ctrl+u", *"2026-05-02", "ctrl+s")
        await settle(pilot)
        dialog = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Post batch 2?" in dialog and "!ACCNT" not in dialog


async def test_the_check_from_the_palette(link_app, own_db):
    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_post_screen(pilot)
        await pilot.press("ctrl+p", *"Check accounts")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen"
        assert app.screen.focused.id == "qb-lists" and "Type the path" in text(app, "#lists-result")


async def test_the_post_screen_opens_from_the_palette_and_the_tie_out(link_app):
    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Post to Qu")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen"
        await pilot.press("escape")
        await settle(pilot)
        await open_at(pilot, "Tie-out")
        await pilot.press("f8")
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen"
        assert text(app, "Breadcrumb") == "Review › Tie-out › Post to QuickBooks"
        assert app.screen.query_one("#through").value == "2026-04-30"  # the period's current date
        assert text(app, "#unposted-summary").startswith("9 unposted events dated through 2026-04-30")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.STEP == "Tie-out"


async def help_keys(pilot) -> set[tuple[str, str]]:
    """(key, what it does) in the help of the screen on top (opened with F1, then closed)."""
    await pilot.press("f1")
    await settle(pilot)
    keys = {(key, what) for _, key, what in rows(pilot.app.screen.query_one("#help-keys"))}
    await pilot.press("escape")
    await settle(pilot)
    return keys


async def test_the_help_lists_the_new_keys(link_app):
    # the help lists the keys of the screen it was opened on: each key is looked for on its own screen
    from textual.widgets._footer import FooterKey

    from recon_tui.tui.screens.post_dialogs import ConfirmPost, ConfirmReexport

    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert ("p", "Post to QB") in await help_keys(pilot)
        await open_at(pilot, "Tie-out")
        assert {("f7", "Diagnose"), ("f8", "Post")} <= await help_keys(pilot)  # F8's name as in the footer
        await pilot.press("1", "0", "f7")
        await settle(pilot)
        assert type(app.screen).__name__ == "DiagnosisScreen"
        assert ("⏎", "Records") in await help_keys(pilot)
        await pilot.press("enter")  # the first cause with records
        await settle(pilot)
        assert type(app.screen).__name__ == "CauseScreen"
        assert ("⏎", "Open order") in await help_keys(pilot)
        app.action_open_post()
        await settle(pilot)
        assert {("^s", "Post batch…"), ("r", "Re-export…"), ("f4", "Check accounts")} <= await help_keys(pilot)
        # a dialog's keys are no longer in the Post screen's help (F1 does not open over a dialog): its footer
        for dialog, expected in ((ConfirmPost("Post?", "", ""), ("y", "Post")),
                                 (ConfirmReexport("Re-export?", "", ""), ("y", "Write again"))):
            app.push_screen(dialog)
            await settle(pilot)
            footer = {(key.key_display or key.key, key.description) for key in app.screen.query(FooterKey)}
            assert expected in footer, footer
            dialog.dismiss(False)
            await settle(pilot)


# -- the diagnosis --------------------------------------------------------------------------------

async def test_a_difference_nothing_explains_is_unexplained(link_app):
    app = link_app()
    app.service.post("accrual", APRIL_END)  # everything is posted: only the balance typed differs
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("1", "0", "f7")
        await settle(pilot)
        assert type(app.screen).__name__ == "DiagnosisScreen"
        assert text(app, "Breadcrumb") == "Review › Tie-out › Diagnosis"
        assert "Studio figure 0.00 − QuickBooks balance 10.00 = difference -10.00" in text(app, "#diag-context")
        shown = causes(app)
        assert shown["Unexplained"] == ("", "-10.00")
        assert shown["Total (= the difference)"] == ("", "-10.00")
        assert all(amount == "0.00" for title, (_, amount) in shown.items()
                   if title not in ("Unexplained", "Total (= the difference)"))
        assert len(shown) == 10  # every cause, zero ones too, and the total
        await pilot.press("enter")  # nothing behind the unexplained rest
        await settle(pilot)
        assert type(app.screen).__name__ == "DiagnosisScreen"
        assert app.wizard.diagnosis["difference"] == "-10.00"
        await pilot.press("escape")
        await settle(pilot)
        assert "Diagnosed difference -10.00" in text(app, "#diag-status")
        await pilot.press("1")  # the balance is now 101: the diagnosis no longer matches it
        await settle(pilot)
        assert app.wizard.diagnosis is None
        assert "F7 diagnoses it again" in text(app, "#diag-status")


async def test_events_never_posted_are_listed_and_open_their_order(link_app):
    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("1", "0", "f7")
        await settle(pilot)
        assert causes(app)["Events never posted"] == ("2", "0.00")
        await pilot.press("enter")  # the cursor starts on the first cause with records
        await settle(pilot)
        assert type(app.screen).__name__ == "CauseScreen"
        assert text(app, "Breadcrumb") == "Review › Tie-out › Diagnosis › Events never posted"
        assert [[r[0], r[1], r[2], r[3]] for r in rows(app.screen.query_one("#cause-items"))] == [
            ["2026-04-05", "—", "order A completed, not posted", "266.00"],
            ["2026-04-05", "—", "payment P2, not posted", "-266.00"]]
        assert text(app, "#cause-total") == "2 records · Total 0.00 (= the cause's amount)"
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderScreen" and app.screen.order_id == "A"
        assert text(app, "Breadcrumb").endswith("Events never posted › Order A")
        await pilot.press("escape", "down", "enter")  # payment P2 opens its order
        await settle(pilot)
        assert type(app.screen).__name__ == "OrderScreen" and app.screen.order_id == "A"


async def test_unreadable_quickbooks_files_show_one_error_line(link_app, own_db):
    app = link_app()
    broken = own_db.parent / "broken.csv"
    broken.write_text("not,a,quickbooks,report\n1,2,3,4\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("f7")
        await settle(pilot)
        assert text(app, "#diag-status").startswith("Cannot diagnose: enter the QuickBooks balance")
        await pilot.press("1", "0", "tab", "tab", "tab", *str(own_db.parent / "missing.csv"), "f7")
        await settle(pilot)
        assert app.screen.STEP == "Tie-out"
        assert text(app, "#diag-status") == f"Cannot diagnose: {own_db.parent / 'missing.csv'}: no such file."
        await pilot.press("ctrl+u", *str(broken), "enter")  # Enter in the detail field diagnoses too
        await settle(pilot)
        assert app.screen.STEP == "Tie-out"
        status = text(app, "#diag-status")
        assert status.startswith(f"Cannot diagnose: {broken}:2: ") and "\n" not in status
        assert app.wizard.diagnosis is None


async def test_the_books_method_is_required_for_a_diagnosis(link_app):
    app = link_app()
    app.service.post("accrual", APRIL_END)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out", "cash")
        await pilot.press("3", "0", "f7")
        await settle(pilot)
        assert app.screen.STEP == "Tie-out"
        assert text(app, "#diag-status") == ("Cannot diagnose with the cash method: the books post with the accrual "
                                             "method (since batch 1); choose Accrual at the start.")


async def test_the_quickbooks_detail_explains_the_difference(link_app, own_db):
    app = link_app()
    app.service.post("accrual", APRIL_END)
    detail = quickbooks_after_import(own_db)
    trial_balance = write_trial_balance(own_db.parent / "qb-trial-balance.csv", -25600)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        # no balance typed; Tab between the files (Enter in a QuickBooks file field diagnoses at once now)
        await pilot.press("tab", "tab", *str(trial_balance), "tab", *str(detail), "f7")
        await settle(pilot)
        assert type(app.screen).__name__ == "DiagnosisScreen"
        shown = causes(app)
        assert shown["Entries imported twice"] == ("1", "266.00")
        assert shown["Entries not from the studio"] == ("1", "-10.00")
        assert shown["Unexplained"] == ("", "0.00")
        assert shown["Total (= the difference)"] == ("", "256.00")
        assert f"QuickBooks detail: {detail}" in text(app, "#diag-source")
        await pilot.press("enter")
        await settle(pilot)
        assert text(app, "Breadcrumb").endswith("Diagnosis › Entries imported twice")
        [[on, docnum, what, amount]] = rows(app.screen.query_one("#cause-items"))
        assert (on, amount) == ("2026-04-06", "266.00") and what.startswith("batch 1: payment P2 again")
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen.query_one("#qb-balance").value == "-256.00"  # read from the Trial Balance
        assert app.wizard.qb_balance == "-256.00" and app.wizard.diagnosis["qb_balance"] == "-256.00"
        await pilot.press("escape")  # back to the review and forward again: nothing entered is lost
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen.query_one("#qb-trial-balance").value == str(trial_balance)
        assert app.screen.query_one("#qb-detail").value == str(detail)
        assert app.wizard.diagnosis is not None


async def test_finalizing_after_a_diagnosis_stores_it(link_app, own_db):
    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("1", "0", "tab", *"QuickBooks off by 10", "f7")
        await settle(pilot)
        assert type(app.screen).__name__ == "DiagnosisScreen"
        await pilot.press("escape", "ctrl+n")
        await settle(pilot)
        assert app.screen.STEP == "Finalize"
        await pilot.press(*"April close", "ctrl+f")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.done
        await pilot.press("ctrl+n", "h")  # the history's record view shows the diagnosis kept with it
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        shown = "\n".join(app.screen.query_one("#record").items)  # the record's lines, as printed
        assert "Events never posted" in shown and "Unexplained" in shown and "-10.00" in shown
    diagnosis = stored_diagnosis(own_db)
    assert (diagnosis["method"], diagnosis["gl_account"], diagnosis["as_of"]) == ("accrual", "Accounts Receivable",
                                                                                   "2026-04-30")
    assert (diagnosis["studio_figure"], diagnosis["qb_balance"], diagnosis["difference"]) == ("0.00", "10.00",
                                                                                               "-10.00")
    by_cause = {c["cause"]: c for c in diagnosis["causes"]}
    assert by_cause["unexplained"]["amount"] == "-10.00"
    assert [i["event"] for i in by_cause["unposted"]["items"]] == ["order:A:completed", "payment:P2"]


async def test_a_diagnosis_of_another_balance_is_not_stored(link_app, own_db):
    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("1", "0", "f7")
        await settle(pilot)
        await pilot.press("escape", "backspace", "backspace", "0", "ctrl+n")  # the balance is 0.00 after all
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.done
    assert stored_diagnosis(own_db) is None


async def test_a_long_cause_mounts_a_page_at_a_time(link_app):
    """A studio that never posted has one record per event behind "Events never posted"."""
    from recon_tui.ledger.diagnosis import Cause, Diagnosis, Item
    from recon_tui.tui.screens.diagnosis import PAGE, CauseScreen

    items = tuple(Item(f"payment:P{n:05d}", APRIL_END, "", f"payment P{n:05d}, not posted", 100) for n in range(450))
    cause = Cause("unposted", 45000, items)
    diagnosis = Diagnosis("accrual", "Accounts Receivable", APRIL_END, 45000, 0,
                          (cause, Cause("unexplained", 0)))
    app = link_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CauseScreen(diagnosis, cause, ("Review", "Tie-out", "Diagnosis", cause.title)))
        await settle(pilot)
        table = app.screen.query_one("#cause-items")
        assert table.row_count == PAGE
        assert text(app, "#cause-total") == "450 records · Total 450.00 (= the cause's amount)"
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 2 * PAGE
        await pilot.press("end", "end")
        await settle(pilot)
        assert table.row_count == 450 and table.cursor_row == 449
        assert text(app, "#cause-detail") == "payment P00449, not posted"


# -- snapshots ------------------------------------------------------------------------------------

@pytest.mark.shows_paths  # the QuickBooks detail read
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_link_diagnosis(snap_compare, link_app, own_db, size):
    app = link_app()
    app.service.post("accrual", APRIL_END)
    detail = quickbooks_after_import(own_db)

    async def run_before(pilot):
        await open_at(pilot, "Tie-out")
        await pilot.press("tab", "tab", "tab", *str(detail), "f7")
        await settle(pilot)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_link_cause(snap_compare, link_app, size):
    async def run_before(pilot):
        await open_at(pilot, "Tie-out")
        await pilot.press("1", "0", "f7")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    assert snap_compare(link_app(), terminal_size=size, run_before=run_before)


@pytest.mark.shows_paths  # the batch files' folder
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_link_post_screen(snap_compare, link_app, size):
    app = link_app()
    app.service.post("accrual", date(2026, 3, 10))  # one batch listed, the rest waiting

    async def run_before(pilot):
        await to_post_screen(pilot)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.shows_paths  # the batch file to be written
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_link_post_confirmation(snap_compare, link_app, size):
    async def run_before(pilot):
        await to_post_screen(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert snap_compare(link_app(), terminal_size=size, run_before=run_before)
