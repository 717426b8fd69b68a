"""meta.quarantine: every input that could not land, with where it was, why, and its text."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from ingest.core.records import Rejected

RAW_TEXT_LIMIT = 4_000


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def quarantine(con: duckdb.DuckDBPyConnection, batch_id: str, source: str, rejected: list[Rejected]) -> None:
    if not rejected:
        return
    at = now()
    con.executemany(
        "insert into meta.quarantine values (?, ?, ?, ?, ?, ?)",
        [(batch_id, source, r.location, r.reason, (r.raw_text or "")[:RAW_TEXT_LIMIT], at) for r in rejected],
    )


def quarantine_staged(con: duckdb.DuckDBPyConnection, batch_id: str, source: str, staged: str,
                      location: str, reason: str, raw_text: str, where: str) -> int:
    """Quarantine the rows of `staged` that satisfy `where`; `location`, `reason` and
    `raw_text` are SQL expressions over its columns. Returns how many rows went in."""
    rows = con.execute(
        f"""
        insert into meta.quarantine
        select ?, ?, {location}, {reason}, left({raw_text}, {RAW_TEXT_LIMIT}), ?
        from {staged} where {where}
        """,
        [batch_id, source, now()],
    ).fetchall()
    return int(rows[0][0]) if rows else 0
