"""What a connector yields: a record for a raw table, or a rejected input with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Record:
    """One platform record, kept whole in `payload` (JSON text), addressed by its natural key.

    `columns` holds the table's key and typed helper columns (see `ingest.core.tables`);
    `updated_at` is the record's own edit time (or creation time), naive UTC.
    """

    table: str
    columns: dict[str, Any]
    updated_at: datetime
    payload: str
    location: str = ""


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not become a record; it goes to meta.quarantine, never silently away."""

    location: str
    reason: str
    raw_text: str | None = field(default=None)
