"""Every list: focused with its first row highlighted the moment rows arrive, list keys, the filter,
the Amount column in view at 80 columns, the reports' totals on screen with real data."""

from __future__ import annotations

from wizard_keys import open_at, settle

from recon_tui.money import format_grouped
from recon_tui.tui.screens.drilldown import DrilldownScreen
from recon_tui.tui.screens.order import OrderScreen
from recon_tui.tui.widgets.items import ItemTable
from recon_tui.tui.widgets.records import RecordTable

ZERO = {m: "0" for m in ("cash", "check", "eft", "credit_card", "other")}
YEAR = {"previous": "2025-10-31", "current": "2026-10-31", "counts": ZERO}


async def open_report(pilot, key: str) -> ItemTable:
    await open_at(pilot, "Tie-out", **YEAR)
    await pilot.press(key)
    await settle(pilot)
    return pilot.app.screen.query_one("#report", ItemTable)


async def open_undeposited(pilot) -> RecordTable:
    """The Undeposited Funds (Current) drill-down of the demo studio: thousands of payments."""
    app = pilot.app
    await open_at(pilot, "Review", **YEAR)
    sheet = app.screen.query_one("#table-balance_sheet")
    sheet.focus()
    sheet.cursor_coordinate = sheet.cursor_coordinate._replace(row=1, column=2)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, DrilldownScreen)
    return app.screen.query_one(RecordTable)


def visible_columns(table) -> list[str]:
    """The column labels wholly inside the table's width (no horizontal scrolling)."""
    x, shown = 0, []
    for column in table.ordered_columns:
        x += column.get_render_width(table)
        if x <= table.scrollable_content_region.width:
            shown.append(str(column.label))
    return shown


async def test_a_report_takes_the_focus_with_its_first_row(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("f5", "f6"):
            table = await open_report(pilot, key)
            assert app.screen.focused is table and table.cursor_row == 0 and table.row_count > 3
            third = table.items[2]
            await pilot.press("down", "down", "enter")
            await settle(pilot)
            assert isinstance(app.screen, OrderScreen)
            assert app.screen.order_id == third.order_id
            await pilot.press("escape", "escape")
            await settle(pilot)


async def test_end_home_and_pages_move_the_row(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_report(pilot, "f5")
        await pilot.press("pagedown")
        assert table.cursor_row > 3 and table.scroll_x == 0
        await pilot.press("pageup")
        assert table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 and table.scroll_x == 0
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g", "j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1


async def test_a_drill_down_takes_the_focus_and_keeps_amount_in_view(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        records = await open_undeposited(pilot)
        assert app.screen.focused is records and records.cursor_row == 0
        assert len(records.records) == 200
        assert str(app.screen.query_one("#drill-context").render()).endswith("as of 2026-10-31")  # a balance
        assert visible_columns(records)[-1] == "Amount", visible_columns(records)
        third = records.records[2]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderScreen)
        assert app.screen.order_id == third.detail.split(",")[0].split()[1]


async def test_the_count_lists_keep_amount_in_view(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Count", **YEAR)
        await pilot.press(*["tab"] * 6, "f4")  # the credit cards count's payments
        await settle(pilot)
        records = app.screen.query_one(RecordTable)
        assert app.screen.focused is records and records.cursor_row == 0
        assert visible_columns(records)[-1] == "Amount"


async def test_the_aging_shows_its_total_column_and_total_line(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_report(pilot, "f5")
        figure = app.screen.report.total
        assert visible_columns(table)[-1] == "Balance", visible_columns(table)
        total = app.screen.query_one("#report-total")
        assert total.region.bottom <= app.screen.query_one("Footer").region.y
        assert f"total {format_grouped(figure)}" in str(total.render())
        await pilot.press("end")
        assert [str(c) for c in table.get_row_at(table.row_count - 1)][-1] == format_grouped(figure)


async def test_the_deposit_reconciliation_shows_its_last_column_and_totals(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_report(pilot, "f6")
        assert visible_columns(table)[-1] == "Outstanding", visible_columns(table)
        total = app.screen.query_one("#report-total")
        assert total.region.bottom <= app.screen.query_one("Footer").region.y
        assert "outstanding" in str(total.render())


async def test_slash_filters_a_list_in_memory(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_report(pilot, "f6")
        wanted = table.items[5]
        whole = len(table.items)
        await pilot.press("slash", *wanted.order_id, "enter")
        await settle(pilot)
        assert app.screen.focused is table
        assert [row.order_id for row in table.items] == [wanted.order_id]
        assert total_row(table) == ("Total shown", format_grouped(wanted.deposits),
                                    format_grouped(wanted.outstanding))
        await pilot.press("slash", "ctrl+u", "enter")
        await settle(pilot)
        assert len(table.items) == whole
        assert total_row(table)[0] == "Total"


def total_row(table: ItemTable) -> tuple:
    """The label and the amounts of a report's total row."""
    cells = [str(c).strip() for c in table.get_row("total")]
    return (cells[0], *[c for c in cells[1:] if c])


async def test_slash_filters_a_drill_down_in_sql(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        records = await open_undeposited(pilot)
        customer = records.records[3].customer
        await pilot.press("slash", *customer, "enter")
        await settle(pilot)
        assert records.records and all(r.customer == customer for r in records.records)
        assert app.screen.focused is records and records.cursor_row == 0
        amount = records.records[0].amount
        await pilot.press("slash", "ctrl+u", *format_grouped(amount), "enter")
        await settle(pilot)
        assert records.records and all(r.amount == amount for r in records.records)





async def test_help_closes_with_q_or_escape_and_end_goes_down_not_sideways(worked_app):
    app = worked_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        start = app.screen
        for close in ("q", "escape"):
            await pilot.press("question_mark")
            await settle(pilot)
            table = app.screen.query_one("#help-keys")
            await pilot.press("end")
            assert table.cursor_row == table.row_count - 1 and table.scroll_x == 0
            assert table.max_scroll_x == 0  # every label fits: nothing to scroll to
            await pilot.press("home")
            assert table.cursor_row == 0
            await pilot.press(close)
            await settle(pilot)
            assert app.screen is start


async def test_diagnosis_causes_are_focused_with_a_row(worked_app):
    """The causes and a cause's records arrive whole: focused at once, list keys work."""
    from recon_tui.tui.screens.diagnosis import CauseTable

    app = worked_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Tie-out")
        await pilot.press("1", "0", "f7")
        await settle(pilot)
        causes = app.screen.query_one(CauseTable)
        assert app.screen.focused is causes and causes.highlighted_item() is not None
        await pilot.press("G")
        assert causes.cursor_row == causes.row_count - 1


async def test_s_sorts_a_list_in_memory_by_the_next_column(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_report(pilot, "f6")
        await pilot.press("s", "s")  # by Order, then by Customer
        await settle(pilot)
        names = [row.customer.casefold() for row in table.items]
        assert names == sorted(names) and str(table.ordered_columns[1].label).endswith("▲")
        assert app.screen.focused is table and table.cursor_row == 0
        await pilot.press("s", "s", "s", "s", "S")  # Outstanding, largest first
        await settle(pilot)
        owed = [row.outstanding for row in table.items]
        assert owed == sorted(owed, reverse=True) and str(table.ordered_columns[5].label).endswith("▼")
        await pilot.press("end")
        assert "Total" in str(table.get_row_at(table.row_count - 1)[0])


async def test_s_sorts_a_drill_down_in_sql(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        records = await open_undeposited(pilot)
        await pilot.press(*["s"] * 5, "S")  # by Amount, largest first
        await settle(pilot)
        amounts = [r.amount for r in records.records]
        assert len(amounts) == 200 and amounts == sorted(amounts, reverse=True)
        assert amounts[0] == max(r.amount for r in app.screen.source.page(0, -1))
