"""Every error the service may raise that a face (the CLI, the screens) turns into words.

The faces import them from here, never from the layers that raise them.
"""

from __future__ import annotations

from recon_tui.ledger.closing import FinalizeError
from recon_tui.ledger.summary import BalanceIdentityError, UnknownCategoryError
from recon_tui.ledger.tie_out import TieOutError
from recon_tui.model import PeriodError, PostingError
from recon_tui.quickbooks.iif_reader import IIFError
from recon_tui.quickbooks.report_csv import QBReportError
from recon_tui.quickbooks.tie_out_exports import QBFileError
from recon_tui.service.access import NotAllowed
from recon_tui.store.importer import ImportFailed
from recon_tui.store.records import RecordRefused
from recon_tui.store.schema import StoreError, describe_sqlite_error

__all__ = ["BalanceIdentityError", "FinalizeError", "IIFError", "ImportFailed", "NotAllowed", "PeriodError",
           "PostingError", "QBFileError", "QBReportError", "RecordRefused", "StoreError", "TieOutError",
           "UnknownCategoryError", "describe_sqlite_error", "is_a_bug"]


def is_a_bug(exc: BaseException) -> bool:
    """An internal consistency check failed: the engine is wrong (exit 70, DOMAIN §12)."""
    return isinstance(exc, (BalanceIdentityError, TieOutError))
