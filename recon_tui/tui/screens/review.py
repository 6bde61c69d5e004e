"""Step 4: the four tables of DOMAIN §5 for the period, with the balance identity shown as passed.

Tab/Shift-Tab move between tables, arrows within; Enter drills into the highlighted figure (on the
Balance Sheet the highlighted column, Change or Current, decides which records).
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import Label, Static

from recon_tui.money import format_grouped
from recon_tui.service import Summary
from recon_tui.tui.screens.base import StepScreen
from recon_tui.tui.screens.drilldown import DrilldownScreen
from recon_tui.tui.widgets.breadcrumb import Breadcrumb
from recon_tui.tui.widgets.cells import money, number_header
from recon_tui.tui.widgets.figures import Figure, FigureRow, FigureTable

TABLES = (("income", "Income Summary"), ("expenses", "Expense Summary"),
          ("payments", "Payments Received"), ("balance_sheet", "Balance Sheet"))
WIDE = 110  # columns from which the four tables sit two by two


def identity_text(s: Summary) -> str:
    assets, liabilities = s.side_change("asset"), s.side_change("liability")
    g = format_grouped
    return (f"Identity OK: Change(assets) − Change(liabilities) = Income − Expenses\n"
            f"{g(assets)} − ({g(liabilities)}) = {g(assets - liabilities)} = "
            f"{g(s.income_total)} − {g(s.expense_total)}")


def drift_warning(drifts: dict) -> str:
    """One line naming the finalized records whose period's source records changed since (§10)."""
    if not drifts:
        return ""
    numbers = ", ".join(f"#{number}" for number in sorted(drifts))
    first = drifts[min(drifts)].describe()[0]
    more = "" if len(drifts[min(drifts)].describe()) == 1 and len(drifts) == 1 else "; …"
    return f"⚠ Finalized {numbers} changed since (h: History): {first}{more}"


def fill_tables(screen, s: Summary) -> dict[str, FigureTable]:
    """Fill the screen's four ``#table-<section>`` FigureTables with the summary's figures."""
    tables = {section: screen.query_one(f"#table-{section}", FigureTable) for section, _ in TABLES}
    ReviewScreen.fill(tables, s)
    return tables


class ReviewScreen(StepScreen):
    STEP = "Review"
    BINDINGS = [Binding("ctrl+n", "next", "Tie-out", id="next", tooltip="Tie the studio figure out to QuickBooks"),
                Binding("h", "app.history", "History", id="history",
                        tooltip="Finalized reconciliations and what changed in them")]

    def compose(self) -> ComposeResult:
        wizard = self.wizard
        self.period = wizard.period(self.app.today)
        yield from self.compose_header()
        yield Breadcrumb(("Review",))
        yield Static(f"{wizard.method.title} method · after {self.period.previous} through "
                     f"{self.period.current}", id="context", markup=False)
        if not wizard.method.accrues:  # DOMAIN §8: the studio's view of cash, not QuickBooks' cash basis
            yield Static("The studio's figures (income as orders complete); QuickBooks, posted by the cash "
                         "method, shows income as money comes in.", id="cash-note", classes="note", markup=False)
        with Vertical(id="tables"):
            for section, title in TABLES:
                with Vertical(classes="section", id=f"section-{section}"):
                    yield Label(title, classes="section-title")
                    table = FigureTable(title, id=f"table-{section}",
                                        cursor_type="cell" if section == "balance_sheet" else "row")
                    table.loading = True
                    yield table
        yield Static("", id="drift", classes="error", markup=False)
        yield Static("Checking the balance identity…", id="identity", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#drift").display = False
        self.load_summary()
        self.load_drift()

    @work(thread=True, exclusive=True, group="drift", exit_on_error=False)
    def load_drift(self) -> None:
        drifts = self.app.service.recheck()  # re-reads each finalized period's records
        self.app.call_from_thread(self._show_drift, drifts)

    def _show_drift(self, drifts: dict) -> None:
        warning = drift_warning(drifts)
        drift = self.query_one("#drift", Static)
        if warning or drift.display:  # the usual case, nothing changed: no re-layout
            drift.update(warning)
            drift.display = bool(warning)

    def on_resize(self, event: Resize) -> None:
        self.query_one("#tables").set_class(event.size.width >= WIDE, "wide")

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def load_summary(self) -> None:
        summary = self.app.service.summary(self.period)
        self.app.call_from_thread(self._show, summary)

    def _show(self, s: Summary) -> None:
        t = fill_tables(self, s)
        self.query_one("#identity", Static).update(identity_text(s))
        for table in t.values():
            table.loading = False
            table.refresh_bindings()
        if self.focused is None:
            t["income"].focus(scroll_visible=False)

    @staticmethod
    def fill(t: dict[str, FigureTable], s: Summary) -> None:
        rows = [(line.label, Figure("income", line.key, "amount", line.label, line.amount)) for line in s.income]
        ReviewScreen._fill(t["income"], ["Account", "Amount"],
                           (rows or [("(no income this period)", 0)]) + [("Total Income", s.income_total)])
        ReviewScreen._fill(t["expenses"], ["Expense", "Amount"],
                           [(line.label, Figure("expenses", line.key, "amount", line.label, line.amount))
                            for line in s.expenses] + [("Total Expenses", s.expense_total)])
        payments = [(line.label, Figure("payments", line.key, "amount", line.label, line.amount)) for line in s.payments]
        payments += [("SubTotal", Figure("payments", "subtotal", "amount", "SubTotal", s.payments_subtotal)),
                     ("In-Store Credit", Figure("payments", "in_store_credit", "amount", "In-Store Credit",
                                                s.in_store_credit_payments))]
        ReviewScreen._fill(t["payments"], ["Method", "Amount"], payments)
        ReviewScreen._fill_sheet(t["balance_sheet"], s)

    @staticmethod
    def _fill(table: FigureTable, headers: list[str], rows: list[tuple[str, Figure | int]]) -> None:
        table.clear(columns=True)
        table.add_column(headers[0], key="label")
        table.add_column(number_header(headers[1]), key="amount")
        shown = []
        for label, value in rows:
            figure = value if isinstance(value, Figure) else None
            amount = figure.amount if figure else value
            total = figure is None or figure.key == "subtotal"
            shown.append(FigureRow((Text(label, style="bold" if total else ""), money(amount, "bold" if total else "")),
                                   (None, figure)))
        table.show_rows(shown)

    @staticmethod
    def _fill_sheet(table: FigureTable, s: Summary) -> None:
        table.clear(columns=True)
        table.add_column("", key="label")
        table.add_column(number_header("Change"), key="change")
        table.add_column(number_header("Current"), key="current")
        rows = []
        for side, title in (("asset", "Assets"), ("liability", "Liabilities")):
            rows.append(FigureRow((Text(title, style="bold"), "", "")))
            for line in (line for line in s.balance_sheet if line.side == side):
                rows.append(FigureRow((f"  {line.label}", money(line.change), money(line.current)), (
                    None, Figure("balance_sheet", line.key, "change", line.label, line.change),
                    Figure("balance_sheet", line.key, "current", line.label, line.current))))
        table.show_rows(rows)
        table.cursor_coordinate = table.cursor_coordinate._replace(row=1, column=1)

    def action_next(self) -> None:
        self.post_message(self.Done(self))

    def on_figure_table_drill(self, message: FigureTable.Drill) -> None:
        self.app.push_screen(DrilldownScreen(("Review", message.table.title, message.figure.title),
                                             message.figure, self.period))
