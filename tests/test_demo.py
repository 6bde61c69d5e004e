"""The demo studio: deterministic, valid under every §3 import rule, and showing every feature."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from recon_tui.demo import DEMO_END, REQUIRED_CATEGORIES, DemoStudio, build_demo, write_csv
from recon_tui.money import parse_cents

BANK = {"cash", "check", "eft", "credit_card", "other"}
METHODS = BANK | {"in_store_credit", "bad_debt"}
FILES = {
    "customers.csv": ["customer_id", "name"],
    "orders.csv": ["order_id", "customer_id", "ordered_on", "built_on", "completed_on", "voided_on", "sales_tax"],
    "order_lines.csv": ["order_id", "line_no", "category", "description", "amount"],
    "payments.csv": ["payment_id", "order_id", "paid_on", "method", "amount", "reference"],
    "credit_adjustments.csv": ["adjustment_id", "customer_id", "adjusted_on", "amount", "reason"],
}


@pytest.fixture(scope="module")
def demo() -> DemoStudio:
    return build_demo()


@pytest.fixture(scope="module")
def facts(demo):
    """Per-order totals and paid-at-end, shared by several tests."""
    subtotal = Counter()
    for order_id, _, _, _, amount in demo.order_lines:
        subtotal[order_id] += amount
    paid = Counter()
    for _, order_id, _, _, amount, _ in demo.payments:
        paid[order_id] += amount
    total = {o[0]: subtotal[o[0]] + o[6] for o in demo.orders}
    return subtotal, total, paid


def _is_cents(value) -> bool:
    return type(value) is int  # not float, not bool


# --- determinism and the CSV form ---------------------------------------------------------------

def test_same_seed_gives_byte_identical_csv_and_other_seed_differs(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    counts = write_csv(build_demo(seed=7, years=1, orders_per_year=400), a)
    write_csv(build_demo(seed=7, years=1, orders_per_year=400), b)
    write_csv(build_demo(seed=8, years=1, orders_per_year=400), c)
    assert set(counts) == set(FILES)
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert any((a / name).read_bytes() != (c / name).read_bytes() for name in FILES)


def test_csv_round_trips_in_the_section_3_format(demo, tmp_path):
    counts = write_csv(demo, tmp_path)
    tables = {"customers.csv": demo.customers, "orders.csv": demo.orders, "order_lines.csv": demo.order_lines,
              "payments.csv": demo.payments, "credit_adjustments.csv": demo.credit_adjustments}
    for name, header in FILES.items():
        raw = (tmp_path / name).read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
        with open(tmp_path / name, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert rows[0] == header
        assert counts[name] == len(rows) - 1 == len(tables[name])
        for text, record in zip(rows[1:], tables[name]):
            for column, field, value in zip(header, text, record):
                if value is None:
                    assert field == ""
                elif isinstance(value, date):
                    assert field == value.isoformat()
                elif column in ("amount", "sales_tax"):
                    assert re.fullmatch(r"-?\d+\.\d\d", field) and parse_cents(field) == value
                else:
                    assert field == str(value)


# --- §3 validation over the default demo --------------------------------------------------------

def test_ids_unique_and_references_exist(demo):
    customers = [c[0] for c in demo.customers]
    orders = [o[0] for o in demo.orders]
    for ids in (customers, orders, [p[0] for p in demo.payments], [a[0] for a in demo.credit_adjustments]):
        assert len(ids) == len(set(ids))
    assert all(name.strip() for _, name in demo.customers)
    customers, orders = set(customers), set(orders)
    assert all(o[1] in customers for o in demo.orders)
    assert all(p[1] in orders for p in demo.payments)
    assert all(a[1] in customers for a in demo.credit_adjustments)
    by_order = defaultdict(list)
    for order_id, line_no, category, _, amount in demo.order_lines:
        assert order_id in orders and category in REQUIRED_CATEGORIES and _is_cents(amount)
        by_order[order_id].append(line_no)
    assert set(by_order) == orders  # every order has lines
    assert all(nums == list(range(1, len(nums) + 1)) for nums in by_order.values())
    assert {line[2] for line in demo.order_lines} == set(REQUIRED_CATEGORIES)
    assert all(line[4] < 0 for line in demo.order_lines if line[2] == "discounts")
    assert all(line[4] > 0 for line in demo.order_lines if line[2] != "discounts")


def test_dates_in_order_and_inside_the_history(demo):
    start = date(DEMO_END.year - 3, DEMO_END.month, DEMO_END.day)
    for _, _, ordered, built, completed, voided, _ in demo.orders:
        present = [d for d in (ordered, built, completed) if d is not None]
        assert present == sorted(present)
        assert voided is None or max(present) <= voided
        assert all(start < d <= DEMO_END for d in present + [voided] if d is not None)
    ordered_on = {o[0]: o[2] for o in demo.orders}
    assert all(ordered_on[p[1]] <= p[2] <= DEMO_END for p in demo.payments)
    assert all(start < a[2] <= DEMO_END for a in demo.credit_adjustments)
    assert min(o[2] for o in demo.orders) < start + timedelta(days=10)  # history really starts 3 years back


def test_money_rules(demo, facts):
    subtotal, total, paid = facts
    assert all(_is_cents(o[6]) and o[6] >= 0 for o in demo.orders)
    assert all(subtotal[o[0]] >= 0 for o in demo.orders)
    orders = {o[0]: o for o in demo.orders}
    for _, order_id, paid_on, method, amount, _ in demo.payments:
        assert method in METHODS and _is_cents(amount) and amount != 0
        if amount < 0:
            assert method in BANK or method == "in_store_credit"
        if method == "bad_debt":
            _, _, _, _, completed, voided, _ = orders[order_id]
            assert completed is not None and completed <= paid_on and voided is None
    assert all(_is_cents(a[3]) and a[3] != 0 for a in demo.credit_adjustments)
    for order_id in orders:  # never paid beyond the total at the end, never owed money back
        assert 0 <= paid[order_id] <= total[order_id], order_id


def test_tax_is_on_goods_only(demo, facts):
    goods = Counter()
    for order_id, _, category, _, amount in demo.order_lines:
        if category != "sessions":
            goods[order_id] += amount
    for order_id, *_, tax in demo.orders:
        assert tax == (goods[order_id] * 825 + 5000) // 10000


def test_in_store_credit_never_goes_negative(demo):
    customer_of = {o[0]: o[1] for o in demo.orders}
    moves = defaultdict(Counter)  # customer -> day -> change in their store credit
    for _, customer, day, amount, _ in demo.credit_adjustments:
        moves[customer][day] += amount
    for _, order_id, day, method, amount, _ in demo.payments:
        if method == "in_store_credit":
            moves[customer_of[order_id]][day] -= amount
    for customer, by_day in moves.items():
        balance = 0
        for day in sorted(by_day):
            balance += by_day[day]
            assert balance >= 0, (customer, day)


# --- every feature appears in the default demo --------------------------------------------------

def test_every_feature_is_present(demo, facts):
    _, total, paid = facts
    orders = {o[0]: o for o in demo.orders}
    pays = demo.payments
    status = Counter()
    for _, _, _, built, completed, voided, _ in demo.orders:
        status["VOIDED" if voided else "COMPLETED" if completed else "BUILT" if built else "WIP"] += 1
    assert status["WIP"] and status["BUILT"] and status["COMPLETED"] > status["VOIDED"] > 0
    assert any(p[4] < 0 and p[3] in BANK for p in pays)  # bank refund
    voided_early = {o[0] for o in demo.orders if o[5] and o[4] is None}
    voided_late = {o[0] for o in demo.orders if o[5] and o[4] is not None}
    assert any(p[1] in voided_early and p[4] < 0 for p in pays)  # deposit refunded
    assert any(p[1] in voided_late and p[4] < 0 for p in pays)  # completed order voided, refunded
    assert any(p[3] == "bad_debt" for p in pays)
    assert any(p[3] == "in_store_credit" and p[4] < 0 for p in pays)
    assert any(p[3] == "in_store_credit" and p[4] > 0 for p in pays)
    assert any(a[3] > 0 for a in demo.credit_adjustments) and any(a[3] < 0 for a in demo.credit_adjustments)
    assert all(a[4] for a in demo.credit_adjustments)  # reasons given
    assert any(p[3] == "check" and p[5] and p[5].startswith("Check #") for p in pays)
    methods = Counter(p[3] for p in pays if p[4] > 0 and p[3] in BANK)
    assert methods["credit_card"] > methods["cash"] > methods["check"] > methods["eft"] > methods["other"] > 0
    old_ar = [o for o in demo.orders if o[4] and not o[5] and (DEMO_END - o[4]).days > 90
              and total[o[0]] > paid[o[0]]]
    assert old_ar  # A/R over 90 days at the end
    late = [o for o in demo.orders if o[4] and not o[5] and total[o[0]] > 0]
    paid_late = {p[1] for p in pays if p[1] in orders and orders[p[1]][4] and p[2] > orders[p[1]][4] + timedelta(days=30)
                 and p[3] in BANK and p[4] > 0}
    assert late and paid_late  # A/R collected later
    assert any(line[3] == "Loyalty discount" for line in demo.order_lines)
    assert any(line[3] == "School package discount" for line in demo.order_lines)
    assert len(demo.customers) < len(demo.orders) * 0.8  # repeat customers are common


def test_seasonal_peaks(demo):
    by_month = Counter(o[2].month for o in demo.orders)
    assert min(by_month[m] for m in (8, 9, 11, 12)) > max(by_month[m] for m in (1, 2))


# --- scale ----------------------------------------------------------------------------------------

def test_years_and_orders_per_year_scale_the_output():
    small = build_demo(seed=3, years=1, orders_per_year=500, end=date(2025, 6, 30))
    assert len(small.orders) == 500
    assert all(date(2024, 6, 30) < o[2] <= date(2025, 6, 30) for o in small.orders)
    assert 200 < len(small.customers) < 500 and len(small.payments) > 500
    assert len(build_demo(seed=3, years=2, orders_per_year=300).orders) == 600
    assert build_demo(years=1, orders_per_year=0).orders == []


def test_leap_day_end_and_bad_arguments():
    assert len(build_demo(years=1, orders_per_year=50, end=date(2028, 2, 29)).orders) == 50
    with pytest.raises(ValueError):
        build_demo(years=0)
