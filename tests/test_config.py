"""The config contract (DOMAIN §13): loading, defaults, lookup order, and errors naming file:line and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recon_tui.config import ENV_VAR, ConfigError, find_config, load_config

ROOT = Path(__file__).resolve().parent.parent
WORKED = ROOT / "tests" / "fixtures" / "worked_example.yaml"
SHIPPED = ROOT / "config" / "recon.yaml"

# Exactly the keys of DOMAIN §13 (the file a studio may have written on day one).
MINIMAL = """\
studio:
  name: Sunset Portrait Studio
gl_accounts:
  undeposited_funds: Undeposited Funds
  accounts_receivable: Accounts Receivable
  customer_deposits: Customer Deposits
  in_store_credit: In-Store Credit
  sales_tax: Sales Tax Payable
  bad_debt: Bad Debt
  in_store_credit_expense: In-Store Credit Expense
  unallocated_income: Income:Other Income
income_categories:
  sessions: Income:Session Fees
  prints: Income:Print Sales
  frames: Income:Print Sales
"""

FULL = """\
studio:
  name: Sunset Portrait Studio
accounting_method: cash
database: data/studio.db
gl_accounts:
  undeposited_funds: Undeposited Funds
  accounts_receivable: Accounts Receivable
  customer_deposits: Customer Deposits
  in_store_credit: In-Store Credit
  sales_tax: Sales Tax Payable
  bad_debt: Bad Debt
  in_store_credit_expense: In-Store Credit Expense
  unallocated_income: Income:Other Income
income_categories:
  sessions: Income:Session Fees
  prints: Income:Print Sales
  frames: Income:Print Sales
aging_buckets: [15, 45, 120]
posting:
  docnum_prefix: AB12
"""


def write(tmp_path: Path, text: str, name: str = "recon.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message, "config errors are one line"
    return message


def line_of(text: str, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


# -- valid files ------------------------------------------------------------------------------------

def test_minimal_file_loads_with_defaults(tmp_path):
    path = write(tmp_path, MINIMAL)
    cfg = load_config(path)
    assert cfg.path == path
    assert cfg.studio_name == "Sunset Portrait Studio"
    assert cfg.accounting_method == "accrual"
    assert cfg.aging_buckets == (30, 60, 90)
    assert cfg.docnum_prefix == "SP"
    assert cfg.database == tmp_path / "recon.db"  # beside the config file
    gl = cfg.gl_accounts
    assert (gl.undeposited_funds, gl.accounts_receivable, gl.customer_deposits, gl.in_store_credit,
            gl.sales_tax, gl.bad_debt, gl.in_store_credit_expense, gl.unallocated_income) == (
        "Undeposited Funds", "Accounts Receivable", "Customer Deposits", "In-Store Credit",
        "Sales Tax Payable", "Bad Debt", "In-Store Credit Expense", "Income:Other Income")
    assert cfg.income_categories == (("sessions", "Income:Session Fees"), ("prints", "Income:Print Sales"),
                                     ("frames", "Income:Print Sales"))
    assert cfg.category_accounts == {"sessions": "Income:Session Fees", "prints": "Income:Print Sales",
                                     "frames": "Income:Print Sales"}


def test_default_database_is_beside_the_config_not_the_cwd(tmp_path, monkeypatch):
    path = write(tmp_path / "deep" / "conf", MINIMAL)
    monkeypatch.chdir(tmp_path)
    assert load_config(path).database == tmp_path / "deep" / "conf" / "recon.db"


def test_every_optional_key_is_read(tmp_path):
    path = write(tmp_path, FULL)
    cfg = load_config(path)
    assert cfg.accounting_method == "cash"
    assert cfg.database == tmp_path / "data" / "studio.db"  # relative to the config's folder
    assert cfg.aging_buckets == (15, 45, 120)
    assert cfg.docnum_prefix == "AB12"


def test_absolute_database_path_is_kept(tmp_path):
    target = tmp_path / "elsewhere" / "x.db"
    path = write(tmp_path / "c", MINIMAL + f"database: {target}\n")
    assert load_config(path).database == target


def test_categories_sharing_an_account_give_one_income_account_in_config_order(tmp_path):
    text = MINIMAL.replace(
        "  sessions: Income:Session Fees\n  prints: Income:Print Sales\n  frames: Income:Print Sales\n",
        "  prints: Income:Print Sales\n  sessions: Income:Session Fees\n  frames: Income:Print Sales\n"
        "  albums: Income:Albums\n  canvas: Income:Session Fees\n")
    cfg = load_config(write(tmp_path, text))
    assert cfg.income_accounts == ("Income:Print Sales", "Income:Session Fees", "Income:Albums")
    assert [k for k, _ in cfg.income_categories] == ["prints", "sessions", "frames", "albums", "canvas"]


def test_sub_account_names_are_normalised(tmp_path):
    text = MINIMAL.replace("sessions: Income:Session Fees", "sessions: 'Income : Session Fees'")
    cfg = load_config(write(tmp_path, text))
    assert cfg.category_accounts["sessions"] == "Income:Session Fees"


def test_worked_example_config_loads():
    cfg = load_config(WORKED)
    assert cfg.studio_name == "Worked Example Studio"
    assert cfg.income_accounts == ("Session Fees", "Print Sales")
    assert cfg.database == WORKED.parent / "worked.db"


def test_the_shipped_config_names_the_database_make_run_builds():
    """`make run` builds DEMO_DB with DEMO_CONFIG; the config's own `database` is that file, so every
    command the README shows works without --db after `make run`."""
    import re

    makefile = dict(re.findall(r"^(DEMO_DB|DEMO_CONFIG)\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M))
    assert ROOT / makefile["DEMO_CONFIG"] == SHIPPED
    assert load_config(SHIPPED).database == ROOT / makefile["DEMO_DB"]


def test_shipped_config_loads():
    cfg = load_config(SHIPPED)
    assert cfg.studio_name == "Sunset Portrait Studio"
    assert cfg.accounting_method == "accrual"
    assert cfg.database == ROOT / "demo" / "recon.db"  # `../demo/recon.db` from config/: what `make run` builds
    assert cfg.gl_accounts.accounts_receivable == "Accounts Receivable"
    assert cfg.gl_accounts.unallocated_income == "Income:Other Income"
    assert cfg.income_accounts == ("Income:Session Fees", "Income:Print Sales", "Income:Frames & Albums",
                                   "Income:Digital Files", "Income:Discounts")
    assert cfg.aging_buckets == (30, 60, 90)
    assert cfg.docnum_prefix == "SP"


# -- errors name file:line and the key --------------------------------------------------------------

def test_missing_gl_account_key(tmp_path):
    path = write(tmp_path, MINIMAL.replace("  sales_tax: Sales Tax Payable\n", ""))
    message = error_of(path)
    # the line of the gl_accounts mapping (its first key)
    assert message == f"{path}:4: gl_accounts.sales_tax: missing required key"


def test_missing_studio(tmp_path):
    text = "# my studio\n" + MINIMAL.replace("studio:\n  name: Sunset Portrait Studio\n", "")
    path = write(tmp_path, text)
    assert error_of(path) == f"{path}:2: studio: missing required key"


def test_missing_studio_name(tmp_path):
    text = MINIMAL.replace("studio:\n  name: Sunset Portrait Studio\n", "studio:\n  title: Sunset\n")
    path = write(tmp_path, text)
    assert error_of(path).startswith(f"{path}:2: studio.title: unknown key")


@pytest.mark.parametrize("missing", ["gl_accounts", "income_categories"])
def test_missing_top_level_section(tmp_path, missing):
    text = MINIMAL
    if missing == "gl_accounts":
        text = text.split("gl_accounts:")[0] + "income_categories:" + text.split("income_categories:")[1]
    else:
        text = text.split("income_categories:")[0]
    path = write(tmp_path, text)
    message = error_of(path)
    assert re.match(rf"^{re.escape(str(path))}:1: {missing}: missing required key$", message), message


def test_unknown_top_level_key(tmp_path):
    text = MINIMAL + "aging_bucket: [30, 60, 90]\n"  # typo of aging_buckets
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:{line_of(text, 'aging_bucket')}: aging_bucket: unknown key")
    assert "aging_buckets" in message  # the expected keys are listed


def test_unknown_nested_key(tmp_path):
    text = MINIMAL.replace("  bad_debt: Bad Debt", "  bad_dept: Bad Debt")
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:{line_of(text, 'bad_dept')}: gl_accounts.bad_dept: unknown key")


def test_unknown_key_under_posting(tmp_path):
    text = MINIMAL + "posting:\n  docnum_prefx: SP\n"
    path = write(tmp_path, text)
    assert error_of(path).startswith(f"{path}:{line_of(text, 'docnum_prefx')}: posting.docnum_prefx: unknown key")


def test_bad_yaml_syntax_names_the_line(tmp_path):
    text = MINIMAL.replace("  name: Sunset Portrait Studio", "  name: Sunset: Portrait: Studio")
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:2: invalid YAML:"), message


def test_tab_indentation_is_a_yaml_error_on_its_line(tmp_path):
    text = MINIMAL.replace("  bad_debt: Bad Debt", "\tbad_debt: Bad Debt")
    path = write(tmp_path, text)
    assert error_of(path).startswith(f"{path}:{line_of(text, 'bad_debt')}: invalid YAML:")


@pytest.mark.parametrize("method", ["modified", "Accrual", "CASH", "''"])
def test_accounting_method_must_be_accrual_or_cash(tmp_path, method):
    text = MINIMAL + f"accounting_method: {method}\n"
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:{line_of(text, 'accounting_method')}: accounting_method: ")


def test_empty_account_name(tmp_path):
    text = MINIMAL.replace("  bad_debt: Bad Debt", '  bad_debt: ""')
    path = write(tmp_path, text)
    assert error_of(path) == f"{path}:{line_of(text, 'bad_debt')}: gl_accounts.bad_debt: must not be empty"


def test_missing_account_value(tmp_path):
    text = MINIMAL.replace("  bad_debt: Bad Debt", "  bad_debt:")
    path = write(tmp_path, text)
    assert error_of(path).startswith(f"{path}:{line_of(text, 'bad_debt')}: gl_accounts.bad_debt: ")


def test_account_name_with_an_empty_sub_account(tmp_path):
    text = MINIMAL.replace("  prints: Income:Print Sales", "  prints: 'Income:'")
    path = write(tmp_path, text)
    assert error_of(path).startswith(f"{path}:{line_of(text, 'prints')}: income_categories.prints: ")


def test_income_account_equal_to_a_balance_sheet_account(tmp_path):
    text = MINIMAL.replace("  prints: Income:Print Sales", "  prints: Customer Deposits")
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:{line_of(text, 'prints')}: income_categories.prints: ")
    assert "is gl_accounts.customer_deposits, not an income account" in message


@pytest.mark.parametrize("key, other", [("customer_deposits", "accounts_receivable"),
                                        ("bad_debt", "sales_tax"), ("unallocated_income", "undeposited_funds")])
def test_two_gl_roles_on_one_account(tmp_path, key, other):
    other_name = re.search(rf"^  {other}: (.+)$", MINIMAL, re.M).group(1)
    text = re.sub(rf"^  {key}: .+$", f"  {key}: {other_name}", MINIMAL, flags=re.M)
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:{line_of(text, '  ' + key)}: gl_accounts.{key}: ")
    assert f"already gl_accounts.{other}" in message


def test_unallocated_income_may_also_be_a_categorys_account(tmp_path):
    account = re.search(r"^  unallocated_income: (.+)$", MINIMAL, re.M).group(1)
    text = MINIMAL.replace("  prints: Income:Print Sales", f"  prints: {account}")
    config = load_config(write(tmp_path, text))
    assert config.category_accounts["prints"] == account


@pytest.mark.parametrize("buckets, bad", [
    ("[30, 90, 60]", "increase"), ("[30, 30, 90]", "increase"),
    ("[30, sixty, 90]", "sixty"), ("[30, 60.5, 90]", "60.5"), ("[0, 30]", "'0'"), ("[-30, 60]", "-30"),
    ("[30, ², 90]", "²"), ("[]", "list"), ("30", "list"), ("[[30], 60]", "None"),
])
def test_aging_buckets_must_be_increasing_whole_numbers(tmp_path, buckets, bad):
    text = MINIMAL + f"aging_buckets: {buckets}\n"
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:{line_of(text, 'aging_buckets')}: aging_buckets: "), message
    assert bad in message


@pytest.mark.parametrize("prefix", ["STUDIO", "1SP", "S-P", "''", "S P"])
def test_docnum_prefix_too_long_or_not_alphanumeric(tmp_path, prefix):
    text = MINIMAL + f"posting:\n  docnum_prefix: {prefix}\n"
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:{line_of(text, 'docnum_prefix')}: posting.docnum_prefix: "), message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(tmp_path, text):
    path = write(tmp_path, text)
    message = error_of(path)
    assert message.startswith(f"{path}:1: ")
    assert "empty" in message


def test_top_level_not_a_mapping(tmp_path):
    path = write(tmp_path, "- studio\n- gl_accounts\n")
    assert error_of(path) == f"{path}:1: (top level): must be a mapping of keys to values"


def test_duplicate_top_level_key(tmp_path):
    text = MINIMAL + "accounting_method: accrual\naccounting_method: cash\n"
    path = write(tmp_path, text)
    line = len(text.splitlines())
    assert error_of(path) == f"{path}:{line}: accounting_method: duplicate key"


def test_duplicate_nested_key(tmp_path):
    text = MINIMAL + "  sessions: Income:Other\n"  # a second `sessions` under income_categories
    path = write(tmp_path, text)
    line = len(text.splitlines())
    assert error_of(path) == f"{path}:{line}: income_categories.sessions: duplicate key"


def test_category_key_with_capitals(tmp_path):
    text = MINIMAL.replace("  frames: Income:Print Sales", "  Frames: Income:Print Sales")
    path = write(tmp_path, text)
    assert error_of(path).startswith(f"{path}:{line_of(text, 'Frames')}: income_categories.Frames: ")


def test_no_income_categories(tmp_path):
    text = MINIMAL.split("income_categories:")[0] + "income_categories: {}\n"
    path = write(tmp_path, text)
    assert error_of(path).startswith(f"{path}:{line_of(text, 'income_categories')}: income_categories: ")


def test_section_that_is_not_a_mapping(tmp_path):
    text = MINIMAL.replace("studio:\n  name: Sunset Portrait Studio\n", "studio: Sunset\n")
    path = write(tmp_path, text)
    assert error_of(path) == f"{path}:1: studio: must be a mapping of keys to values"


def test_unreadable_config(tmp_path):
    path = tmp_path / "nope.yaml"
    message = error_of(path)
    assert message.startswith(f"{path}: ")


def test_config_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.replace("Sunset", "S\xf6nset").encode("latin-1"))
    assert error_of(path).startswith(f"{path}: ")


# -- where the config is found ----------------------------------------------------------------------

@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_find_config_lookup_order(clean_env, monkeypatch):
    tmp = clean_env
    explicit = write(tmp / "explicit", MINIMAL)
    env = write(tmp / "env", MINIMAL)
    local = write(tmp / "config", MINIMAL)  # ./config/recon.yaml
    user = write(tmp / "xdg" / "recon-tui", MINIMAL)
    monkeypatch.setenv(ENV_VAR, str(env))

    assert find_config(explicit) == explicit
    assert find_config(str(explicit)) == explicit
    assert find_config() == env
    monkeypatch.delenv(ENV_VAR)
    assert find_config().resolve() == local.resolve()
    local.unlink()
    assert find_config() == user
    user.unlink()
    with pytest.raises(ConfigError, match="no config found") as info:
        find_config()
    message = str(info.value)
    assert ENV_VAR in message and str(tmp / "config" / "recon.yaml") in message
    assert str(tmp / "xdg" / "recon-tui" / "recon.yaml") in message


def test_find_config_uses_the_given_cwd(clean_env):
    other = clean_env / "studio"
    local = write(other / "config", MINIMAL)
    assert find_config(cwd=other) == local


def test_find_config_user_dir_defaults_to_home_dot_config(clean_env, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    user = write(clean_env / "home" / ".config" / "recon-tui", MINIMAL)
    assert find_config() == user


def test_find_config_explicit_path_missing_is_an_error_not_a_fallback(clean_env):
    write(clean_env / "config", MINIMAL)  # would be found otherwise
    with pytest.raises(ConfigError, match="not found") as info:
        find_config(clean_env / "missing.yaml")
    assert str(clean_env / "missing.yaml") in str(info.value)


def test_find_config_env_path_missing_is_an_error_not_a_fallback(clean_env, monkeypatch):
    write(clean_env / "config", MINIMAL)
    monkeypatch.setenv(ENV_VAR, str(clean_env / "missing.yaml"))
    with pytest.raises(ConfigError, match=ENV_VAR.replace("$", r"\$")):
        find_config()
