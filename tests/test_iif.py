"""The IIF writer and reader: the exact file QuickBooks gets, round trips, and every refusal."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from recon_tui.config import load_config
from recon_tui.model import Entry, Line, Posted
from recon_tui.quickbooks.iif_reader import NOT_IIF, IIFError, read_iif
from recon_tui.quickbooks.iif_writer import (ACCOUNT_TYPES, account_types, as_written, clean, customer_name, iif_text,
                                             write_iif)

CONFIG = Path(__file__).resolve().parent.parent / "config" / "recon.yaml"
AR, DEPOSITS, SESSIONS, PRINTS, TAX, UNDEPOSITED = ("Accounts Receivable", "Customer Deposits", "Income:Session Fees",
                                                    "Income:Print Sales", "Sales Tax Payable", "Undeposited Funds")
ACCOUNTS = {AR: "AR", DEPOSITS: "OCLIAB", SESSIONS: "INC", PRINTS: "INC", TAX: "OCLIAB", UNDEPOSITED: "OCASSET"}


def posted(docnum: str, key: str, on: date, customer: str, *lines: tuple[str, int]) -> Posted:
    return Posted(docnum, Entry(key, on, customer, tuple(Line(account, amount) for account, amount in lines)))


COMPLETED = posted("SP000001", "order:17:completed", date(2024, 3, 5), "Ana Diaz",
                   (AR, 123_456_789), (DEPOSITS, 5_000), (SESSIONS, -100_000_000), (PRINTS, -23_456_789),
                   (TAX, -5_000))
PAYMENT = posted("SP000002", "payment:9", date(2024, 12, 31), "Bo Li", (UNDEPOSITED, 5), (DEPOSITS, -5))


def written(entries, accounts=ACCOUNTS, customers=("Ana Diaz", "Bo Li")) -> str:
    out = io.StringIO(newline="")
    write_iif(out, entries, accounts, customers)
    return out.getvalue()


def iif_file(folder: Path, text: str, name: str = "batch.iif") -> Path:
    path = folder / name
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


# -- the file QuickBooks gets ----------------------------------------------------------------------

def test_account_types_from_the_config():
    types = account_types(load_config(CONFIG))
    assert types == {"Undeposited Funds": "OCASSET", "Accounts Receivable": "AR", "Customer Deposits": "OCLIAB",
                     "In-Store Credit": "OCLIAB", "Sales Tax Payable": "OCLIAB", "Bad Debt": "EXP",
                     "In-Store Credit Expense": "EXP", "Income:Other Income": "INC", "Income:Session Fees": "INC",
                     "Income:Print Sales": "INC", "Income:Frames & Albums": "INC", "Income:Digital Files": "INC",
                     "Income:Discounts": "INC"}
    assert ACCOUNT_TYPES["accounts_receivable"] == "AR" and ACCOUNT_TYPES["unallocated_income"] == "INC"


def test_the_exact_file():
    expected = (
        "!ACCNT\tNAME\tACCNTTYPE\r\n"
        "ACCNT\tAccounts Receivable\tAR\r\n"
        "ACCNT\tCustomer Deposits\tOCLIAB\r\n"
        "ACCNT\tIncome\tINC\r\n"  # the parent, before its sub-accounts
        "ACCNT\tIncome:Session Fees\tINC\r\n"
        "ACCNT\tIncome:Print Sales\tINC\r\n"
        "ACCNT\tSales Tax Payable\tOCLIAB\r\n"
        "ACCNT\tUndeposited Funds\tOCASSET\r\n"
        "!CUST\tNAME\r\n"
        "CUST\tAna Diaz\r\n"
        "CUST\tBo Li\r\n"
        "!TRNS\tTRNSID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\r\n"  # TRNSID/SPLID left empty,
        "!SPL\tSPLID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\r\n"  # as in Intuit's samples
        "!ENDTRNS\r\n"
        "TRNS\t\tGENERAL JOURNAL\t03/05/2024\tAccounts Receivable\tAna Diaz\t1234567.89\tSP000001\torder:17:completed\r\n"
        "SPL\t\tGENERAL JOURNAL\t03/05/2024\tCustomer Deposits\tAna Diaz\t50.00\tSP000001\torder:17:completed\r\n"
        "SPL\t\tGENERAL JOURNAL\t03/05/2024\tIncome:Session Fees\tAna Diaz\t-1000000.00\tSP000001\torder:17:completed\r\n"
        "SPL\t\tGENERAL JOURNAL\t03/05/2024\tIncome:Print Sales\tAna Diaz\t-234567.89\tSP000001\torder:17:completed\r\n"
        "SPL\t\tGENERAL JOURNAL\t03/05/2024\tSales Tax Payable\tAna Diaz\t-50.00\tSP000001\torder:17:completed\r\n"
        "ENDTRNS\r\n"
        "TRNS\t\tGENERAL JOURNAL\t12/31/2024\tUndeposited Funds\tBo Li\t0.05\tSP000002\tpayment:9\r\n"
        "SPL\t\tGENERAL JOURNAL\t12/31/2024\tCustomer Deposits\tBo Li\t-0.05\tSP000002\tpayment:9\r\n"
        "ENDTRNS\r\n")
    assert written([COMPLETED, PAYMENT]) == expected


def test_crlf_line_ends_in_a_real_file(tmp_path):
    path = tmp_path / "batch.iif"
    with open(path, "w", encoding="utf-8", newline="") as out:
        assert write_iif(out, [COMPLETED, PAYMENT], ACCOUNTS, ["Ana Diaz", "Bo Li"]) == 2
    data = path.read_bytes()
    assert data.endswith(b"ENDTRNS\r\n")
    assert data.count(b"\n") == data.count(b"\r\n") == 23 and data.count(b"\r") == 23


def test_no_customers_no_cust_rows_and_no_entries_only_headers():
    text = written([], accounts={UNDEPOSITED: "OCASSET"}, customers=["", " "])
    assert text == ("!ACCNT\tNAME\tACCNTTYPE\r\nACCNT\tUndeposited Funds\tOCASSET\r\n"
                    "!TRNS\tTRNSID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\r\n"
                    "!SPL\tSPLID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\r\n!ENDTRNS\r\n")


def test_customers_are_cleaned_deduplicated_and_sorted():
    text = written([], customers=["Zoë", "ana\tdiaz", "ana diaz", 'Bo "B" Li', "Smith: John", ""])
    assert [row for row in text.split("\r\n") if row.startswith("CUST")] == [
        "CUST\tBo 'B' Li", "CUST\tSmith- John", "CUST\tZoe", "CUST\tana diaz"]


def test_a_customer_less_entry_leaves_name_empty():
    adjustment = posted("SP9", "adjustment:4", date(2024, 1, 2), "",
                        ("In-Store Credit Expense", 1_000), ("In-Store Credit", -1_000))
    text = written([adjustment], accounts={"In-Store Credit Expense": "EXP", "In-Store Credit": "OCLIAB"})
    assert "TRNS\t\tGENERAL JOURNAL\t01/02/2024\tIn-Store Credit Expense\t\t10.00\tSP9\tadjustment:4\r\n" in text


def test_escaping_in_the_rows():
    awkward = posted("SP1", 'order:1:completed\t"x"\r\n', date(2024, 1, 1), 'Ann\t"Nan"\r\nLee',
                     (AR, 100), ("Income:Sessions\tFees", -100))
    text = written([awkward], accounts={AR: "AR", "Income:Sessions\tFees": "INC"}, customers=['Ann\t"Nan"\r\nLee'])
    assert "TRNS\t\tGENERAL JOURNAL\t01/01/2024\tAccounts Receivable\tAnn 'Nan' Lee\t1.00\tSP1\torder:1:completed 'x'\r\n" in text
    assert "SPL\t\tGENERAL JOURNAL\t01/01/2024\tIncome:Sessions Fees\tAnn 'Nan' Lee\t-1.00\tSP1\torder:1:completed 'x'\r\n" in text
    assert all(row.count("\t") == 8 for row in text.split("\r\n") if row.startswith(("TRNS", "SPL")))


# -- clean -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, safe", [
    ("Plain Name", "Plain Name"),
    ("a\tb", "a b"),
    ("a\r\nb", "a b"),
    ("a \t\n b", "a b"),  # a run of breaks with the spaces around it: one space
    ("a  b", "a  b"),  # ordinary spaces are left alone
    ("  padded\n", "padded"),
    ("x\x00y\x1fz\x7f", "x y z"),
    ("line\u2028sep\x85", "line sep"),
    ('say "cheese"', "say 'cheese'"),
    ('"quoted"', "'quoted'"),
    ("Zoë Ω 😀 Income:Sub", "Zoë Ω 😀 Income:Sub"),
    ("\t\r\n", ""),
])
def test_clean(raw, safe):
    assert clean(raw) == safe
    assert clean(safe) == safe


def test_customer_name_keeps_a_colon_from_making_a_job():
    assert customer_name("Smith: John\t& Jane") == "Smith- John & Jane"


# -- ASCII, the same way every time (DOMAIN §8) ----------------------------------------------------

@pytest.mark.parametrize("raw, ascii_name", [
    ("Zoë", "Zoe"),
    ("Zoë Smith", "Zoe Smith"),
    ("Łukasz Wałęsa", "Lukasz Walesa"),
    ("Jürgen Straße", "Jurgen Strasse"),
    ("Þór Æsirsdóttir", "Thor Aesirsdottir"),
    ("Đorđe İnce", "Dorde Ince"),
    ("北京 Studio", "BeiJing Studio"),
    ("“Smiley” 😀", "'Smiley' -grinning-"),  # curly quotes become ', an emoji's :name: cannot make a job
    ("Smith; John", "Smith, John"),
    ("Ana\u00a0Diaz\u200b", "Ana Diaz"),  # a no-break space is a space, a zero-width one nothing
    ("Plain Name", "Plain Name"),
])
def test_customer_names_go_out_as_ascii(raw, ascii_name):
    assert customer_name(raw) == ascii_name
    assert customer_name(ascii_name) == ascii_name  # stable: converting again changes nothing
    assert ascii_name.isascii() and ascii_name.isprintable() and ";" not in ascii_name


def test_text_fields_lose_semicolons_and_keep_colons():
    assert iif_text("order:Ö;1:completed") == "order:O,1:completed"
    assert iif_text("a;b") == "a,b" and customer_name("A:B;C") == "A-B,C"


def test_the_file_is_pure_ascii_and_names_the_customer_as_ascii():
    zoe = posted("SP1", "payment:Ü;7", date(2024, 1, 2), "Zoë Smith", (UNDEPOSITED, 500), (DEPOSITS, -500))
    text = written([zoe], customers=["Zoë Smith"])
    assert text.isascii() and ";" not in text
    assert "CUST\tZoe Smith\r\n" in text
    assert "TRNS\t\tGENERAL JOURNAL\t01/02/2024\tUndeposited Funds\tZoe Smith\t5.00\tSP1\tpayment:U,7\r\n" in text
    assert as_written(zoe).entry.customer == "Zoe Smith" and as_written(zoe).entry.key == "payment:U,7"


def test_two_customers_with_one_ascii_name_are_one_quickbooks_customer():
    text = written([posted("SP1", "payment:1", date(2024, 1, 2), "Zoë Smith", (UNDEPOSITED, 5), (DEPOSITS, -5)),
                    posted("SP2", "payment:2", date(2024, 1, 2), "Zoe Smith", (UNDEPOSITED, 7), (DEPOSITS, -7))],
                   customers=["Zoë Smith", "Zoe Smith"])
    assert [row for row in text.split("\r\n") if row.startswith("CUST")] == ["CUST\tZoe Smith"]
    assert text.count("\tZoe Smith\t") == 4


def test_the_name_limit_applies_to_the_ascii_name():
    assert "CUST\tBeiJing" in written([], customers=["北京" * 5])  # 35 letters in ASCII
    refused([], "customer name '北京北京北京北京北京北京' (in ASCII 'BeiJingBeiJingBeiJingBeiJingBeiJingBeiJing') "
                "is longer than QuickBooks' 41 characters", customers=["北京" * 6])


@pytest.mark.parametrize("account, what, hint", [
    ("Income:Café Sales", "letters outside ASCII (QuickBooks' import turns them into '?')", " (e.g. 'Income:Cafe Sales')"),
    ("Sales; Retail", "a ';' (QuickBooks' import cuts the line there)", " (e.g. 'Sales, Retail')"),
])
def test_an_account_name_that_is_not_plain_ascii_is_refused_not_changed(account, what, hint):
    refused([], f"account {account!r} has {what}, so the import would create a new account: rename it in "
                f"QuickBooks and in the config to plain letters{hint}", accounts={AR: "AR", account: "INC"})


# -- round trip ------------------------------------------------------------------------------------

AWKWARD = ["\t", "\r\n", "\n", "\r", '"', "'", ",", ";", "!", " ", "é", "Ω", "😀", "\x00", "\u2028", "&", "#"]
SAFE = st.characters(blacklist_categories=("Cs", "Cc", "Z"), blacklist_characters=':"')
MIDDLE = st.lists(st.one_of(st.sampled_from(AWKWARD), SAFE), max_size=8).map("".join)
# account names must be plain ASCII without ';' (the writer refuses others: see below)
ASCII_SAFE = st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters=':";')
ASCII_MIDDLE = st.lists(st.one_of(st.sampled_from([a for a in AWKWARD if a.isascii() and a != ";"]), ASCII_SAFE),
                        max_size=8).map("".join)
SEGMENT = st.builds(lambda a, m, b: a + m + b, ASCII_SAFE, ASCII_MIDDLE, ASCII_SAFE)
ACCOUNT = st.lists(SEGMENT, min_size=1, max_size=3).map(":".join)
CUSTOMER = st.lists(st.one_of(st.sampled_from(AWKWARD + [":"]), SAFE), max_size=20).map("".join)
KINDS = ["OCASSET", "OCLIAB", "INC", "EXP", "EQUITY", "BANK", "COGS"]


@st.composite
def batches(draw):
    names = draw(st.lists(ACCOUNT, min_size=1, max_size=5))
    kind_of_top = {"Accounts Receivable": "AR"}
    accounts = {AR: "AR"}
    for name in names:
        top = clean(name).split(":")[0]
        accounts[name] = kind_of_top.setdefault(top, draw(st.sampled_from(KINDS)))
    others = [name for name, kind in accounts.items() if kind != "AR"]
    assume(others)
    customers = draw(st.lists(CUSTOMER, min_size=1, max_size=4))
    assume(all(len(customer_name(name)) <= 41 for name in customers))  # an emoji becomes ':grinning_face:'
    entries = []
    for number in range(draw(st.integers(0, 6))):
        customer = draw(st.sampled_from(customers))
        pairs = [(draw(st.sampled_from(others)), draw(st.integers(-10**15, 10**15)))
                 for _ in range(draw(st.integers(1, 4)))]
        if customer_name(customer) and draw(st.booleans()):
            pairs.insert(0, (AR, draw(st.integers(-10**12, 10**12))))
        pairs.append((draw(st.sampled_from(others)), -sum(amount for _, amount in pairs)))
        key = f"order:{number}:completed" + draw(MIDDLE)
        entries.append(posted(f"SP{number:09d}", key, draw(st.dates()), customer, *pairs))
    return accounts, customers, entries


def blocks(text: str):
    """The TRNS blocks of a written file as lists of (record, ACCNT, AMOUNT), read naively."""
    found, block = [], None
    for row in text.split("\r\n"):
        fields = row.split("\t")
        if fields[0] == "TRNS":
            block = []
        if fields[0] in ("TRNS", "SPL"):
            block.append((fields[0], fields[4], Decimal(fields[6])))
        if fields[0] == "ENDTRNS":
            found.append(block)
    return found


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_round_trip(batch):
    accounts, customers, entries = batch
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.iif"
        with open(path, "w", encoding="utf-8", newline="") as out:
            assert write_iif(out, iter(entries), accounts, customers) == len(entries)
        text = path.read_bytes().decode("utf-8")
        back = read_iif(path)
    assert back.entries == [as_written(entry) for entry in entries]
    assert {clean(name): kind for name, kind in accounts.items()}.items() <= back.accounts.items()
    assert back.customers == sorted({customer_name(name) for name in customers} - {""})
    assert "\n" not in text.replace("\r\n", "")
    found = blocks(text)
    assert len(found) == len(entries)
    for block in found:
        assert sum(amount for _, _, amount in block) == 0
        assert [record for record, account, _ in block if account == AR] in ([], ["TRNS"])  # A/R first


def test_as_written_is_what_comes_back(tmp_path):
    entry = posted("SP1", "payment:1\t", date(2024, 1, 1), "A:B", (UNDEPOSITED, 5), (DEPOSITS, -5))
    path = tmp_path / "b.iif"
    path.write_text(written([entry], customers=["A:B"]), encoding="utf-8", newline="")
    assert read_iif(path).entries == [as_written(entry)]
    assert as_written(entry).entry.customer == "A-B" and as_written(entry).entry.key == "payment:1"


# -- what write_iif refuses ------------------------------------------------------------------------

def refused(entries, message, accounts=ACCOUNTS, customers=("Ana Diaz", "Bo Li")):
    with pytest.raises(ValueError) as caught:
        written(entries, accounts, customers)
    assert str(caught.value) == message


def test_refuses_an_unbalanced_entry():
    refused([posted("SP1", "payment:1", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 500), (DEPOSITS, -499))],
            "entry 'payment:1' (DOCNUM 'SP1'): does not balance: its lines sum to 0.01")


def test_refuses_an_entry_without_lines_or_with_one():
    refused([posted("SP1", "payment:1", date(2024, 1, 1), "Bo Li")], "entry 'payment:1' (DOCNUM 'SP1'): has no lines")
    refused([posted("SP1", "payment:1", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 0))],
            "entry 'payment:1' (DOCNUM 'SP1'): has one line; a journal entry needs two")


@pytest.mark.parametrize("docnum", ["SP123456789X", "", "SP\t1", " SP1", "SP;1", "SPÖ1", 'SP"1'])
def test_refuses_a_bad_docnum(docnum):
    refused([posted(docnum, "payment:1", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 5), (DEPOSITS, -5))],
            f"entry 'payment:1' (DOCNUM {docnum!r}): DOCNUM must be 1 to 11 characters of plain ASCII text (no ; or \")")


def test_eleven_characters_is_enough_for_a_docnum():
    assert "\tSP123456789\t" in written([posted("SP123456789", "payment:1", date(2024, 1, 1), "Bo Li",
                                                (UNDEPOSITED, 5), (DEPOSITS, -5))])


def test_refuses_a_docnum_used_twice_in_the_file():
    first = posted("SP1", "payment:1", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 5), (DEPOSITS, -5))
    again = posted("SP1", "payment:2", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 5), (DEPOSITS, -5))
    refused([first, again], "entry 'payment:2' (DOCNUM 'SP1'): DOCNUM is already used by an earlier entry in this file")


def test_refuses_an_ar_line_that_is_not_first_or_not_alone_or_nameless():
    message = ("entry 'order:1:completed' (DOCNUM 'SP1'): line {} is on the A/R account 'Accounts Receivable': "
               "QuickBooks takes one A/R line, the first, with the customer's name")
    on = date(2024, 1, 1)
    refused([posted("SP1", "order:1:completed", on, "Ana Diaz", (SESSIONS, -100), (AR, 100))], message.format(2))
    refused([posted("SP1", "order:1:completed", on, "Ana Diaz", (AR, 50), (AR, 50), (SESSIONS, -100))],
            message.format(2))
    refused([posted("SP1", "order:1:completed", on, "", (AR, 100), (SESSIONS, -100))], message.format(1))


def test_refuses_an_account_or_customer_not_given_up_front():
    on = date(2024, 1, 1)
    refused([posted("SP1", "payment:1", on, "Bo Li", ("Checking", 5), (DEPOSITS, -5))],
            "entry 'payment:1' (DOCNUM 'SP1'): account 'Checking' is not among the accounts given for the ACCNT rows")
    refused([posted("SP1", "payment:1", on, "Cy Doe", (UNDEPOSITED, 5), (DEPOSITS, -5))],
            "entry 'payment:1' (DOCNUM 'SP1'): customer 'Cy Doe' is not among the customers given for the CUST rows")


def test_refuses_an_amount_that_is_not_int_cents():
    refused([posted("SP1", "payment:1", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 5.5), (DEPOSITS, -5.5))],
            "entry 'payment:1' (DOCNUM 'SP1'): amount 5.5 is not a whole number of cents")


def test_refuses_an_empty_key():
    refused([posted("SP1", "\t", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 5), (DEPOSITS, -5))],
            "entry '\\t' (DOCNUM 'SP1'): the key (MEMO) must be 1 to 4095 characters")


def test_refuses_names_over_quickbooks_limits_instead_of_cutting_them():
    refused([], f"customer name {'N' * 42!r} is longer than QuickBooks' 41 characters", customers=["N" * 42])
    assert "CUST\t" + "N" * 41 + "\r\n" in written([], customers=["N" * 41])
    long_part = "Income:" + "S" * 32
    refused([], f"account {long_part!r} is longer than QuickBooks allows (31 characters a level, 159 in full)",
            accounts={long_part: "INC"})
    long_full = ":".join(["A" * 31] * 6)  # 191 characters
    refused([], f"account {long_full!r} is longer than QuickBooks allows (31 characters a level, 159 in full)",
            accounts={long_full: "INC"})


def test_refuses_bad_accounts():
    refused([], "account 'Income:' is not an account name (sub-accounts are Parent:Child)", accounts={"Income:": "INC"})
    refused([], "account 'Sales': 'INCOME' is not a QuickBooks ACCNTTYPE", accounts={"Sales": "INCOME"})
    refused([], "account 'Income' would be both INC and EXP; QuickBooks gives a sub-account its parent's type",
            accounts={"Income:Sales": "INC", "Income:Refunds": "EXP"})


def test_a_refused_entry_writes_nothing_of_itself():
    good = posted("SP1", "payment:1", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 5), (DEPOSITS, -5))
    bad = posted("SP2", "payment:2", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 5), (DEPOSITS, -4))
    out = io.StringIO(newline="")
    with pytest.raises(ValueError):
        write_iif(out, [good, bad], ACCOUNTS, ["Bo Li"])
    assert out.getvalue().endswith("\tSP1\tpayment:1\r\nENDTRNS\r\n") and "SP2" not in out.getvalue()


def test_writing_streams_the_entries():
    out = io.StringIO(newline="")

    def entries():
        for number in range(1, 201):
            assert out.getvalue().count("\r\nENDTRNS\r\n") == number - 1  # the one before is already out
            yield posted(f"SP{number}", f"payment:{number}", date(2024, 1, 1), "Bo Li", (UNDEPOSITED, 5), (DEPOSITS, -5))

    assert write_iif(out, entries(), ACCOUNTS, ["Bo Li"]) == 200


# -- reading QuickBooks' own files -----------------------------------------------------------------

GENERIC = """\
!HDR\tPROD\tVER\tREL\tIIFVER\tDATE\tTIME\tACCNTNT\tACCNTNTSPLITTIME
HDR\tQuickBooks Pro\tVersion 29.0D\tRelease R10P\t1\t2024-06-01\t1717245600\tN\t0
!ACCNT\tNAME\tREFNUM\tTIMESTAMP\tACCNTTYPE\tOBAMOUNT\tDESC\tACCNUM\tEXTRA
ACCNT\tAccounts Receivable\t3\t933\tAR\t0.00\t\t1200\t
ACCNT\tIncome:Session Fees\t12\t940\tINC\t0.00\tSessions\t4010\t

!CUST\tNAME\tREFNUM\tTIMESTAMP\tBADDR1
CUST\tAna Diaz\t7\t950\t"12 Main St, Springfield"
!TRNS\tTRNSID\tTIMESTAMP\tTRNSTYPE\tDATE\tACCNT\tNAME\tCLASS\tAMOUNT\tDOCNUM\tMEMO\tCLEAR
!SPL\tSPLID\tTRNSTYPE\tDATE\tACCNT\tNAME\tCLASS\tAMOUNT\tDOCNUM\tMEMO\tCLEAR\tQNTY
!ENDTRNS\t\t\t\t\t
TRNS\t 41\t960\tGENERAL JOURNAL\t6/1/2024\tAccounts Receivable\tAna Diaz\t\t"1,725.00"\t1001\torder:5:completed\tN
SPL\t42\tGENERAL JOURNAL\t06/01/2024\tIncome:Session Fees\t\t\t"-1,725.00"\t1001\tsession fee\tN\t
ENDTRNS
TRNS\t43\t961\tGENERAL JOURNAL\t1/30/94\tIncome:Session Fees\tAna Diaz\t\t-12.5
SPL\t44\tGENERAL JOURNAL\t\tAccounts Receivable\tAna Diaz\t\t12.50
ENDTRNS
"""


def test_reads_a_quickbooks_file_of_the_same_shapes(tmp_path):
    for line_end, encoding in (("\r\n", "utf-8"), ("\n", "utf-8-sig"), ("\r\n", "cp1252")):
        path = tmp_path / "qb.iif"
        path.write_bytes(GENERIC.replace("Ana Diaz", "Ana Díaz").replace("\n", line_end).encode(encoding))
        got = read_iif(path)
        assert got.accounts == {"Accounts Receivable": "AR", "Income:Session Fees": "INC"}
        assert got.customers == ["Ana Díaz"]
        assert got.entries == [
            posted("1001", "order:5:completed", date(2024, 6, 1), "Ana Díaz",
                   ("Accounts Receivable", 172_500), ("Income:Session Fees", -172_500)),
            posted("", "", date(1994, 1, 30), "Ana Díaz",
                   ("Income:Session Fees", -1_250), ("Accounts Receivable", 1_250))]


def test_reads_utf16_from_a_spreadsheet(tmp_path):
    path = tmp_path / "excel.iif"
    path.write_bytes(written([PAYMENT]).encode("utf-16"))
    assert read_iif(path).entries == [PAYMENT]


# -- QuickBooks' own list exports (tests/fixtures/quickbooks/README.md says what each imitates) ---------

QB_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quickbooks"


def test_reads_a_lists_to_iif_export_passing_over_the_lists_it_does_not_use():
    got = read_iif(QB_FIXTURES / "lists_all.iif")  # Windows-1252, CRLF, 14-column ACCNT rows, 13 other lists
    assert got.product == "QuickBooks Pro Version 34.0D"
    assert len(got.accounts) == 38 and got.entries == []
    assert got.accounts["Income:Session Fees"] == "INC" and got.accounts["Income"] == "INC"
    assert got.accounts["Camera Equipment:Accumulated Depreciation"] == "FIXASSET"
    assert got.accounts["Undeposited Funds"] == "OCASSET" and got.accounts["Estimates"] == "NONPOSTING"
    assert "Session" not in got.accounts and "Studio" not in got.accounts  # INVITEM and CLASS rows passed over
    # quoted names unwrapped, a job as Customer:Job, a quoted note holding tabs kept to its own column
    assert got.customers == ["Diaz, Ana", "Diaz, Ana:Wedding 2026", "Li, Bo", "Rivera, Zoë", "Zoe Smith",
                             "Marin Academy"]


def test_reads_the_chart_of_accounts_alone():
    got = read_iif(QB_FIXTURES / "lists_chart_only.iif")
    assert len(got.accounts) == 38 and got.customers == [] and got.entries == []
    assert got.accounts["In-Store Credit Expense"] == "EXEXP"


def test_reads_a_journal_saved_from_a_spreadsheet():
    got = read_iif(QB_FIXTURES / "journal_from_spreadsheet.iif")  # padded rows and headers, dash dates
    assert got.entries == [
        posted("ADJ-1225", "Year-end write-off", date(2025, 12, 31), "Marin Academy",
               (AR, -25_000), ("Bad Debt", 25_000)),
        posted("ADJ-0126", "Deposit moved to sales", date(2026, 1, 5), "", (DEPOSITS, 120_000), (SESSIONS, -120_000))]


@pytest.mark.parametrize("typed, day", [("12-31-2025", date(2025, 12, 31)), ("12-31-25", date(2025, 12, 31)),
                                        ("1-5-26", date(2026, 1, 5)), ("01/05/1999", date(1999, 1, 5))])
def test_dates_with_dashes_or_slashes(tmp_path, typed, day):
    path = iif_file(tmp_path, HEAD + T.replace("01/02/2024", typed) + S.replace("01/02/2024", "") + E)
    assert read_iif(path).entries[0].entry.on == day


def test_sections_of_other_record_types_are_passed_over_with_or_without_a_header(tmp_path):
    text = ("!HDR\tPROD\tVER\nHDR\tQuickBooks Pro\tVersion 34.0D\n"
            "!INVITEM\tNAME\tQNTY\tQNTY\t\tPRICE\nINVITEM\tAlbum\t1\t1\tjunk\t395.00\n"  # QNTY twice: not ours
            "ENDGRP\nENDTAX\tx\n"  # QuickBooks writes these without a header of their own
            "!QB ONLINE\tACCNT\tOLBANKID\nQB ONLINE\tChecking\t9901\n"
            "!ACCNT\tNAME\tACCNTTYPE\t\t\t\nACCNT\tBad Debt\tEXP\t\t\n"  # a padded header and row
            "VEND\tBay Photo Lab\n")
    got = read_iif(iif_file(tmp_path, text))
    assert got.accounts == {"Bad Debt": "EXP"} and got.customers == [] and got.product == "QuickBooks Pro Version 34.0D"


def test_a_quoted_value_may_hold_tabs(tmp_path):
    text = ('!CUST\tNAME\tNOTEPAD\tEMAIL\n'
            'CUST\t"Li, Bo"\t"call\tafter 5"\tbo@example.com\n'  # QuickBooks writes a note with tabs so
            'CUST\t"Open\tnever closed\n')  # a quote that never closes is left as it is
    assert read_iif(iif_file(tmp_path, text)).customers == ["Li, Bo", '"Open']


# -- what read_iif refuses -------------------------------------------------------------------------

HEAD = ("!TRNS\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\n"
        "!SPL\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\n"
        "!ENDTRNS\n")
T = "TRNS\tGENERAL JOURNAL\t01/02/2024\tUndeposited Funds\tBo Li\t5.00\tSP1\tpayment:1\n"
S = "SPL\tGENERAL JOURNAL\t01/02/2024\tCustomer Deposits\tBo Li\t-5.00\tSP1\tpayment:1\n"
E = "ENDTRNS\n"


@pytest.mark.parametrize("text, line, problem", [
    (HEAD + T + S + E, 0, None),
    (T + HEAD, 1, "TRNS row before its !TRNS header"),
    ("!TRNS\tTRNSTYPE\tDATE\tACCNT\tAMOUNT\n" + T.replace("\tBo Li\t5.00\tSP1\tpayment:1", "\t5.00") + S, 3,
     "SPL row before its !SPL header"),
    (HEAD.replace("!ENDTRNS\n", "") + T + S + E, 5, "ENDTRNS row before its !ENDTRNS header"),
    ("ACCNT\tSales\tINC\n", 1, "ACCNT row before its !ACCNT header"),
    (HEAD + T + S + T + S + E, 4, "TRNS without ENDTRNS before line 6"),
    (HEAD + T + S, 4, "TRNS without ENDTRNS before the end of the file"),
    (HEAD + T + S + "!CUST\tNAME\n", 4, "TRNS without ENDTRNS before line 6"),
    (HEAD + S, 4, "SPL row outside a TRNS ... ENDTRNS block"),
    (HEAD + T + S + E + S + E, 7, "SPL row outside a TRNS ... ENDTRNS block"),
    (HEAD + E, 4, "ENDTRNS without TRNS"),
    (HEAD + T + S.replace("-5.00", "-4.99") + E, 4, "transaction does not balance: its lines sum to 0.01"),
    (HEAD + T.replace("01/02/2024", "13/02/2024") + S + E, 4, "bad DATE '13/02/2024' (expected MM/DD/YYYY)"),
    (HEAD + T.replace("01/02/2024", "02/30/2024") + S + E, 4, "bad DATE '02/30/2024' (expected MM/DD/YYYY)"),
    (HEAD + T.replace("01/02/2024", "2024-01-02") + S + E, 4, "bad DATE '2024-01-02' (expected MM/DD/YYYY)"),
    (HEAD + T + S.replace("01/02/2024", "1/2/202") + E, 5, "bad DATE '1/2/202' (expected MM/DD/YYYY)"),
    (HEAD + T.replace("5.00", "5.001") + S + E, 4, "bad AMOUNT '5.001' (expected e.g. 1234.56 or -12.00)"),
    (HEAD + T.replace("5.00", "1.234,00") + S + E, 4, "bad AMOUNT '1.234,00' (expected e.g. 1234.56 or -12.00)"),
    (HEAD + T.replace("5.00", "12,34.00") + S + E, 4, "bad AMOUNT '12,34.00' (expected e.g. 1234.56 or -12.00)"),
    (HEAD + T.replace("5.00", "$5") + S + E, 4, "bad AMOUNT '$5' (expected e.g. 1234.56 or -12.00)"),
    (HEAD + T.replace("5.00", "") + S + E, 4, "bad AMOUNT '' (expected e.g. 1234.56 or -12.00)"),
    (HEAD + T + S.replace("-5.00", "-5.0e0") + E, 5, "bad AMOUNT '-5.0e0' (expected e.g. 1234.56 or -12.00)"),
    (HEAD + " TRNS\tx\n", 4, "unknown record type ' TRNS' (spaces around TRNS?)"),
    ("Account,Type,Balance\nSales,Income,0.00\n", 1, NOT_IIF),
    ("\n\nPK\x03\x04 binary\n!ACCNT\tNAME\tACCNTTYPE\n", 3, NOT_IIF),
    (HEAD + T.replace("payment:1\n", "payment:1\tN\n") + S + E, 4,
     "TRNS row has a value in column 8, but the !TRNS header at line 1 names 7 columns"),
    (HEAD + T + S + "ENDTRNS\tx\n", 6, "ENDTRNS row has a value in column 1, but the !ENDTRNS header at line 3 names 0 columns"),
    ("!TRNS\tTRNSTYPE\tDATE\tACCNT\tNAME\tDOCNUM\n", 1, "!TRNS header has no AMOUNT column"),
    ("!SPL\tTRNSTYPE\tDATE\tNAME\tAMOUNT\n", 1, "!SPL header has no ACCNT column"),
    ("!ACCNT\tNAME\tDESC\n", 1, "!ACCNT header has no ACCNTTYPE column"),
    ("!CUST\tCOMPANYNAME\n", 1, "!CUST header has no NAME column"),
    ("!TRNS\tTRNSTYPE\tDATE\tACCNT\tAMOUNT\tAMOUNT\n", 1, "!TRNS header names AMOUNT twice"),
    ("!TRNS\tTRNSTYPE\t\tDATE\tACCNT\tAMOUNT\n", 1, "!TRNS header: column 2 has no name"),
    (HEAD + T.replace("Undeposited Funds", "") + S + E, 4, "TRNS row has an empty ACCNT"),
    (HEAD + T + S.replace("Bo Li", "Cy Doe") + E, 5, "SPL NAME 'Cy Doe' is not its TRNS NAME 'Bo Li'"),
    (HEAD + T + S.replace("01/02/2024", "01/03/2024") + E, 5, "SPL DATE 01/03/2024 is not its TRNS DATE 01/02/2024"),
    ("!ACCNT\tNAME\tACCNTTYPE\nACCNT\tSales\tINCOME\n", 2, "unknown ACCNTTYPE 'INCOME'"),
    ("!ACCNT\tNAME\tACCNTTYPE\nACCNT\t\tINC\n", 2, "ACCNT row has an empty NAME"),
    ("!ACCNT\tNAME\tACCNTTYPE\nACCNT\tSales\tINC\nACCNT\tSales\tEXP\n", 3,
     "account 'Sales' is listed before as INC, here as EXP"),
    ("!CUST\tNAME\tEMAIL\nCUST\t\tbo@example.com\n", 2, "CUST row has an empty NAME"),
])
def test_malformed_files(tmp_path, text, line, problem):
    path = iif_file(tmp_path, text)
    if problem is None:
        assert len(read_iif(path).entries) == 1  # the well-formed base the other cases break
        return
    with pytest.raises(IIFError) as caught:
        read_iif(path)
    assert str(caught.value) == f"{path}:{line}: {problem}"


def test_a_short_row_is_padded_and_spreadsheet_padding_is_ignored(tmp_path):
    short = T.replace("\tSP1\tpayment:1\n", "\n")
    path = iif_file(tmp_path, HEAD + short + S.replace("\n", "\t\t\t\n") + E)
    assert read_iif(path).entries == [posted("", "", date(2024, 1, 2), "Bo Li", (UNDEPOSITED, 500), (DEPOSITS, -500))]


def test_text_that_is_neither_utf8_nor_windows_1252(tmp_path):
    path = tmp_path / "bad.iif"
    path.write_bytes(HEAD.encode() + b"CUST\tBad \x81 byte\n")
    with pytest.raises(IIFError) as caught:
        read_iif(path)
    assert str(caught.value) == f"{path}:4: not UTF-8 or Windows-1252 text"


def test_a_missing_file(tmp_path):
    with pytest.raises(IIFError) as caught:
        read_iif(tmp_path / "none.iif")
    assert str(caught.value) == f"{tmp_path / 'none.iif'}: cannot read: No such file or directory"
