"""`recon-tui import` given files a fuzzer, a spreadsheet or a wrong "Save as" makes (DOMAIN §3, §12).

Each bad file must be refused with its own ``file:line: column: message`` (the line the trouble starts
on, the column it is in) and the database left exactly as it was; the rules the domain left open
(whitespace around values, ids differing only in case) are the README's "Decided rules".
"""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest

from recon_tui.cli import main
from recon_tui.config import load_config
from recon_tui.store import open_store
from recon_tui.store.importer import ImportFailed, import_dir

ROOT = Path(__file__).resolve().parent.parent
WORKED_DIR = ROOT / "tests" / "fixtures" / "worked_example"
WORKED_CFG = ROOT / "tests" / "fixtures" / "worked_example.yaml"
TABLES = ("customers", "orders", "order_lines", "payments", "credit_adjustments")
HEADERS = {
    "customers": "customer_id,name",
    "orders": "order_id,customer_id,ordered_on,built_on,completed_on,voided_on,sales_tax",
    "order_lines": "order_id,line_no,category,description,amount",
    "payments": "payment_id,order_id,paid_on,method,amount,reference",
    "credit_adjustments": "adjustment_id,customer_id,adjusted_on,amount,reason",
}
_counter = itertools.count(1)


@pytest.fixture(scope="module")
def config():
    return load_config(WORKED_CFG)


@pytest.fixture
def studio(tmp_path, config):
    """A database holding the §11 worked example."""
    db = open_store(tmp_path / "studio.db", create=True)
    import_dir(db, WORKED_DIR, config)
    yield db
    db.close()


def customers(*rows: str) -> bytes:
    """A customers.csv (UTF-8) with these rows under the header."""
    return "".join(f"{line}\n" for line in (HEADERS["customers"], *rows)).encode()


def make_dir(tmp_path: Path, files: dict[str, list[str] | bytes]) -> Path:
    """An import folder: bytes are the whole file; a list gives the rows under the standard header."""
    directory = tmp_path / f"import{next(_counter)}"
    directory.mkdir()
    for name, content in files.items():
        if not isinstance(content, bytes):
            content = "".join(f"{line}\n" for line in (HEADERS[name], *content)).encode()
        (directory / f"{name}.csv").write_bytes(content)
    return directory


def state(db) -> tuple[dict[str, int], str]:
    """The row count of each table and a checksum of every table's schema and rows."""
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    digest = hashlib.sha256("\n".join(db.conn.iterdump()).encode()).hexdigest()
    return counts, digest


def refused(db, config, directory: Path) -> list[str]:
    """The import fails, the database is untouched; the problems as text."""
    before = state(db)
    with pytest.raises(ImportFailed) as info:
        import_dir(db, directory, config)
    assert state(db) == before, "a failed import changed the database"
    assert not db.conn.in_transaction
    return [str(p) for p in info.value.result.problems]


# -- the table of bad files -------------------------------------------------------------------------

GOOD_ROWS = [f"C{n},Customer {n}" for n in range(10, 30)]
#: a 12-line customers.csv whose line 4 opens a quote it never closes; line 11 holds the next quote
STRAY_QUOTE = customers(*GOOD_ROWS[:2], 'C20,"Dee Moss', *GOOD_ROWS[3:9], 'C30,Eleven "x" Lund', "C31,Twelve")
#: the same quote closed on line 11 by a quote at the start of a field
STRAY_CLOSED = customers(*GOOD_ROWS[:2], 'C20,"Dee Moss', *GOOD_ROWS[3:9], 'C30,"Eleven"', "C31,Twelve")
LATIN1_ON_57 = customers(*[f"C{n},Customer {n}" for n in range(100, 155)], "C155,Zo\xe9 Park",
                         "C156,Last").replace("Zo\xe9".encode(), "Zo\xe9".encode("latin-1"))
#: past the first decode chunk (8 kB): the line is still found
LATIN1_ON_2001 = customers(*[f"C{n},Customer {n}" for n in range(1000, 2999)], "C2999,R\xe9my").replace(
    "R\xe9my".encode(), b"R\xe9my")

BAD_FILES = {
    "NUL in an id": ({"customers": customers("C9,Nine", "C\x0010,Ten")},
                     [("customers.csv", 3, "customer_id", "NUL")]),
    "NUL in a description": ({"order_lines": ["A,3,prints,8x10\x00 glossy,1.00"]},
                             [("order_lines.csv", 2, "description", "NUL")]),
    "NUL in a name after a BOM": ({"customers": b"\xef\xbb\xbf" + customers("C9,Ni\x00ne")},
                                  [("customers.csv", 2, "name", "NUL")]),
    "bell character in a reference": ({"payments": ["P9,A,2026-04-06,check,1.00,chk\x07 12"]},
                                      [("payments.csv", 2, "reference", "U+0007")]),
    "escape character in a reason": ({"credit_adjustments": ["J9,C1,2026-04-06,1.00,\x1b[31mred"]},
                                     [("credit_adjustments.csv", 2, "reason", "U+001B")]),
    "tab inside a description": ({"order_lines": ["A,3,prints,8x10\tglossy,1.00"]},
                                 [("order_lines.csv", 2, "description", "tabs or line breaks")]),
    "NUL in a date": ({"orders": ["D,C1,2026-04-\x0001,,,,0.00"]}, [("orders.csv", 2, "ordered_on", "not a date")]),
    "stray quote on line 4 of 12": ({"customers": STRAY_QUOTE},
                                    [("customers.csv", 4, "name", 'never ends on this line (a stray " ?)')]),
    "stray quote, a quoted field on line 11": ({"customers": STRAY_CLOSED},
                                               [("customers.csv", 4, "name", "stray")]),
    "stray quote in the last line, no line break": (
        {"customers": customers("C9,Nine").rstrip(b"\n") + b'\nC10,"Ten'},
        [("customers.csv", 3, "name", "stray")]),
    "stray quote in the header": ({"customers": b'customer_id,"name\nC9,Nine\n'},
                                  [("customers.csv", 1, "(header)", "stray")]),
    "a quoted line break in a value": ({"customers": customers('C9,"Nine\nNine",', "C10,Ten")},
                                       [("customers.csv", 2, "name", "stray"),
                                        ("customers.csv", 3, "name", "required value is empty")]),
    "200 kB field on line 3": ({"customers": customers("C9,Nine", "C10," + "x" * 200_000, "C11,Eleven")},
                               [("customers.csv", 3, "name", "longer than 131,072 characters")]),
    "200 kB quoted field on line 2": ({"order_lines": ['A,3,prints,"' + "y" * 200_000 + '",1.00']},
                                      [("order_lines.csv", 2, "description", "longer than 131,072")]),
    "10 MB field on line 2": ({"customers": customers("C9," + "z" * 10_000_000, "C10,Ten")},
                              [("customers.csv", 2, "name", "longer than")]),
    "not UTF-8 on line 57": ({"customers": LATIN1_ON_57},
                             [("customers.csv", 57, "name", "not UTF-8 text (byte 0xE9 at character 8 of the line)",
                               "save the file as UTF-8")]),
    "not UTF-8 on line 2001": ({"customers": LATIN1_ON_2001}, [("customers.csv", 2001, "name", "byte 0xE9")]),
    "not UTF-8 in an id, after a BOM": ({"customers": b"\xef\xbb\xbf" + customers("C9,Nine", "C\xff9,Ten")
                                         .replace(b"\xc3\xbf", b"\xff")},
                                        [("customers.csv", 3, "customer_id", "byte 0xFF")]),
    "not UTF-8 in the header": ({"customers": b"customer_id,n\xe4me\nC9,Nine\n"},
                                [("customers.csv", 1, "(header)", "not UTF-8")]),
    "ids differing in case within a file": ({"customers": customers("C9,Nine", "C10,Ten", "c9,nine")},
                                            [("customers.csv", 4, "customer_id", "'c9' differs only in upper/lower "
                                              "case from 'C9', on line 2")]),
    "ids differing in case, lower first": ({"customers": customers("web-9,Nine", "WEB-9,Ten")},
                                           [("customers.csv", 3, "customer_id", "'WEB-9'", "'web-9', on line 2")]),
    "customer id differing in case from the database": ({"customers": customers("c1,Ada Park")},
                                                        [("customers.csv", 2, "customer_id", "'c1'", "'C1'",
                                                          "already in the database")]),
    "order id differing in case from the database": ({"orders": ["a,C1,2026-03-10,,2026-04-05,,16.00"]},
                                                     [("orders.csv", 2, "order_id", "'a'", "'A'", "database")]),
    "payment id differing in case from the database": ({"payments": ["p1,A,2026-03-10,cash,50.00,"]},
                                                       [("payments.csv", 2, "payment_id", "'p1'", "'P1'")]),
    "reference differing in case from a customer": ({"orders": ["D,c2,2026-04-01,,,,0.00"]},
                                                    [("orders.csv", 2, "customer_id", "unknown customer 'c2' "
                                                      "(did you mean 'C2'?")]),
    "reference differing in case from an order": ({"order_lines": ["a,3,prints,x,1.00"],
                                                   "payments": ["P9,b,2026-04-20,cash,1.00,"]},
                                                  [("order_lines.csv", 2, "order_id", "(did you mean 'A'?"),
                                                   ("payments.csv", 2, "order_id", "(did you mean 'B'?")]),
}


@pytest.mark.parametrize("files, expected", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_file_is_refused_at_its_line_and_column(studio, config, tmp_path, files, expected):
    directory = make_dir(tmp_path, files)
    problems = refused(studio, config, directory)
    assert len(problems) == len(expected), problems
    for problem, (filename, line, column, *gist) in zip(problems, expected):
        prefix = f"{directory / filename}:{line}: {column}: "
        assert problem.startswith(prefix), f"{problem[:300]!r} does not start with {prefix!r}"
        for words in gist:
            assert words in problem[len(prefix):], f"{words!r} not in {problem[:300]!r}"


def test_every_bad_line_is_reported_once_the_reading_goes_line_by_line(studio, config, tmp_path):
    # a stray quote switches to the careful reading; the lines after it are still checked
    directory = make_dir(tmp_path, {"customers": customers('C9,"Nine', "C10,Te\x00n", "C11,", "C12," + "x" * 140_000)})
    problems = refused(studio, config, directory)
    assert [p.split(": ")[:2] for p in problems] == [
        [f"{directory / 'customers.csv'}:{line}", column] for line, column in
        ((2, "name"), (3, "name"), (4, "name"), (5, "name"))]


def test_a_stray_quote_does_not_hide_the_rows_after_it(studio, config, tmp_path):
    """After the bad line the good rows are read and checked as usual (here: line 6 is a duplicate)."""
    directory = make_dir(tmp_path, {"customers": customers("C9,Nine", 'C10,"Ten', "C11,Eleven", "C12,Twelve",
                                                            "C11,Eleven again")})
    problems = refused(studio, config, directory)
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"{directory / 'customers.csv'}:3: name: ")
    assert problems[1].startswith(f"{directory / 'customers.csv'}:6: customer_id: duplicate customer_id=C11 "
                                  "(first on line 4)")


def test_cli_reports_the_line_and_leaves_the_database(tmp_path, capsys):
    db = tmp_path / "studio.db"
    assert main(["import", str(WORKED_DIR), "--db", str(db), "--config", str(WORKED_CFG)]) == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    directory = make_dir(tmp_path, {"customers": STRAY_QUOTE})
    assert main(["import", str(directory), "--db", str(db), "--config", str(WORKED_CFG)]) == 2
    _, err = capsys.readouterr()
    assert err.splitlines()[0].startswith(f"{directory / 'customers.csv'}:4: name: a quoted field starting here")
    assert "Traceback" not in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


# -- what is accepted ---------------------------------------------------------------------------------

def test_utf8_bom_is_accepted(studio, config, tmp_path):
    directory = make_dir(tmp_path, {"customers": "\ufeffcustomer_id,name\r\nC9,Zoë Nine\r\n".encode()})
    result = import_dir(studio, directory, config)
    assert result.warnings == []
    assert studio.execute("SELECT name FROM customers WHERE customer_id = 'C9'").fetchone() == ("Zoë Nine",)


def test_no_break_space_and_accents_inside_a_name_are_kept(studio, config, tmp_path):
    import_dir(studio, make_dir(tmp_path, {"customers": customers("C9,Zoë\u00a0Lund-Ørsted")}), config)
    name = studio.execute("SELECT name FROM customers WHERE customer_id = 'C9'").fetchone()[0]
    assert name == "Zoë\u00a0Lund-Ørsted"


def test_padded_values_are_trimmed_everywhere(studio, config, tmp_path):
    directory = make_dir(tmp_path, {
        "customers": b" customer_id , name \n  C9 ,  Nine Lives  \n\tC10\t, \"Ortiz, Ben\" \n",
        "orders": [" D , C9 , 2026-04-01 , , , , 1.50 "],
        "order_lines": [" D , 1 , prints , \u00a08x10 glossy\u00a0 , 10.00 "],
        "payments": [" P9 , D , 2026-04-02 , cash , 11.50 ,  "],
        "credit_adjustments": [" J9 , C10 , 2026-04-03 , 2.00 , goodwill  "]})
    import_dir(studio, directory, config)
    assert studio.execute("SELECT * FROM customers WHERE customer_id IN ('C9', 'C10') ORDER BY 1").fetchall() == [
        ("C10", "Ortiz, Ben"), ("C9", "Nine Lives")]
    assert studio.execute("SELECT order_id, customer_id, ordered_on, built_on, sales_tax FROM orders "
                          "WHERE order_id = 'D'").fetchall() == [("D", "C9", "2026-04-01", None, 150)]
    assert studio.execute("SELECT * FROM order_lines WHERE order_id = 'D'").fetchall() == [
        ("D", 1, "prints", "8x10 glossy", 1000)]
    assert studio.execute("SELECT * FROM payments WHERE payment_id = 'P9'").fetchall() == [
        ("P9", "D", "2026-04-02", "cash", 1150, None)]
    assert studio.execute("SELECT * FROM credit_adjustments WHERE adjustment_id = 'J9'").fetchall() == [
        ("J9", "C10", "2026-04-03", 200, "goodwill")]
    # nothing stored keeps a space at either end
    for table in TABLES:
        for row in studio.execute(f"SELECT * FROM {table}"):
            assert all(v == v.strip() for v in row if isinstance(v, str)), (table, row)


def test_a_padded_id_is_the_same_id(studio, config, tmp_path):
    result = import_dir(studio, make_dir(tmp_path, {"customers": customers("  C1  ,Ada Park-Lund")}), config)
    assert (result.files[0].rows, result.files[0].new) == (1, 0)
    assert studio.execute("SELECT * FROM customers WHERE customer_id LIKE '%C1%'").fetchall() == [
        ("C1", "Ada Park-Lund")]


def test_an_id_with_lower_case_letters_can_be_imported_again(studio, config, tmp_path):
    import_dir(studio, make_dir(tmp_path, {"customers": customers("web-9,Nine")}), config)
    result = import_dir(studio, make_dir(tmp_path, {"customers": customers("web-9,Nine Lives", "C9,Other")}), config)
    assert (result.files[0].rows, result.files[0].new) == (2, 1)
    problems = refused(studio, config, make_dir(tmp_path, {"customers": customers("Web-9,Nine")}))
    assert len(problems) == 1 and "'Web-9' differs only in upper/lower case from 'web-9', already in the database" \
        in problems[0], problems


def test_ids_with_letters_beyond_ascii_differing_in_case(studio, config, tmp_path):
    import_dir(studio, make_dir(tmp_path, {"customers": customers("Ærø-1,Ærø")}), config)
    problems = refused(studio, config, make_dir(tmp_path, {"customers": customers("ærø-1,Ærø")}))
    assert len(problems) == 1 and "'ærø-1' differs only in upper/lower case from 'Ærø-1', already in the database" \
        in problems[0], problems


@pytest.mark.parametrize("name", ["stray quote on line 4 of 12", "not UTF-8 on line 2001", "10 MB field on line 2"])
def test_the_same_problems_with_a_progress_bar(studio, config, tmp_path, name):
    """The app and a terminal import read through a byte counter: the lines are the same."""
    files, expected = BAD_FILES[name]
    directory = make_dir(tmp_path, files)
    before, steps = state(studio), []
    with pytest.raises(ImportFailed) as info:
        import_dir(studio, directory, config, progress=lambda *step: steps.append(step))
    assert state(studio) == before
    assert [(p.line, p.column) for p in info.value.result.problems] == [(line, col) for _, line, col, *_ in expected]
    assert steps[-1] == ("checks across files", 2, 2)


def test_a_quote_inside_a_value_is_kept(studio, config, tmp_path):
    directory = make_dir(tmp_path, {"customers": customers('C9,Ben "Bo" Ortiz', 'C10,"Cy ""the kid"" Lund"')})
    import_dir(studio, directory, config)
    assert studio.execute("SELECT name FROM customers WHERE customer_id IN ('C9', 'C10') ORDER BY 1").fetchall() == [
        ('Ben "Bo" Ortiz',), ('Cy "the kid" Lund',)]
