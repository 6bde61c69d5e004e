"""`check-accounts` (DOMAIN §8, §12): the config's GL accounts against QuickBooks' own chart of accounts,
as a pure function over the parsed export and through the command line, and `post --qb-lists`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.config import load_config
from recon_tui.quickbooks.chart import AccountCheck, check_accounts_file, check_chart
from recon_tui.quickbooks.iif_reader import NOT_IIF, IIFError, read_iif
from recon_tui.store import open_store
from recon_tui.store.importer import import_dir

ROOT = Path(__file__).resolve().parent.parent
QB = ROOT / "tests" / "fixtures" / "quickbooks"
LISTS, CHART, OTHER = QB / "lists_all.iif", QB / "lists_chart_only.iif", QB / "lists_other_company.iif"
CONFIG = ROOT / "config" / "recon.yaml"
WORKED_CFG = ROOT / "tests" / "fixtures" / "worked_example.yaml"


@pytest.fixture(scope="module")
def config():
    return load_config(CONFIG)


def edited(tmp_path: Path, source: Path, *changes: tuple[str, str], name: str = "lists.iif") -> Path:
    """A copy of a fixture with some text replaced (bytes kept Windows-1252, CRLF)."""
    text = source.read_bytes().decode("cp1252")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def config_with(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "recon.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, config) -> tuple[str, ...]:
    return check_accounts_file(path, config).problems


# -- the check --------------------------------------------------------------------------------------

def test_every_configured_account_fits_the_studios_chart(config):
    check = check_accounts_file(LISTS, config)
    assert isinstance(check, AccountCheck) and check.ok and check.problems == () and check.notes == ()
    assert check.product == "QuickBooks Pro Version 34.0D" and check.accounts_in_file == 38
    assert [(fit.label, fit.account, fit.qb_type) for fit in check.fits] == [
        ("undeposited_funds", "Undeposited Funds", "OCASSET"), ("accounts_receivable", "Accounts Receivable", "AR"),
        ("customer_deposits", "Customer Deposits", "OCLIAB"), ("in_store_credit", "In-Store Credit", "OCLIAB"),
        ("sales_tax", "Sales Tax Payable", "OCLIAB"), ("bad_debt", "Bad Debt", "EXP"),
        ("in_store_credit_expense", "In-Store Credit Expense", "EXP"),
        ("unallocated_income", "Income:Other Income", "INC"),  # a sub-account, by its Parent:Child name
        ("income: sessions", "Income:Session Fees", "INC"), ("income: prints", "Income:Print Sales", "INC"),
        ("income: frames, albums", "Income:Frames & Albums", "INC"),  # two categories, one account
        ("income: digital", "Income:Digital Files", "INC"), ("income: discounts", "Income:Discounts", "INC")]


def test_the_chart_alone_will_do_and_other_expense_fits_an_expense(config):
    check = check_accounts_file(CHART, config)
    assert check.ok
    assert {fit.account: fit.qb_type for fit in check.fits}["In-Store Credit Expense"] == "EXEXP"


def test_a_missing_account_comes_with_the_closest_name(tmp_path, config):
    path = edited(tmp_path, CHART, ("ACCNT\tCustomer Deposits\t", "ACCNT\tCustomer Deposit\t"))
    assert problems_of(path, config) == (
        'gl_accounts.customer_deposits: "Customer Deposits" is not in QuickBooks; closest: "Customer Deposit", '
        "Other Current Liability (OCLIAB)",)


def test_a_missing_account_with_nothing_like_it(tmp_path, config):
    path = edited(tmp_path, CHART, ("ACCNT\tBad Debt\t", "ACCNT\tWrite-offs\t"))
    assert problems_of(path, config) == (
        'gl_accounts.bad_debt: "Bad Debt" is not in QuickBooks (no account there has a similar name)',)


def test_a_wrong_type_names_what_fits(tmp_path, config):
    path = edited(tmp_path, CHART, ("ACCNT\tBad Debt\t45\t1586256345\tEXP\t", "ACCNT\tBad Debt\t45\t1586256345\tOCLIAB\t"))
    assert problems_of(path, config) == (
        'gl_accounts.bad_debt: "Bad Debt" is Other Current Liability (OCLIAB) in QuickBooks; it must be '
        "Expense (EXP) or Other Expense (EXEXP)",)


def test_every_problem_is_listed_one_line_each(tmp_path, config):
    path = edited(tmp_path, CHART, ("ACCNT\tCustomer Deposits\t", "ACCNT\tCustomer Deposit\t"),
                  ("\tAR\t", "\tOCASSET\t"), ("ACCNT\tIncome:Print Sales\t", "ACCNT\tIncome:Prints\t"))
    problems = problems_of(path, config)
    assert [p.split(":")[0] for p in problems] == ["gl_accounts.accounts_receivable", "gl_accounts.customer_deposits",
                                                  "income_categories.prints"]
    assert all("\n" not in p for p in problems)
    assert problems[0].endswith("it must be Accounts Receivable (AR)")


def test_sub_accounts_by_parent_and_child(tmp_path):
    # the worked example's config names the income accounts without their parent: QuickBooks has them under Income
    problems = problems_of(LISTS, load_config(WORKED_CFG))
    assert problems == (
        'gl_accounts.unallocated_income: "Other Income" is not in QuickBooks; closest: "Income:Other Income", Income (INC)',
        'income_categories.sessions: "Session Fees" is not in QuickBooks; closest: "Income:Session Fees", Income (INC)',
        'income_categories.prints: "Print Sales" is not in QuickBooks; closest: "Income:Print Sales", Income (INC)')
    # and the other way round: the config's Income:Discounts, QuickBooks' top-level Discounts
    path = edited(tmp_path, CHART, ("ACCNT\tIncome:Discounts\t", "ACCNT\tDiscounts\t"))
    assert problems_of(path, load_config(CONFIG)) == (
        'income_categories.discounts: "Income:Discounts" is not in QuickBooks; closest: "Discounts", Income (INC)',)


def test_a_difference_in_case_is_found_with_a_note(tmp_path):
    cfg = load_config(config_with(tmp_path, ("bad_debt: Bad Debt", "bad_debt: bad debt")))
    check = check_accounts_file(CHART, cfg)
    assert check.ok
    assert check.notes == ('gl_accounts.bad_debt: QuickBooks spells it "Bad Debt"; the config\'s "bad debt" finds it '
                           "(QuickBooks names ignore case), but the IIF file will carry the config's spelling: write it "
                           "as QuickBooks does",)


def test_a_config_name_outside_ascii_is_a_problem_even_when_quickbooks_has_it(tmp_path):
    cfg = load_config(config_with(tmp_path, ("sessions: Income:Session Fees", "sessions: Income:Séance Fees")))
    path = edited(tmp_path, CHART, ("Income:Session Fees", "Income:Séance Fees"))
    assert problems_of(path, cfg) == (
        'income_categories.sessions: "Income:Séance Fees" has letters outside ASCII, which QuickBooks\' IIF import '
        'mangles, so posting refuses it: rename the account in QuickBooks and in the config to plain letters '
        '(e.g. "Income:Seance Fees")',)


def test_the_wrong_company(config):
    check = check_accounts_file(OTHER, config)
    assert check.problems == (
        f"none of the configured accounts are in {OTHER} (apart from Accounts Receivable, Sales Tax Payable, "
        "Undeposited Funds, which QuickBooks makes in every company): is it the right company? (10 of 13 are missing)",)


def test_a_file_without_accounts_or_with_journal_entries(tmp_path, config):
    only_header = tmp_path / "header.iif"
    only_header.write_text("!HDR\tPROD\tVER\r\nHDR\tQuickBooks Pro\tVersion 34.0D\r\n", encoding="cp1252")
    assert problems_of(only_header, config) == (
        f"{only_header} lists no accounts (no !ACCNT rows): export the Chart of Accounts from QuickBooks "
        "(File > Utilities > Export > Lists to IIF Files)",)
    journal = QB / "journal_from_spreadsheet.iif"
    assert problems_of(journal, config)[0] == (
        f"{journal} holds journal entries: it is a file to import (a recon-tui batch?), not QuickBooks' list export "
        "(File > Utilities > Export > Lists to IIF Files)")


def test_not_an_iif_file(tmp_path, config):
    csv = tmp_path / "accounts.csv"
    csv.write_text("Account,Type,Balance\nChecking,Bank,100.00\n")
    with pytest.raises(IIFError) as caught:
        check_accounts_file(csv, config)
    assert str(caught.value) == f"{csv}:1: {NOT_IIF}"


def test_the_check_is_a_pure_function_of_the_parsed_file(config):
    chart = read_iif(LISTS)
    first, again = check_chart(chart, config, "x.iif"), check_chart(chart, config, "x.iif")
    assert first == again and first.source == "x.iif"
    with pytest.raises(AttributeError):
        first.fits = ()  # frozen
    assert json.loads(json.dumps(first.to_json()))["ok"] is True


# -- the command line -------------------------------------------------------------------------------

def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_all_fit(capsys):
    code, out, err = run(capsys, "check-accounts", "--qb-lists", LISTS, "--config", CONFIG)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["Config", "key", "Account", "QuickBooks", "OK"]
    assert "income: frames, albums   Income:Frames & Albums   INC         ok" in lines
    assert lines[-1] == f"all 13 configured accounts are in {LISTS} (QuickBooks Pro Version 34.0D) with fitting types"
    assert max(len(line) for line in lines[:-1]) <= 80


def test_cli_lists_every_problem_and_exits_2(capsys, tmp_path):
    path = edited(tmp_path, CHART, ("ACCNT\tCustomer Deposits\t", "ACCNT\tCustomer Deposit\t"),
                  ("ACCNT\tBad Debt\t45\t1586256345\tEXP\t", "ACCNT\tBad Debt\t45\t1586256345\tOCLIAB\t"))
    code, out, err = run(capsys, "check-accounts", "--qb-lists", path, "--config", CONFIG)
    assert code == 2 and "Traceback" not in err
    assert "customer_deposits        Customer Deposits        -           MISSING" in out
    assert "bad_debt                 Bad Debt                 OCLIAB      WRONG TYPE" in out
    assert err.splitlines() == [
        'error: gl_accounts.customer_deposits: "Customer Deposits" is not in QuickBooks; closest: "Customer Deposit", '
        "Other Current Liability (OCLIAB)",
        'error: gl_accounts.bad_debt: "Bad Debt" is Other Current Liability (OCLIAB) in QuickBooks; it must be '
        "Expense (EXP) or Other Expense (EXEXP)",
        "error: 2 problem(s): fix the config or QuickBooks' chart of accounts before posting"]


def test_cli_json(capsys, tmp_path):
    code, out, err = run(capsys, "check-accounts", "--qb-lists", OTHER, "--config", CONFIG, "--format", "json")
    assert code == 2 and err == ""
    data = json.loads(out)
    assert data["ok"] is False and data["accounts_in_file"] == 10 and len(data["accounts"]) == 13
    assert data["problems"][0].startswith("none of the configured accounts are in")
    assert data["accounts"][2] == {"keys": ["gl_accounts.customer_deposits"], "account": "Customer Deposits",
                                   "expected": ["OCLIAB"], "quickbooks_name": None, "quickbooks_type": None,
                                   "status": "missing", "closest": None}


def test_cli_wrong_company(capsys):
    code, out, err = run(capsys, "check-accounts", "--qb-lists", OTHER, "--config", CONFIG)
    assert code == 2 and out == ""
    assert err.splitlines()[0].startswith(f"error: none of the configured accounts are in {OTHER}")
    assert "is it the right company?" in err.splitlines()[0]


@pytest.mark.parametrize("make, gist", [
    (lambda tmp: tmp / "missing.iif", "cannot read: No such file or directory"),
    (lambda tmp: (tmp / "a.csv", (tmp / "a.csv").write_text("Account,Type\n"))[0], "not an IIF file"),
    (lambda tmp: (tmp / "b.iif", (tmp / "b.iif").write_text("!ACCNT\tNAME\tACCNTTYPE\nACCNT\tSales\tINCOME\n"))[0],
     "2: unknown ACCNTTYPE 'INCOME'"),
])
def test_cli_a_bad_file_is_one_line(capsys, tmp_path, make, gist):
    path = make(tmp_path)
    code, out, err = run(capsys, "check-accounts", "--qb-lists", path, "--config", CONFIG)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.splitlines() == [err.strip()] and err.startswith(f"error: check-accounts: {path}")
    assert gist in err


def test_cli_in_a_real_process_without_traceback(tmp_path):
    bad = tmp_path / "bad.iif"
    bad.write_bytes(b"PK\x03\x04 a spreadsheet, not an IIF file")
    proc = subprocess.run([sys.executable, "-m", "recon_tui", "check-accounts", "--qb-lists", str(bad),
                           "--config", str(CONFIG)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == [f"error: check-accounts: {bad}:1: {NOT_IIF}"]


def test_cli_help_lists_the_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "check-accounts" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["check-accounts", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: recon-tui check-accounts") and "--qb-lists" in out and "Lists to IIF" in out


# -- post: the first batch and --qb-lists -----------------------------------------------------------

@pytest.fixture
def worked(tmp_path) -> list[str]:
    """The worked example in a fresh database: the --db/--config arguments."""
    db = open_store(tmp_path / "studio.db", create=True)
    import_dir(db, ROOT / "tests" / "fixtures" / "worked_example", load_config(WORKED_CFG))
    db.close()
    return ["--db", str(tmp_path / "studio.db"), "--config", str(WORKED_CFG)]


def worked_chart(tmp_path: Path) -> Path:
    """The studio's chart with the worked example's top-level income accounts."""
    return edited(tmp_path, CHART, ("ACCNT\tIncome:Session Fees\t", "ACCNT\tSession Fees\t"),
                  ("ACCNT\tIncome:Print Sales\t", "ACCNT\tPrint Sales\t"),
                  ("ACCNT\tIncome:Other Income\t", "ACCNT\tOther Income\t"), name="worked.iif")


def test_the_first_post_says_to_check_the_accounts(capsys, worked, tmp_path):
    code, out, err = run(capsys, "post", "--through", "2026-04-30", "--dry-run", *worked)
    assert code == 0 and "would post 9 entries" in out
    note = ("note: the first batch's !ACCNT rows create any account QuickBooks lacks (a misspelt config name becomes "
            "a new, wrong account); before importing it, run `recon-tui check-accounts --qb-lists FILE.iif`")
    assert err.splitlines() == [note]
    code, out, err = run(capsys, "post", "--through", "2026-04-10", *worked)
    assert code == 0 and "posted batch 1" in out and err.splitlines() == [note]
    code, out, err = run(capsys, "post", "--through", "2999-01-01", *worked)  # a bad argument: one line
    assert code == 2 and err.splitlines() == ["error: post: --through 2999-01-01 is after today"]
    code, out, err = run(capsys, "post", "--through", "2026-04-30", *worked)
    assert code == 0 and "posted batch 2" in out and err == ""  # only before the first batch


def test_post_refuses_when_the_accounts_do_not_fit(capsys, worked, tmp_path):
    code, out, err = run(capsys, "post", "--through", "2026-04-30", "--qb-lists", LISTS, *worked)
    assert code == 2 and out == "" and "Traceback" not in err
    lines = err.splitlines()
    assert lines[0].startswith('error: gl_accounts.unallocated_income: "Other Income" is not in QuickBooks')
    assert lines[-1] == ("error: post: the configured accounts do not fit QuickBooks' chart of accounts; "
                         "nothing was posted")
    assert list(tmp_path.glob("*.iif")) == [] and run(capsys, "post", "--list", *worked)[1] == "no batches posted yet\n"


def test_post_with_accounts_that_fit(capsys, worked, tmp_path):
    chart = worked_chart(tmp_path)
    code, out, err = run(capsys, "post", "--through", "2026-04-30", "--qb-lists", chart, *worked)
    assert code == 0 and "posted batch 1: 9 entries" in out
    assert err.splitlines() == [f"checked: all 10 configured accounts are in {chart}"]


def test_post_qb_lists_errors(capsys, worked, tmp_path):
    code, out, err = run(capsys, "post", "--list", "--qb-lists", LISTS, *worked)
    assert code == 2 and err == "error: post: --qb-lists goes with --through or --reexport\n"
    code, out, err = run(capsys, "post", "--through", "2026-04-30", "--qb-lists", tmp_path / "none.iif", *worked)
    assert code == 2 and out == "" and err.startswith(f"error: post --qb-lists: {tmp_path / 'none.iif'}: cannot read")
