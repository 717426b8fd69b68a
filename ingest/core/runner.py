"""Drive units into the warehouse: validate, upsert, quarantine, and record what landed.

Each unit lands in one transaction with its meta.files row, so a run killed at any point
leaves whole units only, and the next run skips them by (location, content hash). A unit
with a bulk loader (`Unit.load`) is loaded by it inside DuckDB; any other is read record by
record, checked by the pandera contract and upserted in batches of `FLUSH_ROWS`.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from ingest.core.progress import NoProgress, Progress
from ingest.core.quarantine import RAW_TEXT_LIMIT, now, quarantine
from ingest.core.records import Record, Rejected
from ingest.core.tables import RawTable, table_for
from ingest.core.units import LoadContext, LoadResult, Unit
from ingest.core.upsert import UpsertCounts, upsert

if TYPE_CHECKING:
    import polars as pl

FLUSH_ROWS = 20_000
# DuckDB settings while ingesting: memory bounded by batch, not by file or warehouse size
# (DuckDB spills to its temp directory beyond the limit); row order of inserts is free; long
# JSON payloads are stored zstd-compressed (half the size of the default, and faster to write);
# bulk loaders read their Arrow batches through replacement scans.
INGEST_SETTINGS = {"memory_limit": "1GB", "preserve_insertion_order": "false", "force_compression": "zstd",
                   "python_enable_replacements": "true"}

__all__ = ["FLUSH_ROWS", "INGEST_SETTINGS", "RAW_TEXT_LIMIT", "IngestSummary", "ingest_unit", "ingest_units"]


@dataclass
class IngestSummary:
    files: int = 0
    skipped: int = 0
    records: int = 0
    quarantined: int = 0
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    by_table: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "files": self.files,
            "skipped": self.skipped,
            "records": self.records,
            "inserted": self.counts.inserted,
            "updated": self.counts.updated,
            "unchanged": self.counts.unchanged,
            "quarantined": self.quarantined,
            "errors": len(self.errors),
        }


def _frame(table: RawTable, records: list[Record], source: str, batch_id: str, at: datetime) -> pl.DataFrame:
    import polars as pl  # the record path only; a bulk loader never builds frames

    types = {"varchar": pl.Utf8, "timestamp": pl.Datetime("us"), "bigint": pl.Int64, "boolean": pl.Boolean}
    schema: dict[str, pl.DataType] = {k: pl.Utf8 for k in table.keys}
    schema.update({name: types.get(sql_type, pl.Utf8) for name, sql_type in table.columns})
    schema.update({"updated_at": pl.Datetime("us"), "payload": pl.Utf8, "_location": pl.Utf8})
    rows = [
        {**{c: r.columns.get(c) for c in (*table.keys, *table.helper_columns)},
         "updated_at": r.updated_at, "payload": r.payload, "_location": r.location}
        for r in records
    ]
    frame = pl.DataFrame(rows, schema=schema, orient="row" if not rows else None)
    return frame.with_columns(
        pl.lit(source).alias("_source"),
        pl.lit(batch_id).alias("_batch_id"),
        pl.lit(at, dtype=pl.Datetime("us")).alias("_ingested_at"),
    )


def _flush(con, table_name: str, records: list[Record], unit: Unit, ctx: LoadContext, result: LoadResult) -> None:
    from ingest.core.contracts import split_valid

    table = table_for(table_name)
    frame = _frame(table, records, unit.source, ctx.batch_id, ctx.ingested_at)
    valid, reasons = split_valid(table, frame)
    if reasons:
        bad = [Rejected(records[i].location or unit.location, reasons[i], records[i].payload) for i in sorted(reasons)]
        quarantine(con, ctx.batch_id, unit.source, bad)
    result.counts.add(upsert(con, table, valid.drop("_location")))
    result.by_table[table_name] = result.by_table.get(table_name, 0) + valid.height
    result.quarantined += len(reasons)


def read_records(con: duckdb.DuckDBPyConnection, unit: Unit, ctx: LoadContext) -> LoadResult:
    """The record-by-record path: `unit.read()`, the pandera contract, upserts per flush."""
    result = LoadResult()
    pending: dict[str, list[Record]] = defaultdict(list)
    rejected: list[Rejected] = []
    for item in unit.read():
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        result.records += 1
        bucket = pending[item.table]
        bucket.append(item)
        if len(bucket) >= FLUSH_ROWS:
            _flush(con, item.table, bucket, unit, ctx, result)
            pending[item.table] = []
    for table_name, bucket in pending.items():
        if bucket:
            _flush(con, table_name, bucket, unit, ctx, result)
    quarantine(con, ctx.batch_id, unit.source, rejected)
    result.quarantined += len(rejected)
    return result


def _already_ingested(con: duckdb.DuckDBPyConnection, location: str, content_hash: str) -> bool:
    rows = con.execute(
        "select 1 from meta.files where path = ? and content_hash = ?", [location, content_hash]
    ).fetchall()
    return bool(rows)


def ingest_unit(con: duckdb.DuckDBPyConnection, unit: Unit, summary: IngestSummary) -> int:
    """Land one unit in one transaction; returns the records read (0 when skipped)."""
    content_hash = unit.fingerprint()
    if _already_ingested(con, unit.location, content_hash):
        summary.skipped += 1
        return 0
    started = now()
    ctx = LoadContext(uuid.uuid4().hex, unit.source, unit.location, started)
    con.execute("begin transaction")
    try:
        result = unit.load(con, ctx) if unit.load is not None else read_records(con, unit, ctx)
        con.execute(
            "insert into meta.files values (?, ?, ?, ?, ?, ?)",
            [unit.location, content_hash, unit.source, ctx.batch_id, result.records, now()],
        )
        con.execute(
            "insert into meta.runs (batch_id, source, started_at, finished_at, status, files, records,"
            " inserted, updated, unchanged, quarantined) values (?, ?, ?, ?, 'succeeded', 1, ?, ?, ?, ?, ?)",
            [ctx.batch_id, unit.source, started, now(), result.records, result.counts.inserted,
             result.counts.updated, result.counts.unchanged, result.quarantined],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    summary.files += 1
    summary.records += result.records
    summary.quarantined += result.quarantined
    summary.counts.add(result.counts)
    for table_name, rows in result.by_table.items():
        summary.by_table[table_name] += rows
    return result.records


_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40, "KB": 10**3, "MB": 10**6,
          "GB": 10**9, "TB": 10**12}


def _bytes(size: str) -> float:
    """'1GB', '953.6 MiB', '0 bytes' → bytes (a size DuckDB shows or accepts)."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]*)\s*", size)
    if not match:
        return float("inf")
    return float(match[1]) * _UNITS.get(match[2] or "bytes", 1)


@contextmanager
def ingest_settings(con: duckdb.DuckDBPyConnection, settings: dict[str, str] | None = None) -> Iterator[None]:
    """Apply `settings` (default `INGEST_SETTINGS`) for the duration, then restore them; a
    memory limit is only ever lowered."""
    settings = INGEST_SETTINGS if settings is None else settings
    previous = {name: con.execute(f"select current_setting('{name}')").fetchall()[0][0] for name in settings}
    if "memory_limit" in settings and _bytes(previous["memory_limit"]) <= _bytes(settings["memory_limit"]):
        settings = {k: v for k, v in settings.items() if k != "memory_limit"}
        del previous["memory_limit"]
    try:
        for name, value in settings.items():
            con.execute(f"set {name} = '{value}'")
        yield
    finally:
        for name, value in previous.items():
            con.execute(f"reset {name}")  # the default, exactly (a shown value may be rounded)
            if con.execute(f"select current_setting('{name}')").fetchall()[0][0] != value:
                con.execute(f"set {name} = '{value}'")


def ingest_units(con: duckdb.DuckDBPyConnection, units: Iterable[Unit], progress: Progress | None = None,
                 *, settings: dict[str, str] | None = None) -> IngestSummary:
    """Ingest every unit; a unit that cannot be read is one error line, and the others go on."""
    progress = progress or NoProgress()
    units = list(units)
    summary = IngestSummary()
    progress.start(len(units), sum(u.size for u in units))
    with ingest_settings(con, settings):
        for unit in units:
            progress.unit_started(unit.location, unit.size)
            try:
                records = ingest_unit(con, unit, summary)
                progress.unit_finished(unit.location, records, skipped=records == 0)
            except Exception as exc:  # noqa: BLE001 - any unreadable unit is one error line; the rest go on
                message = f"{unit.location}: {type(exc).__name__}: {exc}"
                summary.errors.append(message)
                _record_failure(con, unit, message)
                progress.unit_finished(unit.location, 0, skipped=True)
    progress.finish()
    return summary


def _record_failure(con: duckdb.DuckDBPyConnection, unit: Unit, message: str) -> None:
    batch_id = uuid.uuid4().hex
    at = now()
    quarantine(con, batch_id, unit.source, [Rejected(unit.location, message[:500], None)])
    con.execute(
        "insert into meta.runs (batch_id, source, started_at, finished_at, status, files, quarantined)"
        " values (?, ?, ?, ?, 'failed', 1, 1)",
        [batch_id, unit.source, at, at],
    )
