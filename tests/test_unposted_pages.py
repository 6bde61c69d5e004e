"""The Post screen's list of unposted events, read a range of dates at a time (service.Unposted):
the same events in the same order as the whole list, with the same count and debits, for both
methods, before and after batches, whatever page size the table asks for."""

from __future__ import annotations

import tempfile
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from recon_tui.config import load_config
from recon_tui.service import posting
from recon_tui.service.unposted import Unposted, debits
from test_ledger_properties import DAYS, START, imported, studios

FIXTURES = Path(__file__).parent / "fixtures"


def read_in_pages(pages, size: int) -> list:
    out: list = []
    while True:
        page = pages(len(out), size)
        out += page
        if len(page) < size:
            return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studio=studios(), method=st.sampled_from(["accrual", "cash"]),
       posted_through=st.none() | st.integers(-1, DAYS), through=st.integers(-1, DAYS + 1),
       size=st.integers(1, 7), wanted=st.sampled_from(["", "payment", "order", "1"]))
def test_pages_give_the_whole_list_in_posting_order(studio, method, posted_through, through, size, wanted):
    config = load_config(FIXTURES / "property.yaml")
    with tempfile.TemporaryDirectory() as folder:
        store = imported(studio, Path(folder), config)
        if posted_through is not None:
            posting.post(store, config, method, START + timedelta(days=posted_through), Path(folder), user="ada")
        day = START + timedelta(days=through)
        whole = list(posting.unposted(store, config, method, day))
        unposted = Unposted(lambda: nullcontext(store), config, method, day)
        assert list(unposted.entries()) == whole
        assert read_in_pages(unposted.pages(), size) == whole
        assert unposted.summary() == (len(whole), sum(map(debits, whole)))
        chosen = [entry for entry in whole if wanted in entry.key]
        assert read_in_pages(unposted.pages(lambda entry: wanted in entry.key), size) == chosen
        store.conn.close()


def test_a_long_history_is_read_in_ranges_not_at_once(tmp_path, monkeypatch):
    """The first page of a two-year backlog reads a few weeks, not the history."""
    from recon_tui.demo import DEMO_END, build_demo, write_csv
    from recon_tui.store import open_store
    from recon_tui.store.importer import import_dir

    config = load_config(Path(__file__).parents[1] / "config" / "recon.yaml")
    write_csv(build_demo(years=2, orders_per_year=1500), tmp_path / "csv")
    store = open_store(tmp_path / "demo.db", create=True)
    import_dir(store, tmp_path / "csv", config)
    unposted = Unposted(lambda: nullcontext(store), config, "accrual", DEMO_END)
    ranges: list = []
    window = unposted.window
    monkeypatch.setattr(unposted, "window", lambda lo, hi: ranges.append((lo, hi)) or window(lo, hi))
    first = unposted.pages()(0, 200)
    assert len(first) == 200
    assert (ranges[-1][1] - ranges[0][0]).days < 120
    assert first == list(posting.unposted(store, config, "accrual", DEMO_END))[:200]
    store.conn.close()
