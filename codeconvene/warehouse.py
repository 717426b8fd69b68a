"""DuckDB access: read-write connections for writers, locked-down read-only ones for readers.

The read-only surface (`codeconvene sql`, the SQL explorer, the bots) relies on DuckDB's own
guards rather than on parsing SQL by hand: the file is opened `read_only`, external access
(files, ATTACH, COPY, INSTALL/LOAD, HTTP) is disabled and the configuration is locked so a
query cannot turn it back on. A statement-type check on top gives a clear message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

RAW_SCHEMAS = ("raw_github", "raw_git", "raw_slack", "raw_discord", "raw_discourse")
OWN_SCHEMAS = (*RAW_SCHEMAS, "meta", "ml")

META_DDL = """
create table if not exists meta.runs (
    batch_id varchar primary key,
    source varchar not null,
    started_at timestamp not null,
    finished_at timestamp,
    status varchar not null,
    files integer default 0,
    records integer default 0,
    inserted integer default 0,
    updated integer default 0,
    unchanged integer default 0,
    quarantined integer default 0
);
create table if not exists meta.quarantine (
    batch_id varchar not null,
    source varchar not null,
    location varchar not null,
    reason varchar not null,
    raw_text varchar,
    "at" timestamp not null
);
create table if not exists meta.cursors (
    source varchar not null,
    stream varchar not null,
    cursor varchar,
    updated_at timestamp not null,
    primary key (source, stream)
);
create table if not exists meta.files (
    path varchar not null,
    content_hash varchar not null,
    source varchar not null,
    batch_id varchar not null,
    records integer not null,
    ingested_at timestamp not null,
    primary key (path, content_hash)
);
"""


class ReadOnlyViolation(ValueError):
    """A statement that would change data or reach outside the warehouse."""


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection; writers get the schemas created, readers get external access disabled."""
    if read_only:
        if not path.exists():
            raise FileNotFoundError(
                f"no warehouse at {path}; run `codeconvene demo` or `codeconvene ingest` first"
            )
        return duckdb.connect(
            str(path),
            read_only=True,
            config={"enable_external_access": False, "lock_configuration": True},
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    ensure_schemas(con)
    return con


@contextmanager
def writer(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def reader(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path, read_only=True)
    try:
        yield con
    finally:
        con.close()


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Schemas, meta tables and every raw table, so dbt sources exist even before an ingest."""
    from ingest.core.tables import RAW_TABLES

    for schema in OWN_SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    con.execute(META_DDL)
    for table in RAW_TABLES.values():
        con.execute(table.ddl())


_ALLOWED_STATEMENTS = {
    duckdb.StatementType.SELECT,
    duckdb.StatementType.EXPLAIN,
}


def check_read_only(sql: str) -> None:
    """Refuse anything but SELECT/EXPLAIN (one or more statements) with a clear reason."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise ReadOnlyViolation(f"could not parse the query: {exc}") from exc
    if not statements:
        raise ReadOnlyViolation("the query is empty")
    for statement in statements:
        if statement.type not in _ALLOWED_STATEMENTS:
            kind = statement.type.name.upper()
            raise ReadOnlyViolation(f"only read queries (SELECT) are allowed here, not {kind}")


def run_read_only(path: Path, sql: str, *, limit: int | None = None):
    """Run a user query on a locked-down connection; returns a pyarrow Table."""
    check_read_only(sql)
    with reader(path) as con:
        try:
            relation = con.sql(sql)
        except duckdb.PermissionException as exc:
            raise ReadOnlyViolation(f"refused by the read-only warehouse: {exc}") from exc
        if relation is None:
            raise ReadOnlyViolation("the query returned nothing to show")
        if limit is not None:
            relation = relation.limit(limit)
        try:
            return relation.to_arrow_table()
        except duckdb.PermissionException as exc:
            raise ReadOnlyViolation(f"refused by the read-only warehouse: {exc}") from exc
