"""Figures kept beside the source records so a report on ten years of history stays fast.

* ``daily_payments``: per day and method, the positive and negative payment amounts.
* ``daily_orders``: per day, how much each Balance Sheet total *changes* on that day (an order
  enters WIP on ordered_on and leaves it when built, completed or voided; a payment counts as a
  deposit while its order is not COMPLETED). Any total at a date D is the sum of the rows <= D,
  a few thousand rows instead of every order and payment.
* ``orders.final_balance`` and ``orders.last_activity``: an order whose last event is on or before
  D has its final balance at D, so the A/R Aging only needs to look at orders still moving after
  D or still owing.

They are rebuilt inside the import's transaction, so they never disagree with the records; the
tie-out re-derives the same figures from the records themselves on every report and fails loudly
if they ever did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: importing sqlite_utils costs start-up time
    import sqlite_utils

_DAILY_PAYMENTS = """
INSERT INTO daily_payments (day, method, positive, negative)
SELECT paid_on, method, SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END),
       SUM(CASE WHEN amount < 0 THEN amount ELSE 0 END)
FROM payments GROUP BY paid_on, method
"""

# Status intervals: WIP [ordered, first of built/completed/voided), BUILT [built, first of
# completed/voided), COMPLETED [completed, voided). The dates are ordered (DOMAIN §3), so the first
# non-null of a COALESCE is the earliest.
_DAILY_ORDERS = """
INSERT INTO daily_orders (day, wip, built, completed_total, completed_tax, deposits)
WITH pj AS MATERIALIZED (  -- each payment with its order's completion and void dates, joined once
    SELECT p.paid_on, p.amount, o.completed_on AS c, o.voided_on AS v
    FROM payments p JOIN orders o ON o.order_id = p.order_id
)
SELECT day, SUM(wip), SUM(built), SUM(total), SUM(tax), SUM(deposits) FROM (
    SELECT ordered_on AS day, subtotal AS wip, 0 AS built, 0 AS total, 0 AS tax, 0 AS deposits FROM orders
    UNION ALL SELECT COALESCE(built_on, completed_on, voided_on), -subtotal, 0, 0, 0, 0 FROM orders
        WHERE COALESCE(built_on, completed_on, voided_on) IS NOT NULL
    UNION ALL SELECT built_on, 0, subtotal, 0, 0, 0 FROM orders WHERE built_on IS NOT NULL
    UNION ALL SELECT COALESCE(completed_on, voided_on), 0, -subtotal, 0, 0, 0 FROM orders
        WHERE built_on IS NOT NULL AND COALESCE(completed_on, voided_on) IS NOT NULL
    UNION ALL SELECT completed_on, 0, 0, subtotal + sales_tax, sales_tax, 0 FROM orders
        WHERE completed_on IS NOT NULL
    UNION ALL SELECT voided_on, 0, 0, -(subtotal + sales_tax), -sales_tax, 0 FROM orders
        WHERE completed_on IS NOT NULL AND voided_on IS NOT NULL
    -- a payment is a deposit from paid_on until its order is completed, and again once it is voided
    UNION ALL SELECT paid_on, 0, 0, 0, 0, amount FROM pj WHERE c IS NULL OR paid_on < c
    UNION ALL SELECT c, 0, 0, 0, 0, -amount FROM pj WHERE paid_on < c
    UNION ALL SELECT MAX(v, paid_on), 0, 0, 0, 0, amount FROM pj WHERE c IS NOT NULL AND v IS NOT NULL
) GROUP BY day
"""

_ORDER_COLUMNS = """
UPDATE orders SET
    subtotal = x.subtotal,
    final_balance = (CASE WHEN orders.voided_on IS NULL THEN x.subtotal + orders.sales_tax ELSE 0 END) - x.paid,
    last_activity = MAX(orders.ordered_on, COALESCE(orders.built_on, ''), COALESCE(orders.completed_on, ''),
                        COALESCE(orders.voided_on, ''), x.last_paid)
FROM (
    SELECT c.order_id,
           (SELECT COALESCE(SUM(amount), 0) FROM order_lines l WHERE l.order_id = c.order_id) AS subtotal,
           (SELECT COALESCE(SUM(amount), 0) FROM payments p WHERE p.order_id = c.order_id) AS paid,
           (SELECT COALESCE(MAX(paid_on), '') FROM payments p WHERE p.order_id = c.order_id) AS last_paid
    FROM ({changed}) c
) x
WHERE orders.order_id = x.order_id
"""


def refresh_orders(db: sqlite_utils.Database, changed_orders: str = "SELECT order_id FROM orders") -> None:
    """Recompute subtotal, final balance and last activity of the orders ``changed_orders`` selects."""
    db.execute(_ORDER_COLUMNS.format(changed=changed_orders))


def refresh_daily(db: sqlite_utils.Database) -> None:
    """Rebuild the daily tables from every order and payment (inside the caller's transaction)."""
    db.execute("DELETE FROM daily_payments")
    db.execute(_DAILY_PAYMENTS)
    db.execute("DELETE FROM daily_orders")
    db.execute(_DAILY_ORDERS)


def refresh(db: sqlite_utils.Database) -> None:
    """Rebuild everything derived from scratch."""
    refresh_orders(db)
    refresh_daily(db)
