"""The five §3 import files (DOMAIN §3): their columns, and the rules each file's rows must keep.

One :class:`FileSpec` a record kind: the file, its table, its columns and key, and the file's own
rules as functions the import run (``importer._Import``) calls for every row: ``check`` (rules over
more than one field, or against what is already known), ``remember`` (make a good row visible to
the files that refer to it), ``reject`` (keep a bad row's order out of the checks over the merged
state), ``prepare`` and ``before_write``. The run itself knows no file by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from recon_tui.model import RECORD_KINDS

#: the dates of an order, in the order they must come (voided_on after every other one)
ORDER_DATES = ("ordered_on", "built_on", "completed_on", "voided_on")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | text | date | money | line_no | method | category
    required: bool = True


def _nothing(run, *args) -> None:
    return None


def _good(run, spec, line, values) -> bool:
    return True


@dataclass(frozen=True)
class FileSpec:
    kind: str  # one of model.RECORD_KINDS: the table, and the file's name without ``.csv``
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    #: (run, spec, line, values) -> whether the row is good (each problem reported)
    check: Callable = _good
    #: (run, spec, line, values): a good row, before the next one is read
    remember: Callable = _nothing
    #: (run, spec, values or raw text by column): a row that will not be written
    reject: Callable = _nothing
    #: (run, values): before the row is checked (values may be changed)
    prepare: Callable = _nothing
    #: (run, rows): a batch of good rows about to be written
    before_write: Callable = _nothing
    #: (run) -> the set of keys seen, if the run keeps it for the checks over the merged state
    seen: Callable = lambda run: set()

    @property
    def filename(self) -> str:
        return f"{self.kind}.csv"

    @property
    def table(self) -> str:
        return self.kind

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# -- customers.csv ------------------------------------------------------------------------------------

def _remember_customer(run, spec, line, v) -> None:
    run.known_customers().add(v["customer_id"])


def _check_customer_of(run, spec, line, v) -> bool:
    if v["customer_id"] not in run.known_customers():
        run.problem(spec, line, "customer_id", f"unknown customer {v['customer_id']!r}"
                    + run.case_hint(CUSTOMERS, v["customer_id"], run.known_customers()))
        return False
    return True


# -- orders.csv ---------------------------------------------------------------------------------------

def _check_order(run, spec, line, v) -> bool:
    if not _check_customer_of(run, spec, line, v):
        return False
    chain = [(c, v[c]) for c in ORDER_DATES[:3] if v[c]]
    for (earlier, a), (later, b) in zip(chain, chain[1:]):
        if b < a:
            run.problem(spec, line, later, f"{later} {b} is before {earlier} {a}")
            return False
    if v["voided_on"]:
        for col, d in chain:
            if d > v["voided_on"]:
                run.problem(spec, line, col, f"{col} {d} is after voided_on {v['voided_on']}")
                return False
    if v["sales_tax"] < 0:
        run.problem(spec, line, "sales_tax", "must not be negative")
        return False
    return True


def _keep_absent_dates(run, v) -> None:
    """An existing order keeps the dates whose column the file leaves out; check what will be stored."""
    absent = run.absent.get("orders.csv")
    if not absent:
        return
    existing = run.known_orders().get(v["order_id"])
    if existing is not None:
        for i, col in enumerate(ORDER_DATES):
            if col in absent:
                v[col] = existing[i]


def _remember_order(run, spec, line, v) -> None:
    if v["order_id"] in run.known_orders():  # ids are unique in the file: so it is from the db
        run.updated_orders.add(v["order_id"])
    run.known_orders()[v["order_id"]] = tuple(v[col] for col in ORDER_DATES)
    run.order_lines_at[v["order_id"]] = line


def _reject_order(run, spec, raw) -> None:
    run.rejected_orders.add(raw.get("order_id", ""))


# -- order_lines.csv ----------------------------------------------------------------------------------

def _check_order_line(run, spec, line, v) -> bool:
    if v["order_id"] not in run.known_orders():
        run.problem(spec, line, "order_id", f"unknown order {v['order_id']!r}"
                    + run.case_hint(ORDERS, v["order_id"], run.known_orders()))
        return False
    return True


def _remember_order_line(run, spec, line, v) -> None:
    run.line_orders.setdefault(v["order_id"], line)


# -- payments.csv -------------------------------------------------------------------------------------

def _check_payment(run, spec, line, v) -> bool:
    order = run.known_orders().get(v["order_id"])
    if order is None:
        run.problem(spec, line, "order_id", f"unknown order {v['order_id']!r}"
                    + run.case_hint(ORDERS, v["order_id"], run.known_orders()))
        return False
    ordered_on = order[0]
    method, amount, paid_on = v["method"], v["amount"], v["paid_on"]
    if amount == 0:
        run.problem(spec, line, "amount", "must not be 0")
        return False
    if amount < 0 and method == "bad_debt":
        run.problem(spec, line, "amount", "a bad_debt write-off must be positive")
        return False
    if paid_on < ordered_on:
        run.problem(spec, line, "paid_on", f"paid_on {paid_on} is before the order's ordered_on {ordered_on}")
        return False
    if method == "bad_debt":
        return check_bad_debt(run, spec, line, "paid_on", v["payment_id"], paid_on, order)
    return True


def check_bad_debt(run, spec, line: int, column: str, payment_id: str, paid_on: str, order: tuple) -> bool:
    """A bad-debt write-off is dated while its order is COMPLETED, and the order is never voided."""
    _, _, completed_on, voided_on = order
    if voided_on:
        run.problem(spec, line, column, f"bad_debt payment {payment_id} is on an order voided on "
                    f"{voided_on}; an order with a bad-debt write-off can never be voided")
        return False
    if not completed_on or completed_on > paid_on:
        when = f"completed on {completed_on}" if completed_on else "not completed"
        run.problem(spec, line, column, f"bad_debt payment {payment_id} dated {paid_on} must be dated "
                    f"while the order is COMPLETED (the order is {when})")
        return False
    return True


def _remember_payment(run, spec, line, v) -> None:
    run.payment_ids.add(v["payment_id"])


def _reject_payment(run, spec, raw) -> None:
    run.payment_ids.add(raw.get("payment_id", ""))


def _payments_move(run, rows) -> None:
    """A payment moved to another order changes the old one too."""
    ids = [row[0] for row in rows]
    for start in range(0, len(ids), 30_000):
        chunk = ids[start:start + 30_000]
        run.paid_orders.update(r[0] for r in run.db.execute(
            f"SELECT order_id FROM payments WHERE payment_id IN ({', '.join('?' * len(chunk))})", chunk))
    run.paid_orders.update(row[1] for row in rows)


# -- credit_adjustments.csv ---------------------------------------------------------------------------

def _check_adjustment(run, spec, line, v) -> bool:
    if not _check_customer_of(run, spec, line, v):
        return False
    if v["amount"] == 0:
        run.problem(spec, line, "amount", "must not be 0")
        return False
    return True


CUSTOMERS = FileSpec("customers", (Column("customer_id", "id"), Column("name", "text")), ("customer_id",),
                     remember=_remember_customer)
ORDERS = FileSpec(
    "orders",
    (Column("order_id", "id"), Column("customer_id", "id"), Column("ordered_on", "date"),
     Column("built_on", "date", False), Column("completed_on", "date", False),
     Column("voided_on", "date", False), Column("sales_tax", "money")), ("order_id",),
    check=_check_order, remember=_remember_order, reject=_reject_order, prepare=_keep_absent_dates)
ORDER_LINES = FileSpec(
    "order_lines",
    (Column("order_id", "id"), Column("line_no", "line_no"), Column("category", "category"),
     Column("description", "text", False), Column("amount", "money")), ("order_id", "line_no"),
    check=_check_order_line, remember=_remember_order_line, reject=_reject_order)
PAYMENTS = FileSpec(
    "payments",
    (Column("payment_id", "id"), Column("order_id", "id"), Column("paid_on", "date"),
     Column("method", "method"), Column("amount", "money"), Column("reference", "text", False)), ("payment_id",),
    check=_check_payment, remember=_remember_payment, reject=_reject_payment, before_write=_payments_move,
    seen=lambda run: run.payment_ids)
CREDIT_ADJUSTMENTS = FileSpec(
    "credit_adjustments",
    (Column("adjustment_id", "id"), Column("customer_id", "id"), Column("adjusted_on", "date"),
     Column("amount", "money"), Column("reason", "text", False)), ("adjustment_id",),
    check=_check_adjustment)

#: every file, in the order it is imported (a file may refer to the ones before it)
FILES = (CUSTOMERS, ORDERS, ORDER_LINES, PAYMENTS, CREDIT_ADJUSTMENTS)
assert tuple(spec.kind for spec in FILES) == RECORD_KINDS
