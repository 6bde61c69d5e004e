"""The SQL behind the engine: aggregates at a date, changes in a period, report rows.

Every function returns plain numbers or tuples; the meaning (DOMAIN §4-6) is assembled by the
pure code in ``recon_tui.ledger``. Dates are passed as ISO text, money comes back as int cents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recon_tui.model import BANK_METHODS, OrderTotals, PaymentTotals

if TYPE_CHECKING:  # only for annotations: importing sqlite_utils costs start-up time
    import sqlite_utils

#: the bank methods as an SQL list: ``p.method IN {BANK}``
BANK = "(" + ", ".join(f"'{method}'" for method in BANK_METHODS) + ")"


def status_sql(d: str) -> str:
    """DOMAIN §4 as a SQL CASE over the ``orders`` row ``o`` at the date parameter ``d``."""
    return (f"(CASE WHEN o.voided_on <= {d} THEN 'VOIDED' WHEN o.completed_on <= {d} THEN 'COMPLETED' "
            f"WHEN o.built_on <= {d} THEN 'BUILT' WHEN o.ordered_on <= {d} THEN 'WIP' END)")


def paid_sql(d: str) -> str:
    """paid(o, d): every payment of order ``o`` dated <= d (a covering-index lookup)."""
    return f"(SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.order_id = o.order_id AND p.paid_on <= {d})"


def _in_period(select: str, column: str, after: str | None, through: str) -> tuple[str, dict[str, str]]:
    """``select`` limited to rows whose ``column`` is in ``(after, through]`` (``after`` None: since the beginning)."""
    if after is None:
        return f"{select} WHERE {column} <= :c", {"c": through}
    return f"{select} WHERE {column} <= :c AND {column} > :p", {"c": through, "p": after}


def payment_totals(db: sqlite_utils.Database, after: str | None, through: str) -> PaymentTotals:
    """Payments dated in ``(after, through]`` (``after`` None: since the beginning)."""
    sql, params = _in_period("SELECT method, SUM(positive), SUM(negative) FROM daily_payments", "day", after, through)
    positive, negative = {}, {}
    for method, pos, neg in db.execute(sql + " GROUP BY method", params):
        positive[method], negative[method] = pos, neg
    return PaymentTotals(positive, negative)


def credit_adjustment_total(db: sqlite_utils.Database, after: str | None, through: str) -> int:
    sql, params = _in_period("SELECT COALESCE(SUM(amount), 0) FROM credit_adjustments", "adjusted_on", after, through)
    return db.execute(sql, params).fetchone()[0]


def order_totals(db: sqlite_utils.Database, d: str) -> OrderTotals:
    """The status totals at ``d``: the sum of their daily changes up to ``d`` (store/derived.py)."""
    row = db.execute(
        "SELECT COALESCE(SUM(wip), 0), COALESCE(SUM(built), 0), COALESCE(SUM(completed_total), 0), "
        "COALESCE(SUM(completed_tax), 0), COALESCE(SUM(deposits), 0) FROM daily_orders WHERE day <= :d",
        {"d": d}).fetchone()
    return OrderTotals(*row)


def income_changes(db: sqlite_utils.Database, p: str, c: str) -> list[tuple[str, int]]:
    """(category, recognized(c) - recognized(p)) for orders whose COMPLETED status changed."""
    return list(db.execute(
        f"SELECT l.category, SUM(l.amount * x.sign) FROM ({changed_orders_sql()}) x "
        "JOIN order_lines l ON l.order_id = x.order_id GROUP BY l.category ORDER BY l.category",
        {"p": p, "c": c}))


def changed_orders_sql() -> str:
    """order_id and sign (+1 became COMPLETED, -1 stopped being COMPLETED) within (:p, :c]."""
    completed = "(o.completed_on <= {d} AND (o.voided_on IS NULL OR o.voided_on > {d}))"
    sign = f"({completed.format(d=':c')} - {completed.format(d=':p')})"
    return (f"SELECT order_id, sign FROM (SELECT o.order_id, {sign} AS sign FROM orders o "
            "WHERE (o.completed_on > :p AND o.completed_on <= :c) OR (o.voided_on > :p AND o.voided_on <= :c)) "
            "WHERE sign != 0")


def categories_in_use(db: sqlite_utils.Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT DISTINCT category FROM order_lines")]


#: Rows of the A/R Aging report: every existing order whose balance at :d is not 0. An order with no
#: event after :d has its final balance at :d, so only orders still moving after :d or still
#: owing (two index lookups) need their payments summed.
AGING_SQL = f"""
WITH candidates AS MATERIALIZED (
    SELECT order_id FROM orders WHERE last_activity > :d AND ordered_on <= :d
    UNION SELECT order_id FROM orders WHERE final_balance != 0
), rows AS MATERIALIZED (
    SELECT o.order_id, o.customer_id, o.ordered_on, o.completed_on, {status_sql(':d')} AS s,
           (CASE WHEN o.voided_on <= :d THEN 0 ELSE o.subtotal + o.sales_tax END) - {paid_sql(':d')} AS balance
    FROM candidates JOIN orders o ON o.order_id = candidates.order_id
    WHERE o.ordered_on <= :d
)
SELECT r.order_id, r.customer_id, c.name, r.ordered_on, r.completed_on, r.s, r.balance
FROM rows r JOIN customers c ON c.customer_id = r.customer_id
WHERE r.balance != 0
ORDER BY c.name, r.customer_id, r.order_id
"""


def aging_rows(db: sqlite_utils.Database, d: str) -> list[tuple]:
    """(order_id, customer_id, customer name, ordered_on, completed_on, status, balance)."""
    return list(db.execute(AGING_SQL, {"d": d}))


#: Rows of the Customer Deposit Reconciliation: orders WIP/BUILT at :d, and VOIDED with money.
#: An order WIP or BUILT at :d is never completed or completed after :d (so it has activity
#: after :d); a voided one has voided_on: three index lookups find every candidate.
DEPOSIT_SQL = f"""
WITH candidates AS MATERIALIZED (
    SELECT order_id FROM orders WHERE last_activity > :d AND ordered_on <= :d
    UNION SELECT order_id FROM orders WHERE completed_on IS NULL
    UNION SELECT order_id FROM orders WHERE voided_on IS NOT NULL
), rows AS MATERIALIZED (
    SELECT o.order_id, o.customer_id, {status_sql(':d')} AS s, o.subtotal + o.sales_tax AS total,
           {paid_sql(':d')} AS paid
    FROM candidates JOIN orders o ON o.order_id = candidates.order_id
    WHERE o.ordered_on <= :d AND (o.voided_on <= :d OR o.completed_on IS NULL OR o.completed_on > :d)
)
SELECT r.order_id, r.customer_id, c.name, r.s, r.total, r.paid
FROM rows r JOIN customers c ON c.customer_id = r.customer_id
WHERE r.s IN ('WIP', 'BUILT') OR r.paid != 0
ORDER BY r.order_id
"""


def deposit_rows(db: sqlite_utils.Database, d: str) -> list[tuple]:
    """(order_id, customer_id, customer name, status, order total, paid)."""
    return list(db.execute(DEPOSIT_SQL, {"d": d}))
