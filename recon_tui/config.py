"""The studio's config (config/recon.yaml) -> frozen dataclasses.

Every error names ``file:line`` and the key, so a bookkeeper editing YAML by hand can find the
mistake. The file is read through PyYAML's node tree (``yaml.compose``), which keeps line numbers.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from recon_tui.import_profiles import ImportProfile, read_profiles
from recon_tui.model import ACCRUAL, METHODS
ENV_VAR = "RECON_TUI_CONFIG"

_GL_KEYS = (
    "undeposited_funds",
    "accounts_receivable",
    "customer_deposits",
    "in_store_credit",
    "sales_tax",
    "bad_debt",
    "in_store_credit_expense",
    "unallocated_income",
)
_DOCNUM_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,3}$")
_CATEGORY_KEY = re.compile(r"^[a-z0-9_][a-z0-9_\-]*$")


class ConfigError(Exception):
    """A config problem, already phrased as ``file:line: key: message``."""


@dataclass(frozen=True)
class GLAccounts:
    """QuickBooks account names (sub-accounts written ``Parent:Child``)."""

    undeposited_funds: str
    accounts_receivable: str
    customer_deposits: str
    in_store_credit: str
    sales_tax: str
    bad_debt: str
    in_store_credit_expense: str
    unallocated_income: str


#: what the optional ``access`` lists guard (DOMAIN §10, §13)
ACCESS_ACTIONS = ("finalize", "reopen", "post")


@dataclass(frozen=True)
class Access:
    """Who may finalize, reopen and post: OS user names per action; None (the key left out) is everyone."""

    finalize: tuple[str, ...] | None = None
    reopen: tuple[str, ...] | None = None
    post: tuple[str, ...] | None = None

    def allows(self, action: str, user: str) -> bool:
        users = getattr(self, action)
        return users is None or user in users


@dataclass(frozen=True)
class Config:
    path: Path
    studio_name: str
    accounting_method: str
    database: Path
    gl_accounts: GLAccounts
    #: (category key, income account) in config order; several keys may share one account.
    income_categories: tuple[tuple[str, str], ...]
    aging_buckets: tuple[int, ...]
    docnum_prefix: str
    access: Access = Access()
    backups_keep: int = 5  # database copies kept in backups/ beside it; 0 = none
    serve_token: str | None = None  # required by `serve` on a non-loopback address
    #: DOMAIN §14: profile name -> how the studio system's own exports map onto §3
    import_profiles: dict[str, ImportProfile] = field(default_factory=dict)

    @property
    def category_accounts(self) -> dict[str, str]:
        return dict(self.income_categories)

    @property
    def income_accounts(self) -> tuple[str, ...]:
        """Distinct income accounts, in the order they first appear in the config."""
        return tuple(dict.fromkeys(account for _, account in self.income_categories))


def find_config(explicit: str | os.PathLike | None = None, cwd: Path | None = None) -> Path:
    """Lookup order: ``--config``, ``$RECON_TUI_CONFIG``, ``./config/recon.yaml``, user config dir."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found (from --config)")
        return path
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found (from ${ENV_VAR})")
        return path
    candidates = [(cwd or Path.cwd()) / "config" / "recon.yaml", user_config_dir() / "recon.yaml"]
    for path in candidates:
        if path.is_file():
            return path
    tried = ", ".join(str(p) for p in candidates)
    raise ConfigError(f"no config found (tried --config, ${ENV_VAR}, {tried})")


def user_config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "recon-tui"


def load_config(path: str | os.PathLike) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config is not UTF-8 text") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError(f"{path}:{line}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    return _Reader(path).config(root)


class _Reader:
    """Walks the YAML node tree, turning nodes into values and problems into ConfigErrors."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, key: str, message: str) -> ConfigError:
        line = node.start_mark.line + 1 if node is not None else 1
        return ConfigError(f"{self.path}:{line}: {key}: {message}")

    def mapping(self, node: yaml.Node | None, key: str, allowed: tuple[str, ...] | None,
                required: tuple[str, ...] = ()) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key or "(top level)", "must be a mapping of keys to values")
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            full = f"{key}.{name}" if key else str(name)
            if not isinstance(name, str) or not name:
                raise self.fail(key_node, key or "(top level)", "keys must be plain names")
            if name in found:
                raise self.fail(key_node, full, "duplicate key")
            if allowed is not None and name not in allowed:
                raise self.fail(key_node, full, f"unknown key (expected one of: {', '.join(allowed)})")
            found[name] = (key_node, value_node)
        for name in required:
            if name not in found:
                where = f"{key}.{name}" if key else name
                raise self.fail(node, where, "missing required key")
        return found

    def text(self, node: yaml.Node, key: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            raise self.fail(node, key, "must be a text value")
        value = str(node.value).strip()
        if not value:
            raise self.fail(node, key, "must not be empty")
        if any(ch in value for ch in "\t\r\n\"") :
            raise self.fail(node, key, "must not contain tabs, line breaks or double quotes")
        return value

    def account(self, node: yaml.Node, key: str) -> str:
        name = self.text(node, key)
        if any(not part.strip() for part in name.split(":")):
            raise self.fail(node, key, f"{name!r} is not an account name (sub-accounts are Parent:Child)")
        return ":".join(part.strip() for part in name.split(":"))

    def config(self, root: yaml.Node | None) -> Config:
        if root is None:
            raise ConfigError(f"{self.path}:1: (top level): the config file is empty")
        keys = ("studio", "accounting_method", "database", "gl_accounts", "income_categories",
                "aging_buckets", "posting", "access", "backups", "serve", "import_profiles")
        top = self.mapping(root, "", keys, required=("studio", "gl_accounts", "income_categories"))

        studio = self.mapping(top["studio"][1], "studio", ("name",), required=("name",))
        name = self.text(studio["name"][1], "studio.name")

        method = ACCRUAL.name  # the default
        if "accounting_method" in top:
            node = top["accounting_method"][1]
            method = self.text(node, "accounting_method")
            if method not in METHODS:
                raise self.fail(node, "accounting_method", f"{method!r} is not accrual or cash")

        database = self.path.parent / "recon.db"
        if "database" in top:
            database = Path(os.path.normpath(self.path.parent / os.path.expanduser(self.text(top["database"][1], "database"))))

        gl = self.mapping(top["gl_accounts"][1], "gl_accounts", _GL_KEYS, required=_GL_KEYS)
        accounts = GLAccounts(**{k: self.account(gl[k][1], f"gl_accounts.{k}") for k in _GL_KEYS})

        cats = self.mapping(top["income_categories"][1], "income_categories", None)
        if not cats:
            raise self.fail(top["income_categories"][1], "income_categories", "needs at least one category")
        categories = []
        for cat, (key_node, value_node) in cats.items():
            if not _CATEGORY_KEY.match(cat):
                raise self.fail(key_node, f"income_categories.{cat}",
                                "category keys are lower-case letters, digits, _ and -")
            categories.append((cat, self.account(value_node, f"income_categories.{cat}")))
        # each role needs its own account, or postings to one would silently land on another
        seen: dict[str, str] = {}
        for key in _GL_KEYS:
            account = getattr(accounts, key)
            if account in seen:
                raise self.fail(gl[key][1], f"gl_accounts.{key}",
                                f"{account!r} is already gl_accounts.{seen[account]}; each needs its own account")
            seen.setdefault(account, key)
        for cat, account in categories:
            if account in seen and seen[account] != "unallocated_income":
                raise self.fail(cats[cat][1], f"income_categories.{cat}",
                                f"{account!r} is gl_accounts.{seen[account]}, not an income account")

        buckets = (30, 60, 90)
        if "aging_buckets" in top:
            buckets = self.buckets(top["aging_buckets"][1])

        prefix = "SP"
        if "posting" in top:
            posting = self.mapping(top["posting"][1], "posting", ("docnum_prefix",))
            if "docnum_prefix" in posting:
                node = posting["docnum_prefix"][1]
                prefix = self.text(node, "posting.docnum_prefix")
                if not _DOCNUM_PREFIX.match(prefix):
                    raise self.fail(node, "posting.docnum_prefix",
                                    "1 to 4 letters or digits, starting with a letter (DOCNUM is at most 11 characters)")

        access = self.access(top["access"][1]) if "access" in top else Access()
        keep = 5
        if "backups" in top:
            backups = self.mapping(top["backups"][1], "backups", ("keep",))
            if "keep" in backups:
                keep = self.whole(backups["keep"][1], "backups.keep")
        token = None
        if "serve" in top:
            serve = self.mapping(top["serve"][1], "serve", ("token",))
            if "token" in serve and serve["token"][1].tag != "tag:yaml.org,2002:null":
                token = self.text(serve["token"][1], "serve.token")
                if len(token) < 16:
                    raise self.fail(serve["token"][1], "serve.token", "must be at least 16 characters (a long random "
                                    "text, e.g. from `python3 -c 'import secrets; print(secrets.token_urlsafe())'`)")

        return Config(path=self.path, studio_name=name, accounting_method=method, database=database,
                      gl_accounts=accounts, income_categories=tuple(categories),
                      aging_buckets=buckets, docnum_prefix=prefix, access=access, backups_keep=keep,
                      serve_token=token,
                      import_profiles=read_profiles(self, top["import_profiles"][1]) if "import_profiles" in top
                      else {})

    def access(self, node: yaml.Node) -> Access:
        """``access: {finalize: [maria, lee], reopen: [maria], post: [...]}``; a list left out is everyone."""
        lists = self.mapping(node, "access", ACCESS_ACTIONS)
        values = {}
        for action, (_, value) in lists.items():
            key = f"access.{action}"
            if not isinstance(value, yaml.SequenceNode):
                raise self.fail(value, key, "must be a list of OS user names, e.g. [maria, lee]")
            values[action] = tuple(self.text(item, key) for item in value.value)
        return Access(**values)

    def whole(self, node: yaml.Node, key: str) -> int:
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()):
            raise self.fail(node, key, f"{raw!r} is not a whole number (0 or more)")
        return int(raw)

    def buckets(self, node: yaml.Node) -> tuple[int, ...]:
        key = "aging_buckets"
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.fail(node, key, "must be a list of day counts, e.g. [30, 60, 90]")
        values = []
        for item in node.value:
            raw = item.value if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()) or int(raw) <= 0:
                raise self.fail(item, key, f"{raw!r} is not a positive whole number of days")
            if values and int(raw) <= values[-1]:
                raise self.fail(item, key, "bounds must increase, e.g. [30, 60, 90]")
            values.append(int(raw))
        return tuple(values)
