"""Why the studio figure and the QuickBooks balance differ (DOMAIN §9): the causes, then the records.

The diagnosis arrives whole from the tie-out's worker. A cause can hold many records (a studio that
never posted has one per event), so its list mounts a page at a time as the cursor nears the end;
the total line is the cause's amount either way.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from recon_tui.money import format_grouped
from recon_tui.service import Cause, Diagnosis, Item
from recon_tui.tui.screens.base import ReconScreen
from recon_tui.tui.screens.order import open_order
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import cell, money, number_header
from recon_tui.tui.widgets.items import PAGE, ItemTable


class CauseTable(ItemTable):
    """The causes; Enter (named in the footer) opens the records behind the highlighted one."""

    BINDINGS = [Binding("enter", "select_cursor", "Records", id="open_cause",
                        tooltip="The records behind this cause")]


class CauseItemTable(ItemTable):
    """A cause's records; Enter (named in the footer) opens the order behind an order's or payment's."""

    BINDINGS = [Binding("enter", "select_cursor", "Open order", id="open_order",
                        tooltip="The order behind this record")]


def cause_row(c: Cause) -> tuple:
    quiet = "dim" if c.amount == 0 and not c.items else ""
    records = "" if c.code == "unexplained" else f"{len(c.items):,}"
    return cell(c.title, style=quiet), Text(records, justify="right", style=quiet), money(c.amount, quiet)


def opens_an_order(item: Item) -> bool:
    return item.record is not None and item.record[0] in ("order", "payment")


def opening_text(opening) -> str:
    shown = f"{format_grouped(opening.amount)} (line {opening.line})" if opening.line else "none (0.00)"
    return f"The export starts on {opening.start}: QuickBooks' opening balance {shown}."


def header_text(d: Diagnosis) -> str:
    return (f"{d.account} as of {d.as_of} ({d.method})\n"
            f"Studio figure {format_grouped(d.studio_figure)} − QuickBooks balance {format_grouped(d.qb_balance)}"
            f" = difference {format_grouped(d.difference)}")


class DiagnosisScreen(ReconScreen):
    """The causes of the difference, in DOMAIN §9 order, zero ones dimmed; their total is the difference."""

    SUB_TITLE = "Diagnosis"

    def __init__(self, diagnosis: Diagnosis, crumbs: tuple[str, ...] = ("Review", "Tie-out", "Diagnosis")) -> None:
        super().__init__()
        self.diagnosis, self.crumbs = diagnosis, crumbs

    def compose(self) -> ComposeResult:
        d = self.diagnosis
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        yield Static(header_text(d), id="diag-context", markup=False)
        yield CauseTable(id="causes")
        if d.detail_file:
            source = f"QuickBooks detail: {d.detail_file}"
            if d.opening is not None:
                source += f"\n{opening_text(d.opening)}"
        else:
            source = "No QuickBooks transaction detail given: QuickBooks-side causes (never imported, " \
                     "imported twice, changed, not from the studio) stay unexplained."
        if d.cause("unposted").items:
            source += "\nF8 at the tie-out (p at the start) posts the events never posted."
        source += "".join(f"\nNote: {note}" for note in d.notes)
        yield Static(source, id="diag-source", classes="hint", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        d = self.diagnosis
        table = self.query_one("#causes", CauseTable)
        table.add_column("Cause", key="cause")
        table.add_column(number_header("Records"), key="records")
        table.add_column(number_header("Amount"), key="amount")
        total = sum(c.amount for c in d.causes)
        table.show(d.causes, cause_row, key=lambda c: c.code, openable=lambda c: bool(c.items),
                   total=(Text("Total (= the difference)", style="bold"), "", money(total, "bold")))
        first = next((i for i, c in enumerate(d.causes) if c.amount or c.items), 0)
        table.move_cursor(row=first)
        table.focus()

    def on_item_table_selected(self, message: ItemTable.Selected) -> None:
        cause: Cause = message.item
        self.app.push_screen(CauseScreen(self.diagnosis, cause, self.crumbs + (cause.title,)))


class CauseScreen(ReconScreen):
    """The records behind one cause; Enter on an order's or a payment's record opens the order."""

    SUB_TITLE = "Diagnosis"
    FIXED = 10 + 11 + 14 + 4 * 2 + 2  # Date, DOCNUM and Amount columns, cell padding, scrollbar
    # the detail column takes what is left at most; longer details end in … and show in full below

    def __init__(self, diagnosis: Diagnosis, cause: Cause, crumbs: tuple[str, ...]) -> None:
        super().__init__()
        self.diagnosis, self.cause, self.crumbs = diagnosis, cause, crumbs

    def compose(self) -> ComposeResult:
        c = self.cause
        yield from self.compose_header()
        yield Breadcrumb(self.crumbs)
        yield Static(f"{c.title}: {format_grouped(c.amount)} of the difference "
                     f"{format_grouped(self.diagnosis.difference)}", id="cause-context", markup=False)
        yield CauseItemTable(id="cause-items")
        noun = "record" if len(c.items) == 1 else "records"
        yield Static(f"{len(c.items):,} {noun} · Total {format_grouped(sum(i.amount for i in c.items))} "
                     f"(= the cause's amount)", id="cause-total", markup=False)
        yield Static("", id="cause-detail", classes="hint", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        table = self.query_one(CauseItemTable)
        longest = max((len(i.detail) for i in self.cause.items[:PAGE]), default=0)
        width = max(16, min(self.app.size.width - self.FIXED, max(longest, len("Record detail"))))
        table.add_column("Date", key="on")
        table.add_column("DOCNUM", key="docnum")
        table.add_column("Record detail", key="detail", width=width)
        table.add_column(number_header("Amount"), key="amount")
        table.show(self.cause.items, lambda i: (i.on.isoformat() if i.on else "", cell(i.docnum or "—"),
                                                cell(i.detail), money(i.amount)), openable=opens_an_order)
        table.focus()
        self._describe()

    def _describe(self) -> None:
        item = self.query_one(CauseItemTable).highlighted_item()
        self.query_one("#cause-detail", Static).update(item.detail if item is not None else "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    def on_item_table_selected(self, message: ItemTable.Selected) -> None:
        kind, record_id = message.item.record
        open_order(self, kind, record_id, self.diagnosis.as_of)
