"""The contract every raw batch passes before it may touch the warehouse.

Connectors already reject what they cannot parse; the contract catches what parsed but is
still unusable (no key, no time, a payload that is not a JSON object, an oversized field).
Failing rows are returned with their reasons so the caller can quarantine them.

The rules are stated once, in `RULES`, and checked two ways that give the same verdict and
the same reason text: a pandera schema for batches built in Python (`split_valid`), and a SQL
expression for batches staged inside DuckDB by a bulk loader (`sql_violation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ingest.core.tables import RawTable

if TYPE_CHECKING:
    import pandera.polars as pa
    import polars as pl

MAX_PAYLOAD_BYTES = 8 * 1024 * 1024  # counted in characters, like every length check here
MAX_KEY_CHARS = 512
EARLIEST = datetime(1970, 1, 1)
LATEST = datetime(2100, 1, 1)


@dataclass(frozen=True)
class Rules:
    key_length: tuple[int, int] = (1, MAX_KEY_CHARS)
    time_range: tuple[datetime, datetime] = (EARLIEST, LATEST)
    payload_length: tuple[int, int] = (2, MAX_PAYLOAD_BYTES)
    payload_prefix: str = "{"


RULES = Rules()


def reason(column: str, check: str) -> str:
    """How a failed check reads in meta.quarantine (pandera's wording, used by both checkers)."""
    return f"field {column!r} failed {check}"


def payload_too_long() -> str:
    """The reason for a payload over the length limit, for loaders that see it before parsing."""
    low, high = RULES.payload_length
    return reason("payload", f"str_length({low}, {high})")


def schema_for(table: RawTable) -> pa.DataFrameSchema:
    import pandera.polars as pa  # heavy (pandas comes along): only the record path needs it
    import polars as pl

    key_checks = [pa.Check.str_length(*RULES.key_length)]
    columns: dict[str, pa.Column] = {key: pa.Column(str, nullable=False, checks=key_checks) for key in table.keys}
    columns["updated_at"] = pa.Column(
        pl.Datetime("us"),
        nullable=False,
        checks=[pa.Check.in_range(*RULES.time_range)],
    )
    columns["payload"] = pa.Column(
        str,
        nullable=False,
        checks=[
            pa.Check.str_length(*RULES.payload_length),
            pa.Check.str_startswith(RULES.payload_prefix),
        ],
    )
    return pa.DataFrameSchema(columns, strict=False, name=table.qualified)


def split_valid(table: RawTable, frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[int, str]]:
    """Rows that satisfy the contract, and {row index: reason} for those that do not."""
    import pandera.polars as pa
    import polars as pl

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
                return frame.clear(), {i: reason(column, check) for i in range(frame.height)}
            reasons.setdefault(int(index), reason(column, check))
        keep = pl.Series([i not in reasons for i in range(frame.height)])
        return frame.filter(keep), reasons


def _sql_text(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _sql_char_length_outside(column: str, low: int, high: int) -> str:
    # length() walks UTF-8; bytes bound characters (chars <= bytes <= 4 * chars), so most
    # rows are settled by strlen() alone and only the doubtful ones are counted.
    return (f"(case when strlen({column}) between {4 * low} and {high} then false"
            f" else length({column}) not between {low} and {high} end)")


def sql_violation(table: RawTable) -> str:
    """SQL over a relation with the table's key columns, `updated_at` and `payload`: NULL when
    the row meets the contract, else the same reason `split_valid` gives for it."""
    (low, high), (earliest, latest) = RULES.key_length, RULES.time_range
    checks: list[tuple[str, str, str]] = []
    for key in table.keys:
        checks.append((key, f"{key} is null", "not_nullable"))
        checks.append((key, _sql_char_length_outside(key, low, high), f"str_length({low}, {high})"))
    checks.append(("updated_at", "updated_at is null", "not_nullable"))
    checks.append((
        "updated_at",
        f"updated_at not between timestamp {_sql_text(earliest)} and timestamp {_sql_text(latest)}",
        f"in_range({earliest}, {latest})",
    ))
    p_low, p_high = RULES.payload_length
    checks.append(("payload", "payload is null", "not_nullable"))
    checks.append(("payload", _sql_char_length_outside("payload", p_low, p_high), f"str_length({p_low}, {p_high})"))
    checks.append((
        "payload",
        f"not starts_with(payload, {_sql_text(RULES.payload_prefix)})",
        f"str_startswith({RULES.payload_prefix!r})",
    ))
    whens = " ".join(f"when {cond} then {_sql_text(reason(col, name))}" for col, cond, name in checks)
    return f"(case {whens} end)"
