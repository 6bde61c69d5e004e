"""The reconciliation summary for a period (DOMAIN §5): four tables and the balance identity.

Everything here is a frozen record that screens and printers only read. The figures are
assembled from the store's aggregates (handed in by the service) by pure functions; the identity
is checked on every summary, and a failure raises (it is a bug, never a warning).
"""

from __future__ import annotations

from dataclasses import dataclass

from recon_tui.config import Config
from recon_tui.model import BANK_METHODS, PAYMENT_LABELS, OrderTotals, PaymentTotals, Period


class BalanceIdentityError(AssertionError):
    """Change(assets) - Change(liabilities) != Income - Expenses: the engine is wrong."""


class UnknownCategoryError(Exception):
    """The database holds order lines whose category the config no longer maps."""


@dataclass(frozen=True)
class Line:
    """One row of the Income, Expense or Payments table."""

    key: str
    label: str
    amount: int


@dataclass(frozen=True)
class BalanceLine:
    """One Balance Sheet row: the value at the previous and current dates."""

    key: str
    label: str
    side: str  # asset | liability
    previous: int
    current: int

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass(frozen=True)
class BalanceSheetAt:
    """The Balance Sheet lines' values at one date."""

    undeposited_funds: int
    accounts_receivable: int
    orders_wip: int
    orders_built: int
    in_store_credit: int
    deposits: int
    sales_tax: int

    @property
    def orders_not_complete(self) -> int:
        return self.orders_wip + self.orders_built


BALANCE_LINES = (
    ("undeposited_funds", "Undeposited Funds", "asset"),
    ("accounts_receivable", "Accounts Receivable", "asset"),
    ("orders_wip", "Orders in WIP", "asset"),
    ("orders_built", "Orders in BUILT", "asset"),
    ("in_store_credit", "In-Store Credit", "liability"),
    ("deposits", "Deposits", "liability"),
    ("orders_not_complete", "Orders Not Complete", "liability"),
    ("sales_tax", "Sales Tax", "liability"),
)


@dataclass(frozen=True)
class Summary:
    period: Period
    income: tuple[Line, ...]  # income GL accounts with non-zero income, in config order
    expenses: tuple[Line, ...]  # bad_debt, in_store_credit
    payments: tuple[Line, ...]  # cash, check, eft, credit_card, other, refunds
    in_store_credit_payments: int  # below SubTotal: never reaches the bank
    balance_sheet: tuple[BalanceLine, ...]

    @property
    def income_total(self) -> int:
        return sum(line.amount for line in self.income)

    @property
    def expense_total(self) -> int:
        return sum(line.amount for line in self.expenses)

    @property
    def payments_subtotal(self) -> int:
        return sum(line.amount for line in self.payments)

    def line(self, key: str) -> BalanceLine:
        return next(line for line in self.balance_sheet if line.key == key)

    def side_change(self, side: str) -> int:
        return sum(line.change for line in self.balance_sheet if line.side == side)

    def check_identity(self) -> None:
        left = self.side_change("asset") - self.side_change("liability")
        right = self.income_total - self.expense_total
        if left != right:
            raise BalanceIdentityError(
                f"balance identity fails for {self.period}: Change(assets) - Change(liabilities) = {left} cents, "
                f"Income - Expenses = {right} cents")
        if self.payments_subtotal != self.line("undeposited_funds").change:
            raise BalanceIdentityError(
                f"Payments SubTotal {self.payments_subtotal} != Undeposited Funds change "
                f"{self.line('undeposited_funds').change} for {self.period}")


def balance_sheet_at(payments: PaymentTotals, orders: OrderTotals, credit_adjustments: int) -> BalanceSheetAt:
    """DOMAIN §5's balance sheet at one date, from whole-history aggregates up to it: the payments by
    method, the orders' status totals and the credit adjustments' total."""
    pays = payments
    all_paid = sum(pays.net(m) for m in set(pays.positive) | set(pays.negative))
    paid_on_completed = all_paid - orders.deposits  # every payment belongs to an order existing at d
    return BalanceSheetAt(
        undeposited_funds=sum(pays.net(m) for m in BANK_METHODS),
        accounts_receivable=orders.completed_total - paid_on_completed,
        orders_wip=orders.wip_subtotal,
        orders_built=orders.built_subtotal,
        in_store_credit=credit_adjustments - pays.net("in_store_credit"),
        deposits=orders.deposits,
        sales_tax=orders.completed_tax,
    )


def income_by_account(config: Config, category_changes: list[tuple[str, int]]) -> tuple[Line, ...]:
    mapping = config.category_accounts
    amounts = dict.fromkeys(config.income_accounts, 0)
    for category, cents in category_changes:
        if category not in mapping:
            raise UnknownCategoryError(
                f"{config.path}: income_categories: the database has order lines in category {category!r}, "
                "which the config does not map to an income account")
        amounts[mapping[category]] += cents
    return tuple(Line(account, account, cents) for account, cents in amounts.items() if cents != 0)


def summarize(config: Config, period: Period, at_previous: BalanceSheetAt, at_current: BalanceSheetAt,
              in_period: PaymentTotals, credit_adjustments: int, category_changes: list[tuple[str, int]]) -> Summary:
    """The §5 summary of ``period``: the balance sheet at both dates, the payments and credit
    adjustments dated in the period and each category's recognized income change."""
    payments = tuple(Line(m, PAYMENT_LABELS[m], in_period.positive.get(m, 0)) for m in BANK_METHODS)
    payments += (Line("refunds", "Refunds", sum(in_period.negative.get(m, 0) for m in BANK_METHODS)),)
    expenses = (
        Line("bad_debt", "Bad Debt", in_period.net("bad_debt")),
        Line("in_store_credit", "In-Store Credit", credit_adjustments),
    )
    summary = Summary(
        period=period,
        income=income_by_account(config, category_changes),
        expenses=expenses,
        payments=payments,
        in_store_credit_payments=in_period.net("in_store_credit"),
        balance_sheet=tuple(
            BalanceLine(key, label, side, getattr(at_previous, key), getattr(at_current, key))
            for key, label, side in BALANCE_LINES),
    )
    summary.check_identity()
    return summary
