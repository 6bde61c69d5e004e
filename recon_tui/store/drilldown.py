"""Drill-down: the records behind any figure of the summary, paged from SQL.

Every summary figure has a query whose rows are the orders, payments or credit adjustments
that make it up, each with the amount it contributes; the rows sum exactly to the figure.
A screen asks for ``count()``/``total()`` once and then ``page(offset, limit)`` as it scrolls,
so a list of tens of thousands of rows never has to be loaded whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: importing sqlite_utils costs start-up time
    import sqlite_utils

from recon_tui.config import Config
from recon_tui.model import BANK_METHODS, Period
from recon_tui.money import MoneyError, parse_cents
from recon_tui.store.queries import BANK, changed_orders_sql, paid_sql


@dataclass(frozen=True)
class DrillRow:
    kind: str  # order | payment | adjustment
    record_id: str
    on: date
    customer: str
    detail: str
    amount: int


class Drilldown:
    """The records behind one figure, read from the database a page at a time."""

    #: the columns a list can be sorted by, in the order the screens show them
    COLUMNS = ("on_date", "record_id", "customer COLLATE NOCASE", "detail COLLATE NOCASE", "amount")

    def __init__(self, db: sqlite_utils.Database, title: str, kind: str, sql: str, params: dict,
                 quick: Quick | None = None, order: str = "on_date, record_id") -> None:
        # sql selects kind, record_id, on_date, customer, detail, amount
        self.db, self.title, self.kind, self.sql, self.params = db, title, kind, sql, params
        self.quick, self.order = quick, order

    def sorted_by(self, column: int | None, descending: bool = False) -> Drilldown:
        """The same records by one of ``COLUMNS`` (then date and record); None: by date and record."""
        if column is None:
            return self
        order = f"{self.COLUMNS[column]} {'DESC' if descending else 'ASC'}, on_date, record_id"
        return Drilldown(self.db, self.title, self.kind, self.sql, self.params, self.quick, order)

    def _scalar(self, expression: str):
        return self.db.execute(f"SELECT {expression} FROM ({self.sql})", self.params).fetchone()[0]

    def count(self) -> int:
        if self.quick is not None:
            return self.db.execute(self.quick.count, self.params).fetchone()[0]
        return self._scalar("COUNT(*)")

    def total(self) -> int:
        if self.quick is not None:
            return self.db.execute(self.quick.total, self.params).fetchone()[0]
        return self._scalar("COALESCE(SUM(amount), 0)")

    def page(self, offset: int = 0, limit: int = -1) -> list[DrillRow]:
        rows = self.db.execute(
            f"SELECT * FROM ({self.sql}) ORDER BY {self.order} LIMIT :limit OFFSET :offset",
            {**self.params, "limit": limit, "offset": offset})
        return [DrillRow(kind, rid, date.fromisoformat(on), customer, detail, amount)
                for kind, rid, on, customer, detail, amount in rows]

    def rows(self) -> list[DrillRow]:
        return self.page()

    def matching(self, text: str) -> Drilldown:
        """The records whose id, customer or detail (a payment's order id is in it) holds ``text``
        (any case), or whose amount is ``text`` as an amount (1,234.50, $1,234.50 and -12 too)."""
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where = " OR ".join(f"{c} LIKE :q ESCAPE '\\'" for c in ("record_id", "customer", "detail"))
        params = {**self.params, "q": like}
        try:
            params["a"] = parse_cents(text.replace("$", "").replace(",", ""))
            where += " OR amount = :a"
        except MoneyError:
            pass
        return Drilldown(self.db, self.title, self.kind, f"SELECT * FROM ({self.sql}) WHERE {where}", params,
                         order=self.order)


@dataclass(frozen=True)
class Quick:
    """The count and total of a payments list without reading its rows: the count from the
    payments' (paid_on, method, amount) index alone (no join: every payment has its order and
    customer), the total from the daily totals (store/derived.py)."""

    count: str
    total: str


def _quick_payments(methods: str, where: str, daily: str, in_period: bool) -> Quick:
    """``methods``: e.g. "IN ('cash', ...)"; ``where``: the list's condition over payments ``p``;
    ``daily``: the sum over the ``daily_payments`` rows of the methods and days, e.g. SUM(positive)."""
    days = _in_period("day") if in_period else "day <= :c"
    return Quick(f"SELECT COUNT(*) FROM payments p WHERE {where}",
                 f"SELECT COALESCE({daily}, 0) FROM daily_payments WHERE method {methods} AND {days}")


def _payments(where: str) -> str:
    return ("SELECT 'payment' AS kind, p.payment_id AS record_id, p.paid_on AS on_date, c.name AS customer, "
            "'order ' || p.order_id || ', ' || replace(p.method, '_', ' ') || COALESCE(' ' || p.reference, '') AS detail, "
            "p.amount AS amount FROM payments p JOIN orders o ON o.order_id = p.order_id "
            f"JOIN customers c ON c.customer_id = o.customer_id WHERE {where}")


def _adjustments(where: str, sign: int = 1) -> str:
    return ("SELECT 'adjustment' AS kind, a.adjustment_id AS record_id, a.adjusted_on AS on_date, "
            "c.name AS customer, COALESCE(a.reason, 'credit adjustment') AS detail, "
            f"{sign} * a.amount AS amount FROM credit_adjustments a "
            f"JOIN customers c ON c.customer_id = a.customer_id WHERE {where}")


def _in_period(column: str) -> str:
    return f"{column} > :p AND {column} <= :c"


#: An order's contribution to each order-based Balance Sheet line at the date parameter {d}.
_VOIDED = "o.voided_on <= {d}"
_COMPLETED = "(o.completed_on <= {d} AND NOT COALESCE(o.voided_on <= {d}, 0))"
_OPEN = "(o.ordered_on <= {d} AND NOT COALESCE(o.voided_on <= {d}, 0) AND NOT COALESCE(o.completed_on <= {d}, 0))"
_BUILT = f"({_OPEN} AND o.built_on <= {{d}})"
_WIP = f"({_OPEN} AND NOT COALESCE(o.built_on <= {{d}}, 0))"
_CONTRIBUTION = {
    "accounts_receivable": f"CASE WHEN {_COMPLETED} THEN o.subtotal + o.sales_tax - {{paid}} ELSE 0 END",
    "orders_wip": f"CASE WHEN {_WIP} THEN o.subtotal ELSE 0 END",
    "orders_built": f"CASE WHEN {_BUILT} THEN o.subtotal ELSE 0 END",
    "orders_not_complete": f"CASE WHEN {_OPEN} THEN o.subtotal ELSE 0 END",
    "sales_tax": f"CASE WHEN {_COMPLETED} THEN o.sales_tax ELSE 0 END",
    "deposits": f"CASE WHEN {_OPEN} OR COALESCE({_VOIDED}, 0) THEN {{paid}} ELSE 0 END",
}


def _contribution(key: str, d: str) -> str:
    return _CONTRIBUTION[key].format(d=d, paid=paid_sql(d))


def _orders(amount: str, where: str, on: str) -> str:
    return (f"SELECT * FROM (SELECT 'order' AS kind, o.order_id AS record_id, {on} AS on_date, "
            "c.name AS customer, 'order total ' || printf('%d.%02d', (o.subtotal + o.sales_tax) / 100, (o.subtotal + o.sales_tax) % 100) "
            "AS detail, "
            f"{amount} AS amount FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
            f"WHERE {where}) WHERE amount != 0")


def _touched_in_period() -> str:
    dates = " OR ".join(f"({_in_period('o.' + col)})" for col in ("ordered_on", "built_on", "completed_on", "voided_on"))
    return f"({dates} OR o.order_id IN (SELECT order_id FROM payments WHERE {_in_period('paid_on')}))"


def balance_sheet_drilldown(key: str, column: str) -> tuple[str, str]:
    """(kind, sql) of a Balance Sheet figure; ``column`` is 'change' or 'current'."""
    if key == "undeposited_funds":
        where = f"p.method IN {BANK} AND " + (_in_period("p.paid_on") if column == "change" else "p.paid_on <= :c")
        return "payment", _payments(where)  # drilldown() adds the quick count and total
    if key == "in_store_credit":
        adj = _in_period("a.adjusted_on") if column == "change" else "a.adjusted_on <= :c"
        pay = _in_period("p.paid_on") if column == "change" else "p.paid_on <= :c"
        spent = _payments(f"p.method = 'in_store_credit' AND {pay}").replace("p.amount AS amount", "-p.amount AS amount")
        return "mixed", f"{_adjustments(adj)} UNION ALL {spent}"
    if key not in _CONTRIBUTION:
        raise KeyError(f"no Balance Sheet line {key!r}")
    on = "COALESCE(o.voided_on, o.completed_on, o.built_on, o.ordered_on)"
    if column == "current":
        return "order", _orders(_contribution(key, ":c"), "o.ordered_on <= :c", on)
    amount = f"({_contribution(key, ':c')}) - ({_contribution(key, ':p')})"
    return "order", _orders(amount, _touched_in_period(), on)


def income_drilldown(config: Config, account: str) -> str:
    categories = [cat for cat, acct in config.income_categories if acct == account]
    if not categories:
        raise KeyError(f"no income account {account!r} in {config.path}")
    marks = ", ".join(f"'{cat}'" for cat in categories)  # category keys are validated [a-z0-9_-]
    return ("SELECT * FROM (SELECT 'order' AS kind, o.order_id AS record_id, "
            "CASE WHEN x.sign > 0 THEN o.completed_on ELSE o.voided_on END AS on_date, c.name AS customer, "
            "CASE WHEN x.sign > 0 THEN 'completed' ELSE 'completed order voided' END AS detail, "
            f"x.sign * SUM(l.amount) AS amount FROM ({changed_orders_sql()}) x "
            "JOIN orders o ON o.order_id = x.order_id JOIN customers c ON c.customer_id = o.customer_id "
            f"JOIN order_lines l ON l.order_id = o.order_id AND l.category IN ({marks}) "
            "GROUP BY o.order_id) WHERE amount != 0")


def drilldown(db: sqlite_utils.Database, config: Config, period: Period, section: str, key: str,
              column: str = "amount") -> Drilldown:
    """The records behind one figure: ``section`` is income, expenses, payments, balance_sheet, or
    count (a bank method's net receipts in the period, refunds included)."""
    params = {"p": period.previous.isoformat(), "c": period.current.isoformat()}
    title = f"{section} / {key}" + (f" / {column}" if section == "balance_sheet" else "")
    if section == "income":
        kind, sql = "order", income_drilldown(config, key)
    elif section == "expenses" and key == "bad_debt":
        kind, sql = "payment", _payments(f"p.method = 'bad_debt' AND {_in_period('p.paid_on')}")
    elif section == "expenses" and key == "in_store_credit":
        kind, sql = "adjustment", _adjustments(_in_period("a.adjusted_on"))
    elif section == "payments":
        kind, sql = "payment", _payments(f"{_payment_filter(key)} AND {_in_period('p.paid_on')}")
    elif section == "count":  # the money count: a bank method's net receipts, refunds included
        if key not in BANK_METHODS:
            raise KeyError(f"no bank method {key!r}")
        kind, sql = "payment", _payments(f"p.method = '{key}' AND {_in_period('p.paid_on')}")
    elif section == "balance_sheet":
        if column not in ("change", "current"):
            raise KeyError(f"a Balance Sheet figure is 'change' or 'current', not {column!r}")
        kind, sql = balance_sheet_drilldown(key, column)
    else:
        raise KeyError(f"no summary figure {section}/{key}")
    return Drilldown(db, title, kind, sql, params, quick_totals(section, key, column))


def quick_totals(section: str, key: str, column: str) -> Quick | None:
    """The fast count and total of the payments lists (None: count and sum the rows)."""
    both = "SUM(positive + negative)"
    if section == "balance_sheet" and key == "undeposited_funds":
        change = column == "change"
        where = f"p.method IN {BANK} AND " + (_in_period("p.paid_on") if change else "p.paid_on <= :c")
        return _quick_payments(f"IN {BANK}", where, both, change)
    if section == "count":
        return _quick_payments(f"= '{key}'", f"p.method = '{key}' AND {_in_period('p.paid_on')}", both, True)
    if section == "payments":
        methods = {"refunds": f"IN {BANK}", "subtotal": f"IN {BANK}"}.get(key, f"= '{key}'")
        daily = {"refunds": "SUM(negative)", "subtotal": both, "in_store_credit": both}.get(key, "SUM(positive)")
        return _quick_payments(methods, f"{_payment_filter(key)} AND {_in_period('p.paid_on')}", daily, True)
    return None


def _payment_filter(key: str) -> str:
    if key in BANK_METHODS:
        return f"p.method = '{key}' AND p.amount > 0"
    if key == "refunds":
        return f"p.method IN {BANK} AND p.amount < 0"
    if key == "subtotal":
        return f"p.method IN {BANK}"
    if key == "in_store_credit":
        return "p.method = 'in_store_credit'"
    raise KeyError(f"no Payments Received line {key!r}")
