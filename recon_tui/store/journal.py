"""What the journal (DOMAIN §8) is made from, read from the database, and the journal in SQL.

``order_facts`` and ``adjustments`` stream the records the posting rules (``ledger/journal.py``)
read: orders, their lines and their payments in three cursors ordered by order id (the tables' keys
and the ``payments_order`` index), merged here, so ten years of history never sit in memory.

For speed on long histories the journal is also written as SQL queries (``ACCOUNT_SQL``,
``AccrualSQL``), from the same rules; tests/test_journal.py checks them against the Python rules
for random studios.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from recon_tui.config import Config
from recon_tui.model import Adjustment, OrderFacts, Payment
from recon_tui.store.queries import BANK

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


#: the orders with an event dated in [?, ?) (the same range three times): completed, voided or paid
IN_RANGE = ("o.order_id IN (SELECT order_id FROM orders WHERE completed_on >= ? AND completed_on < ? "
            "UNION SELECT order_id FROM orders WHERE voided_on >= ? AND voided_on < ? "
            "UNION SELECT order_id FROM payments WHERE paid_on >= ? AND paid_on < ?)")


def adjustments(db: sqlite_utils.Database, names: dict[str, str], lo: str = "", hi: str = "9999") -> Iterator[Adjustment]:
    """The credit adjustments dated in ``[lo, hi)`` (ISO dates; all by default), by id."""
    for adjustment_id, customer_id, on, amount in db.execute(
            "SELECT adjustment_id, customer_id, adjusted_on, amount FROM credit_adjustments "
            "WHERE adjusted_on >= ? AND adjusted_on < ? ORDER BY adjustment_id", (lo, hi)):
        yield Adjustment(adjustment_id, names.get(customer_id, customer_id), date.fromisoformat(on), amount)


# -- one account's side of the journal, in SQL (for the tie-out diagnosis on long histories) -------
#
# The amount every event's entry puts on the account the method ties out (debit-positive), written
# from the rules of DOMAIN §8 for that account alone; tests/test_journal.py checks it against the
# Python rules' entries for random studios. ``paid_before(d)`` = paid(o, d - 1 day).

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


# -- the whole accrual journal, in SQL (for posting: DOMAIN §8) ------------------------------------
#
# Every event's entry under the accrual method as rows, written from the same rules as
# ``ledger/journal.py`` (tests/test_journal.py checks the two against each other for random
# studios): the lines are the JSON text posting records (``[["Account",cents],...]``, A/R first,
# netted, zero lines left out) and the amounts on A/R and Customer Deposits come beside them. The
# cash method's allocation stays in Python (``ledger.journal.Rules``).
#
# Row columns: on_, grp, id_, rank, sub (the posting order: by date, then orders by id with each
# order's events in the order they happen, completion 0, void 1, payments 2 by id, then the
# adjustments by id), key, kind, record, customer (the studio's name), lines, ar, deposits.

#: the posting order of the rows ``AccrualSQL.events`` gives
POSTING_ORDER = "on_, grp, id_, rank, sub"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _json_name(account: str, before: str = "", after: str = "") -> str:
    """The account as an SQL literal of its JSON string (what json.dumps gives it)."""
    import json

    return _literal(before + json.dumps(account, ensure_ascii=False) + after)


class AccrualSQL:
    """The accrual journal of the events dated in ``[:lo, :hi)`` (ISO dates), one row per entry:
    ``events`` all of them, ``unposted`` those not posted yet.

    ``usable`` is False for a config whose accounts are not all distinct (the config refuses such
    a mapping; the Python rules net the lines of one account, the SQL does not)."""

    def __init__(self, config: Config) -> None:
        gl = config.gl_accounts
        income = config.income_accounts
        used = [gl.accounts_receivable, gl.customer_deposits, gl.undeposited_funds, gl.in_store_credit,
                gl.sales_tax, gl.bad_debt, gl.in_store_credit_expense, *income]
        self.usable = len(set(used)) == len(used)
        self.categories = tuple(category for category, _ in config.income_categories)
        by_account: dict[str, list[str]] = {}
        for category, account in config.income_categories:
            by_account.setdefault(account, []).append(_literal(category))
        sums = "".join(f", COALESCE(SUM(CASE WHEN l.category IN ({', '.join(by_account[account])}) THEN l.amount END), 0)"
                       for account in income)
        ar, deposits = _json_name(gl.accounts_receivable), _json_name(gl.customer_deposits)

        def line(account: str, amount: str) -> str:  # one [account, amount] and a comma, or nothing for 0
            return f"CASE WHEN {amount} != 0 THEN {_json_name(account, '[', ',')} || ({amount}) || '],' ELSE '' END"

        def order_lines(sign: str, held: str) -> str:
            """A completion (sign '') or a void (sign '-'): A/R total - held, Customer Deposits held,
            each income account and the tax the other way."""
            back = "-" if sign == "" else ""
            parts = [line(gl.accounts_receivable, f"{sign}(total - {held})"), line(gl.customer_deposits, f"{sign}{held}")]
            parts += [line(account, f"{back}i{i}") for i, account in enumerate(income)]
            parts.append(line(gl.sales_tax, f"{back}sales_tax"))
            return "'[' || rtrim(" + " || ".join(parts) + ", ',') || ']'"

        # every line of the order's entry would be 0: no entry
        nothing = " AND ".join(["held = 0", "total = 0", "sales_tax = 0", *(f"i{i} = 0" for i in range(len(income)))])

        def orders(name: str, day: str, also: str = "") -> str:
            """The orders completed (or voided) in the range, their sums, and the money paid before."""
            return f"""{name}(order_id, customer_id, on_, sales_tax, total, held{"".join(f", i{i}" for i in range(len(income)))})
  AS MATERIALIZED (
    SELECT o.order_id, o.customer_id, {day}, o.sales_tax, COALESCE(SUM(l.amount), 0) + o.sales_tax,
           (SELECT COALESCE(SUM(x.amount), 0) FROM payments x WHERE x.order_id = o.order_id AND x.paid_on < {day}){sums}
      FROM orders o LEFT JOIN order_lines l ON l.order_id = o.order_id
     WHERE {day} >= :lo AND {day} < :hi {also}
     GROUP BY {day}, o.order_id)"""  # the date first: its index gives the groups in that order

        money = (f"CASE WHEN p.method IN {BANK} "
                 f"THEN {_json_name(gl.undeposited_funds)} ELSE {_json_name(gl.in_store_credit)} END")
        on_ar = ("(p.method = 'bad_debt' OR (o.completed_on <= p.paid_on "
                 "AND (o.voided_on IS NULL OR o.voided_on > p.paid_on)))")
        self.events = f"""
WITH {orders("completed_", "o.completed_on")},
{orders("voided_", "o.voided_on", "AND o.completed_on IS NOT NULL")},
events(on_, grp, id_, rank, sub, key, kind, record, customer_id, lines, ar, deposits) AS (
    SELECT on_, 0, order_id, 0, '', 'order:' || order_id || ':completed', 'completed', order_id,
           customer_id, {order_lines("", "held")}, total - held, held
      FROM completed_ WHERE NOT ({nothing})
    UNION ALL
    SELECT on_, 0, order_id, 1, '', 'order:' || order_id || ':voided', 'voided', order_id,
           customer_id, {order_lines("-", "held")}, held - total, -held
      FROM voided_ WHERE NOT ({nothing})
    UNION ALL
    SELECT p.paid_on, 0, p.order_id, 2, p.payment_id, 'payment:' || p.payment_id, 'payment', p.payment_id,
           o.customer_id,
           CASE WHEN p.method = 'bad_debt'
                THEN '[[' || {ar} || ',' || -p.amount || '],[' || {_json_name(gl.bad_debt)} || ',' || p.amount || ']]'
                WHEN {on_ar} THEN '[[' || {ar} || ',' || -p.amount || '],[' || {money} || ',' || p.amount || ']]'
                ELSE '[[' || {money} || ',' || p.amount || '],[' || {deposits} || ',' || -p.amount || ']]' END,
           CASE WHEN {on_ar} THEN -p.amount ELSE 0 END, CASE WHEN {on_ar} THEN 0 ELSE -p.amount END
      FROM payments p JOIN orders o ON o.order_id = p.order_id
     WHERE p.paid_on >= :lo AND p.paid_on < :hi AND p.amount != 0
    UNION ALL
    SELECT adjusted_on, 1, adjustment_id, 0, '', 'adjustment:' || adjustment_id, 'adjustment', adjustment_id,
           customer_id, '[[' || {_json_name(gl.in_store_credit_expense)} || ',' || amount || '],[' ||
           {_json_name(gl.in_store_credit)} || ',' || -amount || ']]', 0, 0
      FROM credit_adjustments WHERE adjusted_on >= :lo AND adjusted_on < :hi AND amount != 0)
SELECT e.on_, e.grp, e.id_, e.rank, e.sub, e.key, e.kind, e.record, COALESCE(c.name, e.customer_id) AS customer,
       e.lines, e.ar, e.deposits
  FROM events e LEFT JOIN customers c ON c.customer_id = e.customer_id"""
        #: ``events`` without the events posted before (the same rows on a database never posted)
        self.unposted = f"{self.events}\n WHERE e.key NOT IN (SELECT event_key FROM posted_entries)"

    def unknown_category(self, db: sqlite_utils.Database) -> str | None:
        """A category of an order line that the config no longer maps (the importer checked them)."""
        row = db.execute(f"SELECT category FROM order_lines WHERE category NOT IN "
                         f"({', '.join(map(_literal, self.categories))}) LIMIT 1").fetchone()
        return row[0] if row else None

    def first_day(self, db: sqlite_utils.Database) -> str | None:
        """The earliest date of any event (indexes only)."""
        (day,) = db.execute("SELECT min(day) FROM (SELECT min(paid_on) AS day FROM payments UNION ALL "
                            "SELECT min(completed_on) FROM orders UNION ALL SELECT min(voided_on) FROM orders "
                            "UNION ALL SELECT min(adjusted_on) FROM credit_adjustments)").fetchone()
        return day
