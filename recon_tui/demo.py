"""The deterministic demo studio: a believable portrait studio's history for demos, screenshots and tests.

Everything is drawn from one ``random.Random(seed)`` while walking the orders in date order, so the
same arguments always give the same records and byte-identical CSV. Money is int cents throughout
(tax too: 8.25 % is 825 basis points, rounded half up in integers). Every record passes the §3 import
validation; dates after ``end`` are simply not recorded, so late orders stay WIP or BUILT.
"""

from __future__ import annotations

import csv
import random
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path

from recon_tui.files import whole_file
from recon_tui.money import format_cents

DEMO_END = date(2026, 10, 31)
REQUIRED_CATEGORIES = ("sessions", "prints", "frames", "albums", "digital", "discounts")
TAX_BASIS_POINTS = 825  # 8.25 % sales tax on goods (not on session fees)
#: the bank methods (model.BANK_METHODS) in the order they are drawn, with their cumulative weights:
#: credit cards most, then cash, check, eft, rarely other (the order keeps the generated data the same)
_BANK_DRAWS = ("credit_card", "cash", "check", "eft", "other")
_BANK_CUM = (52, 72, 86, 97, 100)
_CARDS = ("Visa", "Visa", "Mastercard", "Amex", "Discover")
_MONTH_VOLUME = (55, 60, 85, 95, 105, 100, 90, 150, 160, 110, 150, 140)  # school Aug-Sep, holidays

_FIRST = ("Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sophia", "Elijah", "Isabella", "James",
          "Mia", "Lucas", "Amelia", "Benjamin", "Harper", "Daniel", "Evelyn", "Henry", "Camila",
          "Jackson", "Aaliyah", "Samuel", "Priya", "Wei", "Fatima", "Diego", "Hannah", "Marcus",
          "Grace", "Andre", "Leah", "Tomás", "Nora", "Kenji", "Rosa", "Caleb", "Zoë", "Omar", "Julia",
          "Ethan", "Chloe", "Ryan", "Maya", "Gabriel", "Ruth", "Isaac")
_LAST = ("Garcia", "Smith", "Johnson", "Nguyen", "Patel", "Williams", "Brown", "Martinez", "Kim",
         "Davis", "Lopez", "Miller", "Wilson", "Anderson", "Thomas", "Hernandez", "Moore", "Jackson",
         "Lee", "Walker", "Hall", "Young", "Allen", "Chen", "Wright", "Scott", "Torres", "Hill",
         "Green", "Adams", "Baker", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "O'Brien",
         "Okafor", "Schmidt", "Rossi", "Núñez", "Kowalski", "Haddad", "Yamamoto", "Bennett", "Foster")

# Products: key -> (category, description, unit price in cents, max quantity).
_PRODUCTS = {
    "p8x10": ("prints", "8x10 lustre prints", 2500, 6),
    "p5x7": ("prints", "5x7 lustre prints", 1500, 8),
    "wallet": ("prints", "Wallet prints, sheet of 8", 2000, 4),
    "p11x14": ("prints", "11x14 lustre print", 6500, 2),
    "metal": ("prints", "11x14 metallic print", 8500, 2),
    "p16x20": ("prints", "16x20 fine-art print", 12500, 1),
    "schoolA": ("prints", "School package A (1 8x10, 2 5x7, 8 wallets)", 3900, 2),
    "schoolB": ("prints", "School package B (2 8x10, 4 5x7, 16 wallets)", 5900, 1),
    "canvas": ("frames", "16x20 canvas", 32500, 1),
    "canvas2030": ("frames", "20x30 gallery-wrap canvas", 52500, 1),
    "frame": ("frames", "11x14 walnut frame", 14500, 2),
    "desk": ("frames", "8x10 desk frame", 4500, 3),
    "heirloom": ("albums", "Heirloom album", 89500, 1),
    "parent": ("albums", "8x8 parent album", 32500, 2),
    "mini": ("albums", "Accordion mini album", 9500, 2),
    "dlset": ("digital", "Digital download set", 29900, 1),
    "dlone": ("digital", "Single digital file", 4500, 3),
    "web": ("digital", "Web-size digital files", 7500, 1),
}
_SLOW = frozenset(("albums", "frames"))  # albums and canvases take longer to build

# Session kinds: (description, fee choices in cents, relative weight per month Jan..Dec, products).
_KINDS = (
    ("Family session", (17500, 20000, 25000), (5, 5, 6, 7, 8, 8, 7, 7, 10, 14, 12, 6),
     ("p8x10", "p5x7", "p11x14", "canvas", "canvas2030", "frame", "desk", "parent", "dlset", "heirloom")),
    ("Senior portraits", (22500, 27500, 35000), (2, 2, 4, 6, 6, 8, 10, 12, 10, 6, 3, 2),
     ("p8x10", "wallet", "p5x7", "metal", "canvas", "mini", "dlset", "heirloom")),
    ("Newborn session", (27500, 32500), (5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5),
     ("p8x10", "p5x7", "canvas", "desk", "mini", "parent", "heirloom", "dlset")),
    ("Professional headshots", (12500, 15000, 17500), (7, 7, 7, 6, 5, 5, 4, 5, 6, 6, 4, 2),
     ("dlone", "web", "dlset", "p8x10")),
    ("School picture day", (1500,), (0, 1, 1, 2, 1, 0, 0, 30, 36, 10, 1, 0),
     ("schoolA", "schoolB", "wallet", "p8x10", "dlone")),
    ("Holiday mini session", (9500, 12500), (0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 32, 22),
     ("p5x7", "p8x10", "desk", "web", "dlone", "mini")),
    ("Maternity session", (20000,), (3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3),
     ("p8x10", "p11x14", "canvas", "mini", "dlset")),
    ("Pet portraits", (12500,), (2, 2, 3, 3, 3, 3, 3, 2, 2, 3, 3, 2), ("p8x10", "metal", "canvas", "web")),
    ("Engagement session", (25000,), (2, 2, 4, 6, 6, 5, 4, 4, 6, 7, 4, 3),
     ("p16x20", "canvas", "metal", "mini", "dlset")),
    ("Graduation portraits", (17500,), (1, 1, 3, 9, 11, 5, 1, 1, 1, 1, 1, 1),
     ("p8x10", "wallet", "p11x14", "desk", "dlset")),
)
_SCHOOL, _HOLIDAY = 4, 5
_GOODWILL = ("Goodwill: album delivered late", "Goodwill: reprint for color issue", "Referral reward",
             "Photo contest winner", "Loyalty reward", "Goodwill: missed pickup appointment")


@dataclass(frozen=True)
class DemoStudio:
    """The five §3 record sets as plain tuples (dates as ``date``, money as int cents)."""

    customers: list[tuple]  # (customer_id, name)
    orders: list[tuple]  # (order_id, customer_id, ordered_on, built_on, completed_on, voided_on, sales_tax)
    order_lines: list[tuple]  # (order_id, line_no, category, description, amount)
    payments: list[tuple]  # (payment_id, order_id, paid_on, method, amount, reference)
    credit_adjustments: list[tuple]  # (adjustment_id, customer_id, adjusted_on, amount, reason)


def _years_before(end: date, years: int) -> date:
    try:
        return end.replace(year=end.year - years)
    except ValueError:  # 29 February
        return end.replace(year=end.year - years, day=28)


class _Gen:
    """Generation state; dates are ordinals (ints) until the end, for speed."""

    def __init__(self, rng: random.Random, end: int):
        self.end, self.rand = end, rng.random
        self.pays: list[tuple] = []  # (order_id, day, method, amount, reference)
        self.adjs: list[tuple] = []  # (customer index, day, amount, reason)
        self.credit: dict[int, list[tuple[int, int]]] = {}  # customer -> [(day, +/- amount)]
        self.credit_custs: list[int] = []  # customers granted credit, for steering a repeat visit

    def available(self, cust: int, day: int) -> int:
        """Credit the customer can spend on ``day`` without any later end-of-day balance going negative."""
        events = self.credit.get(cust)
        if not events:
            return 0
        low = run = sum(a for t, a in events if t <= day)
        for _, a in sorted(e for e in events if e[0] > day):
            run += a
            low = min(low, run)
        return max(low, 0)

    def grant(self, cust: int, day: int, amount: int) -> None:
        if cust not in self.credit:
            self.credit[cust] = []
        if amount > 0:
            self.credit_custs.append(cust)
        self.credit[cust].append((day, amount))

    def randint(self, a: int, b: int) -> int:
        """Like ``Random.randint`` but several times faster (one ``random()`` call)."""
        return a + int(self.rand() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.rand() * len(seq))]

    def bank(self) -> tuple[str, str | None]:
        method = _BANK_DRAWS[bisect_right(_BANK_CUM, self.rand() * _BANK_CUM[-1])]
        if method == "check":
            return method, f"Check #{self.randint(1001, 9899)}"
        if method == "credit_card":
            return method, f"{self.choice(_CARDS)} x{self.randint(1000, 9999)}"
        if method == "eft":
            return method, self.choice(("ACH transfer", "Zelle", None))
        if method == "other":
            return method, self.choice(("Gift certificate", "Groupon voucher", "School PTA voucher"))
        return method, None

    def pay(self, rec: list, oid: str, cust: int, day: int, amount: int, use_credit: bool = True) -> int:
        """Take ``amount`` on ``day``, store credit first when the customer has some; returns what was recorded."""
        if day > self.end or amount <= 0:
            return sum(p[3] for p in rec)
        if use_credit and cust in self.credit:
            used = min(self.available(cust, day), amount)
            if used > 0:
                self.grant(cust, day, -used)
                rec.append((oid, day, "in_store_credit", used, "Store credit applied"))
                amount -= used
        if amount > 0:
            method, ref = self.bank()
            rec.append((oid, day, method, amount, ref))
        return sum(p[3] for p in rec)

    def refund(self, rec: list, oid: str, cust: int, day: int, to_credit: bool, why: str) -> None:
        """Give back everything paid: store credit goes back to credit, bank money to the last bank method."""
        if day > self.end:
            return  # the refund falls after the end: the voided order still holds the money
        isc = sum(p[3] for p in rec if p[2] == "in_store_credit")
        bank = sum(p[3] for p in rec) - isc
        if to_credit:
            isc, bank = isc + bank, 0
        if isc > 0:
            self.grant(cust, day, isc)
            rec.append((oid, day, "in_store_credit", -isc, f"{why.capitalize()}: to store credit"))
        if bank > 0:
            last = [p for p in rec if p[2] in _BANK_DRAWS][-1]
            rec.append((oid, day, last[2], -bank, f"Refund: {why}"))

    def adjust(self, cust: int, day: int, amount: int, reason: str) -> None:
        if day <= self.end and (amount > 0 or -amount <= self.available(cust, day)):
            self.grant(cust, day, amount)
            self.adjs.append((cust, day, amount, reason))


def build_demo(seed: int = 1, years: int = 3, orders_per_year: int = 3000, end: date = DEMO_END) -> DemoStudio:
    """A studio with ``years * orders_per_year`` orders dated in (end - years, end]."""
    if years < 1 or orders_per_year < 0:
        raise ValueError("years must be >= 1 and orders_per_year >= 0")
    rng = random.Random(seed)
    s0, e0 = _years_before(end, years).toordinal(), end.toordinal()
    n = years * orders_per_year
    day_list = [date.fromordinal(o) for o in range(s0, e0 + 1)]
    cum, total = [], 0
    for d in day_list[1:]:  # seasonal volume; busy Saturdays, quiet Sundays, closed on holidays
        w = _MONTH_VOLUME[d.month - 1] * (25 if d.weekday() == 6 else 140 if d.weekday() == 5 else 100)
        total += 0 if (d.month, d.day) in ((1, 1), (7, 4), (12, 25)) else w
        cum.append(total)
    ordered = sorted(rng.choices(range(s0 + 1, e0 + 1), cum_weights=cum, k=n)) if n else []
    kind_cum = []
    for m in range(12):
        acc, row = 0, []
        for kind in _KINDS:
            acc += kind[2][m]
            row.append(acc)
        kind_cum.append(row)
    width = max(6, len(str(n)))
    cwidth = max(5, len(str(n)))
    g = _Gen(rng, e0)
    rand, randint, choice = g.rand, g.randint, g.choice
    names: list[str] = []
    visits: list[int] = []
    orders, lines = [], []
    for i, d0 in enumerate(ordered, 1):
        oid = f"O{i:0{width}d}"
        row = kind_cum[day_list[d0 - s0].month - 1]
        k = bisect_right(row, rand() * row[-1])
        desc, fees, _, pool = _KINDS[k]
        # Customer: repeat visits are common; someone holding store credit often comes back to use it.
        cust = -1
        if names and rand() < 0.42 * len(names) / (len(names) + 150):  # few regulars on day one
            if g.credit_custs and rand() < 0.2:
                j = int(rand() * len(g.credit_custs))
                c = g.credit_custs[j]
                if g.available(c, d0 + 30) > 0:
                    cust = c
                    g.credit_custs[j] = g.credit_custs[-1]
                    g.credit_custs.pop()
            if cust < 0:
                cust = int(rand() * len(names))
        if cust < 0:
            cust = len(names)
            last = choice(_LAST)
            first = choice(_FIRST)
            names.append(f"{first} & {choice(_FIRST)} {last}" if rand() < 0.08 else f"{first} {last}")
            visits.append(0)
        repeat = visits[cust] > 0
        visits[cust] += 1
        # Lines: the session fee, then what was bought at the viewing, then any discount.
        fee = choice(fees)
        ol = [(oid, 1, "sessions", desc, fee)]
        goods, slow = 0, False
        count = 0 if (k != _SCHOOL and rand() < 0.07) else randint(1, 3 if k == _SCHOOL else 4)
        for key in rng.sample(pool, min(count, len(pool))):
            cat, what, unit, most = _PRODUCTS[key]
            qty = 1 if most == 1 or rand() < 0.5 else randint(2, most)
            ol.append((oid, len(ol) + 1, cat, what if qty == 1 else f"{what} ({qty})", unit * qty))
            goods += unit * qty
            slow = slow or cat in _SLOW
        disc, why = 0, ""
        if goods:
            r = rand()
            if k == _SCHOOL and r < 0.45:
                disc, why = (goods * 15 + 50) // 100, "School package discount"
            elif k == _HOLIDAY and r < 0.3 and goods >= 10000:
                disc, why = 2500, "Holiday promo"
            elif repeat and r < 0.25:
                disc, why = (goods * 10 + 50) // 100, "Loyalty discount"
            elif r < 0.03 and goods >= 20000:
                disc, why = 5000, "Referral discount"
        if disc:
            ol.append((oid, len(ol) + 1, "discounts", why, -disc))
        lines.extend(ol)
        tax = ((goods - disc) * TAX_BASIS_POINTS + 5000) // 10000
        amount_due = fee + goods - disc + tax
        # Life cycle: session, viewing, built (days to weeks), picked up.
        if k == _SCHOOL:
            view = d0
            built = d0 + randint(14, 28)
            done = built + randint(2, 7)
        else:
            view = d0 + randint(3, 24) + randint(5, 12)
            built = view + randint(6, 21) + (randint(7, 21) if slow else 0)
            done = built + (randint(1, 10) if rand() < 0.8 else randint(11, 40))
        fate = rand()
        voided = done + randint(3, 45) if 0.02 <= fate < 0.024 else None
        if fate < 0.02:  # cancelled before pickup
            voided = d0 + randint(1, done - d0 - 1)
            built = built if built <= voided else None
            done = None
        rec: list[tuple] = []
        if k == _SCHOOL:
            g.pay(rec, oid, cust, d0, amount_due)  # picture-day envelopes are prepaid
        else:
            if rand() < 0.8:
                g.pay(rec, oid, cust, d0, min(fee if rand() < 0.6 else 5000, amount_due))
            paid = sum(p[3] for p in rec)
            if goods and rand() < 0.5 and (voided is None or view <= voided):
                rest = amount_due - paid
                g.pay(rec, oid, cust, view, rest if rand() < 0.35 else rest // 200 * 100)
        if done is None:  # cancelled: give the money back, sometimes as store credit
            if rec and voided <= e0:
                g.refund(rec, oid, cust, voided + randint(0, 5), rand() < 0.3, "order cancelled")
        else:
            paid = sum(p[3] for p in rec)
            r = rand()
            if voided is None and r < 0.05 and k != _SCHOOL:  # left owing at pickup
                if rand() < 0.5:
                    paid = g.pay(rec, oid, cust, done, (amount_due - paid) // 200 * 100)
                style = rand()
                if style < 0.85:
                    lag = randint(15, 60) if style < 0.55 else randint(61, 160)
                    if rand() < 0.4:
                        paid = g.pay(rec, oid, cust, done + lag // 2, (amount_due - paid) // 200 * 100)
                    g.pay(rec, oid, cust, done + lag, amount_due - paid)
                else:  # uncollectible: maybe one small payment, then written off
                    if rand() < 0.4:
                        paid = g.pay(rec, oid, cust, done + randint(20, 45), min(2500, amount_due - paid))
                    off = done + randint(120, 240)
                    if off <= e0 and amount_due > paid:
                        rec.append((oid, off, "bad_debt", amount_due - paid, "Written off: collections exhausted"))
            elif voided is None and r < 0.06 and amount_due > paid and done + 5 <= e0:  # duplicate charge
                rest = amount_due - paid
                g.pay(rec, oid, cust, done, rest, use_credit=False)
                rec.append(rec[-1])
                back = done + randint(1, 5)
                if rand() < 0.25:
                    g.grant(cust, back, rest)
                    rec.append((oid, back, "in_store_credit", -rest, "Duplicate charge: to store credit"))
                else:
                    rec.append((oid, back, rec[-1][2], -rest, "Refund: duplicate charge"))
            else:
                if rand() < 0.12 and amount_due - paid > 10000:  # split at pickup, e.g. cash then card
                    paid = g.pay(rec, oid, cust, done, (amount_due - paid) // 300 * 100)
                g.pay(rec, oid, cust, done, amount_due - paid)
                if voided is not None and voided <= e0:  # returned after pickup
                    g.refund(rec, oid, cust, voided + randint(0, 3), rand() < 0.2, "order returned")
            if voided is None and rand() < 0.006:  # store credit granted by hand
                on = done + randint(0, 14)
                amount = choice((1500, 2500, 5000, 7500, 10000))
                g.adjust(cust, on, amount, choice(_GOODWILL))
                if rand() < 0.15:
                    g.adjust(cust, on, amount, "Goodwill credit")
                    g.adjust(cust, on + 1, -amount, "Correction: credit entered twice")
                elif rand() < 0.1:
                    g.adjust(cust, on + randint(1, 30), -(amount // 2), "Correction: amount keyed wrong")
        g.pays.extend(rec)
        orders.append((oid, cust, d0, built, done, voided, tax))

    def day(o: int | None) -> date | None:
        return None if o is None or o > e0 else day_list[o - s0]

    def cid(c: int) -> str:
        return f"C{c + 1:0{cwidth}d}"

    g.pays.sort(key=itemgetter(1))  # stable: one order's payments on a day keep their order
    g.adjs.sort(key=itemgetter(1))
    pwidth = max(7, len(str(len(g.pays))))
    return DemoStudio(
        customers=[(cid(c), name) for c, name in enumerate(names)],
        orders=[(o, cid(c), day(a), day(b), day(d), day(v), t) for o, c, a, b, d, v, t in orders],
        order_lines=lines,
        payments=[(f"P{j:0{pwidth}d}", o, day_list[d - s0], m, a, r) for j, (o, d, m, a, r) in enumerate(g.pays, 1)],
        credit_adjustments=[(f"J{j:05d}", cid(c), day_list[d - s0], a, r) for j, (c, d, a, r) in enumerate(g.adjs, 1)],
    )


_FILES = (  # file, header (exactly the §3 column names)
    ("customers.csv", ("customer_id", "name")),
    ("orders.csv", ("order_id", "customer_id", "ordered_on", "built_on", "completed_on", "voided_on", "sales_tax")),
    ("order_lines.csv", ("order_id", "line_no", "category", "description", "amount")),
    ("payments.csv", ("payment_id", "order_id", "paid_on", "method", "amount", "reference")),
    ("credit_adjustments.csv", ("adjustment_id", "customer_id", "adjusted_on", "amount", "reason")),
)


class _Memo(dict):
    """Value -> CSV text, cached: a demo repeats the same few thousand dates and amounts a million times."""

    def __missing__(self, value):
        text = "" if value is None else value.isoformat() if isinstance(value, date) else format_cents(value)
        self[value] = text
        return text


def write_csv(studio: DemoStudio, directory: Path) -> dict[str, int]:
    """Write the five §3 import files into ``directory``; returns {filename: data rows}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    dates, money = _Memo(), _Memo()  # kept apart so that no int is ever mistaken for a date or back
    shape = {  # row -> CSV fields, per file (None becomes an empty field)
        "customers.csv": lambda r: r,
        "orders.csv": lambda r: (r[0], r[1], dates[r[2]], dates[r[3]], dates[r[4]], dates[r[5]], money[r[6]]),
        "order_lines.csv": lambda r: (r[0], r[1], r[2], r[3], money[r[4]]),
        "payments.csv": lambda r: (r[0], r[1], dates[r[2]], r[3], money[r[4]], r[5]),
        "credit_adjustments.csv": lambda r: (r[0], r[1], dates[r[2]], money[r[3]], r[4]),
    }
    counts = {}
    for (name, header), rows in zip(_FILES, (studio.customers, studio.orders, studio.order_lines,
                                             studio.payments, studio.credit_adjustments)):
        text = shape[name]
        with whole_file(directory / name, newline="") as f:  # never a cut file under the real name
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(map(text, rows))
        counts[name] = len(rows)
    return counts
