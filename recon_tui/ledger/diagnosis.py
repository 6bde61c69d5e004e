"""Why the studio figure and the QuickBooks balance differ (DOMAIN §9), to the cent.

Everything is in the tie-out account's own sign: the A/R account (accrual) is a debit balance, the
customer deposits account (cash) a credit balance, so each amount below reads the way both the
review screens and QuickBooks show that account. ``difference = studio figure - QuickBooks balance``
splits exactly into the causes:

1. ``unposted``: events dated <= C never posted (their amount on the account);
2. ``edited``: posted events whose entry is now different (today's amount - the posted one; an event
   whose date moved past C counts as 0 today); ``vanished``: posted events whose record no longer
   makes that event (- the posted amount);
3. with QuickBooks' transaction detail for the account: ``not_imported`` (a posted DOCNUM missing:
   + its posted amount), ``imported_twice`` (a DOCNUM seen again: - the extra amount),
   ``changed_in_qb`` (same DOCNUM, other amount: posted - QuickBooks), ``foreign`` (an entry with no
   studio DOCNUM: - its amount);
4. ``before_start``: with an export that starts on S after the company's first transaction (QuickBooks'
   default, this fiscal year), the entries before S are in the opening balance only: the studio's
   entries posted before S less that opening (export for All dates to see them one by one);
5. ``unexplained``: whatever is left (0.00 when the detail is given and it adds up to the balance).

Only entries dated on or before C count on either side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter

from recon_tui.gc_pause import gc_paused
from recon_tui.model import describe_key, split_key
from recon_tui.money import format_cents

CAUSES = (
    ("unposted", "Events never posted"),
    ("edited", "Posted, then the record was edited"),
    ("vanished", "Posted, the event no longer exists"),
    ("not_imported", "Posted batches never imported"),
    ("imported_twice", "Entries imported twice"),
    ("changed_in_qb", "Studio entries changed in QuickBooks"),
    ("foreign", "Entries not from the studio"),
    ("before_start", "Before the export's first date"),
    ("unexplained", "Unexplained"),
)
TITLES = dict(CAUSES)
_ON, _AMOUNT = attrgetter("on"), attrgetter("amount")
_NUM_AMOUNT = attrgetter("num", "amount")


@dataclass(frozen=True)
class Item:
    """One record behind a cause. ``key`` is the studio event key when there is one."""

    key: str
    on: date | None
    docnum: str
    detail: str
    amount: int  # its part of the difference, in the account's sign

    @property
    def record(self) -> tuple[str, str] | None:
        """('order' | 'payment' | 'adjustment', id) of the studio record behind the item."""
        kind, record = split_key(self.key)
        if kind in ("completed", "voided"):
            return "order", record
        return (kind, record) if kind in ("payment", "adjustment") else None


@dataclass(frozen=True)
class Cause:
    code: str
    amount: int
    items: tuple[Item, ...] = ()

    @property
    def title(self) -> str:
        return TITLES[self.code]


@dataclass(frozen=True)
class Diagnosis:
    method: str
    account: str
    as_of: date
    studio_figure: int
    qb_balance: int
    causes: tuple[Cause, ...]  # every cause in CAUSES order, zero ones included
    detail_file: str | None = None
    notes: tuple[str, ...] = ()  # how the QuickBooks files were read, when the user should know
    opening: Opening | None = None  # the export's start and QuickBooks' opening balance, when it has one

    @property
    def difference(self) -> int:
        return self.studio_figure - self.qb_balance

    def cause(self, code: str) -> Cause:
        return next(c for c in self.causes if c.code == code)

    def to_json(self) -> dict:
        return {
            "method": self.method, "gl_account": self.account, "as_of": self.as_of.isoformat(),
            "studio_figure": format_cents(self.studio_figure), "qb_balance": format_cents(self.qb_balance),
            "difference": format_cents(self.difference), "detail_file": self.detail_file, "notes": list(self.notes),
            "qb_opening": None if self.opening is None else self.opening.to_json(),
            "causes": [{"cause": c.code, "title": c.title, "amount": format_cents(c.amount),
                        "items": [{"event": i.key, "date": i.on.isoformat() if i.on else None, "docnum": i.docnum,
                                   "detail": i.detail, "amount": format_cents(i.amount)} for i in c.items]}
                       for c in self.causes],
        }


@dataclass(frozen=True)
class Opening:
    """A QuickBooks export that starts on ``start``: its opening balance on the account stands for
    every entry dated before ``start``, which the studio side counts as ``posted``."""

    start: date
    amount: int  # QuickBooks' opening balance, in the account's sign
    posted: int  # the studio's posted entries dated before ``start``, in the account's sign
    line: int | None = None  # where the export shows the opening (None: no opening printed, so 0.00)
    how: str = ""  # where ``start`` came from, e.g. "the report's title 'January 1 through October 31, 2026'"

    def to_json(self) -> dict:
        return {"start": self.start.isoformat(), "amount": format_cents(self.amount),
                "studio_posted_before": format_cents(self.posted), "line": self.line, "how": self.how}


@dataclass(frozen=True)
class PostedAmount:
    docnum: str
    key: str
    batch: int
    on: date
    amount: int  # on the account, in its sign


@dataclass(frozen=True)
class QBRow:
    """A transaction-detail row on the account, amount in the account's sign."""

    on: date
    num: str
    name: str
    memo: str
    amount: int
    line: int


@dataclass
class _Acc:
    items: list[Item] = field(default_factory=list)

    def add(self, item: Item) -> None:
        if item.amount:
            self.items.append(item)


@dataclass(frozen=True)
class Change:
    """An event whose amount on the account differs between the studio today and what was posted
    (counting only what is dated on or before C on each side)."""

    key: str
    on: date | None  # today's date; None: the event no longer exists
    amount: int | None  # today's amount; None: the event no longer exists
    posted: PostedAmount | None  # None: never posted


def diagnose(*, method: str, account: str, as_of: date, studio_figure: int, qb_balance: int | None,
             posted_total: int, changes: Iterable[Change], expected: Mapping[str, int] | None = None,
             detail: Iterable[QBRow] | None = None, lookup: Callable[[set[str]], dict[str, PostedAmount]] | None = None,
             detail_file: str | None = None, prefix: str = "", notes: tuple[str, ...] = (),
             matched: Matched | None = None, opening: Opening | None = None) -> Diagnosis:
    """``posted_total``: the posted entries' amounts on the account dated <= C; ``changes``: every
    event whose amount differs (see Change); ``expected``: DOCNUM -> amount of the posted entries
    dated <= C with an amount on the account (needed with ``detail``); ``lookup``: posted entries by
    DOCNUM, asked only for the DOCNUMs that do not simply match.

    ``qb_balance`` None takes the balance from the detail rows and the opening (then ``detail`` is
    required). ``matched``: the detail already matched (``match_detail``), instead of ``detail``.
    ``opening``: the export starts after the company's first transaction; ``expected`` and the
    matching then cover only the posted entries dated on or after its start.
    """
    changes = list(changes)
    moved = sum(_today(c, as_of) - _posted(c.posted, as_of) for c in changes)
    if posted_total + moved != studio_figure:
        raise AssertionError(f"the journal gives {format_cents(posted_total + moved)} on {account} at {as_of}, the "
                             f"studio figure is {format_cents(studio_figure)} (the posting rules make them equal)")
    if matched is None and detail is not None:
        matched = match_detail(detail, expected or {}, lookup or (lambda nums: {}), as_of, prefix,
                               start=opening.start if opening else None)
    if qb_balance is None:
        if matched is None:
            raise ValueError("a QuickBooks balance or a transaction detail export is needed")
        qb_balance = matched.balance + (opening.amount if opening else 0)
    acc = {code: _Acc() for code, _ in CAUSES}
    for c in changes:
        p = c.posted
        if p is None:
            acc["unposted"].add(Item(c.key, c.on, "", f"{describe_key(c.key)}, not posted", _today(c, as_of)))
        elif c.amount is None:
            acc["vanished"].add(Item(c.key, p.on, p.docnum, f"{describe_key(c.key)}: posted {format_cents(p.amount)}, "
                                                            f"the event is gone", -_posted(p, as_of)))
        else:
            acc["edited"].add(Item(c.key, c.on, p.docnum, f"{describe_key(c.key)}: posted {format_cents(p.amount)} on "
                                                          f"{p.on}, now {format_cents(c.amount)} on {c.on}",
                                   _today(c, as_of) - _posted(p, as_of)))
    if matched is not None:
        for code, items in matched.items.items():
            acc[code].items.extend(items)
    if opening is not None:
        shown = f"{format_cents(opening.amount)} (line {opening.line})" if opening.line else "none, so 0.00"
        acc["before_start"].add(Item("", opening.start - timedelta(days=1), "",
                                     f"before {opening.start}: the studio posted {format_cents(opening.posted)}; "
                                     f"QuickBooks' opening balance {shown}. Export for All dates to see which entries",
                                     opening.posted - opening.amount))
    causes = [Cause(code, sum(i.amount for i in a.items), tuple(sorted(a.items, key=_order)))
              for code, a in acc.items() if code != "unexplained"]
    rest = studio_figure - qb_balance - sum(c.amount for c in causes)
    causes.append(Cause("unexplained", rest))
    return Diagnosis(method, account, as_of, studio_figure, qb_balance, tuple(causes), detail_file, notes, opening)


@dataclass(frozen=True)
class Matched:
    """The QuickBooks side of a diagnosis: the detail rows against the posted entries."""

    balance: int  # the rows dated on or before C
    items: dict[str, list[Item]]  # not_imported, imported_twice, changed_in_qb and foreign


def match_detail(detail: Iterable[QBRow], expected: Mapping[str, int],
                 lookup: Callable[[set[str]], dict[str, PostedAmount]], as_of: date, prefix: str = "",
                 start: date | None = None) -> Matched:
    """Each detail row dated <= C against the posted entries (``expected`` and ``lookup`` as in
    ``diagnose``); needs nothing from today's records, so it can run before they are compared.
    ``start``: the export's first date; posted entries dated before it are in its opening balance."""
    rows = detail if isinstance(detail, list) else list(detail)
    with gc_paused():
        if rows and max(map(_ON, rows)) > as_of:
            rows = [row for row in rows if row.on <= as_of]
        acc = {code: _Acc() for code in ("not_imported", "imported_twice", "changed_in_qb", "foreign")}
        _match(acc, rows, expected, lookup, as_of, prefix, start)
        return Matched(sum(map(_AMOUNT, rows)), {code: a.items for code, a in acc.items()})


def _match(acc: dict[str, _Acc], rows: list[QBRow], wanted: Mapping[str, int],
           posted: Callable[[set[str]], dict[str, PostedAmount]], as_of: date, prefix: str,
           start: date | None = None) -> None:
    # Nearly every row simply matches its posted entry: find the DOCNUMs that do not with set
    # operations (C speed on hundreds of thousands of rows), then look only at their rows.
    pairs = list(map(_NUM_AMOUNT, rows))
    distinct = set(pairs)
    suspect = {num for num, _ in wanted.items() ^ distinct}  # missing, another amount, not ours
    if len(distinct) != len(pairs):  # a row seen again with the same amount (another one is a suspect)
        suspect.update(pair[0] for pair, seen in Counter(pairs).items() if seen > 1)
    rows = [row for row in rows if row.num in suspect] if suspect else []
    first: dict[str, QBRow] = {}  # DOCNUM -> its first row; later rows with it -> again
    again: dict[str, list[QBRow]] = {}
    for row in rows:
        if first.setdefault(row.num, row) is not row:
            again.setdefault(row.num, []).append(row)
    odd = [d for d in suspect if d in wanted
           and (d in again or (row := first.get(d)) is None or row.amount != wanted[d])]  # the rest matches
    others = posted({num for num in first if num and num not in wanted} | set(odd))
    earlier = {d for d, q in others.items() if start is not None and q.on < start and d not in wanted}
    later = [d for d, q in others.items() if q.on <= as_of and d not in wanted and d not in earlier]
    for docnum in (*odd, *later):
        p = others[docnum]
        found = first.get(docnum)
        if found is None:
            acc["not_imported"].add(Item(p.key, p.on, docnum, f"batch {p.batch}: {describe_key(p.key)} "
                                                               f"missing in QuickBooks", p.amount))
            continue
        if found.amount != p.amount:
            acc["changed_in_qb"].add(Item(p.key, p.on, docnum, f"{describe_key(p.key)}: posted {format_cents(p.amount)}, "
                                                                f"QuickBooks has {format_cents(found.amount)} "
                                                                f"(line {found.line})", p.amount - found.amount))
        for row in again.get(docnum, ()):
            acc["imported_twice"].add(Item(p.key, row.on, docnum, f"batch {p.batch}: {describe_key(p.key)} again "
                                                                   f"(line {row.line})", -row.amount))
    for row in rows:
        num = row.num
        if num in wanted or (num in others and others[num].on <= as_of and num not in earlier):
            continue
        if num in earlier:  # in the export, yet before its start in the studio: counted in the opening there
            what = (f"studio entry dated {others[num].on} in the studio (before the export's first date, so in "
                    f"the opening balance), {row.on} in QuickBooks")
        elif num in others:  # posted, but dated after C in the studio: QuickBooks has it earlier
            what = f"studio entry dated {others[num].on} in the studio, {row.on} in QuickBooks"
        else:
            what = f"{row.name or '(no name)'} · {row.memo or '(no memo)'}" + (
                " (looks like a studio DOCNUM, not in this database)" if prefix and num.startswith(prefix)
                else "")
        acc["foreign"].add(Item("", row.on, num, f"{what} (line {row.line})", -row.amount))


def _today(c: Change, as_of: date) -> int:
    return c.amount if c.amount is not None and c.on <= as_of else 0


def _posted(p: PostedAmount | None, as_of: date) -> int:
    return p.amount if p is not None and p.on <= as_of else 0


def _order(item: Item):
    return (item.on or date.min, item.docnum, item.key)
