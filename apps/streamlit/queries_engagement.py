"""Engagement page data: daily / weekly / monthly active people, reply rate, hour of week.

Active people come from fct_activities so every sidebar filter applies and a person active on
two platforms counts once in the "all platforms" line; reply rate comes from
mart_engagement_daily, the mart that defines it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing

ALL_PLATFORMS = "all platforms"
NEEDS = ("fct_activities", "mart_engagement_daily")


@dataclass(frozen=True)
class Engagement:
    missing: tuple[str, ...] = ()
    active: pl.DataFrame = field(default_factory=pl.DataFrame)
    reply: pl.DataFrame = field(default_factory=pl.DataFrame)
    hours: pl.DataFrame = field(default_factory=pl.DataFrame)


def active_people(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per day in the range and per platform (plus ALL_PLATFORMS): dau, wau, mau.

    WAU and MAU count distinct people over the 7 and 28 days ending that day, so the windows
    reach back before the range's start; days without anyone active show 0.
    """
    where, params = clauses(filters, platform="platform", container="container", bot="is_bot")
    bounds = "coalesce(?::date, min(d)), coalesce(?::date, max(d))"
    return frame(
        con,
        f"""
        with acts as (
            select cast(occurred_at as date) as d, platform, person_id
            from marts.fct_activities
            where is_contribution {where}
        ),
        span as (select {bounds} from acts),
        days as (
            select cast(unnest(generate_series(s.lo, s.hi, interval 1 day)) as date) as day
            from (select * from span) as s(lo, hi)
        ),
        platforms as (select distinct platform from acts union all select '{ALL_PLATFORMS}'),
        grid as (select day, platform from days cross join platforms),
        windowed as (
            select grid.day, grid.platform, acts.person_id, acts.d
            from grid
            left join acts
                on (acts.platform = grid.platform or grid.platform = '{ALL_PLATFORMS}')
                and acts.d between grid.day - 27 and grid.day
        )
        select day, platform,
            count(distinct person_id) filter (where d = day) as dau,
            count(distinct person_id) filter (where d > day - 7) as wau,
            count(distinct person_id) as mau
        from windowed
        group by day, platform
        order by day, platform
        """,
        [*params, filters.start, filters.end],
    )


def weekly_reply_rate(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per ISO week and chat platform: messages, replies and the share of messages answered."""
    where, params = clauses(filters, day="activity_date", platform="platform")
    return frame(
        con,
        f"""
        select date_trunc('week', activity_date)::date as week_start, platform,
            cast(sum(messages) as bigint) as messages, cast(sum(replies) as bigint) as replies,
            sum(reply_rate * messages) / nullif(sum(messages), 0) as reply_rate
        from marts.mart_engagement_daily
        where messages > 0 {where}
        group by all
        order by week_start, platform
        """,
        params,
    )


def hour_of_week(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Contributions per ISO weekday (1 = Monday) × UTC hour, cells without activity absent."""
    where, params = clauses(
        filters, day="occurred_at", platform="platform", container="container", bot="is_bot"
    )
    return frame(
        con,
        f"""
        select isodow(occurred_at) as day_of_week, hour(occurred_at) as hour_of_day,
            count(*) as activities
        from marts.fct_activities
        where is_contribution {where}
        group by all
        order by day_of_week, hour_of_day
        """,
        params,
    )


def engagement(con: duckdb.DuckDBPyConnection, filters: Filters) -> Engagement:
    gone = missing(con, NEEDS)
    if gone:
        return Engagement(missing=tuple(gone))
    return Engagement(
        active=active_people(con, filters),
        reply=weekly_reply_rate(con, filters),
        hours=hour_of_week(con, filters),
    )
