"""The studio's journal (DOMAIN §8) read from the database: every event's entry, streamed.

Orders, their lines and their payments are read in three cursors ordered by order id (the tables'
keys and the ``payments_order`` index), merged here, so ten years of history never sit in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from recon_tui.config import Config
from recon_tui.ledger.entries import Entry
from recon_tui.ledger.journal import Adjustment, OrderFacts, Payment, Rules

if TYPE_CHECKING:
    import sqlite_utils

_ORDERS = "SELECT order_id, customer_id, completed_on, voided_on, sales_tax FROM orders ORDER BY order_id"
_LINES = "SELECT order_id, category, amount FROM order_lines ORDER BY order_id"
_PAYMENTS = ("SELECT order_id, paid_on, payment_id, method, amount FROM payments "
             "ORDER BY order_id, paid_on, payment_id")


def customer_names(db: sqlite_utils.Database) -> dict[str, str]:
    return dict(db.execute("SELECT customer_id, name FROM customers").fetchall())


def order_facts(db: sqlite_utils.Database, config: Config, names: dict[str, str] | None = None,
                where: str = "", params: tuple = ()) -> Iterator[OrderFacts]:
    """Every order (or those matching ``where`` on ``orders``/``o``) with its lines and payments."""
    names = customer_names(db) if names is None else names
    accounts = config.category_accounts
    rank = {account: i for i, account in enumerate(config.income_accounts)}
    days: dict[str, date] = {}  # a few thousand distinct dates across a million records

    def fromdate(text: str) -> date:
        day = days.get(text)
        if day is None:
            day = days[text] = date.fromisoformat(text)
        return day
    if where:
        orders = db.execute(f"SELECT order_id, customer_id, completed_on, voided_on, sales_tax FROM orders o "
                            f"WHERE {where} ORDER BY order_id", params)
        chosen = f"order_id IN (SELECT order_id FROM orders o WHERE {where})"
        lines = db.execute(f"SELECT order_id, category, amount FROM order_lines WHERE {chosen} ORDER BY order_id",
                           params)
        payments = db.execute(f"SELECT order_id, paid_on, payment_id, method, amount FROM payments WHERE {chosen} "
                              f"ORDER BY order_id, paid_on, payment_id", params)
    else:
        orders, lines, payments = db.execute(_ORDERS), db.execute(_LINES), db.execute(_PAYMENTS)
    line = next(lines, None)
    pay = next(payments, None)
    for order_id, customer_id, completed_on, voided_on, sales_tax in orders:
        income: dict[str, int] = {}
        while line is not None and line[0] < order_id:  # cannot happen (FK), but never loop forever
            line = next(lines, None)
        while line is not None and line[0] == order_id:
            account = accounts[line[1]]
            income[account] = income.get(account, 0) + line[2]
            line = next(lines, None)
        paid: list[Payment] = []
        while pay is not None and pay[0] < order_id:
            pay = next(payments, None)
        while pay is not None and pay[0] == order_id:
            paid.append(Payment(pay[2], fromdate(pay[1]), pay[3], pay[4]))
            pay = next(payments, None)
        yield OrderFacts(order_id, names.get(customer_id, customer_id),
                         fromdate(completed_on) if completed_on else None,
                         fromdate(voided_on) if voided_on else None, sales_tax,
                         tuple(sorted(income.items(), key=lambda item: rank[item[0]])) if len(income) > 1
                         else tuple(income.items()), tuple(paid))


def adjustments(db: sqlite_utils.Database, names: dict[str, str]) -> Iterator[Adjustment]:
    for adjustment_id, customer_id, on, amount in db.execute(
            "SELECT adjustment_id, customer_id, adjusted_on, amount FROM credit_adjustments ORDER BY adjustment_id"):
        yield Adjustment(adjustment_id, names.get(customer_id, customer_id), date.fromisoformat(on), amount)


def entries(db: sqlite_utils.Database, config: Config, method: str, through: date | None = None) -> Iterator[Entry]:
    """Every event's entry dated on or before ``through`` (all when None): orders by id, then adjustments."""
    rules = Rules(config, method)
    names = customer_names(db)
    for facts in order_facts(db, config, names):
        for entry in rules.order_entries(facts):
            if through is None or entry.on <= through:
                yield entry
    for adjustment in adjustments(db, names):
        entry = rules.adjustment_entry(adjustment)
        if entry is not None and (through is None or entry.on <= through):
            yield entry


def balances(all_entries, through: date) -> dict[str, int]:
    """Each account's balance (debit-positive) over the entries dated on or before ``through``."""
    out: dict[str, int] = {}
    for entry in all_entries:
        if entry.on <= through:
            for line in entry.lines:
                out[line.account] = out.get(line.account, 0) + line.amount
    return out


# -- one account's side of the journal, in SQL (for the tie-out diagnosis on long histories) -------
#
# The amount every event's entry puts on the account the method ties out (debit-positive), written
# from the rules of DOMAIN §8 for that account alone; tests/test_journal.py checks it against the
# entries above for random studios. ``paid_before(d)`` = paid(o, d - 1 day).

_PAID_BEFORE = ("COALESCE((SELECT SUM(x.amount) FROM payments x WHERE x.order_id = o.order_id "
                "AND x.paid_on < {day}), 0)")
_COMPLETED_AT_PAYMENT = ("o.completed_on IS NOT NULL AND o.completed_on <= p.paid_on "
                         "AND (o.voided_on IS NULL OR o.voided_on > p.paid_on)")
_TOTAL = "(o.subtotal + o.sales_tax)"

ACCOUNT_SQL = {
    # accrual, Accounts Receivable: a completion debits total - H, a void credits it back, a payment
    # credits A/R while the order is COMPLETED (bad debt always)
    "accrual": f"""
        SELECT 'payment:' || p.payment_id, p.paid_on,
               CASE WHEN p.method = 'bad_debt' OR ({_COMPLETED_AT_PAYMENT}) THEN -p.amount ELSE 0 END
          FROM payments p JOIN orders o ON o.order_id = p.order_id
        UNION ALL
        SELECT 'order:' || o.order_id || ':completed', o.completed_on,
               {_TOTAL} - {_PAID_BEFORE.format(day="o.completed_on")}
          FROM orders o WHERE o.completed_on IS NOT NULL
        UNION ALL
        SELECT 'order:' || o.order_id || ':voided', o.voided_on,
               -({_TOTAL} - {_PAID_BEFORE.format(day="o.voided_on")})
          FROM orders o WHERE o.completed_on IS NOT NULL AND o.voided_on IS NOT NULL""",
    # cash, Customer Deposits: a payment credits it unless the order is COMPLETED (bad debt: no
    # entry); a completion debits the money held, a void credits back what was applied
    "cash": f"""
        SELECT 'payment:' || p.payment_id, p.paid_on,
               CASE WHEN p.method = 'bad_debt' OR ({_COMPLETED_AT_PAYMENT}) THEN 0 ELSE -p.amount END
          FROM payments p JOIN orders o ON o.order_id = p.order_id
        UNION ALL
        SELECT 'order:' || o.order_id || ':completed', o.completed_on, {_PAID_BEFORE.format(day="o.completed_on")}
          FROM orders o WHERE o.completed_on IS NOT NULL
        UNION ALL
        SELECT 'order:' || o.order_id || ':voided', o.voided_on, -{_PAID_BEFORE.format(day="o.voided_on")}
          FROM orders o WHERE o.completed_on IS NOT NULL AND o.voided_on IS NOT NULL""",
}
