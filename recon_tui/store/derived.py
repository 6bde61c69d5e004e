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
    UNION ALL SELECT p.paid_on, 0, 0, 0, 0, p.amount FROM payments p JOIN orders o ON o.order_id = p.order_id
        WHERE o.completed_on IS NULL OR p.paid_on < o.completed_on
    UNION ALL SELECT o.completed_on, 0, 0, 0, 0, -p.amount FROM payments p JOIN orders o ON o.order_id = p.order_id
        WHERE p.paid_on < o.completed_on
    UNION ALL SELECT MAX(o.voided_on, p.paid_on), 0, 0, 0, 0, p.amount
        FROM payments p JOIN orders o ON o.order_id = p.order_id
        WHERE o.completed_on IS NOT NULL AND o.voided_on IS NOT NULL
) GROUP BY day
"""

_ORDER_COLUMNS = """
UPDATE orders SET
    final_balance = (CASE WHEN voided_on IS NULL THEN subtotal + sales_tax ELSE 0 END)
        - (SELECT COALESCE(SUM(amount), 0) FROM payments p WHERE p.order_id = orders.order_id),
    last_activity = MAX(ordered_on, COALESCE(built_on, ''), COALESCE(completed_on, ''), COALESCE(voided_on, ''),
        (SELECT COALESCE(MAX(paid_on), '') FROM payments p WHERE p.order_id = orders.order_id))
"""


def refresh(db: sqlite_utils.Database, changed_orders: str | None = None) -> None:
    """Rebuild the daily tables, and the per-order columns of ``changed_orders``.

    ``changed_orders`` is a SQL query of order ids (None: every order). Runs inside the caller's
    transaction.
    """
    db.execute("DELETE FROM daily_payments")
    db.execute(_DAILY_PAYMENTS)
    db.execute("DELETE FROM daily_orders")
    db.execute(_DAILY_ORDERS)
    where = f" WHERE order_id IN ({changed_orders})" if changed_orders else ""
    db.execute(_ORDER_COLUMNS + where)
