"""`recon-tui import` (DOMAIN §3, §12): one test per validation rule, all-or-nothing, upsert.

Every failing import starts from a database that already holds the §11 worked example and checks
(a) the exact ``file:line: column:`` prefix and the gist of the message, and (b) that the database
is byte-for-byte the same afterwards (a dump of every table, schema included).
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from recon_tui.config import load_config
from recon_tui.store import open_store
from recon_tui.store.importer import ImportFailed, import_dir

ROOT = Path(__file__).resolve().parent.parent
WORKED_DIR = ROOT / "tests" / "fixtures" / "worked_example"
WORKED_CFG = ROOT / "tests" / "fixtures" / "worked_example.yaml"

HEADERS = {
    "customers": "customer_id,name",
    "orders": "order_id,customer_id,ordered_on,built_on,completed_on,voided_on,sales_tax",
    "order_lines": "order_id,line_no,category,description,amount",
    "payments": "payment_id,order_id,paid_on,method,amount,reference",
    "credit_adjustments": "adjustment_id,customer_id,adjusted_on,amount,reason",
}
# The worked example's orders.csv rows, to re-import one with a change.
ORDER_A = "A,C1,2026-03-10,,2026-04-05,,16.00"
ORDER_B = "B,C2,2026-04-10,2026-04-20,,,6.40"
ORDER_C = "C,C3,2026-02-01,,2026-03-01,2026-04-15,0.00"

_counter = itertools.count(1)


# -- helpers ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def config():
    return load_config(WORKED_CFG)


@pytest.fixture
def studio(tmp_path, config):
    """A database holding the worked example."""
    db = open_store(tmp_path / "studio.db", create=True)
    import_dir(db, WORKED_DIR, config)
    yield db
    db.close()


def make_dir(tmp_path: Path, **files: list[str] | str | bytes) -> Path:
    """Write an import folder: a list gives the rows under the standard header; str/bytes is the whole file."""
    directory = tmp_path / f"import{next(_counter)}"
    directory.mkdir()
    for name, content in files.items():
        path = directory / f"{name}.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_text("\n".join([HEADERS[name], *content]) + "\n", encoding="utf-8", newline="")
    return directory


def dump(db) -> list[str]:
    """Every table's schema and rows, plus the schema version."""
    return list(db.conn.iterdump()) + [f"user_version={db.execute('PRAGMA user_version').fetchone()[0]}"]


def rows(db, table: str) -> list[tuple]:
    return db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()


def fails(db, config, directory: Path) -> list[str]:
    """Import must fail and leave the database exactly as it was; returns the problems as text."""
    before = dump(db)
    with pytest.raises(ImportFailed) as info:
        import_dir(db, directory, config)
    assert dump(db) == before, "a failed import changed the database"
    assert not db.conn.in_transaction
    assert "nothing was imported" in str(info.value)
    return [str(p) for p in info.value.result.problems]


def only_problem(db, config, directory: Path) -> str:
    problems = fails(db, config, directory)
    assert len(problems) == 1, problems
    return problems[0]


def assert_problem(problem: str, directory: Path, filename: str, line: int, column: str, *gist: str) -> None:
    prefix = f"{directory / filename}:{line}: {column}: "
    assert problem.startswith(prefix), f"{problem!r} does not start with {prefix!r}"
    for word in gist:
        assert word in problem[len(prefix):], f"{word!r} not in {problem!r}"


def subtotals(db) -> dict[str, int]:
    return dict(db.execute("SELECT order_id, subtotal FROM orders").fetchall())


def assert_subtotals_match_lines(db) -> None:
    wrong = db.execute(
        "SELECT order_id, subtotal FROM orders o WHERE subtotal != "
        "(SELECT COALESCE(SUM(amount), 0) FROM order_lines l WHERE l.order_id = o.order_id)").fetchall()
    assert wrong == []


# -- the worked example itself --------------------------------------------------------------------

def test_worked_example_imports(tmp_path, config):
    db = open_store(tmp_path / "new.db", create=True)
    result = import_dir(db, WORKED_DIR, config)
    assert result.ok and result.warnings == []
    assert [(f.filename, f.rows, f.new) for f in result.files] == [
        ("customers.csv", 3, 3), ("orders.csv", 3, 3), ("order_lines.csv", 4, 4),
        ("payments.csv", 5, 5), ("credit_adjustments.csv", 1, 1)]
    assert rows(db, "customers") == [("C1", "Ada Park"), ("C2", "Ben Ortiz"), ("C3", "Cy Lund")]
    # the source columns, then the derived ones: subtotal, final balance, last activity
    assert rows(db, "orders") == [
        ("A", "C1", "2026-03-10", None, "2026-04-05", None, 1600, 30000, 0, "2026-04-05"),
        ("B", "C2", "2026-04-10", "2026-04-20", None, None, 640, 8000, 5640, "2026-04-20"),
        ("C", "C3", "2026-02-01", None, "2026-03-01", "2026-04-15", 0, 15000, 0, "2026-04-16")]
    assert rows(db, "payments") == [
        ("P1", "A", "2026-03-10", "cash", 5000, None), ("P2", "A", "2026-04-05", "credit_card", 26600, None),
        ("P3", "B", "2026-04-10", "check", 3000, "1043"), ("P4", "C", "2026-02-01", "eft", 15000, None),
        ("P5", "C", "2026-04-16", "eft", -15000, None)]
    assert rows(db, "order_lines") == [
        ("A", 1, "sessions", "Family session", 10000), ("A", 2, "prints", "8x10 prints", 20000),
        ("B", 1, "prints", "Canvas", 8000), ("C", 1, "sessions", "Headshots", 15000)]
    assert rows(db, "credit_adjustments") == [("J1", "C1", "2026-04-20", 2500, "Goodwill")]
    for table in ("customers", "orders", "order_lines", "payments", "credit_adjustments"):
        for row in db.execute(f"SELECT * FROM {table}"):
            assert not any(isinstance(v, float) for v in row)  # money is integer cents
    db.close()


def test_reimporting_the_same_files_changes_nothing(studio, config):
    before = dump(studio)
    result = import_dir(studio, WORKED_DIR, config)
    assert [f.new for f in result.files] == [0, 0, 0, 0, 0]
    assert [f.rows for f in result.files] == [3, 3, 4, 5, 1]
    assert dump(studio) == before


# -- ids unique within a file -----------------------------------------------------------------------

@pytest.mark.parametrize("name, row, column, shown", [
    ("customers", "C9,Nine", "customer_id", "customer_id=C9"),
    ("orders", "D,C1,2026-04-01,,,,0.00", "order_id", "order_id=D"),
    ("order_lines", "A,3,prints,extra,1.00", "line_no", "order_id=A, line_no=3"),
    ("payments", "P9,A,2026-04-06,cash,1.00,", "payment_id", "payment_id=P9"),
    ("credit_adjustments", "J9,C1,2026-04-21,1.00,", "adjustment_id", "adjustment_id=J9"),
])
def test_duplicate_id_within_a_file(studio, config, tmp_path, name, row, column, shown):
    directory = make_dir(tmp_path, **{name: [row, row]})
    problem = only_problem(studio, config, directory)
    assert_problem(problem, directory, f"{name}.csv", 3, column, "duplicate", shown, "first on line 2")


def test_same_line_no_on_two_orders_is_not_a_duplicate(studio, config, tmp_path):
    directory = make_dir(tmp_path, order_lines=["A,3,prints,x,1.00", "B,3,prints,y,2.00"])
    import_dir(studio, directory, config)
    assert subtotals(studio)["A"] == 30100 and subtotals(studio)["B"] == 8200


def test_an_id_already_in_the_database_is_an_update_not_a_duplicate(studio, config, tmp_path):
    directory = make_dir(tmp_path, customers=["C1,Ada Park-Lee"])
    result = import_dir(studio, directory, config)
    assert result.files[0].new == 0
    assert rows(studio, "customers")[0] == ("C1", "Ada Park-Lee")


# -- every reference exists -------------------------------------------------------------------------

@pytest.mark.parametrize("name, row, column, gist", [
    ("orders", "D,C99,2026-04-01,,,,0.00", "customer_id", "unknown customer 'C99'"),
    ("order_lines", "Z,1,prints,x,1.00", "order_id", "unknown order 'Z'"),
    ("payments", "P9,Z,2026-04-06,cash,1.00,", "order_id", "unknown order 'Z'"),
    ("credit_adjustments", "J9,C99,2026-04-21,1.00,", "customer_id", "unknown customer 'C99'"),
])
def test_unknown_reference(studio, config, tmp_path, name, row, column, gist):
    directory = make_dir(tmp_path, **{name: [row]})
    assert_problem(only_problem(studio, config, directory), directory, f"{name}.csv", 2, column, gist)


def test_reference_satisfied_by_a_row_in_the_same_import(studio, config, tmp_path):
    directory = make_dir(
        tmp_path,
        customers=["C4,Dee Moss"],
        orders=["D,C4,2026-05-01,,,,1.00"],
        order_lines=["D,1,prints,x,10.00"],
        payments=["P9,D,2026-05-01,cash,11.00,"],
        credit_adjustments=["J9,C4,2026-05-02,5.00,"])
    result = import_dir(studio, directory, config)
    assert [f.new for f in result.files] == [1, 1, 1, 1, 1]
    assert studio.execute("SELECT customer_id, subtotal FROM orders WHERE order_id = 'D'").fetchone() == ("C4", 1000)


def test_reference_satisfied_by_the_database(studio, config, tmp_path):
    directory = make_dir(
        tmp_path,
        orders=["D,C1,2026-05-01,,,,0.00"],  # C1 is in the database
        order_lines=["B,2,prints,x,5.00"],  # B is in the database
        payments=["P9,A,2026-05-01,cash,1.00,"],
        credit_adjustments=["J9,C2,2026-05-02,-5.00,"])
    import_dir(studio, directory, config)
    assert studio.execute("SELECT COUNT(*) FROM payments").fetchone()[0] == 6
    assert subtotals(studio)["B"] == 8500


def test_a_reference_to_a_rejected_row_is_not_satisfied(studio, config, tmp_path):
    directory = make_dir(tmp_path, customers=["C4,"], orders=["D,C4,2026-05-01,,,,0.00"])
    problems = fails(studio, config, directory)
    assert len(problems) == 2
    assert_problem(problems[0], directory, "customers.csv", 2, "name", "required value is empty")
    assert_problem(problems[1], directory, "orders.csv", 2, "customer_id", "unknown customer 'C4'")


# -- order date ordering ----------------------------------------------------------------------------

@pytest.mark.parametrize("row, column, gist", [
    # built before ordered
    ("D,C1,2026-04-10,2026-04-09,,,0.00", "built_on", "built_on 2026-04-09 is before ordered_on 2026-04-10"),
    # completed before built
    ("D,C1,2026-04-10,2026-04-12,2026-04-11,,0.00", "completed_on",
     "completed_on 2026-04-11 is before built_on 2026-04-12"),
    # completed before ordered, built absent
    ("D,C1,2026-04-10,,2026-04-09,,0.00", "completed_on", "completed_on 2026-04-09 is before ordered_on 2026-04-10"),
    # any date after voided_on
    ("D,C1,2026-04-10,,,2026-04-09,0.00", "ordered_on", "ordered_on 2026-04-10 is after voided_on 2026-04-09"),
    ("D,C1,2026-04-10,2026-04-12,,2026-04-11,0.00", "built_on", "built_on 2026-04-12 is after voided_on 2026-04-11"),
    ("D,C1,2026-04-10,,2026-04-12,2026-04-11,0.00", "completed_on",
     "completed_on 2026-04-12 is after voided_on 2026-04-11"),
    ("D,C1,2026-04-10,2026-04-11,2026-04-13,2026-04-12,0.00", "completed_on", "after voided_on 2026-04-12"),
])
def test_order_date_ordering(studio, config, tmp_path, row, column, gist):
    directory = make_dir(tmp_path, orders=[row])
    assert_problem(only_problem(studio, config, directory), directory, "orders.csv", 2, column, gist)


def test_order_dates_may_all_be_the_same_day(studio, config, tmp_path):
    directory = make_dir(tmp_path, orders=["D,C1,2026-04-10,2026-04-10,2026-04-10,2026-04-10,0.00",
                                           "E,C1,2026-04-10,,,2026-04-10,0.00"])
    import_dir(studio, directory, config)
    assert studio.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 5


def test_changing_an_existing_order_into_bad_date_order(studio, config, tmp_path):
    directory = make_dir(tmp_path, orders=["B,C2,2026-04-10,2026-04-20,2026-04-19,,6.40"])
    assert_problem(only_problem(studio, config, directory), directory, "orders.csv", 2, "completed_on",
                   "before built_on")


# -- sales tax and subtotal -------------------------------------------------------------------------

def test_negative_sales_tax(studio, config, tmp_path):
    directory = make_dir(tmp_path, orders=["D,C1,2026-04-10,,,,-0.01"])
    assert_problem(only_problem(studio, config, directory), directory, "orders.csv", 2, "sales_tax", "negative")


def test_zero_sales_tax_and_a_negative_line_are_allowed(studio, config, tmp_path):
    directory = make_dir(tmp_path, orders=["D,C1,2026-04-10,,,,0.00"],
                         order_lines=["D,1,sessions,session,100.00", "D,2,prints,discount,-100.00"])
    import_dir(studio, directory, config)
    assert subtotals(studio)["D"] == 0


def test_new_order_whose_lines_sum_negative(studio, config, tmp_path):
    directory = make_dir(tmp_path, orders=["D,C1,2026-04-10,,,,0.00"],
                         order_lines=["D,1,sessions,session,50.00", "D,2,prints,discount,-60.00"])
    problem = only_problem(studio, config, directory)
    assert_problem(problem, directory, "order_lines.csv", 2, "amount", "order D", "negative", "-10.00")


def test_discount_line_added_to_an_existing_order_makes_it_negative(studio, config, tmp_path):
    # B's lines in the database sum to 80.00; a new line of -80.01 takes it to -0.01
    directory = make_dir(tmp_path, order_lines=["B,2,prints,discount,-80.01"])
    problem = only_problem(studio, config, directory)
    assert_problem(problem, directory, "order_lines.csv", 2, "amount", "order B", "negative", "-0.01")


def test_changed_line_on_an_existing_order_makes_it_negative(studio, config, tmp_path):
    # A: 100.00 + 200.00; line 2 becomes -100.01
    directory = make_dir(tmp_path, order_lines=["A,2,prints,refund,-100.01"])
    assert_problem(only_problem(studio, config, directory), directory, "order_lines.csv", 2, "amount",
                   "order A", "-0.01")


def test_discount_line_on_an_existing_order_down_to_zero_is_allowed(studio, config, tmp_path):
    directory = make_dir(tmp_path, order_lines=["B,2,prints,discount,-80.00"])
    import_dir(studio, directory, config)
    assert subtotals(studio)["B"] == 0


# -- category and method ----------------------------------------------------------------------------

def test_unknown_category_names_the_config_file(studio, config, tmp_path):
    directory = make_dir(tmp_path, order_lines=["A,3,posters,x,1.00"])
    assert_problem(only_problem(studio, config, directory), directory, "order_lines.csv", 2, "category",
                   "'posters'", "income_categories", str(WORKED_CFG))


def test_category_is_case_sensitive(studio, config, tmp_path):
    directory = make_dir(tmp_path, order_lines=["A,3,Prints,x,1.00"])
    assert_problem(only_problem(studio, config, directory), directory, "order_lines.csv", 2, "category", "'Prints'")


@pytest.mark.parametrize("method", ["venmo", "Cash", "credit card", "baddebt"])
def test_unknown_method(studio, config, tmp_path, method):
    directory = make_dir(tmp_path, payments=[f"P9,A,2026-04-06,{method},1.00,"])
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "method",
                   f"unknown payment method {method!r}", "cash, check, eft, credit_card, other, in_store_credit, bad_debt")


# -- amounts ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["cash", "in_store_credit", "bad_debt"])
@pytest.mark.parametrize("amount", ["0", "0.00", "-0.00"])
def test_payment_amount_zero(studio, config, tmp_path, method, amount):
    directory = make_dir(tmp_path, payments=[f"P9,A,2026-04-06,{method},{amount},"])
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "amount", "0")


def test_credit_adjustment_amount_zero(studio, config, tmp_path):
    directory = make_dir(tmp_path, credit_adjustments=["J9,C1,2026-04-21,0.00,"])
    assert_problem(only_problem(studio, config, directory), directory, "credit_adjustments.csv", 2, "amount",
                   "must not be 0")


def test_negative_bad_debt(studio, config, tmp_path):
    directory = make_dir(tmp_path, payments=["P9,A,2026-04-06,bad_debt,-5.00,"])
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "amount",
                   "bad_debt", "positive")


def test_negative_amounts_allowed_for_bank_methods_and_in_store_credit(studio, config, tmp_path):
    methods = ["cash", "check", "eft", "credit_card", "other", "in_store_credit"]
    directory = make_dir(tmp_path, payments=[f"R{i},A,2026-04-06,{m},-1.{i:02d},refund"
                                             for i, m in enumerate(methods)])
    result = import_dir(studio, directory, config)
    assert result.files[0].new == 6
    got = studio.execute("SELECT method, amount FROM payments WHERE payment_id LIKE 'R%' ORDER BY payment_id")
    assert got.fetchall() == [(m, -(100 + i)) for i, m in enumerate(methods)]


def test_negative_credit_adjustment_is_allowed(studio, config, tmp_path):
    directory = make_dir(tmp_path, credit_adjustments=["J9,C1,2026-04-21,-25.00,reversal"])
    import_dir(studio, directory, config)
    assert rows(studio, "credit_adjustments")[-1] == ("J9", "C1", "2026-04-21", -2500, "reversal")


# -- bad debt ---------------------------------------------------------------------------------------

def test_bad_debt_while_completed_is_allowed(studio, config, tmp_path):
    directory = make_dir(tmp_path, payments=["W1,A,2026-04-05,bad_debt,1.00,", "W2,A,2026-04-30,bad_debt,2.00,"])
    import_dir(studio, directory, config)
    assert studio.execute("SELECT SUM(amount) FROM payments WHERE method = 'bad_debt'").fetchone()[0] == 300


def test_bad_debt_dated_before_completion(studio, config, tmp_path):
    directory = make_dir(tmp_path, payments=["W1,A,2026-04-04,bad_debt,5.00,"])  # A completed 2026-04-05
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "paid_on",
                   "W1", "COMPLETED", "completed on 2026-04-05")


def test_bad_debt_on_an_order_not_completed(studio, config, tmp_path):
    directory = make_dir(tmp_path, payments=["W1,B,2026-04-30,bad_debt,5.00,"])  # B is BUILT
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "paid_on",
                   "W1", "COMPLETED", "not completed")


@pytest.mark.parametrize("paid_on", ["2026-04-10", "2026-04-20"])  # while completed; after the void
def test_bad_debt_on_a_voided_order(studio, config, tmp_path, paid_on):
    directory = make_dir(tmp_path, payments=[f"W1,C,{paid_on},bad_debt,5.00,"])  # C voided 2026-04-15
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "paid_on",
                   "W1", "voided on 2026-04-15", "never be voided")


def test_bad_debt_on_an_order_voided_in_the_same_import(studio, config, tmp_path):
    directory = make_dir(tmp_path, orders=["A,C1,2026-03-10,,2026-04-05,2026-05-01,16.00"],
                         payments=["W1,A,2026-04-30,bad_debt,5.00,"])
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "paid_on",
                   "voided on 2026-05-01")


@pytest.fixture
def studio_with_bad_debt(studio, config, tmp_path):
    import_dir(studio, make_dir(tmp_path, payments=["W1,A,2026-04-20,bad_debt,5.00,"]), config)
    return studio


def test_voiding_an_order_that_has_a_bad_debt_in_the_database(studio_with_bad_debt, config, tmp_path):
    directory = make_dir(tmp_path, orders=["A,C1,2026-03-10,,2026-04-05,2026-05-01,16.00"])
    assert_problem(only_problem(studio_with_bad_debt, config, directory), directory, "orders.csv", 2,
                   "voided_on", "bad_debt payment W1", "voided on 2026-05-01", "never be voided")


def test_moving_completion_after_an_existing_bad_debt(studio_with_bad_debt, config, tmp_path):
    directory = make_dir(tmp_path, orders=["A,C1,2026-03-10,,2026-04-21,,16.00"])
    assert_problem(only_problem(studio_with_bad_debt, config, directory), directory, "orders.csv", 2,
                   "completed_on", "W1", "completed on 2026-04-21")


def test_uncompleting_an_order_with_an_existing_bad_debt(studio_with_bad_debt, config, tmp_path):
    directory = make_dir(tmp_path, orders=["A,C1,2026-03-10,2026-04-01,,,16.00"])
    assert_problem(only_problem(studio_with_bad_debt, config, directory), directory, "orders.csv", 2,
                   "completed_on", "W1", "not completed")


def test_reimporting_an_order_with_a_bad_debt_unchanged_is_fine(studio_with_bad_debt, config, tmp_path):
    result = import_dir(studio_with_bad_debt, make_dir(tmp_path, orders=[ORDER_A]), config)
    assert result.ok


# -- paid_on >= ordered_on ------------------------------------------------------------------------

def test_paid_before_ordered(studio, config, tmp_path):
    directory = make_dir(tmp_path, payments=["P9,B,2026-04-09,cash,1.00,"])  # B ordered 2026-04-10
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "paid_on",
                   "2026-04-09", "before", "2026-04-10")


def test_paid_on_the_order_date_is_allowed(studio, config, tmp_path):
    import_dir(studio, make_dir(tmp_path, payments=["P9,B,2026-04-10,cash,1.00,"]), config)


def test_moving_ordered_on_after_an_existing_payment(studio, config, tmp_path):
    # P3 (check, 2026-04-10) is in the database; B's ordered_on moves to 2026-04-11
    directory = make_dir(tmp_path, orders=["B,C2,2026-04-11,2026-04-20,,,6.40"])
    assert_problem(only_problem(studio, config, directory), directory, "orders.csv", 2, "ordered_on",
                   "order B", "payment P3", "2026-04-10", "2026-04-11")


def test_moving_ordered_on_together_with_the_payment_is_fine(studio, config, tmp_path):
    directory = make_dir(tmp_path, orders=["B,C2,2026-04-11,2026-04-20,,,6.40"],
                         payments=["P3,B,2026-04-11,check,30.00,1043"])
    import_dir(studio, directory, config)
    assert studio.execute("SELECT ordered_on FROM orders WHERE order_id = 'B'").fetchone() == ("2026-04-11",)


# -- field syntax -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2026/04/10", "10/04/2026", "April 10", "2026-4-10", "20260410",
                                  "2026-04-10T00:00", "２０２６-04-10"])
def test_bad_date_text(studio, config, tmp_path, text):
    directory = make_dir(tmp_path, payments=[f"P9,A,{text},cash,1.00,"])
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "paid_on",
                   "not a date", repr(text))


@pytest.mark.parametrize("text", ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31"])
def test_impossible_date(studio, config, tmp_path, text):
    directory = make_dir(tmp_path, orders=[f"D,C1,{text},,,,0.00"])
    assert_problem(only_problem(studio, config, directory), directory, "orders.csv", 2, "ordered_on",
                   "not a calendar date", repr(text))


def test_leap_day_is_a_date(studio, config, tmp_path):
    import_dir(studio, make_dir(tmp_path, orders=["D,C1,2028-02-29,,,,0.00"]), config)


@pytest.mark.parametrize("text", ["12.345", '"1,200.00"', "$5", "5.00 USD", "1e3", "abc", "+5.00", "１２.００"])
def test_bad_money_text(studio, config, tmp_path, text):
    directory = make_dir(tmp_path, payments=[f"P9,A,2026-04-06,cash,{text},"])
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "amount", "not an amount")


def test_bad_money_text_in_sales_tax_and_line_amount(studio, config, tmp_path):
    directory = make_dir(tmp_path, orders=["D,C1,2026-04-10,,,,$1.00"], order_lines=["A,3,prints,x,12.345"])
    problems = fails(studio, config, directory)
    assert len(problems) == 2
    assert_problem(problems[0], directory, "orders.csv", 2, "sales_tax", "not an amount", "'$1.00'")
    assert_problem(problems[1], directory, "order_lines.csv", 2, "amount", "not an amount", "'12.345'")


@pytest.mark.parametrize("amount", ["1000000000.00", "-99999999999999999999.00", "99999999999999999999"])
def test_amount_too_large_for_the_database_is_a_problem_not_a_crash(studio, config, tmp_path, amount):
    directory = make_dir(tmp_path, payments=[f"P9,A,2026-04-06,cash,{amount},"])
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 2, "amount", "too large")


def test_largest_amount_is_accepted(studio, config, tmp_path):
    import_dir(studio, make_dir(tmp_path, payments=["P9,A,2026-04-06,cash,999999999.99,"]), config)
    assert studio.execute("SELECT amount FROM payments WHERE payment_id = 'P9'").fetchone() == (99999999999,)


@pytest.mark.parametrize("line_no", ["0", "-1", "1.0", "x", "²", "99999999999999999999"])
def test_bad_line_number(studio, config, tmp_path, line_no):
    directory = make_dir(tmp_path, order_lines=[f"A,{line_no},prints,x,1.00"])
    assert_problem(only_problem(studio, config, directory), directory, "order_lines.csv", 2, "line_no",
                   "not a line number", repr(line_no))


@pytest.mark.parametrize("name, row, column", [
    ("customers", "C9,", "name"),
    ("customers", ",Nine", "customer_id"),
    ("orders", "D,C1,,,,,0.00", "ordered_on"),
    ("orders", "D,,2026-04-10,,,,0.00", "customer_id"),
    ("orders", "D,C1,2026-04-10,,,,", "sales_tax"),
    ("order_lines", "A,,prints,x,1.00", "line_no"),
    ("order_lines", "A,3,,x,1.00", "category"),
    ("order_lines", "A,3,prints,x,", "amount"),
    ("payments", "P9,A,2026-04-06,,1.00,", "method"),
    ("payments", "P9,A,,cash,1.00,", "paid_on"),
    ("payments", "P9,A,2026-04-06,cash,  ,", "amount"),  # blanks only is empty
    ("credit_adjustments", "J9,C1,,1.00,", "adjusted_on"),
    ("credit_adjustments", "J9,C1,2026-04-21,,", "amount"),
])
def test_empty_required_value(studio, config, tmp_path, name, row, column):
    directory = make_dir(tmp_path, **{name: [row]})
    assert_problem(only_problem(studio, config, directory), directory, f"{name}.csv", 2, column,
                   "required value is empty")


def test_values_are_trimmed(studio, config, tmp_path):
    import_dir(studio, make_dir(tmp_path, customers=[" C9 ,  Nine Lives  "]), config)
    assert rows(studio, "customers")[-1] == ("C9", "Nine Lives")


# -- the file's shape ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, header, missing", [
    ("payments", "payment_id,order_id,paid_on,amount,reference", "method"),
    ("orders", "order_id,customer_id,built_on,completed_on,voided_on,sales_tax", "ordered_on"),
    ("order_lines", "order_id,category,description,amount", "line_no"),
    ("customers", "customer_id", "name"),
    ("credit_adjustments", "adjustment_id,customer_id,amount", "adjusted_on"),
])
def test_missing_required_column_in_header(studio, config, tmp_path, name, header, missing):
    directory = make_dir(tmp_path, **{name: header + "\n"})
    assert_problem(only_problem(studio, config, directory), directory, f"{name}.csv", 1, missing,
                   "required column is missing from the header")


def test_every_missing_column_is_reported(studio, config, tmp_path):
    directory = make_dir(tmp_path, payments="payment_id,order_id,paid_on\nP9,A,2026-04-06\n")
    problems = fails(studio, config, directory)
    assert len(problems) == 2
    assert_problem(problems[0], directory, "payments.csv", 1, "method", "missing")
    assert_problem(problems[1], directory, "payments.csv", 1, "amount", "missing")


def test_optional_columns_may_be_left_out_of_the_header(studio, config, tmp_path):
    # DOMAIN §3 marks built_on, completed_on, voided_on, description, reference and reason optional
    directory = make_dir(
        tmp_path,
        orders="order_id,customer_id,ordered_on,sales_tax\nD,C1,2026-05-01,1.00\n",
        order_lines="order_id,line_no,category,amount\nD,1,prints,10.00\n",
        payments="payment_id,order_id,paid_on,method,amount\nP9,D,2026-05-01,cash,11.00\n",
        credit_adjustments="adjustment_id,customer_id,adjusted_on,amount\nJ9,C1,2026-05-02,3.00\n")
    result = import_dir(studio, directory, config)
    assert result.warnings == []
    assert studio.execute("SELECT * FROM orders WHERE order_id = 'D'").fetchone() == (
        "D", "C1", "2026-05-01", None, None, None, 100, 1000, 0, "2026-05-01")
    assert studio.execute("SELECT * FROM payments WHERE payment_id = 'P9'").fetchone() == (
        "P9", "D", "2026-05-01", "cash", 1100, None)
    assert studio.execute("SELECT description FROM order_lines WHERE order_id = 'D'").fetchone() == (None,)
    assert studio.execute("SELECT reason FROM credit_adjustments WHERE adjustment_id = 'J9'").fetchone() == (None,)


def test_a_left_out_optional_column_keeps_the_existing_values(studio, config, tmp_path):
    directory = make_dir(
        tmp_path,
        orders="order_id,customer_id,ordered_on,sales_tax\nA,C1,2026-03-10,17.00\nC,C3,2026-02-01,0.00\n",
        payments="payment_id,order_id,paid_on,method,amount\nP3,B,2026-04-10,check,31.00\n")
    result = import_dir(studio, directory, config)
    assert [f.new for f in result.files] == [0, 0]
    assert studio.execute("SELECT * FROM orders WHERE order_id IN ('A', 'C') ORDER BY 1").fetchall() == [
        ("A", "C1", "2026-03-10", None, "2026-04-05", None, 1700, 30000, 100, "2026-04-05"),
        ("C", "C3", "2026-02-01", None, "2026-03-01", "2026-04-15", 0, 15000, 0, "2026-04-16")]
    assert studio.execute("SELECT amount, reference FROM payments WHERE payment_id = 'P3'").fetchone() == (3100, "1043")


def test_a_left_out_date_column_is_checked_with_the_kept_value(studio, config, tmp_path):
    # C keeps voided_on 2026-04-15 (column left out), so completing it on 2026-04-20 is after its void
    directory = make_dir(tmp_path, orders="order_id,customer_id,ordered_on,completed_on,sales_tax\n"
                                          "C,C3,2026-02-01,2026-04-20,0.00\n")
    assert_problem(only_problem(studio, config, directory), directory, "orders.csv", 2, "completed_on",
                   "after voided_on 2026-04-15")


def test_column_order_is_free(studio, config, tmp_path):
    directory = make_dir(tmp_path, payments="amount,method,reference,paid_on,order_id,payment_id\n"
                                            "7.25,check,991,2026-05-01,B,P9\n")
    import_dir(studio, directory, config)
    assert studio.execute("SELECT * FROM payments WHERE payment_id = 'P9'").fetchone() == (
        "P9", "B", "2026-05-01", "check", 725, "991")


def test_column_named_twice_in_header(studio, config, tmp_path):
    directory = make_dir(tmp_path, customers="customer_id,name,name\nC9,Nine,Nine\n")
    assert_problem(only_problem(studio, config, directory), directory, "customers.csv", 1, "name", "twice")


@pytest.mark.parametrize("row, count", [("P9,A,2026-04-06,cash,1.00", 5), ("P9,A,2026-04-06,cash,1.00,,x", 7)])
def test_row_with_wrong_number_of_fields(studio, config, tmp_path, row, count):
    directory = make_dir(tmp_path, payments=["P8,A,2026-04-06,cash,1.00,", row])
    assert_problem(only_problem(studio, config, directory), directory, "payments.csv", 3, "(row)",
                   f"has {count} fields but the header has 6")


def test_extra_columns_give_one_warning_each_and_import_succeeds(studio, config, tmp_path):
    directory = make_dir(
        tmp_path,
        customers="customer_id,name,email,phone\nC9,Nine,n@example.com,555\nC10,Ten,t@example.com,556\n",
        payments="payment_id,order_id,paid_on,method,amount,reference,email\nP9,A,2026-04-06,cash,1.00,,x\n")
    result = import_dir(studio, directory, config)
    assert len(result.warnings) == 3, result.warnings
    assert "customers.csv" in result.warnings[0] and "'email'" in result.warnings[0]
    assert "customers.csv" in result.warnings[1] and "'phone'" in result.warnings[1]
    assert "payments.csv" in result.warnings[2] and "'email'" in result.warnings[2]
    assert all("ignored" in w for w in result.warnings)
    assert {("C10", "Ten"), ("C9", "Nine")} <= set(rows(studio, "customers"))


def test_empty_file(studio, config, tmp_path):
    directory = make_dir(tmp_path, customers="")
    assert_problem(only_problem(studio, config, directory), directory, "customers.csv", 1, "(header)",
                   "header row is required")


def test_header_only_file_imports_nothing(studio, config, tmp_path):
    result = import_dir(studio, make_dir(tmp_path, customers=[]), config)
    assert (result.files[0].rows, result.files[0].new) == (0, 0)


def test_file_that_is_not_utf8(studio, config, tmp_path):
    directory = make_dir(tmp_path, customers="customer_id,name\nC9,Zoë\n".encode("latin-1"))
    problem = only_problem(studio, config, directory)
    assert problem.startswith(f"{directory / 'customers.csv'}:2: name: not UTF-8 text (byte 0xEB"), problem


def test_utf8_bom_is_accepted(studio, config, tmp_path):
    directory = make_dir(tmp_path, customers="\ufeffcustomer_id,name\r\nC9,Zoë Nine\r\n")
    result = import_dir(studio, directory, config)
    assert result.warnings == []
    assert rows(studio, "customers")[-1] == ("C9", "Zoë Nine")


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(studio, config, tmp_path):
    directory = make_dir(tmp_path, customers="customer_id,name\n\nC9,Nine\n\n   \n")
    result = import_dir(studio, directory, config)
    assert result.files[0].rows == 1
    directory = make_dir(tmp_path, customers="customer_id,name\n\nC8,Eight\n\n,Nobody\n")
    assert_problem(only_problem(studio, config, directory), directory, "customers.csv", 5, "customer_id", "empty")


def test_quoted_field_with_comma(studio, config, tmp_path):
    import_dir(studio, make_dir(tmp_path, customers=['C9,"Ortiz, Ben"']), config)
    assert rows(studio, "customers")[-1] == ("C9", "Ortiz, Ben")


def test_directory_without_csv_files(studio, config, tmp_path):
    directory = make_dir(tmp_path)
    (directory / "notes.txt").write_text("hello")
    (directory / "Customers.CSV").write_text("customer_id,name\nC9,Nine\n")  # names are exact
    problem = only_problem(studio, config, directory)
    assert problem.startswith(f"{directory}: (files): ")
    assert "no import files" in problem and "customers.csv" in problem


def test_not_a_directory(studio, config, tmp_path):
    before = dump(studio)
    with pytest.raises(ImportFailed) as info:
        import_dir(studio, tmp_path / "missing", config)
    assert str(info.value.result.problems[0]) == f"{tmp_path / 'missing'}: (directory): not a directory"
    assert dump(studio) == before


# -- all-or-nothing, every problem reported --------------------------------------------------------

def test_every_problem_is_reported_and_nothing_is_written(studio, config, tmp_path):
    directory = make_dir(tmp_path,
                         customers=["C4,Dee Moss"],  # fine on its own
                         payments=["P9,A,2026-04-06,venmo,1.00,",  # unknown method
                                   "P10,A,2026-04-06,cash,0.00,",  # amount 0
                                   "P11,A,2026-04-06,cash,1.00,",  # fine
                                   "P12,Z,2026-04-06,cash,1.00,"])  # unknown order
    problems = fails(studio, config, directory)
    assert len(problems) == 3, problems
    assert_problem(problems[0], directory, "payments.csv", 2, "method", "venmo")
    assert_problem(problems[1], directory, "payments.csv", 3, "amount", "0")
    assert_problem(problems[2], directory, "payments.csv", 5, "order_id", "'Z'")
    assert studio.execute("SELECT COUNT(*) FROM customers WHERE customer_id = 'C4'").fetchone() == (0,)


def test_problems_in_several_files_are_all_reported(studio, config, tmp_path):
    directory = make_dir(tmp_path,
                         customers=["C9,Nine", "C9,Nine"],
                         orders=["D,C1,2026-04-10,2026-04-01,,,0.00"],
                         order_lines=["A,3,posters,x,1.00"],
                         payments=["P9,B,2026-04-09,cash,1.00,"],
                         credit_adjustments=["J9,C1,2026-02-30,1.00,"])
    problems = fails(studio, config, directory)
    assert [p.split(": ")[0] for p in problems] == [
        f"{directory / 'customers.csv'}:3", f"{directory / 'orders.csv'}:2", f"{directory / 'order_lines.csv'}:2",
        f"{directory / 'payments.csv'}:2", f"{directory / 'credit_adjustments.csv'}:2"]


def test_problems_over_the_merged_state_are_reported_alongside_row_problems(studio, config, tmp_path):
    directory = make_dir(tmp_path,
                         orders=["B,C2,2026-04-11,2026-04-20,,,6.40",  # moves B after its payment P3
                                 "D,C1,2026-04-10,,,,-1.00"],  # negative tax
                         order_lines=["A,3,prints,discount,-300.01"])  # A's subtotal -0.01
    problems = fails(studio, config, directory)
    assert len(problems) == 3, problems
    assert_problem(problems[0], directory, "orders.csv", 3, "sales_tax", "negative")
    assert any(p.startswith(f"{directory / 'order_lines.csv'}:2: amount: ") and "order A" in p for p in problems)
    assert any(p.startswith(f"{directory / 'orders.csv'}:2: ordered_on: ") and "payment P3" in p for p in problems)


def test_a_rejected_line_does_not_make_its_order_look_negative(studio, config, tmp_path):
    # line 1 is rejected (unknown category); without it the order would sum to -40.00: not reported
    directory = make_dir(tmp_path, orders=["D,C1,2026-04-10,,,,0.00"],
                         order_lines=["D,1,posters,print,50.00", "D,2,prints,discount,-40.00"])
    problems = fails(studio, config, directory)
    assert len(problems) == 1, problems
    assert_problem(problems[0], directory, "order_lines.csv", 2, "category", "posters")


def test_a_failed_import_leaves_a_fresh_connection_seeing_the_old_data(studio, config, tmp_path):
    path = Path(studio.conn.execute("PRAGMA database_list").fetchone()[2])
    directory = make_dir(tmp_path, customers=["C9,Nine"], payments=["P9,A,2026-04-06,venmo,1.00,"])
    fails(studio, config, directory)
    other = sqlite3.connect(path)
    assert other.execute("SELECT COUNT(*) FROM customers").fetchone() == (3,)
    other.close()


# -- upsert -----------------------------------------------------------------------------------------

def test_upsert_updates_changed_rows_deletes_nothing_and_counts_new(studio, config, tmp_path):
    directory = make_dir(tmp_path,
                         customers=["C1,Ada Park-Lee", "C4,Dee Moss"],
                         orders=["B,C2,2026-04-10,2026-04-20,2026-04-25,,6.40", "D,C4,2026-04-12,,,,0.00"],
                         payments=["P3,B,2026-04-10,check,35.00,1044"])
    result = import_dir(studio, directory, config)
    assert [(f.filename, f.rows, f.new) for f in result.files] == [
        ("customers.csv", 2, 1), ("orders.csv", 2, 1), ("payments.csv", 1, 0)]
    assert rows(studio, "customers") == [("C1", "Ada Park-Lee"), ("C2", "Ben Ortiz"), ("C3", "Cy Lund"),
                                         ("C4", "Dee Moss")]
    assert studio.execute("SELECT completed_on, subtotal FROM orders WHERE order_id = 'B'").fetchone() == (
        "2026-04-25", 8000)  # lines untouched: subtotal kept
    assert studio.execute("SELECT amount, reference FROM payments WHERE payment_id = 'P3'").fetchone() == (
        3500, "1044")
    assert studio.execute("SELECT COUNT(*) FROM orders").fetchone() == (4,)
    assert studio.execute("SELECT COUNT(*) FROM payments").fetchone() == (5,)
    assert studio.execute("SELECT COUNT(*) FROM order_lines").fetchone() == (4,)
    assert studio.execute("SELECT COUNT(*) FROM credit_adjustments").fetchone() == (1,)


def test_upsert_clears_an_optional_value_left_empty(studio, config, tmp_path):
    # a re-imported row is the record's new state: an empty optional field clears it
    import_dir(studio, make_dir(tmp_path, payments=["P3,B,2026-04-10,check,30.00,"]), config)
    assert studio.execute("SELECT reference FROM payments WHERE payment_id = 'P3'").fetchone() == (None,)


def test_subtotal_kept_equal_to_the_sum_of_lines(studio, config, tmp_path):
    assert subtotals(studio) == {"A": 30000, "B": 8000, "C": 15000}
    import_dir(studio, make_dir(tmp_path, order_lines=["B,2,prints,discount,-10.00",  # add a line
                                                       "A,2,prints,8x10 prints,150.00"]), config)  # change one
    assert subtotals(studio) == {"A": 25000, "B": 7000, "C": 15000}
    assert_subtotals_match_lines(studio)
    # re-importing orders alone (no lines) keeps the subtotal
    import_dir(studio, make_dir(tmp_path, orders=[ORDER_A, ORDER_B, ORDER_C]), config)
    assert subtotals(studio) == {"A": 25000, "B": 7000, "C": 15000}
    # a new order with no lines has subtotal 0; lines arriving later update it
    import_dir(studio, make_dir(tmp_path, orders=["D,C1,2026-05-01,,,,0.00"]), config)
    assert subtotals(studio)["D"] == 0
    import_dir(studio, make_dir(tmp_path, order_lines=["D,1,sessions,x,12.34", "D,2,prints,y,0.66"]), config)
    assert subtotals(studio)["D"] == 1300
    assert_subtotals_match_lines(studio)


def test_a_failed_import_leaves_the_subtotals_alone(studio, config, tmp_path):
    directory = make_dir(tmp_path, order_lines=["B,2,prints,discount,-10.00"],
                         payments=["P9,A,2026-04-06,venmo,1.00,"])
    fails(studio, config, directory)
    assert subtotals(studio) == {"A": 30000, "B": 8000, "C": 15000}


def test_progress_is_reported_per_file(studio, config, tmp_path):
    seen = []
    import_dir(studio, WORKED_DIR, config, progress=lambda name, done, total: seen.append((name, done, total)))
    finals = {name: (done, total) for name, done, total in seen}
    files = {"customers.csv", "orders.csv", "order_lines.csv", "payments.csv", "credit_adjustments.csv"}
    assert set(finals) == files | {"checks across files"}
    for name in files:
        assert finals[name] == ((WORKED_DIR / name).stat().st_size,) * 2
    assert finals["checks across files"] == (2, 2)
    assert seen[-1][0] == "checks across files"  # after every file


# -- through the command line (DOMAIN §12) ----------------------------------------------------------

def cli(*args: str) -> int:
    from recon_tui.cli import main
    return main(list(args))


def test_cli_import_prints_counts_per_file(tmp_path, capsys):
    db = tmp_path / "studio.db"
    assert cli("import", str(WORKED_DIR), "--db", str(db), "--config", str(WORKED_CFG)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        "customers.csv: 3 rows (3 new, 0 changed, 0 unchanged)",
        "orders.csv: 3 rows (3 new, 0 changed, 0 unchanged)",
        "order_lines.csv: 4 rows (4 new, 0 changed, 0 unchanged)",
        "payments.csv: 5 rows (5 new, 0 changed, 0 unchanged)",
        "credit_adjustments.csv: 1 rows (1 new, 0 changed, 0 unchanged)",
        f"imported into {db}",
    ]
    directory = make_dir(tmp_path, customers=["C1,Ada Park-Lee", "C4,Dee Moss"])
    assert cli("import", str(directory), "--db", str(db), "--config", str(WORKED_CFG)) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "customers.csv: 2 rows (1 new, 1 changed, 0 unchanged)"


def test_cli_import_warns_about_extra_columns_on_stderr(tmp_path, capsys):
    directory = make_dir(tmp_path, customers="customer_id,name,email\nC9,Nine,n@example.com\n")
    assert cli("import", str(directory), "--db", str(tmp_path / "s.db"), "--config", str(WORKED_CFG)) == 0
    out, err = capsys.readouterr()
    assert err.startswith("warning: ") and "'email'" in err and len(err.splitlines()) == 1
    assert "customers.csv: 1 rows (1 new" in out


def test_cli_import_exit_2_lists_every_problem(studio, tmp_path, capsys):
    db = Path(studio.conn.execute("PRAGMA database_list").fetchone()[2])
    before = dump(studio)
    directory = make_dir(tmp_path, payments=["P9,A,2026-04-06,venmo,1.00,", "P10,A,2026-04-06,cash,0.00,",
                                             "P11,Z,2026-04-06,cash,1.00,"])
    assert cli("import", str(directory), "--db", str(db), "--config", str(WORKED_CFG)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 4, lines
    payments = directory / "payments.csv"
    assert lines[0].startswith(f"{payments}:2: method: ")
    assert lines[1].startswith(f"{payments}:3: amount: ")
    assert lines[2].startswith(f"{payments}:4: order_id: ")
    assert lines[3] == "error: 3 problem(s) found; nothing was imported"
    assert "Traceback" not in err
    assert dump(studio) == before


def test_cli_failed_import_into_a_new_database_leaves_no_file(tmp_path, capsys):
    db = tmp_path / "sub" / "new.db"
    directory = make_dir(tmp_path, customers=["C9,"])
    assert cli("import", str(directory), "--db", str(db), "--config", str(WORKED_CFG)) == 2
    _, err = capsys.readouterr()
    assert "nothing was imported" in err
    assert not db.exists()
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


def test_cli_failed_import_into_an_existing_database_keeps_it(tmp_path, capsys):
    db = tmp_path / "studio.db"
    assert cli("import", str(WORKED_DIR), "--db", str(db), "--config", str(WORKED_CFG)) == 0
    directory = make_dir(tmp_path, customers=["C9,"])
    assert cli("import", str(directory), "--db", str(db), "--config", str(WORKED_CFG)) == 2
    assert db.exists()
    check = sqlite3.connect(db)
    assert check.execute("SELECT COUNT(*) FROM customers").fetchone() == (3,)
    check.close()


def test_cli_import_of_a_missing_directory(tmp_path, capsys):
    assert cli("import", str(tmp_path / "nope"), "--db", str(tmp_path / "s.db"), "--config", str(WORKED_CFG)) == 2
    _, err = capsys.readouterr()
    assert err.startswith("error: ") and len(err.splitlines()) == 1 and "not a directory" in err
    assert not (tmp_path / "s.db").exists()
