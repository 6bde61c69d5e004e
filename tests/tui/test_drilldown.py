"""Every summary figure drills down to records that add up to it; Esc comes back to the same cell."""

from __future__ import annotations

from wizard_keys import open_at, settle

from recon_tui.tui.screens.drilldown import DrilldownScreen
from recon_tui.tui.screens.order import OrderScreen
from recon_tui.tui.screens.review import ReviewScreen
from recon_tui.tui.widgets.figures import FigureTable
from recon_tui.tui.widgets.records import RecordTable


def figures(table: FigureTable) -> dict:
    """(row, column) -> the figure behind that cell (the table's rows are ``FigureRow`` items)."""
    return {(row, column): figure for row, item in enumerate(table.items)
            for column, figure in enumerate(item.figures) if figure is not None}


async def drill_every_figure(pilot) -> int:
    """Visit every figure of the four tables by keyboard; check each drill-down; return how many."""
    app, review = pilot.app, pilot.app.screen
    seen = 0
    for index in range(4):
        table: FigureTable = review.focused
        drillable = figures(table)
        cells = sorted(drillable)
        for row, column in cells:
            while table.cursor_coordinate.row < row:
                await pilot.press("down")
            while table.cursor_type == "cell" and table.cursor_coordinate.column < column:
                await pilot.press("right")
            while table.cursor_type == "cell" and table.cursor_coordinate.column > column:
                await pilot.press("left")
            figure = table.highlighted_figure()
            assert figure == drillable[(row, column)]
            await pilot.press("enter")
            await settle(pilot)
            drill = app.screen
            assert isinstance(drill, DrilldownScreen)
            records = drill.query_one(RecordTable)
            assert sum(r.amount for r in records.records) == figure.amount, figure
            total = str(drill.query_one("#drill-total").render())
            assert "(= the figure)" in total, (figure, total)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is review and review.focused is table
            assert table.cursor_coordinate.row == row  # the cursor is where it was
            seen += 1
        await pilot.press("tab")
    return seen


async def test_every_figure_drills_to_its_records_and_on_to_an_order(worked_app):
    app = worked_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Review")
        assert await drill_every_figure(pilot) == 2 + 2 + 8 + 16
        # back on the Income table after a full round of Tab; now two levels deep
        await pilot.press("tab", "tab", "tab", *["up"] * 16, "left", *["down"] * 7)  # Deposits, Change
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert str(drill.query_one("Breadcrumb").render()) == "Review › Balance Sheet › Deposits (Change)"
        records = drill.query_one(RecordTable)
        assert [(r.record_id, r.amount) for r in records.records] == [("A", -5000), ("B", 3000)]
        await pilot.press("down", "enter")
        await settle(pilot)
        order = app.screen
        assert isinstance(order, OrderScreen)
        assert str(order.query_one("Breadcrumb").render()) == "Review › Balance Sheet › Deposits (Change) › Order B"
        assert "BUILT as of 2026-04-30" in str(order.query_one("#order-head").render())
        assert "total 86.40 · paid 30.00 · balance 56.40" in str(order.query_one("#order-balance").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is drill and records.cursor_row == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.focused.cursor_coordinate == (7, 1)


async def test_a_long_list_pages_from_sql_as_the_cursor_moves(demo_app):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "Count", previous="2025-10-31", current="2026-10-31",
                      counts={m: "0" for m in ("cash", "check", "eft", "credit_card", "other")})
        await pilot.press(*["tab"] * 6, "f4")  # the credit cards count's payments
        await settle(pilot)
        drill = app.screen
        records = drill.query_one(RecordTable)
        assert len(records.records) == 200 and not records.complete
        count = int(str(drill.query_one("#drill-total").render()).split()[0].replace(",", ""))
        assert count > 200
        for _ in range(20):
            if records.complete:
                break
            await pilot.press("end")
            await settle(pilot)
        assert records.complete, (len(records.records), records.fetching, records.cursor_row)
        assert len(records.records) == count
        assert sum(r.amount for r in records.records) == drill.figure.amount
