"""SQLite storage of the studio's records: schema, migrations, the CSV importer, queries."""

from recon_tui.store.schema import SCHEMA_VERSION, StoreError, open_store

__all__ = ["SCHEMA_VERSION", "StoreError", "open_store"]
