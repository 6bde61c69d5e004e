"""DOMAIN §8: the posting rules. Every entry balances, and at any date the posted balances equal the
studio figures of §5 (tests/oracle.py) as §8 says, for both methods and many random studios."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import oracle
from recon_tui.ledger.journal import Rules, allocate, balances, make_lines, round_half_even
from recon_tui.model import Entry, Line, OrderFacts, Payment
from recon_tui.service.journal import entries
from recon_tui.store.importer import ImportFailed
from test_ledger_properties import DAYS, START, loaded, studios

GL = {"ar": "Accounts Receivable", "deposits": "Customer Deposits", "funds": "Undeposited Funds",
      "credit": "In-Store Credit", "tax": "Sales Tax Payable", "bad_debt": "Bad Debt",
      "credit_expense": "In-Store Credit Expense"}
INCOME = ("Income:Session Fees", "Income:Print Sales", "Income:Discounts")
CATEGORIES = {"sessions": "Income:Session Fees", "prints": "Income:Print Sales", "frames": "Income:Print Sales",
              "discounts": "Income:Discounts"}


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def applied(s: oracle.Studio, oid: str, d: str) -> int:
    """Money applied to an order by d: its payments other than bad debt."""
    return sum(p["amount"] for p in s.payments if p["order_id"] == oid and p["paid_on"] <= d and p["method"] != "bad_debt")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studio=studios(), method=st.sampled_from(["accrual", "cash"]))
def test_posted_balances_equal_the_studio_figures(studio, method):
    try:
        db, config = loaded(studio)
    except ImportFailed:
        assume(False)
    journal = list(entries(db, config, method))
    for entry in journal:
        assert entry.balanced and entry.lines, entry
        assert all(line.amount for line in entry.lines)
        accounts = [line.account for line in entry.lines]
        assert len(set(accounts)) == len(accounts)  # netted per account
        assert GL["ar"] not in accounts[1:]  # A/R, if any, is the first line
        assert entry.customer.startswith("Customer ")
        if method == "cash":
            assert GL["ar"] not in accounts and GL["bad_debt"] not in accounts
    assert len({entry.key for entry in journal}) == len(journal)
    for n in range(-1, DAYS + 2):
        d = day(n)
        bal = balances(journal, date.fromisoformat(d))
        sheet = oracle.balance_sheet(studio, d)
        assert bal.get(GL["funds"], 0) == sheet["undeposited_funds"]
        assert -bal.get(GL["deposits"], 0) == sheet["deposits"]
        assert -bal.get(GL["credit"], 0) == sheet["in_store_credit"]
        expense = sum(a["amount"] for a in studio.adjustments if a["adjusted_on"] <= d)
        assert bal.get(GL["credit_expense"], 0) == expense
        if method == "accrual":
            assert bal.get(GL["ar"], 0) == sheet["accounts_receivable"]
            assert -bal.get(GL["tax"], 0) == sheet["sales_tax"]
            for account in INCOME:  # activity to date = recognized(D); a period's = the §5 income
                assert -bal.get(account, 0) == oracle.recognized(studio, CATEGORIES, account, d)
            bad_debt = sum(p["amount"] for p in studio.payments if p["method"] == "bad_debt" and p["paid_on"] <= d)
            assert bal.get(GL["bad_debt"], 0) == bad_debt
        else:  # income follows the money applied to completed orders; all of it, never more
            completed = [oid for oid, o in studio.orders.items() if oracle.status(o, d) == "COMPLETED"]
            recognized = -sum(bal.get(account, 0) for account in (*INCOME, GL["tax"], "Income:Other Income"))
            assert recognized == sum(applied(studio, oid, d) for oid in completed)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studio=studios())
def test_a_fully_paid_order_recognizes_exactly_its_lines_and_tax_under_cash(studio):
    try:
        db, config = loaded(studio)
    except ImportFailed:
        assume(False)
    rules = Rules(config, "cash")
    from recon_tui.store.journal import order_facts

    for facts in order_facts(db, config):
        entries_ = rules.order_entries(facts)
        if facts.completed_on is None or facts.voided_on is not None or facts.total == 0:
            continue
        paid = sum(p.amount for p in facts.payments if p.method != "bad_debt")
        if paid != facts.total:
            continue
        posted: dict[str, int] = {}
        for entry in entries_:
            for line in entry.lines:
                posted[line.account] = posted.get(line.account, 0) + line.amount
        for account, amount in facts.income:
            assert -posted.get(account, 0) == amount
        assert -posted.get(config.gl_accounts.sales_tax, 0) == facts.sales_tax


# -- the rules by hand --------------------------------------------------------------------------


def test_round_half_even():
    assert [round_half_even(n, 2) for n in (-3, -1, 1, 3, 5)] == [-2, 0, 0, 2, 2]
    assert round_half_even(7, 3) == 2 and round_half_even(-7, 3) == -2


def test_allocation_gives_the_biggest_component_the_rest():
    # 100.00 of a 300.00 order with three equal components: the first (on a tie) takes the rest
    assert allocate(10000, [("a", 10000), ("b", 10000), ("c", 10000)], 30000) == [("a", 3334), ("b", 3333), ("c", 3333)]
    assert allocate(30000, [("a", 10000), ("b", 10000), ("c", 10000)], 30000) == [("a", 10000), ("b", 10000), ("c", 10000)]
    # a discount is a negative component; the largest absolute amount takes the rest
    assert allocate(5000, [("sessions", 12000), ("discount", -2000)], 10000) == [("sessions", 6000), ("discount", -1000)]


def test_make_lines_nets_drops_zero_and_puts_receivable_first():
    lines = make_lines([("X", 5), ("AR", 0), ("Y", -5), ("X", -5), ("AR", 7), ("Z", -7)], "AR")
    assert lines == (Line("AR", 7), Line("Y", -5), Line("Z", -7))


def worked_order(config_rules: Rules) -> list[Entry]:
    """DOMAIN §11 order A: sessions 100, prints 200, tax 16; cash 50 on 03-10, card 266 on 04-05 (completed)."""
    a = OrderFacts("A", "Ann", date(2026, 4, 5), None, 1600,
                   (("Session Fees", 10000), ("Print Sales", 20000)),
                   (Payment("P1", date(2026, 3, 10), "cash", 5000), Payment("P2", date(2026, 4, 5), "credit_card", 26600)))
    return config_rules.order_entries(a)


@pytest.fixture
def worked_config():
    from pathlib import Path

    from recon_tui.config import load_config
    return load_config(Path(__file__).parent / "fixtures" / "worked_example.yaml")


def test_accrual_entries_of_the_worked_example_order(worked_config):
    p1, done, p2 = worked_order(Rules(worked_config, "accrual"))
    assert (p1.key, p1.lines) == ("payment:P1", (Line("Undeposited Funds", 5000), Line("Customer Deposits", -5000)))
    assert done.key == "order:A:completed" and done.on == date(2026, 4, 5)
    assert done.lines == (Line("Accounts Receivable", 26600), Line("Customer Deposits", 5000),
                          Line("Session Fees", -10000), Line("Print Sales", -20000), Line("Sales Tax Payable", -1600))
    # paid on the completion day: after the completion, so it settles the receivable
    assert p2.lines == (Line("Accounts Receivable", -26600), Line("Undeposited Funds", 26600))


def test_cash_entries_of_the_worked_example_order(worked_config):
    p1, done, p2 = worked_order(Rules(worked_config, "cash"))
    assert p1.lines == (Line("Undeposited Funds", 5000), Line("Customer Deposits", -5000))
    # 50.00 of 316.00 applied at completion: prints (largest) takes the rest of round-half-even shares
    assert done.lines == (Line("Customer Deposits", 5000), Line("Session Fees", -1582), Line("Print Sales", -3165),
                          Line("Sales Tax Payable", -253))
    assert p2.lines == (Line("Undeposited Funds", 26600), Line("Session Fees", -8418), Line("Print Sales", -16835),
                        Line("Sales Tax Payable", -1347))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studio=studios(), method=st.sampled_from(["accrual", "cash"]))
def test_the_tie_out_account_in_sql_equals_the_entries(studio, method):
    """store.journal.ACCOUNT_SQL (the diagnosis' fast path) gives every event's amount on the tie-out
    account exactly as the entries do."""
    from recon_tui.store.journal import ACCOUNT_SQL

    try:
        db, config = loaded(studio)
    except ImportFailed:
        assume(False)
    account = GL["ar"] if method == "accrual" else GL["deposits"]
    from_entries = {e.key: (e.on.isoformat(), e.amount_on(account)) for e in entries(db, config, method)}
    from_sql = {key: (on, amount) for key, on, amount in db.execute(ACCOUNT_SQL[method])}
    assert {k: v for k, v in from_sql.items() if v[1]} == {k: v for k, v in from_entries.items() if v[1]}
    assert set(from_entries) <= set(from_sql) | {k for k in from_entries if k.startswith("adjustment:")}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studio=studios(), cut=st.integers(-1, DAYS + 1), split=st.integers(-1, DAYS + 1))
def test_the_accrual_journal_in_sql_is_the_rules_journal_in_posting_order(studio, cut, split):
    """store.journal.AccrualSQL (what post records under accrual) gives the entries of the Python
    rules line for line, in posting order (by date, orders by id, each order's events as they
    happen, then adjustments), and two ranges of dates give the two parts of it."""
    import json

    from recon_tui.model import split_key
    from recon_tui.store.journal import POSTING_ORDER, AccrualSQL

    try:
        db, config = loaded(studio)
    except ImportFailed:
        assume(False)
    through = START + timedelta(days=cut)
    want = sorted(entries(db, config, "accrual", through), key=lambda e: e.on)
    sql = AccrualSQL(config)
    assert sql.usable and sql.unknown_category(db) is None

    def rows(lo: str, hi: str) -> list[tuple]:
        return db.execute(f"SELECT key, kind, record, on_, customer, lines, ar, deposits FROM ({sql.unposted}) "
                          f"ORDER BY {POSTING_ORDER}", {"lo": lo, "hi": hi}).fetchall()
    end = (through + timedelta(days=1)).isoformat()
    expected = [(e.key, *split_key(e.key), e.on.isoformat(), e.customer,
                 json.dumps([list(line) for line in e.lines], separators=(",", ":")),
                 e.amount_on(GL["ar"]), e.amount_on(GL["deposits"])) for e in want]
    assert rows("", end) == expected
    middle = min(day(split), end)
    assert rows("", middle) + rows(middle, end) == expected
