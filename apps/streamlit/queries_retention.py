"""Retention page data: monthly cohorts and the weekly new / returning / inactive / episodic split.

Both come straight from their marts (mart_retention_cohorts, mart_community_health_weekly),
which count human contributions of merged persons across every platform: only the date
range applies here, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing

NEEDS = ("mart_retention_cohorts", "mart_community_health_weekly")


@dataclass(frozen=True)
class Retention:
    missing: tuple[str, ...] = ()
    cohorts: pl.DataFrame = field(default_factory=pl.DataFrame)
    weekly: pl.DataFrame = field(default_factory=pl.DataFrame)


def cohorts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Cohort × months-since rows for cohorts whose month overlaps the date range."""
    return frame(
        con,
        """
        select cohort_month, months_since, activity_month, cohort_size, retained, retention_rate
        from marts.mart_retention_cohorts
        where (?::date is null or cohort_month + interval 1 month > ?::date)
          and (?::date is null or cohort_month <= ?::date)
        order by cohort_month, months_since
        """,
        [filters.start, filters.start, filters.end, filters.end],
    )


def contributor_types(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per ISO week overlapping the range: active, new, returning, inactive, episodic, retention."""
    where, params = clauses(filters, week="week_start")
    return frame(
        con,
        f"""
        select week_start, iso_week, active, new, "returning", inactive, episodic, retention
        from marts.mart_community_health_weekly
        where true {where}
        order by week_start
        """,
        params,
    )


def retention(con: duckdb.DuckDBPyConnection, filters: Filters) -> Retention:
    gone = missing(con, NEEDS)
    if gone:
        return Retention(missing=tuple(gone))
    return Retention(cohorts=cohorts(con, filters), weekly=contributor_types(con, filters))
