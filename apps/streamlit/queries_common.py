"""What every dashboard query shares: the sidebar's filters and the SQL they turn into.

Pure (no streamlit): pages pass a `Filters` value, queries turn it into parameterized
`where` clauses, so the same numbers can be asked from tests, reports or a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices. Empty tuples mean "all"; `end` is inclusive; bots are off by default.

    Frozen (hashable) so it can be part of a cache key.
    """

    start: date | None = None
    end: date | None = None
    platforms: tuple[str, ...] = ()
    containers: tuple[str, ...] = ()
    include_bots: bool = False


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """Run a parameterized query into polars (duckdb 2 connections have no `.pl()`).

    Sums of HUGEINT columns arrive as decimals, which charts and tables show badly: whole
    decimals become Int64, the rest Float64.
    """
    result = pl.from_arrow(con.sql(sql, params=params or []).to_arrow_table())
    decimals = [
        pl.col(name).cast(pl.Int64 if dtype.scale == 0 else pl.Float64)
        for name, dtype in result.schema.items()
        if isinstance(dtype, pl.Decimal)
    ]
    return result.with_columns(decimals) if decimals else result


def clauses(
    filters: Filters,
    *,
    day: str | None = None,
    week: str | None = None,
    platform: str | None = None,
    container: str | None = None,
    bot: str | None = None,
) -> tuple[str, list]:
    """`and …` conditions for the columns a query has, with their parameters.

    `day` is a date or timestamp column kept when its day is within [start, end]; `week` is a
    week_start (Monday) column kept when the week overlaps the range; `bot` is a boolean
    column dropped unless bots are included. Columns not named are not filtered: the page
    says which filters apply where a mart has no such column.
    """
    sql, params = [], []
    if day and filters.start:
        sql.append(f"cast({day} as date) >= ?")
        params.append(filters.start)
    if day and filters.end:
        sql.append(f"cast({day} as date) <= ?")
        params.append(filters.end)
    if week and filters.start:
        sql.append(f"{week} + interval 6 day >= ?")
        params.append(filters.start)
    if week and filters.end:
        sql.append(f"{week} <= ?")
        params.append(filters.end)
    if platform and filters.platforms:
        sql.append(f"list_contains(?::varchar[], {platform})")
        params.append(list(filters.platforms))
    if container and filters.containers:
        sql.append(f"list_contains(?::varchar[], {container})")
        params.append(list(filters.containers))
    if bot and not filters.include_bots:
        sql.append(f"not coalesce({bot}, false)")
    return "".join(f" and {s}" for s in sql), params


def present_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every `schema.table` the warehouse holds (tables and views)."""
    rows = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
    return {f"{schema}.{name}" for schema, name in rows}


def missing(con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> list[str]:
    """Names (`mart` for marts.mart, or `schema.table`) the warehouse does not have yet."""
    present = present_tables(con)
    return [n for n in names if (n if "." in n else f"marts.{n}") not in present]


@dataclass(frozen=True)
class FilterOptions:
    """What the sidebar can offer: the data's days, its platforms and containers."""

    first_day: date | None = None
    last_day: date | None = None
    platforms: tuple[str, ...] = ()
    containers: tuple[tuple[str, str], ...] = ()  # (platform, container)


def filter_options(con: duckdb.DuckDBPyConnection) -> FilterOptions:
    """Read from fct_activities, the one mart every activity passes through."""
    if missing(con, ("fct_activities",)):
        return FilterOptions()
    [(first, last)] = con.execute(
        "select min(occurred_at)::date, max(occurred_at)::date from marts.fct_activities"
    ).fetchall()
    platforms = con.execute(
        "select distinct platform from marts.fct_activities order by platform"
    ).fetchall()
    pairs = con.execute(
        """
        select distinct platform, container from marts.fct_activities
        where container is not null order by platform, container
        """
    ).fetchall()
    return FilterOptions(
        first_day=first,
        last_day=last,
        platforms=tuple(p for (p,) in platforms),
        containers=tuple(pairs),
    )
