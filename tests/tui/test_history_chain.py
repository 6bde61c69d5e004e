"""The history screen says the hash chain's state (DOMAIN §10), as `history --verify` does: intact,
or broken at the first item that does not match."""

from __future__ import annotations

import sqlite3

from conftest import fixed_app, fresh_copy
from test_start_post import finalize
from wizard_keys import settle


async def chain_line(app) -> str:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        return str(app.screen.query_one("#history-chain").render())


async def test_history_says_the_chain_is_intact(worked_db, tmp_path):
    app = fixed_app(fresh_copy(worked_db, tmp_path))()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    assert (await chain_line(app)) == ("Hash chain intact: 1 record, 0 reopenings, 0 batches unchanged since "
                                       "written.")


async def test_history_names_the_record_changed_behind_its_back(worked_db, tmp_path):
    db = fresh_copy(worked_db, tmp_path)
    app = fixed_app(db)()
    finalize(app, "accrual", "2026-03-31", "2026-04-30")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER reconciliations_never_change")
        conn.execute("UPDATE reconciliations SET qb_difference = 0, notes = 'fine' WHERE number = 1")
    line = await chain_line(fixed_app(db)())
    assert line.startswith("Hash chain BROKEN: record #1 (link 1): its stored content changed since it was written")
