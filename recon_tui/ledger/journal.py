"""The posting rules of DOMAIN §8: every event's balanced journal entry, for both methods.

The rules work on one order at a time (``OrderFacts``: its lines per income account, tax, dates and
payments) and on credit adjustments; ``store/journal.py`` streams these from the database and
``journal_entries`` turns them into the studio's journal.

Order of events inside one order: payments dated before the completion date, then the completion,
then the payments dated on or after it; a void on ``v`` comes before the payments dated ``v``
(the order is VOIDED at ``v``). Payments of one order on one day are taken in ``payment_id`` order.

Cash-method allocation: the components are the order's income accounts (in config order) and then
its sales tax; when the money applied to a completed order moves from ``a`` to ``b`` the entry posts
``alloc(b) - alloc(a)`` (``allocate``). An order whose total is 0 allocates to ``unallocated_income``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from recon_tui.config import Config
from recon_tui.model import BANK_METHODS, Adjustment, Entry, Line, Method, OrderFacts, Payment

__all__ = ["Rules", "allocate", "balances", "journal_entries", "make_lines", "round_half_even"]

_BANK = frozenset(BANK_METHODS)


def make_lines(pairs, receivable: str) -> tuple[Line, ...]:
    """Net ``(account, amount)`` pairs per account, drop zero lines, put ``receivable`` first.

    The other accounts keep the order in which they first appear in ``pairs``.
    """
    accounts = [account for account, _ in pairs]
    if len(set(accounts)) == len(accounts):  # the usual case: nothing to net
        lines = [Line(account, amount) for account, amount in pairs if amount]
        if lines and lines[0].account != receivable and any(line.account == receivable for line in lines):
            lines.sort(key=lambda line: line.account != receivable)
        return tuple(lines)
    net: dict[str, int] = {}
    for account, amount in pairs:
        net[account] = net.get(account, 0) + amount
    lines = [Line(account, amount) for account, amount in net.items() if amount]
    lines.sort(key=lambda line: line.account != receivable)  # stable: A/R first, the rest as they came
    return tuple(lines)


def round_half_even(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest integer, ties to even (denominator > 0)."""
    q, r = divmod(numerator, denominator)
    twice = 2 * r
    if twice > denominator or (twice == denominator and q % 2):
        q += 1
    return q


def allocate(x: int, components: list[tuple[str, int]], total: int) -> list[tuple[str, int]]:
    """DOMAIN §8 ``alloc(x)``: each component ``round_half_even(x * amount / total)`` except the one of
    largest absolute amount (the first such), which takes ``x`` minus the others. ``total`` > 0."""
    biggest = 0
    for index, (_, amount) in enumerate(components):
        if abs(amount) > abs(components[biggest][1]):
            biggest = index
    shares = [(account, round_half_even(x * amount, total)) for account, amount in components]
    rest = x - sum(share for index, (_, share) in enumerate(shares) if index != biggest)
    shares[biggest] = (shares[biggest][0], rest)
    return shares


class Rules:
    """The posting rules for one method and one config's accounts."""

    def __init__(self, config: Config, method: str) -> None:
        self.method = Method.of(method).name
        self._accrues = Method.of(method).accrues
        gl = config.gl_accounts
        self.ar, self.deposits, self.funds = gl.accounts_receivable, gl.customer_deposits, gl.undeposited_funds
        self.credit, self.tax, self.bad_debt = gl.in_store_credit, gl.sales_tax, gl.bad_debt
        self.credit_expense, self.unallocated = gl.in_store_credit_expense, gl.unallocated_income

    # -- one order ----------------------------------------------------------------------------

    def order_entries(self, o: OrderFacts) -> list[Entry]:
        """Every entry of the order's events, in the order they happen (any date)."""
        return self._accrual(o) if self._accrues else self._cash(o)

    def _entry(self, key: str, on: date, customer: str, pairs) -> Entry | None:
        lines = make_lines(pairs, self.ar)
        return Entry(key, on, customer, lines) if lines else None

    def _timeline(self, o: OrderFacts):
        """(kind, on, payment) in event order; kind is 'payment', 'completed' or 'voided'."""
        events = [("payment", p.on, 2, p.payment_id, p) for p in o.payments]
        if o.completed_on is not None:
            events.append(("completed", o.completed_on, 0, "", None))
            if o.voided_on is not None:
                events.append(("voided", o.voided_on, 1, "", None))
        events.sort(key=lambda e: (e[1], e[2], e[3]))
        return events

    def _money_side(self, p: Payment) -> str:
        return self.funds if p.method in _BANK else self.credit

    def _accrual(self, o: OrderFacts) -> list[Entry]:
        out: list[Entry] = []
        paid = 0  # paid(o, day before the current event) for the completion/void, else running
        completed = voided = False
        total = o.total
        for kind, on, _, _, p in self._timeline(o):
            if kind == "payment":
                if p.method == "bad_debt":
                    pairs = [(self.bad_debt, p.amount), (self.ar, -p.amount)]
                else:
                    target = self.ar if completed and not voided else self.deposits
                    pairs = [(self._money_side(p), p.amount), (target, -p.amount)]
                paid += p.amount
                entry = self._entry(f"payment:{p.payment_id}", on, o.customer, pairs)
            elif kind == "completed":
                completed = True
                held = paid  # every payment so far is dated before the completion
                pairs = [(self.ar, total - held), (self.deposits, held)]
                pairs += [(account, -amount) for account, amount in o.income]
                pairs.append((self.tax, -o.sales_tax))
                entry = self._entry(f"order:{o.order_id}:completed", on, o.customer, pairs)
            else:
                voided = True
                held = paid  # payments dated before the void
                pairs = [(self.ar, -(total - held)), (self.deposits, -held)]
                pairs += [(account, amount) for account, amount in o.income]
                pairs.append((self.tax, o.sales_tax))
                entry = self._entry(f"order:{o.order_id}:voided", on, o.customer, pairs)
            if entry is not None:
                out.append(entry)
        return out

    def _components(self, o: OrderFacts) -> tuple[list[tuple[str, int]], int]:
        total = o.total
        if total == 0:
            return [(self.unallocated, 0)], 0
        return list(o.income) + [(self.tax, o.sales_tax)], total

    def _alloc(self, x: int, components, total) -> list[tuple[str, int]]:
        if total == 0:
            return [(self.unallocated, x)]
        return allocate(x, components, total)

    def _cash(self, o: OrderFacts) -> list[Entry]:
        out: list[Entry] = []
        components, total = self._components(o)
        applied = 0  # money applied to the order (payments other than bad debt)
        completed = voided = False
        for kind, on, _, _, p in self._timeline(o):
            if kind == "payment":
                if p.method == "bad_debt":
                    continue  # no receivable is on the books
                before, applied = applied, applied + p.amount
                pairs = [(self._money_side(p), p.amount)]
                if completed and not voided:
                    old = self._alloc(before, components, total)
                    new = self._alloc(applied, components, total)
                    pairs += [(account, -(n - b)) for (account, n), (_, b) in zip(new, old)]
                else:
                    pairs.append((self.deposits, -p.amount))
                entry = self._entry(f"payment:{p.payment_id}", on, o.customer, pairs)
            elif kind == "completed":
                completed = True
                pairs = [(self.deposits, applied)]
                pairs += [(account, -share) for account, share in self._alloc(applied, components, total)]
                entry = self._entry(f"order:{o.order_id}:completed", on, o.customer, pairs)
            else:
                voided = True
                pairs = [(account, share) for account, share in self._alloc(applied, components, total)]
                pairs.append((self.deposits, -applied))
                entry = self._entry(f"order:{o.order_id}:voided", on, o.customer, pairs)
            if entry is not None:
                out.append(entry)
        return out

    # -- credit adjustments -------------------------------------------------------------------

    def adjustment_entry(self, a: Adjustment) -> Entry | None:
        return self._entry(f"adjustment:{a.adjustment_id}", a.on, a.customer,
                           [(self.credit_expense, a.amount), (self.credit, -a.amount)])



# -- the journal ---------------------------------------------------------------------------------

def journal_entries(rules: Rules, orders: Iterable[OrderFacts], adjustments: Iterable[Adjustment],
                    through: date | None = None) -> Iterator[Entry]:
    """Every event's entry dated on or before ``through`` (all when None): the orders' events in the
    order the orders come, then the adjustments'."""
    for facts in orders:
        for entry in rules.order_entries(facts):
            if through is None or entry.on <= through:
                yield entry
    for adjustment in adjustments:
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
