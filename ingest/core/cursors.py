"""Where each live stream got to (meta.cursors), so the next pull asks only for what is new.

A cursor is written in the same transaction as the page of records it follows, so a run
that dies on page 40 resumes at page 40 and never skips or doubles a record.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb


def get_cursor(con: duckdb.DuckDBPyConnection, source: str, stream: str) -> str | None:
    rows = con.execute(
        "select cursor from meta.cursors where source = ? and stream = ?", [source, stream]
    ).fetchall()
    return rows[0][0] if rows else None


def set_cursor(con: duckdb.DuckDBPyConnection, source: str, stream: str, cursor: str | None) -> None:
    """Upsert; call inside the transaction that lands the page the cursor points past."""
    con.execute(
        """
        insert into meta.cursors (source, stream, cursor, updated_at) values (?, ?, ?, ?)
        on conflict (source, stream) do update set cursor = excluded.cursor, updated_at = excluded.updated_at
        """,
        [source, stream, cursor, datetime.now(UTC).replace(tzinfo=None)],
    )


def all_cursors(con: duckdb.DuckDBPyConnection, source: str | None = None) -> dict[tuple[str, str], str | None]:
    sql = "select source, stream, cursor from meta.cursors"
    rows = con.execute(sql + (" where source = ?" if source else ""), [source] if source else []).fetchall()
    return {(s, st): c for s, st, c in rows}
