"""Maintainers page data: burnout risk with its reasons and trend, response load, bus factor.

mart_contributor_health already holds every component and reason per person-week over the
trailing 90 days, and mart_community_health_weekly the bus and elephant factors: this module
only picks the weeks of the date range. Both marts are community-wide (all platforms,
humans), so the platform, container and bot filters do not apply here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing

NEEDS = ("mart_contributor_health", "mart_community_health_weekly")
COMPONENTS = (
    ("response_load_share_score", "Response load"),
    ("off_hours_share_score", "Off-hours work"),
    ("weekend_share_score", "Weekend work"),
    ("active_day_streak_score", "No day off"),
    ("load_trend_score", "Rising load"),
    ("ttfr_trend_score", "Slower responses, growing backlog"),
    ("sentiment_drift_score", "More negative messages"),
)


@dataclass(frozen=True)
class Maintainers:
    missing: tuple[str, ...] = ()
    week_start: date | None = None
    latest: pl.DataFrame = field(default_factory=pl.DataFrame)
    trend: pl.DataFrame = field(default_factory=pl.DataFrame)
    factors: pl.DataFrame = field(default_factory=pl.DataFrame)


def latest_week(con: duckdb.DuckDBPyConnection, filters: Filters) -> date | None:
    """The last week of the range with maintainer rows (the burnout table shows that week)."""
    where, params = clauses(filters, week="week_start")
    [(week,)] = con.execute(
        f"select max(week_start) from marts.mart_contributor_health where is_maintainer {where}",
        params,
    ).fetchall()
    return week


def burnout_for_week(con: duckdb.DuckDBPyConnection, week_start: date) -> pl.DataFrame:
    """One row per maintainer in that week: risk, reasons, raw figures and component scores."""
    scores = ", ".join(col for col, _ in COMPONENTS)
    return frame(
        con,
        f"""
        select person_id, display_name, iso_week, burnout_risk, risk_reasons,
            share_of_responses, responses_given, off_hours_share, weekend_share,
            active_day_streak, load_trend, ttfr_trend, sentiment_drift, activities,
            {scores}
        from marts.mart_contributor_health
        where is_maintainer and week_start = ?
        order by burnout_risk desc nulls last, display_name
        """,
        [week_start],
    )


def trend(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Maintainer × week in the range: burnout risk and share of first responses."""
    where, params = clauses(filters, week="week_start")
    return frame(
        con,
        f"""
        select week_start, iso_week, person_id, display_name, burnout_risk,
            share_of_responses, responses_given
        from marts.mart_contributor_health
        where is_maintainer {where}
        order by week_start, display_name
        """,
        params,
    )


def factors(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Bus factor and elephant factor per ISO week of the range (trailing 90 days each)."""
    where, params = clauses(filters, week="week_start")
    return frame(
        con,
        f"""
        select week_start, iso_week, bus_factor, elephant_factor
        from marts.mart_community_health_weekly
        where true {where}
        order by week_start
        """,
        params,
    )


def maintainers(con: duckdb.DuckDBPyConnection, filters: Filters) -> Maintainers:
    gone = missing(con, NEEDS)
    if gone:
        return Maintainers(missing=tuple(gone))
    week = latest_week(con, filters)
    return Maintainers(
        week_start=week,
        latest=burnout_for_week(con, week) if week else pl.DataFrame(),
        trend=trend(con, filters),
        factors=factors(con, filters),
    )
