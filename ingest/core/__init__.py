"""The raw contract shared by every connector: records, validation, upsert, bookkeeping."""

from ingest.core.records import Record, Rejected
from ingest.core.tables import RAW_TABLES, RawTable, table_for

__all__ = ["RAW_TABLES", "RawTable", "Record", "Rejected", "table_for"]
