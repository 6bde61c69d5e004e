"""A table of summary figures where Enter asks to see the records behind the highlighted one."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable


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


class FigureTable(DataTable):
    """Rows of figures; ``figures[(row, column)]`` says which cells can be drilled into."""

    BINDINGS = [Binding("enter", "drill", "Drill down", id="drill", tooltip="List the records behind this figure")]

    @dataclass
    class Drill(Message):
        table: "FigureTable"
        figure: Figure

    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(zebra_stripes=False, **kwargs)
        self.title = title
        self.figures: dict[tuple[int, int], Figure] = {}

    def highlighted_figure(self) -> Figure | None:
        if self.row_count == 0:
            return None
        row, column = self.cursor_coordinate
        if self.cursor_type == "row":
            column = 1
        return self.figures.get((row, column))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drill":
            return self.highlighted_figure() is not None
        return True

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if self.cursor_type == "cell" and new.column == 0 and self.columns:
            self.cursor_coordinate = new._replace(column=1)  # the label is not a figure
        self.refresh_bindings()

    def action_drill(self) -> None:
        figure = self.highlighted_figure()
        if figure is not None:
            self.post_message(self.Drill(self, figure))
