"""A unit of ingestion: one file (or archive member) that lands whole or not at all."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ingest.core.records import Record, Rejected
from ingest.core.upsert import UpsertCounts

HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class LoadContext:
    """What a bulk loader stamps on what it writes: every row of the unit shares these."""

    batch_id: str
    source: str
    location: str
    ingested_at: datetime


@dataclass
class LoadResult:
    """What a bulk loader did: `records` counts what it read as records (landed, or turned
    away by the contract); `quarantined` every input it wrote to meta.quarantine."""

    records: int = 0
    quarantined: int = 0
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    by_table: dict[str, int] = field(default_factory=dict)


Loader = Callable[[duckdb.DuckDBPyConnection, LoadContext], LoadResult]


@dataclass(frozen=True)
class Unit:
    """`location` names the input in errors and in meta.files; `read` yields its records.

    A unit is committed in one transaction together with its meta.files row, so a killed
    run leaves either all of a unit or none of it, and a re-run skips the finished ones.

    `load`, when set, is a bulk loader the runner calls instead of `read`, inside the same
    transaction: it validates, quarantines and upserts inside DuckDB (with the contract of
    `ingest.core.contracts.sql_violation` and `ingest.core.upsert.upsert_staged`) and says
    what it did. `read` stays the record-by-record view of the same input.
    """

    location: str
    source: str
    size: int
    fingerprint: Callable[[], str]
    read: Callable[[], Iterator[Record | Rejected]]
    fmt: str = ""
    load: Loader | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Format:
    """An export format a connector reads.

    `detect(path)` answers cheaply (sniff a few bytes); `units(path)` lists what to ingest.
    A `folder` format (a Slack export, a git repository) claims its whole folder, so its
    files are not offered to the file formats.
    """

    name: str
    detect: Callable[[Path], bool]
    units: Callable[[Path], list[Unit]]
    folder: bool = False
