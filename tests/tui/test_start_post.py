"""Issue 11, items 7, 8, 12, 13 and 14 on the Start and Post screens: the method the books already
use is the default, a method change between periods is said, the first batch asks for its method
by name, a reopen is seen at once, the Post screen's words wrap and a folder is called a folder."""

from __future__ import annotations

from datetime import date

from recon_tui.tui.screens.start import method_note
from recon_tui.tui.wizard import WizardState

from conftest import WORKED_TODAY
from wizard_keys import WORKED_COUNTS, settle

ZERO_COUNTS = {method: "0" for method in WORKED_COUNTS}


def finalize(app, method: str, previous: str, current: str, counts=None) -> None:
    """A record finalized before the app runs, as the wizard's last step makes it."""
    from recon_tui.tui.screens.finalize import build_request

    counts = dict(WORKED_COUNTS if counts is None else counts)
    wizard = WizardState(method=method, previous=previous, current=current, counted=counts,
                         notes={m: "counted" for m in counts}, qb_balance="0", qb_note="difference explained",
                         final_notes="closed")
    period = wizard.period(WORKED_TODAY)
    app.service.finalize(build_request(wizard, app.service.reconcile(period, method)))


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


# -- item 7: the method ----------------------------------------------------------------------------

async def test_start_defaults_to_the_last_finalized_method(app_on):
    app = app_on()
    assert app.service.default_method == "accrual"
    finalize(app, "cash", "2026-03-31", "2026-04-30")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.wizard.method.name == "cash"
        assert app.screen.query_one("#method").highlighted == 1
        assert text(app, "#method-note") == "Cash: as #1 was finalized."
        await pilot.press("up")  # accrual after a cash period: said
        await settle(pilot)
        assert app.wizard.method.name == "accrual"
        assert text(app, "#method-note") == ("⚠ The last period (#1) was finalized as cash: accrual here changes "
                                             "the method between consecutive periods.")


async def test_start_defaults_to_the_books_posting_method(app_on):
    app = app_on()
    app.service.post("cash", date(2026, 3, 10))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.wizard.method.name == "cash"
        assert text(app, "#method-note") == "Cash: the books post by it."
        await pilot.press("up")
        await settle(pilot)
        assert "books post to QuickBooks by the cash method" in text(app, "#method-note")


async def test_start_keeps_the_config_method_when_the_books_say_nothing(app_on):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.wizard.method.name == "accrual"
        assert text(app, "#method-note") == "Accrual: the config's method."


def test_the_method_note_in_words():
    assert method_note("cash", None, None, "accrual", "the config's") == ""
    assert method_note("accrual", None, "accrual", "accrual", "the books post by it") == \
        "Accrual: the books post by it."


async def test_the_first_batch_asks_for_its_method_by_name(app_on):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.wizard = app.wizard.entered(method="accrual")  # as if highlighted on Start without a thought
        await pilot.press("p")
        await settle(pilot)
        assert "not fixed yet" in text(app, "#post-method")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmFirstPost"
        dialog = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Post batch 1 by the accrual method?" in dialog and "every later batch is accrual too" in dialog
        await pilot.press("y", "enter")  # neither locks the books
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmFirstPost" and app.service.batches() == []
        await pilot.press("c")  # switch: the cash events are listed first, nothing is posted
        await settle(pilot)
        assert type(app.screen).__name__ == "PostScreen" and app.service.batches() == []
        assert text(app, "#post-method").startswith("Method: cash")
        assert "Switched to the cash method" in text(app, "#post-status")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Post batch 1 by the cash method?" in dialog
        await pilot.press("c")
        await settle(pilot)
        assert "Posted batch 1" in text(app, "#post-status")
    assert [b.method for b in app.service.batches()] == ["cash"]


# -- item 8: after a reopen ------------------------------------------------------------------------

async def reopen_latest(pilot, reason: str) -> None:
    """Open History (from any step), reopen the latest record in force with ``reason``."""
    pilot.app.action_history()
    await settle(pilot)
    await pilot.press("end", "r")
    await settle(pilot)
    await pilot.press(*reason, "enter")
    await settle(pilot)


async def test_after_a_reopen_start_and_dates_follow_the_record_in_force(app_on):
    app = app_on()
    finalize(app, "accrual", "2026-02-28", "2026-03-31", ZERO_COUNTS)
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert text(app, "#last-finalized").startswith("Last finalized: #2")
        assert app.wizard.previous == "2026-04-30"
        await reopen_latest(pilot, "late refund")
        await pilot.press("escape")  # back to Start: read again
        await settle(pilot)
        assert app.screen.STEP == "Start"
        assert text(app, "#last-finalized").startswith("Last finalized: #1 (accrual), after 2026-02-28 through "
                                                       "2026-03-31")
        assert app.wizard.previous == "2026-03-31"
        await pilot.press("enter")
        await settle(pilot)
        previous = app.screen.query_one("#previous")
        assert previous.value == "2026-03-31" and previous.disabled


async def test_after_reopening_the_only_record_none_is_in_force(app_on):
    app = app_on()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await reopen_latest(pilot, "wrong period")
        await pilot.press("escape")
        await settle(pilot)
        assert text(app, "#last-finalized") == "No finalized reconciliation in force (the last one was reopened)"
        assert app.wizard.previous == ""  # the Dates step offers its default again, unlocked
        await pilot.press("enter")
        await settle(pilot)
        assert not app.screen.query_one("#previous").disabled


def test_the_wizard_follows_the_record_in_force():
    wizard = WizardState(method="accrual")
    wizard = wizard.following("2026-04-30")
    assert (wizard.previous, wizard.in_force_through) == ("2026-04-30", "2026-04-30")
    wizard = wizard.following("2026-03-31")  # the latest reopened: the one before
    assert wizard.previous == "2026-03-31"
    wizard = wizard.following(None)  # none left: the date from the record goes too
    assert wizard.previous == ""
    wizard = wizard.entered(previous="2026-01-31")  # typed by the user: kept
    wizard = wizard.following(None)
    assert wizard.previous == "2026-01-31"


# -- items 12 and 13: the Post screen's words --------------------------------------------------------

async def test_the_post_screens_error_wraps(app_on):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        message = ("the books post by the cash method since batch 1; this reconciliation uses accrual, so "
                   "posting it would mix the two methods in one set of books")
        app.screen._failed(app.screen.through, message)
        await pilot.pause()
        status = app.screen.query_one("#post-status")
        assert status.size.height >= 2
        assert status.size.height >= 2 and text(app, "#post-status").endswith("in one set of books")


async def test_a_folder_given_for_the_lists_file_is_called_a_folder(app_on, own_db):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        app.screen.query_one("#qb-lists").focus()
        await pilot.pause()
        await pilot.press(*str(own_db.parent), "f4")
        await settle(pilot)
        assert f"{own_db.parent} is a folder" in text(app, "#lists-result")


async def test_the_through_dates_error_wraps_beside_the_field(app_on):
    app = app_on()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("ctrl+u", *"2026-02-30")
        await settle(pilot)
        error = app.screen.query_one("#through-error")
        words = text(app, "#through-error")
        assert len(words) > error.size.width and error.size.height >= 2  # all of it shows, on two lines


async def test_a_reopen_from_a_later_step_moves_the_wizards_previous_date(app_on):
    app = app_on()
    finalize(app, "accrual", "2026-02-28", "2026-03-31", ZERO_COUNTS)
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Dates, the previous date locked to #2's end
        await settle(pilot)
        assert app.wizard.previous == "2026-04-30"
        await reopen_latest(pilot, "late refund")
        assert app.wizard.previous == "2026-03-31"
        await pilot.press("escape")  # back to Dates, still open under History: its field follows too
        await settle(pilot)
        assert type(app.screen).__name__ == "DatesScreen"
        field = app.screen.query_one("#previous")
        assert field.disabled and field.value == "2026-03-31"


async def test_dates_unlock_the_previous_date_when_the_only_record_is_reopened(app_on):
    app = app_on()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#previous").disabled
        await reopen_latest(pilot, "wrong month")
        await pilot.press("escape")
        await settle(pilot)
        field = app.screen.query_one("#previous")
        assert type(app.screen).__name__ == "DatesScreen" and not field.disabled
        # no record in force: the previous date's default is empty now (DOMAIN §16), in the field as in the state
        assert field.value == app.wizard.previous == ""


async def test_dates_say_when_the_method_changes_between_consecutive_periods(app_on):
    app = app_on()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # Cash, after an accrual period
        await settle(pilot)
        said = str(app.screen.query_one("#previous-note").render())  # moved from #previous-error
        assert "Finalized as accrual: cash here changes the method" in said
