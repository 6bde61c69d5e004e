"""A table of summary figures where Enter asks to see the records behind the highlighted one.

It is an item table (the list keys, ``/`` and Esc work as in every list); each row is a
``FigureRow``: its cells as shown, and the figure behind each amount cell that can be drilled into.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message

from recon_tui.tui.widgets.items import ItemTable


@dataclass(frozen=True)
class Figure:
    """One drillable figure: the drill-down section/key/column, its label and amount."""

    section: str
    key: str
    column: str
    label: str
    amount: int

    @property
    def title(self) -> str:
        return f"{self.label} ({self.column.title()})" if self.section == "balance_sheet" else self.label


@dataclass(frozen=True)
class FigureRow:
    """A row of a figure table: its cells, and per cell the figure behind it (None: not drillable)."""

    cells: tuple
    figures: tuple[Figure | None, ...] = ()

    def figure(self, column: int) -> Figure | None:
        return self.figures[column] if 0 <= column < len(self.figures) else None


class FigureTable(ItemTable):
    """Rows of figures; with a cell cursor (the Balance Sheet) the column picks the figure."""

    BINDINGS = [Binding("enter", "drill", "Drill down", id="drill", tooltip="List the records behind this figure")]

    @dataclass
    class Drill(Message):
        table: "FigureTable"
        figure: Figure

    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(zebra_stripes=False, **kwargs)
        self.title = title

    def show_rows(self, rows: list[FigureRow]) -> None:
        self.show(rows, lambda row: row.cells)

    def highlighted_figure(self) -> Figure | None:
        row = self.highlighted_item()
        if row is None:
            return None
        column = self.cursor_coordinate.column if self.cursor_type == "cell" else len(row.cells) - 1
        return row.figure(column)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drill":
            return self.highlighted_figure() is not None
        return super().check_action(action, parameters)

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if self.cursor_type == "cell" and new.column == 0 and self.columns:
            self.cursor_coordinate = new._replace(column=1)  # the label is not a figure

    def action_drill(self) -> None:
        figure = self.highlighted_figure()
        if figure is not None:
            self.post_message(self.Drill(self, figure))
