"""What the closing steps of the wizard ask of the books: tie-out reports, finalizing, history.

Like ``service.py`` (whose ReconService mixes this in), every call opens its own connection, so the
screens can run them in worker threads. Nothing here imports textual.
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path

from recon_tui.ledger import Period, reconcile
from recon_tui.ledger import finalize as closing
from recon_tui.ledger.finalize import Drift, FinalizeRequest, StoredRecord
from recon_tui.ledger.reports import AgingReport, DepositReconciliation, aging_report, deposit_reconciliation


class ClosingService:
    """Mixed into ReconService: expects ``config``, ``db_path``, ``today``, ``connection()`` and
    ``reconcile()``.

    ``user`` and ``clock`` say who finalizes and when; tests and snapshots fix them."""

    user: str | None = None
    clock = None  # () -> aware datetime; None: the real UTC time

    def last_finalized(self) -> StoredRecord | None:
        """The latest finalized reconciliation in force; the next one starts at its current date."""
        from recon_tui.store import records

        with self.connection() as db:
            return records.latest_in_force(db)

    def history(self) -> list[StoredRecord]:
        with self.connection() as db:
            return closing.history(db)

    def recheck(self) -> dict[int, Drift]:
        """Records in force whose period's sources changed since they were finalized."""
        with self.connection() as db:
            return {drift.number: drift for drift in closing.recheck(db, self.config)}

    def aging(self, as_of: date) -> AgingReport:
        with self.connection() as db:
            return aging_report(db, self.config, as_of)

    def deposit_reconciliation(self, as_of: date) -> DepositReconciliation:
        with self.connection() as db:
            return deposit_reconciliation(db, as_of)

    def finalize_problems(self, request: FinalizeRequest) -> list[str]:
        """Why the request cannot be finalized (empty: it can), without writing anything."""
        with self.connection() as db:
            try:
                closing.validate(db, request, self.today, reconcile(db, self.config, request.period, request.method))
            except closing.FinalizeError as exc:
                return exc.problems
        return []

    def finalize(self, request: FinalizeRequest, user: str | None = None) -> tuple[StoredRecord, Path]:
        """Write the record (one transaction) and its printed report beside the database."""
        from recon_tui.reporting import record_text

        with self.connection() as db:
            record = closing.finalize(db, self.config, request, today=self.today,
                                      user=user or self.user or getpass.getuser(),
                                      now=self.clock() if self.clock else None)
        printed = printed_report_path(self.db_path, record.number)
        printed.write_text(record_text(record, self.config.studio_name), encoding="utf-8")
        return record, printed

    def export_report(self, period: Period, method: str) -> Path:
        """The period's report as text (like `recon-tui report`), saved beside the database."""
        from recon_tui.reporting import report_text

        path = export_path(self.db_path, period, method)
        path.write_text(report_text(self.reconcile(period, method), self.config.studio_name) + "\n", encoding="utf-8")
        return path

    def reopen(self, number: int, reason: str, user: str | None = None) -> StoredRecord:
        with self.connection() as db:
            return closing.reopen(db, number, reason, user=user or self.user or getpass.getuser(),
                                  now=self.clock() if self.clock else None)


def export_path(db_path: Path, period: Period, method: str) -> Path:
    return Path(db_path).with_name(f"report-{method}-{period.previous}-{period.current}.txt")


def printed_report_path(db_path: Path, number: int) -> Path:
    """``reconciliation-0001.txt`` beside the database."""
    return Path(db_path).with_name(f"reconciliation-{number:04d}.txt")
