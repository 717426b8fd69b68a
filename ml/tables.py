"""DDL of the `ml.*` tables, in one place so writers and readers agree on the columns.

Each writer calls `ensure_ml_table` before writing, so an `ml` table exists as soon as the
first run that fills it (readers must still cope with it being absent on a fresh warehouse).
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

SENTIMENT = """
create table if not exists ml.sentiment (
    activity_id varchar primary key,
    compound double not null,
    label varchar not null,
    model varchar not null,
    scored_at timestamp not null
)
"""

LLM_CACHE = """
create table if not exists ml.llm_cache (
    prompt_hash varchar primary key,
    model varchar not null,
    response varchar not null,
    created_at timestamp not null
)
"""

SUMMARIES = """
create table if not exists ml.summaries (
    period varchar not null,
    kind varchar not null,
    text varchar not null,
    model varchar not null,
    sources json not null,
    created_at timestamp not null,
    primary key (period, kind)
)
"""

# One row per question a bot or `codeconvene ask` answered (bots.answer.interactions): the
# asker's platform id only, never a token; uncertain answers are the documentation gaps.
BOT_INTERACTIONS = """
create table if not exists ml.bot_interactions (
    interaction_id varchar primary key,
    asked_at timestamp not null,
    platform varchar not null,
    asker varchar,
    question varchar not null,
    kind varchar not null,
    answer varchar not null,
    sources json not null,
    uncertain boolean not null,
    sql varchar
)
"""


def ensure_ml_table(con: duckdb.DuckDBPyConnection, ddl: str) -> None:
    con.execute("create schema if not exists ml")
    con.execute(ddl)


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


def utc_now() -> datetime:
    """Naive UTC, the warehouse's timestamp convention (docs/CONTRACTS.md)."""
    return datetime.now(UTC).replace(tzinfo=None)
