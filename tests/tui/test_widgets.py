"""The shared widgets on their own: the paged item table, the status line, the money cell."""

from __future__ import annotations

import threading

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from wizard_keys import settle

from recon_tui.tui.widgets.cells import money
from recon_tui.tui.widgets.items import AHEAD, PAGE, ItemTable
from recon_tui.tui.widgets.status import StatusLine


class Numbers(ItemTable):
    BINDINGS = [Binding("enter", "select_cursor", "Open", id="open")]


class Harness(App):
    def __init__(self) -> None:
        super().__init__()
        self.selected: list = []

    def compose(self) -> ComposeResult:
        yield Numbers(id="numbers")
        yield StatusLine(id="status")

    def on_mount(self) -> None:
        table = self.query_one(Numbers)
        table.add_column("n", key="n")
        table.add_column(Text("Amount", justify="right"), key="amount")
        table.focus()

    def on_item_table_selected(self, message: ItemTable.Selected) -> None:
        self.selected.append(message.item)


def render(n: int) -> tuple:
    return str(n), money(n * 100)


async def test_pages_come_from_the_callable_as_the_cursor_nears_the_end():
    app = Harness()
    asked: list[tuple[int, int]] = []

    def pages(offset: int, limit: int) -> list[int]:  # in the table's worker, as a query would
        asked.append((offset, limit))
        return list(range(450))[offset:offset + limit]

    async with app.run_test() as pilot:
        table = app.query_one(Numbers)
        table.load(pages, render, openable=lambda n: n % 2 == 0, total=("Total", money(0)))
        await settle(pilot)
        assert table.row_count == PAGE and table.cursor_row == 0 and table.highlighted_item() == 0
        assert asked == [(0, PAGE)]
        table.move_cursor(row=PAGE - AHEAD - 1)
        await settle(pilot)
        assert table.row_count == PAGE  # not yet near the end
        await pilot.press("down")
        await settle(pilot)
        assert table.row_count == 2 * PAGE and asked[-1] == (PAGE, PAGE)
        await pilot.press("end", "end")
        await settle(pilot)
        assert table.complete and table.row_count == 450 + 1  # the total line follows the last page
        assert table.highlighted_item() is None  # on the total line
        await pilot.press("home", "enter", "down", "enter")  # 0 opens, 1 does not
        await settle(pilot)
        assert app.selected == [0]
        assert table.check_action("select_cursor", ()) is False


async def test_a_list_in_memory_mounts_a_page_at_a_time_without_a_worker():
    app = Harness()
    async with app.run_test() as pilot:
        table = app.query_one(Numbers)
        table.show(list(range(250)), render, key=lambda n: f"n{n}")
        assert table.row_count == PAGE  # at once: no worker
        assert table.get_row("n7")[0] == "7"
        await pilot.press("end")
        await pilot.pause()
        assert table.row_count == 250 and table.complete


async def test_a_page_of_a_list_replaced_meanwhile_is_dropped():
    app = Harness()
    gate = threading.Event()

    def slow(offset: int, limit: int) -> list[int]:
        gate.wait(5)
        return [1, 2, 3]

    async with app.run_test() as pilot:
        table = app.query_one(Numbers)
        table.load(slow, render)
        await pilot.pause()
        table.show([7, 8], render)
        gate.set()
        await settle(pilot)
        assert table.items == [7, 8] and table.row_count == 2


async def test_the_status_line_says_its_tone_in_a_class():
    app = Harness()
    async with app.run_test():
        status = app.query_one(StatusLine)
        status.say("Cannot post: locked", "error")
        assert str(status.render()) == "Cannot post: locked" and status.has_class("-error")
        status.say("Posted [batch 2]", "ok")  # never markup: paths and names come from files
        assert str(status.render()) == "Posted [batch 2]"
        assert status.has_class("-ok") and not status.has_class("-error")
        status.say("Writing…")
        assert not status.has_class("-ok") and not status.has_class("-error")


def test_money_cells_are_grouped_and_right_aligned():
    cell = money(-123456, "bold")
    assert (cell.plain, cell.justify, str(cell.style)) == ("-1,234.56", "right", "bold")
