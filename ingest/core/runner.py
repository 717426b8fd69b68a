"""Drive units into the warehouse: validate, upsert, quarantine, and record what landed."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import polars as pl

from ingest.core.contracts import split_valid
from ingest.core.progress import NoProgress, Progress
from ingest.core.records import Record, Rejected
from ingest.core.tables import RawTable, table_for
from ingest.core.units import Unit
from ingest.core.upsert import UpsertCounts, upsert

FLUSH_ROWS = 20_000
RAW_TEXT_LIMIT = 4_000
_POLARS_TYPES = {"varchar": pl.Utf8, "timestamp": pl.Datetime("us"), "bigint": pl.Int64, "boolean": pl.Boolean}


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


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _frame(table: RawTable, records: list[Record], source: str, batch_id: str, at: datetime) -> pl.DataFrame:
    schema: dict[str, pl.DataType] = {k: pl.Utf8 for k in table.keys}
    schema.update({name: _POLARS_TYPES.get(sql_type, pl.Utf8) for name, sql_type in table.columns})
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


def _quarantine(con: duckdb.DuckDBPyConnection, batch_id: str, source: str, rejected: list[Rejected]) -> None:
    if not rejected:
        return
    at = _now()
    con.executemany(
        "insert into meta.quarantine values (?, ?, ?, ?, ?, ?)",
        [(batch_id, source, r.location, r.reason, (r.raw_text or "")[:RAW_TEXT_LIMIT], at) for r in rejected],
    )


def _flush(con, table_name: str, records: list[Record], unit: Unit, batch_id: str, at: datetime,
           summary: IngestSummary) -> int:
    table = table_for(table_name)
    frame = _frame(table, records, unit.source, batch_id, at)
    valid, reasons = split_valid(table, frame)
    if reasons:
        bad = [Rejected(records[i].location or unit.location, reasons[i], records[i].payload) for i in sorted(reasons)]
        _quarantine(con, batch_id, unit.source, bad)
    counts = upsert(con, table, valid.drop("_location"))
    summary.counts.add(counts)
    summary.by_table[table_name] += valid.height
    return len(reasons)


def _already_ingested(con: duckdb.DuckDBPyConnection, location: str, content_hash: str) -> bool:
    row = con.execute(
        "select 1 from meta.files where path = ? and content_hash = ?", [location, content_hash]
    ).fetchone()
    return row is not None


def ingest_unit(con: duckdb.DuckDBPyConnection, unit: Unit, summary: IngestSummary) -> int:
    """Land one unit in one transaction; returns the records read (0 when skipped)."""
    content_hash = unit.fingerprint()
    if _already_ingested(con, unit.location, content_hash):
        summary.skipped += 1
        return 0
    batch_id = uuid.uuid4().hex
    started = _now()
    pending: dict[str, list[Record]] = defaultdict(list)
    rejected: list[Rejected] = []
    records = quarantined = 0
    con.execute("begin transaction")
    try:
        for item in unit.read():
            if isinstance(item, Rejected):
                rejected.append(item)
                continue
            records += 1
            bucket = pending[item.table]
            bucket.append(item)
            if len(bucket) >= FLUSH_ROWS:
                quarantined += _flush(con, item.table, bucket, unit, batch_id, started, summary)
                pending[item.table] = []
        for table_name, bucket in pending.items():
            if bucket:
                quarantined += _flush(con, table_name, bucket, unit, batch_id, started, summary)
        _quarantine(con, batch_id, unit.source, rejected)
        quarantined += len(rejected)
        con.execute(
            "insert into meta.files values (?, ?, ?, ?, ?, ?)",
            [unit.location, content_hash, unit.source, batch_id, records, _now()],
        )
        con.execute(
            "insert into meta.runs (batch_id, source, started_at, finished_at, status, files, records, quarantined)"
            " values (?, ?, ?, ?, 'succeeded', 1, ?, ?)",
            [batch_id, unit.source, started, _now(), records, quarantined],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    summary.files += 1
    summary.records += records
    summary.quarantined += quarantined
    return records


def ingest_units(con: duckdb.DuckDBPyConnection, units: Iterable[Unit], progress: Progress | None = None) -> IngestSummary:
    """Ingest every unit; a unit that cannot be read is one error line, and the others go on."""
    progress = progress or NoProgress()
    units = list(units)
    summary = IngestSummary()
    progress.start(len(units), sum(u.size for u in units))
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
    now = _now()
    _quarantine(con, batch_id, unit.source, [Rejected(unit.location, message[:500], None)])
    con.execute(
        "insert into meta.runs (batch_id, source, started_at, finished_at, status, files, quarantined)"
        " values (?, ?, ?, ?, 'failed', 1, 1)",
        [batch_id, unit.source, now, now],
    )
