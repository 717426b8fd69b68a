"""SQL explorer back end: schema browser, read-only queries with a row limit and a timeout.

Safety is DuckDB's, not ours: `codeconvene.warehouse` opens the file read-only with external
access disabled and the configuration locked, and `check_read_only` refuses any statement
but SELECT/EXPLAIN with a clear reason. This module adds what an interactive page needs on
top: a row cap, a timeout (a worker thread runs the query, the caller interrupts the
connection when time is up) and the result as CSV or Parquet bytes.
"""

from __future__ import annotations

import io
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from codeconvene.warehouse import ReadOnlyViolation, check_read_only, connect

DEFAULT_LIMIT = 1_000
MAX_LIMIT = 100_000
DEFAULT_TIMEOUT_S = 30.0
# After interrupt() DuckDB stops at its next check; give it this long before giving up on it.
INTERRUPT_GRACE_S = 10.0


class QueryTimeout(RuntimeError):
    """The query ran longer than allowed and was interrupted."""


class QueryFailed(RuntimeError):
    """DuckDB rejected the query (syntax, unknown table, ...): the message says why."""


@dataclass(frozen=True)
class QueryResult:
    table: pa.Table
    truncated: bool
    seconds: float


def schema(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every column of every table and view, for the schema browser (information_schema)."""
    return pl.from_arrow(
        con.sql(
            """
            select c.table_schema, c.table_name, t.table_type, c.column_name, c.data_type,
                c.ordinal_position
            from information_schema.columns as c
            inner join information_schema.tables as t
                on t.table_schema = c.table_schema and t.table_name = c.table_name
            order by c.table_schema, c.table_name, c.ordinal_position
            """
        ).to_arrow_table()
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _execute(con: duckdb.DuckDBPyConnection, sql: str, limit: int) -> pa.Table:
    try:
        relation = con.sql(sql)
        if relation is None:
            raise ReadOnlyViolation("the query returned nothing to show")
        return relation.limit(limit + 1).to_arrow_table()
    except duckdb.PermissionException as exc:
        raise ReadOnlyViolation(f"refused by the read-only warehouse: {_first_line(exc)}") from exc


def run_query(
    path: Path, sql: str, *, limit: int = DEFAULT_LIMIT, timeout: float = DEFAULT_TIMEOUT_S
) -> QueryResult:
    """Run one user query read-only; at most `limit` rows, at most `timeout` seconds.

    Raises ReadOnlyViolation (writes, file access, ATTACH, ...), QueryTimeout or QueryFailed,
    each with a message fit to show as is.
    """
    check_read_only(sql)
    limit = max(1, min(int(limit), MAX_LIMIT))
    con = connect(path, read_only=True)
    box: dict = {}

    def work() -> None:
        try:
            box["table"] = _execute(con, sql, limit)
        except BaseException as exc:  # noqa: BLE001  (re-raised in the caller's thread)
            box["error"] = exc

    started = time.monotonic()
    worker = threading.Thread(target=work, name="sql-explorer-query", daemon=True)
    worker.start()
    worker.join(timeout)
    timed_out = worker.is_alive()
    if timed_out:
        con.interrupt()
        worker.join(INTERRUPT_GRACE_S)
    if not worker.is_alive():  # never close a connection a query is still running on
        con.close()
    seconds = time.monotonic() - started
    if timed_out:
        raise QueryTimeout(
            f"the query was stopped after {timeout:g} s (the time limit); "
            "add filters or a LIMIT, or raise the limit"
        )
    error = box.get("error")
    if isinstance(error, ReadOnlyViolation):
        raise error
    if isinstance(error, duckdb.Error):
        raise QueryFailed(_first_line(error)) from error
    if error is not None:
        raise error
    table = box["table"]
    return QueryResult(
        table=table.slice(0, limit), truncated=table.num_rows > limit, seconds=seconds
    )


def _flat(table: pa.Table) -> pa.Table:
    """Nested columns (lists, structs, maps) as JSON text: CSV has no way to hold them."""
    columns = []
    for column in table.columns:
        if pa.types.is_nested(column.type):
            values = [
                json.dumps(v, default=str) if v is not None else None for v in column.to_pylist()
            ]
            columns.append(pa.array(values, type=pa.string()))
        else:
            columns.append(column)
    return pa.table(columns, names=table.column_names)


def to_csv_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pa_csv.write_csv(_flat(table), buffer)
    return buffer.getvalue()


def to_parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
