"""A slow, literal reading of DOMAIN §4-6 over in-memory records: the oracle for the engine.

Written straight from the text, record by record, with no SQL and no shortcuts, so that the
engine's aggregate queries are checked against something independent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BANK = ("cash", "check", "eft", "credit_card", "other")


@dataclass
class Studio:
    customers: dict[str, str] = field(default_factory=dict)  # id -> name
    orders: dict[str, dict] = field(default_factory=dict)  # id -> customer_id, ordered_on, built_on, completed_on, voided_on, sales_tax
    lines: list[dict] = field(default_factory=list)  # order_id, line_no, category, amount
    payments: list[dict] = field(default_factory=list)  # payment_id, order_id, paid_on, method, amount
    adjustments: list[dict] = field(default_factory=list)  # adjustment_id, customer_id, adjusted_on, amount


def status(o: dict, d: str) -> str | None:
    if o["voided_on"] and o["voided_on"] <= d:
        return "VOIDED"
    if o["completed_on"] and o["completed_on"] <= d:
        return "COMPLETED"
    if o["built_on"] and o["built_on"] <= d:
        return "BUILT"
    if o["ordered_on"] <= d:
        return "WIP"
    return None


def subtotal(s: Studio, oid: str) -> int:
    return sum(line["amount"] for line in s.lines if line["order_id"] == oid)


def total(s: Studio, oid: str) -> int:
    return subtotal(s, oid) + s.orders[oid]["sales_tax"]


def paid(s: Studio, oid: str, d: str) -> int:
    return sum(p["amount"] for p in s.payments if p["order_id"] == oid and p["paid_on"] <= d)


def balance(s: Studio, oid: str, d: str) -> int:
    t = 0 if status(s.orders[oid], d) == "VOIDED" else total(s, oid)
    return t - paid(s, oid, d)


def balance_sheet(s: Studio, d: str) -> dict[str, int]:
    def orders_in(*statuses):
        return [oid for oid, o in s.orders.items() if status(o, d) in statuses]

    wip = sum(subtotal(s, oid) for oid in orders_in("WIP"))
    built = sum(subtotal(s, oid) for oid in orders_in("BUILT"))
    return {
        "undeposited_funds": sum(p["amount"] for p in s.payments if p["method"] in BANK and p["paid_on"] <= d),
        "accounts_receivable": sum(balance(s, oid, d) for oid in orders_in("COMPLETED")),
        "orders_wip": wip,
        "orders_built": built,
        "in_store_credit": sum(a["amount"] for a in s.adjustments if a["adjusted_on"] <= d)
        - sum(p["amount"] for p in s.payments if p["method"] == "in_store_credit" and p["paid_on"] <= d),
        "deposits": sum(paid(s, oid, d) for oid in orders_in("WIP", "BUILT", "VOIDED")),
        "orders_not_complete": wip + built,
        "sales_tax": sum(s.orders[oid]["sales_tax"] for oid in orders_in("COMPLETED")),
    }


def recognized(s: Studio, categories: dict[str, str], account: str, d: str) -> int:
    return sum(line["amount"] for line in s.lines
               if categories[line["category"]] == account and status(s.orders[line["order_id"]], d) == "COMPLETED")


def summary(s: Studio, categories: dict[str, str], p: str, c: str) -> dict:
    accounts = list(dict.fromkeys(categories.values()))
    income = {a: recognized(s, categories, a, c) - recognized(s, categories, a, p) for a in accounts}
    in_period = [x for x in s.payments if p < x["paid_on"] <= c]
    payments = {m: sum(x["amount"] for x in in_period if x["method"] == m and x["amount"] > 0) for m in BANK}
    payments["refunds"] = sum(x["amount"] for x in in_period if x["method"] in BANK and x["amount"] < 0)
    at_p, at_c = balance_sheet(s, p), balance_sheet(s, c)
    return {
        "income": {a: v for a, v in income.items() if v != 0},
        "expenses": {
            "bad_debt": sum(x["amount"] for x in in_period if x["method"] == "bad_debt"),
            "in_store_credit": sum(a["amount"] for a in s.adjustments if p < a["adjusted_on"] <= c),
        },
        "payments": payments,
        "subtotal": sum(payments.values()),
        "in_store_credit_payments": sum(x["amount"] for x in in_period if x["method"] == "in_store_credit"),
        "balance_sheet": {k: (at_p[k], at_c[k]) for k in at_c},
    }


def aging(s: Studio, d: str) -> dict[str, int]:
    """order_id -> balance, for every existing order whose balance is not 0."""
    out = {}
    for oid, o in s.orders.items():
        if status(o, d) is not None and balance(s, oid, d) != 0:
            out[oid] = balance(s, oid, d)
    return out


def deposit_reconciliation(s: Studio, d: str) -> dict[str, tuple[int, int]]:
    """order_id -> (order total, deposits) for WIP/BUILT orders and VOIDED orders holding money."""
    out = {}
    for oid, o in s.orders.items():
        st = status(o, d)
        if st in ("WIP", "BUILT"):
            out[oid] = (total(s, oid), paid(s, oid, d))
        elif st == "VOIDED" and paid(s, oid, d) != 0:
            out[oid] = (0, paid(s, oid, d))
    return out
