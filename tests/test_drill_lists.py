"""The drill-down's list habits in SQL: a filter by text or amount, a sort by any column, and the
quick count and total (from the payments index and the daily totals) equal to counting the rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from recon_tui.config import load_config
from recon_tui.model import Period
from recon_tui.store.drilldown import Drilldown, drilldown
from recon_tui.store.importer import import_dir
from recon_tui.store.schema import open_store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def worked(tmp_path_factory):
    config = load_config(FIXTURES / "worked_example.yaml")
    db = open_store(tmp_path_factory.mktemp("drill") / "studio.db", create=True)
    import_dir(db, FIXTURES / "worked_example", config)
    yield db, config
    db.conn.close()


APRIL = Period(date(2026, 3, 31), date(2026, 4, 30))


@pytest.mark.parametrize("section, key, column", [
    ("balance_sheet", "undeposited_funds", "current"), ("balance_sheet", "undeposited_funds", "change"),
    ("count", "eft", "amount"), ("payments", "refunds", "amount"), ("payments", "subtotal", "amount"),
    ("payments", "credit_card", "amount"), ("payments", "in_store_credit", "amount")])
def test_quick_count_and_total_equal_the_rows(worked, section, key, column):
    db, config = worked
    quick = drilldown(db, config, APRIL, section, key, column)
    assert quick.quick is not None
    rows = quick.rows()
    assert (quick.count(), quick.total()) == (len(rows), sum(r.amount for r in rows))
    slow = Drilldown(db, quick.title, quick.kind, quick.sql, quick.params)
    assert (quick.count(), quick.total()) == (slow.count(), slow.total())


def test_a_filter_finds_ids_customers_and_amounts_in_sql(worked):
    db, config = worked
    every = drilldown(db, config, APRIL, "balance_sheet", "undeposited_funds", "current")
    rows = every.rows()
    one = rows[0]
    assert all(one.customer.lower() in r.customer.lower() or one.customer.lower() in r.detail.lower()
               for r in every.matching(one.customer.lower()).rows())
    assert one in every.matching(one.record_id).rows()
    by_amount = every.matching(f"{one.amount / 100:,.2f}").rows()
    assert one in by_amount and all(r.amount == one.amount or f"{one.amount / 100:,.2f}" in r.detail
                                    for r in by_amount)
    assert every.matching("%").rows() == [] and every.matching("_").rows() == []  # no wildcards
    filtered = every.matching(one.customer)
    assert filtered.count() == len(filtered.rows()) and filtered.total() == sum(r.amount for r in filtered.rows())


def test_a_sort_by_any_column_keeps_every_record(worked):
    db, config = worked
    every = drilldown(db, config, APRIL, "balance_sheet", "undeposited_funds", "current")
    rows = every.rows()
    for column in range(len(Drilldown.COLUMNS)):
        for descending in (False, True):
            ordered = every.sorted_by(column, descending).rows()
            assert sorted(ordered, key=lambda r: r.record_id) == sorted(rows, key=lambda r: r.record_id)
    amounts = [r.amount for r in every.sorted_by(4, True).rows()]
    assert amounts == sorted(amounts, reverse=True)
