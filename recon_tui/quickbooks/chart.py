"""Is the config's GL mapping in QuickBooks' own chart of accounts? (DOMAIN §8, §12 ``check-accounts``)

A batch's ``!ACCNT`` rows create any account QuickBooks does not have, so a misspelt config name
("Customer Deposit") becomes a new, empty, wrong account at the first import instead of an error.
Before a first post the bookkeeper exports QuickBooks' lists (File > Utilities > Export > Lists to
IIF Files, Chart of Accounts ticked) and this checks every configured account against it:

- it must be there, sub-accounts by their full ``Parent:Child`` name as QuickBooks exports them;
- with a type that fits its use: accounts receivable AR; undeposited funds OCASSET; customer
  deposits, in-store credit and sales tax OCLIAB; income accounts and unallocated income INC; bad
  debt and in-store credit expense EXP or EXEXP (Expense or Other Expense);
- spelt in plain ASCII without ``;``: the writer refuses any other account name (iif_writer.py).

Names are compared ignoring case, as QuickBooks does (it keeps one account per name whatever the
case, and the report readers match names the same way): a config name that differs from
QuickBooks' only in case is found, and the check adds a note, since the IIF file carries the
config's spelling. A missing account is reported with the closest QuickBooks name (the same last
segment, else difflib) and its type. A file in which none of the configured accounts appears,
apart from those QuickBooks makes in every company, is most likely another company's export; that,
a file without accounts and a file of journal entries (a batch of ours, say) are each one problem
about the file, listed instead of every account's. Pure: the parsed file and the config in, a
frozen AccountCheck out.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from recon_tui.quickbooks.iif_reader import IIFFile, read_iif
from recon_tui.quickbooks.iif_writer import iif_text

#: GLAccounts field -> the ACCNTTYPEs that fit it (the first is what posting declares).
FITTING: dict[str, tuple[str, ...]] = {
    "undeposited_funds": ("OCASSET",),
    "accounts_receivable": ("AR",),
    "customer_deposits": ("OCLIAB",),
    "in_store_credit": ("OCLIAB",),
    "sales_tax": ("OCLIAB",),
    "bad_debt": ("EXP", "EXEXP"),
    "in_store_credit_expense": ("EXP", "EXEXP"),
    "unallocated_income": ("INC",),
}
INCOME = ("INC",)
#: ACCNTTYPE -> the name QuickBooks shows in its chart of accounts.
TYPE_NAMES = {"AP": "Accounts Payable", "AR": "Accounts Receivable", "BANK": "Bank", "CCARD": "Credit Card",
              "COGS": "Cost of Goods Sold", "EQUITY": "Equity", "EXEXP": "Other Expense", "EXINC": "Other Income",
              "EXP": "Expense", "FIXASSET": "Fixed Asset", "INC": "Income", "LTLIAB": "Long Term Liability",
              "NONPOSTING": "Non-Posting", "OASSET": "Other Asset", "OCASSET": "Other Current Asset",
              "OCLIAB": "Other Current Liability", "SUSPENSE": "Suspense"}
#: Accounts QuickBooks makes in every company (so finding them says nothing about whose file it is).
EVERY_COMPANY = frozenset({"accounts receivable", "undeposited funds", "sales tax payable"})


def type_name(kind: str) -> str:
    """``Other Current Liability (OCLIAB)``."""
    return f"{TYPE_NAMES.get(kind, kind)} ({kind})"


@dataclass(frozen=True)
class AccountFit:
    """One configured account and what QuickBooks' chart says of it."""

    keys: tuple[str, ...]  # the config keys naming it: "gl_accounts.bad_debt", "income_categories.prints"
    account: str  # as the config spells it
    expected: tuple[str, ...]  # the ACCNTTYPEs that fit (empty: the keys need different types)
    found: str | None  # QuickBooks' spelling, when it is there
    qb_type: str | None
    closest: tuple[str, str] | None = None  # (name, ACCNTTYPE) of the nearest QuickBooks account, when missing

    @property
    def label(self) -> str:
        """The keys as the config file shows them: ``bad_debt``, ``income: frames, albums``."""
        gl = [key.split(".", 1)[1] for key in self.keys if key.startswith("gl_accounts.")]
        income = [key.split(".", 1)[1] for key in self.keys if key.startswith("income_categories.")]
        return ", ".join(gl + ([f"income: {', '.join(income)}"] if income else []))

    @property
    def plain(self) -> bool:
        """Written to IIF as it is (the writer refuses other account names)."""
        return self.account.isascii() and ";" not in self.account

    @property
    def status(self) -> str:
        """``ok``, ``missing``, ``wrong type``, ``not ASCII`` or ``conflict``."""
        if not self.expected:
            return "conflict"
        if not self.plain:
            return "not ASCII" if not self.account.isascii() else "has ;"
        if self.found is None:
            return "missing"
        return "ok" if self.qb_type in self.expected else "wrong type"

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def problem(self) -> str | None:
        """One line saying what is wrong, or None."""
        status, name = self.status, f'"{self.account}"'
        where = self.keys[0] if len(self.keys) == 1 else f"{self.keys[0]} (and {len(self.keys) - 1} more)"
        if status == "ok":
            return None
        if status == "conflict":
            return f"{', '.join(self.keys)} name the same account {name} but need different QuickBooks types"
        if status in ("not ASCII", "has ;"):
            what = "letters outside ASCII" if status == "not ASCII" else "a ';'"
            hint = f' (e.g. "{iif_text(self.account)}")' if iif_text(self.account) != self.account else ""
            return (f"{where}: {name} has {what}, which QuickBooks' IIF import mangles, so posting refuses it: "
                    f"rename the account in QuickBooks and in the config to plain letters{hint}")
        if status == "missing":
            if self.closest is None:
                return f"{where}: {name} is not in QuickBooks (no account there has a similar name)"
            return f'{where}: {name} is not in QuickBooks; closest: "{self.closest[0]}", {type_name(self.closest[1])}'
        assert self.qb_type is not None
        return (f"{where}: {name} is {type_name(self.qb_type)} in QuickBooks; it must be "
                f"{' or '.join(type_name(kind) for kind in self.expected)}")

    @property
    def short(self) -> str | None:
        """The problem in a few words, for a screen 80 columns wide (``problem`` says it in full)."""
        status, name = self.status, self.account
        if status == "ok":
            return None
        if status == "missing":
            return f"{name}: not in QuickBooks" + (f' (closest: "{self.closest[0]}")' if self.closest else "")
        if status == "wrong type":
            return (f"{name}: {TYPE_NAMES.get(self.qb_type or '', self.qb_type)} in QuickBooks, must be "
                    f"{' or '.join(TYPE_NAMES[kind] for kind in self.expected)}")
        if status == "conflict":
            return f"{name}: named by {', '.join(self.keys)}, which need different types"
        return f"{name}: not plain ASCII; rename it in QuickBooks and the config"

    @property
    def note(self) -> str | None:
        """A spelling that differs from QuickBooks' only in case."""
        if self.found is None or self.found == self.account:
            return None
        return (f'{self.keys[0]}: QuickBooks spells it "{self.found}"; the config\'s "{self.account}" finds it '
                "(QuickBooks names ignore case), but the IIF file will carry the config's spelling: write it "
                "as QuickBooks does")


@dataclass(frozen=True)
class AccountCheck:
    """The configured accounts against one QuickBooks export."""

    source: str  # the file read
    product: str  # "QuickBooks Pro Version 34.0D", from the file's HDR row ("" without one)
    accounts_in_file: int
    fits: tuple[AccountFit, ...]
    file_problems: tuple[str, ...] = ()  # about the file as a whole, listed first

    @property
    def problems(self) -> tuple[str, ...]:
        """What is wrong, one line each: the file's problems if it has any (each account's would
        only repeat them), else every account that does not fit."""
        return self.file_problems or tuple(fit.problem for fit in self.fits if fit.problem)

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(fit.note for fit in self.fits if fit.note)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"file": self.source, "product": self.product, "accounts_in_file": self.accounts_in_file,
                "ok": self.ok, "problems": list(self.problems), "notes": list(self.notes),
                "accounts": [{"keys": list(fit.keys), "account": fit.account, "expected": list(fit.expected),
                              "quickbooks_name": fit.found, "quickbooks_type": fit.qb_type, "status": fit.status,
                              "closest": None if fit.closest is None else
                              {"name": fit.closest[0], "type": fit.closest[1]}}
                             for fit in self.fits]}


def configured_accounts(config) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(account, config keys naming it, fitting types) for every configured account, in config order."""
    keys: dict[str, list[str]] = {}
    fitting: dict[str, tuple[str, ...]] = {}
    named = [(f"gl_accounts.{field}", getattr(config.gl_accounts, field), kinds) for field, kinds in FITTING.items()]
    named += [(f"income_categories.{key}", account, INCOME) for key, account in config.income_categories]
    for key, account, kinds in named:
        keys.setdefault(account, []).append(key)
        before = fitting.get(account)
        fitting[account] = kinds if before is None else tuple(kind for kind in before if kind in kinds)
    return [(account, tuple(names), fitting[account]) for account, names in keys.items()]


def check_chart(chart: IIFFile, config, source: str) -> AccountCheck:
    """Every configured account against the ACCNT rows of ``chart`` (read from ``source``)."""
    by_name = {name.casefold(): (name, kind) for name, kind in chart.accounts.items()}
    fits = []
    for account, keys, expected in configured_accounts(config):
        found = by_name.get(account.casefold())
        if found is None:
            fits.append(AccountFit(keys, account, expected, None, None, _closest(account, by_name, expected)))
        else:
            fits.append(AccountFit(keys, account, expected, found[0], found[1]))
    problems = []
    if chart.entries:
        problems.append(f"{source} holds journal entries: it is a file to import (a recon-tui batch?), not "
                        "QuickBooks' list export (File > Utilities > Export > Lists to IIF Files)")
    if not chart.accounts:
        problems.append(f"{source} lists no accounts (no !ACCNT rows): export the Chart of Accounts from QuickBooks "
                        "(File > Utilities > Export > Lists to IIF Files)")
    else:
        present = [fit for fit in fits if fit.found is not None]
        if not [fit for fit in present if fit.account.casefold() not in EVERY_COMPANY]:
            also = (f" (apart from {', '.join(sorted({fit.found for fit in present}))}, which QuickBooks makes in "
                    "every company)" if present else "")
            problems.append(f"none of the configured accounts are in {source}{also}: is it the right company? "
                            f"({sum(fit.found is None for fit in fits)} of {len(fits)} are missing)")
    return AccountCheck(source, chart.product, len(chart.accounts), tuple(fits), tuple(problems))


def check_accounts_file(path: str | Path, config) -> AccountCheck:
    """Read QuickBooks' export at ``path`` and check the config against it. Raises IIFError."""
    return check_chart(read_iif(path), config, str(path))


def _closest(account: str, by_name: dict[str, tuple[str, str]], expected: tuple[str, ...]) -> tuple[str, str] | None:
    """The QuickBooks account the config most likely means: one with the same last segment (a
    sub-account named without its parent, or the other way round), else difflib's closest name;
    among equals, one whose type fits."""
    low = account.casefold()
    leaf = low.rsplit(":", 1)[-1]
    same_leaf = [name for name in by_name if name.rsplit(":", 1)[-1] == leaf]
    candidates = same_leaf or difflib.get_close_matches(low, list(by_name), n=3, cutoff=0.6)
    if not candidates:
        return None
    best = next((name for name in candidates if by_name[name][1] in expected), candidates[0])
    return by_name[best]
