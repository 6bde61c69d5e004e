"""One order as the Order screen shows it: lines, status dates, payments (DOMAIN §4).

Plain SQL returning plain tuples; the meaning (status, paid, balance at a date) is assembled in
``service/review.py`` from the rules in ``recon_tui.ledger.status``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def order_row(db: sqlite_utils.Database, order_id: str) -> tuple | None:
    """(order_id, customer name, ordered_on, built_on, completed_on, voided_on, sales_tax)."""
    return db.execute(
        "SELECT o.order_id, c.name, o.ordered_on, o.built_on, o.completed_on, o.voided_on, o.sales_tax "
        "FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE o.order_id = ?",
        [order_id]).fetchone()


def order_lines(db: sqlite_utils.Database, order_id: str) -> list[tuple]:
    """(line_no, category, description, amount) in line order."""
    return db.execute("SELECT line_no, category, COALESCE(description, ''), amount FROM order_lines "
                      "WHERE order_id = ? ORDER BY line_no", [order_id]).fetchall()


def order_payments(db: sqlite_utils.Database, order_id: str) -> list[tuple]:
    """(payment_id, paid_on, method, amount, reference) in date then id order."""
    return db.execute("SELECT payment_id, paid_on, method, amount, COALESCE(reference, '') FROM payments "
                      "WHERE order_id = ? ORDER BY paid_on, payment_id", [order_id]).fetchall()


def order_of_payment(db: sqlite_utils.Database, payment_id: str) -> str | None:
    row = db.execute("SELECT order_id FROM payments WHERE payment_id = ?", [payment_id]).fetchone()
    return row[0] if row else None
