"""The dashboard's SQL, over marts only, returning polars frames and plain numbers.

No streamlit import: the page caches and draws, this module only asks the warehouse, so the
numbers can be tested against a hand-built DuckDB file and reused by reports. This module
keeps the home KPIs and is the entry point to the per-page modules (queries_<page>.py),
imported below so one import checks them all for purity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import polars as pl

# The per-page modules, re-exported: pages call queries.<page>.<query>.
from apps.streamlit import queries_contributors as contributors
from apps.streamlit import queries_engagement as engagement
from apps.streamlit import queries_explorer as explorer
from apps.streamlit import queries_gaps as gaps
from apps.streamlit import queries_knowledge as knowledge
from apps.streamlit import queries_maintainers as maintainers
from apps.streamlit import queries_overview as overview
from apps.streamlit import queries_responsiveness as responsiveness
from apps.streamlit import queries_retention as retention
from apps.streamlit import queries_sentiment as sentiment
from apps.streamlit.queries_common import Filters, frame

__all__ = [
    "Filters",
    "HomeSnapshot",
    "WeekKpis",
    "contributors",
    "daily_activity",
    "data_horizon",
    "engagement",
    "explorer",
    "gaps",
    "home_snapshot",
    "knowledge",
    "latest_week_kpis",
    "maintainers",
    "missing_marts",
    "overview",
    "responsiveness",
    "retention",
    "sentiment",
    "weekly_health",
]

HOME_MARTS = ("mart_community_health_weekly", "mart_engagement_daily")
KPI_NAMES = ("active", "new", "returning", "inactive")


@dataclass(frozen=True)
class WeekKpis:
    """One ISO week's contributor counts and the change from the week before.

    `previous` is None when the mart has no row for the week before: a missing week is not
    known to be zero (its inactive count, for one, need not be), so no delta is shown.
    """

    week_start: date
    iso_week: str
    is_complete: bool
    current: dict[str, int]
    previous: dict[str, int] | None = None

    def delta(self, name: str) -> int | None:
        if self.previous is None:
            return None
        return self.current[name] - self.previous[name]


@dataclass(frozen=True)
class HomeSnapshot:
    """Everything the home page draws, fetched in one go so it can be cached as a whole."""

    missing: tuple[str, ...] = ()
    kpis: WeekKpis | None = None
    weekly: pl.DataFrame = field(default_factory=pl.DataFrame)
    daily: pl.DataFrame = field(default_factory=pl.DataFrame)


_frame = frame


def missing_marts(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = HOME_MARTS) -> list[str]:
    """Marts the page needs that the warehouse does not have yet (dbt has not run)."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'"
    ).fetchall()
    present = {row[0] for row in rows}
    return [name for name in names if name not in present]


def data_horizon(con: duckdb.DuckDBPyConnection) -> date | None:
    """The day after the last day with activity: "now" as far as the warehouse knows.

    The demo and stale warehouses end in the past, so completeness is judged against the
    data rather than the wall clock; a live warehouse ends today, giving the same answer.
    """
    # fetchall, not fetchone: duckdb 2 keeps a half-read execute() result open and then
    # refuses the connection's next con.sql().
    [(last_day,)] = con.execute(
        "select max(activity_date) from marts.mart_engagement_daily"
    ).fetchall()
    return last_day + timedelta(days=1) if last_day is not None else None


def weekly_health(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per ISO week, oldest first: active, new, returning, inactive, activities."""
    return _frame(
        con,
        """
        select week_start, iso_week, active, new, "returning", inactive, activities
        from marts.mart_community_health_weekly
        order by week_start
        """,
    )


def daily_activity(con: duckdb.DuckDBPyConnection, since: date | None = None) -> pl.DataFrame:
    """Activities and active contributors per day and platform, oldest first."""
    return _frame(
        con,
        """
        select activity_date, platform, activities, active_contributors, messages
        from marts.mart_engagement_daily
        where activity_date >= ?
        order by activity_date, platform
        """,
        [since or date.min],
    )


def latest_week_kpis(con: duckdb.DuckDBPyConnection, today: date | None = None) -> WeekKpis | None:
    """KPIs of the latest complete week (week_start + 7 days <= today), with WoW deltas.

    `today` defaults to the data horizon. When no week is complete yet (a one-week-old
    community) the latest started week is returned with `is_complete=False` rather than
    nothing; weeks starting after `today` are ignored.
    """
    weekly = weekly_health(con)
    today = today or data_horizon(con)
    if today is not None:
        weekly = weekly.filter(pl.col("week_start") <= pl.lit(today))
    if weekly.is_empty():
        return None
    complete = weekly.filter(pl.col("week_start") + pl.duration(days=7) <= pl.lit(today))
    is_complete = today is not None and not complete.is_empty()
    row = (complete if is_complete else weekly).row(-1, named=True)
    before = weekly.filter(pl.col("week_start") == row["week_start"] - timedelta(days=7))
    previous = before.row(0, named=True) if not before.is_empty() else None
    return WeekKpis(
        week_start=row["week_start"],
        iso_week=row["iso_week"],
        is_complete=is_complete,
        current={name: int(row[name]) for name in KPI_NAMES},
        previous={name: int(previous[name]) for name in KPI_NAMES} if previous else None,
    )


def home_snapshot(con: duckdb.DuckDBPyConnection) -> HomeSnapshot:
    """The home page's data, or the list of missing marts when dbt has not built them."""
    missing = missing_marts(con)
    if missing:
        return HomeSnapshot(missing=tuple(missing))
    return HomeSnapshot(
        kpis=latest_week_kpis(con),
        weekly=weekly_health(con),
        daily=daily_activity(con),
    )
