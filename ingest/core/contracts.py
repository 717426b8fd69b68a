"""The pandera contract every raw batch passes before it may touch the warehouse.

Connectors already reject what they cannot parse; the contract catches what parsed but is
still unusable (no key, no time, a payload that is not a JSON object, an oversized field).
Failing rows are returned with their reasons so the caller can quarantine them.
"""

from __future__ import annotations

from datetime import datetime

import pandera.polars as pa
import polars as pl

from ingest.core.tables import RawTable

MAX_PAYLOAD_BYTES = 8 * 1024 * 1024
MAX_KEY_CHARS = 512
EARLIEST = datetime(1970, 1, 1)
LATEST = datetime(2100, 1, 1)


def schema_for(table: RawTable) -> pa.DataFrameSchema:
    key_checks = [pa.Check.str_length(1, MAX_KEY_CHARS)]
    columns: dict[str, pa.Column] = {key: pa.Column(str, nullable=False, checks=key_checks) for key in table.keys}
    columns["updated_at"] = pa.Column(
        pl.Datetime("us"),
        nullable=False,
        checks=[pa.Check.in_range(EARLIEST, LATEST)],
    )
    columns["payload"] = pa.Column(
        str,
        nullable=False,
        checks=[
            pa.Check.str_length(2, MAX_PAYLOAD_BYTES),
            pa.Check.str_startswith("{"),
        ],
    )
    return pa.DataFrameSchema(columns, strict=False, name=table.qualified)


def split_valid(table: RawTable, frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[int, str]]:
    """Rows that satisfy the contract, and {row index: reason} for those that do not."""
    try:
        schema_for(table).validate(frame, lazy=True)
        return frame, {}
    except pa.errors.SchemaErrors as errors:
        reasons: dict[int, str] = {}
        cases = errors.failure_cases
        for row in cases.iter_rows(named=True):
            index = row.get("index")
            column = row.get("column") or "?"
            check = row.get("check") or "?"
            if index is None:
                # a whole-column failure (wrong dtype): every row is suspect
                return frame.clear(), {i: f"field {column!r} failed {check}" for i in range(frame.height)}
            reasons.setdefault(int(index), f"field {column!r} failed {check}")
        keep = pl.Series([i not in reasons for i in range(frame.height)])
        return frame.filter(keep), reasons
