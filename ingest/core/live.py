"""The shape every live (API) connector shares, so the CLI, `doctor` and Dagster call them alike.

Each `ingest/<source>/api.py` exposes
    sync(settings, con, *, progress=None, **scope) -> SyncSummary
    check(settings) -> CheckResult
and raises `LiveError` (one line naming the setting to fix, never a token) for what the
user must fix: a rejected token, an unreachable host, every token rate-limited.
`land_page` is how a page of records and the cursor that points past it land together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from ingest.core.records import Record, Rejected

STATUSES = ("configured", "missing", "failing")


@dataclass
class SyncSummary:
    """What one live sync did: records fetched per stream, pages, cursor writes."""

    source: str
    streams: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    cursor_updates: int = 0

    def add(self, stream: str, fetched: int) -> None:
        self.streams[stream] = self.streams.get(stream, 0) + fetched

    @property
    def fetched(self) -> int:
        return sum(self.streams.values())


@dataclass(frozen=True)
class CheckResult:
    """For `codeconvene doctor`: status is one of STATUSES; reason says why, never a secret."""

    source: str
    status: str
    reason: str = ""


class LiveError(Exception):
    """A problem the user fixes in configuration; `str()` is one line, `hint` says how."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def land_page(con: duckdb.DuckDBPyConnection, source: str, batch_id: str, ingested_at: datetime,
              items: Iterable[Record | Rejected], cursors: dict[tuple[str, str], str | None]) -> int:
    """Validate, upsert and quarantine one page's records and set `cursors` ({(source, stream):
    cursor}) in ONE transaction: a run killed at any point leaves whole pages and a cursor
    that points exactly past them. Returns how many records landed or were quarantined."""
    from ingest.core.cursors import set_cursor
    from ingest.core.runner import read_records
    from ingest.core.units import LoadContext, Unit

    items = list(items)
    unit = Unit(f"{source}:live", source, 0, lambda: "", lambda: iter(items))
    con.execute("begin transaction")
    try:
        result = read_records(con, unit, LoadContext(batch_id, source, unit.location, ingested_at))
        for (cursor_source, stream), cursor in cursors.items():
            set_cursor(con, cursor_source, stream, cursor)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return result.records + result.quarantined


def start_run(con: duckdb.DuckDBPyConnection, source: str) -> str:
    """A meta.runs row in state 'running' (committed now, so a killed run stays visible)."""
    import uuid

    from ingest.core.quarantine import now

    batch_id = uuid.uuid4().hex
    con.execute("insert into meta.runs (batch_id, source, started_at, status) values (?, ?, ?, 'running')",
                [batch_id, source, now()])
    return batch_id


def finish_run(con: duckdb.DuckDBPyConnection, batch_id: str, status: str, records: int) -> None:
    from ingest.core.quarantine import now

    con.execute("update meta.runs set finished_at = ?, status = ?, records = ? where batch_id = ?",
                [now(), status, records, batch_id])


def option_number(given: dict, source: str, key: str, default, kind=float):
    """A non-negative number from a `<source>:` mapping of codeconvene.yaml, or one clear error
    naming `<source>.<key>` (live connectors' knobs: page sizes, timeouts, refresh hours)."""
    try:
        value = kind(given.get(key, default))
    except (TypeError, ValueError):
        raise ValueError(f"codeconvene.yaml `{source}.{key}`: expected a number, got {given[key]!r}") from None
    if value < 0:
        raise ValueError(f"codeconvene.yaml `{source}.{key}`: must be >= 0, got {value}")
    return value
