"""Engagement page data: daily / weekly / monthly active people, reply rate, hour of week.

Active people come from mart_active_people_daily (counted from fct_activities, so a person
active on two platforms counts once in the "all platforms" line), or from fct_activities itself
when a filter needs it; reply rate comes from mart_engagement_daily, the mart that defines it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing

ALL_PLATFORMS = "all platforms"
NEEDS = ("fct_activities", "mart_engagement_daily")
DAILY = "mart_active_people_daily"  # the same counts precomputed; read when filters allow


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

    Read from mart_active_people_daily (same counts, both bot settings, every day) when the
    filters allow it; counting from fct_activities took ~0.5 s at 1M activities. A container
    filter, or a platform choice whose across-platforms line the mart has not counted (two or
    more platforms but not all), is counted from fct_activities.
    """
    lines = _daily_lines(con, filters)
    if lines is None:
        return _active_people_from_activities(con, filters)
    return frame(
        con,
        f"""
        with days as (
            select cast(unnest(generate_series(?::date, ?::date, interval 1 day)) as date) as day
        ),
        lines as (
            select unnest(?::varchar[]) as platform, unnest(?::varchar[]) as counted_as
        )
        select days.day, lines.platform,
            coalesce(daily.dau, 0) as dau,
            coalesce(daily.wau, 0) as wau,
            coalesce(daily.mau, 0) as mau
        from days
        cross join lines
        left join marts.{DAILY} as daily
            on daily.activity_date = days.day
            and daily.platform = lines.counted_as
            and daily.includes_bots = ?
        order by days.day, lines.platform
        """,
        [
            filters.start,
            filters.end,
            [shown for shown, _ in lines],
            [counted for _, counted in lines],
            filters.include_bots,
        ],
    )


def _daily_lines(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[tuple[str, str]] | None:
    """(line shown, mart platform counted) per line, or None when the mart cannot serve.

    The across-platforms line of the chosen platforms is the mart's ALL_PLATFORMS line when
    every platform with contributions is chosen, and the platform's own line when one is.
    """
    if filters.containers or filters.start is None or filters.end is None or missing(con, (DAILY,)):
        return None
    present = [
        platform
        for (platform,) in con.execute(
            f"select distinct platform from marts.{DAILY} "
            "where includes_bots = ? and platform <> ? order by platform",
            [filters.include_bots, ALL_PLATFORMS],
        ).fetchall()
    ]
    chosen = set(filters.platforms)
    if not chosen or chosen >= set(present):
        across = ALL_PLATFORMS
    elif len(chosen) == 1:
        [across] = chosen
    else:
        return None
    shown = [p for p in present if not chosen or p in chosen]
    return [(p, p) for p in shown] + [(ALL_PLATFORMS, across)]


def _active_people_from_activities(
    con: duckdb.DuckDBPyConnection, filters: Filters
) -> pl.DataFrame:
    """active_people counted from fct_activities: every filter applies.

    Counted without joining every day to its window (28 rows per person-day: minutes on a
    million activities). A person active on day d is counted from d until the day before
    their next active day, or for 7 (28) days if that comes later: +1 on d, -1 then. The
    running sum of those steps per platform is the WAU (MAU) of every day.
    """
    where, params = clauses(filters, platform="platform", container="container", bot="is_bot")
    start, end = filters.start, filters.end
    if start is None or end is None:
        [(first, last)] = con.execute(
            "select min(occurred_at)::date, max(occurred_at)::date from marts.fct_activities "
            f"where is_contribution {where}",
            params,
        ).fetchall()
        start, end = start or first, end or last
    return frame(
        con,
        f"""
        with acts as (
            select distinct cast(occurred_at as date) as d, platform, person_id
            from marts.fct_activities
            where is_contribution {where}
                and occurred_at >= ?::date - 27 and occurred_at < ?::date + 1
        ),
        person_days as (
            select d, platform, person_id from acts
            union all
            select distinct d, '{ALL_PLATFORMS}', person_id from acts
        ),
        nexts as (
            select platform, d, lead(d) over (partition by platform, person_id order by d) as next_d
            from person_days
        ),
        steps as (
            select platform, d as day, count(*) as dau, count(*) as wau, count(*) as mau
            from nexts group by 1, 2
            union all
            select platform, least(coalesce(next_d, d + 7), d + 7), 0, -count(*), 0
            from nexts group by 1, 2
            union all
            select platform, least(coalesce(next_d, d + 28), d + 28), 0, 0, -count(*)
            from nexts group by 1, 2
        ),
        running as (
            select platform, day, sum(dau) as dau,
                sum(sum(wau)) over (partition by platform order by day) as wau,
                sum(sum(mau)) over (partition by platform order by day) as mau
            from steps
            group by platform, day
        ),
        days as (
            select cast(unnest(generate_series(?::date, ?::date, interval 1 day)) as date) as day
        ),
        platforms as (
            select distinct platform from marts.fct_activities where is_contribution {where}
            union all
            select '{ALL_PLATFORMS}'
        ),
        grid as (select day, platform from days cross join platforms)
        select grid.day, grid.platform,
            cast(case when running.day = grid.day then running.dau else 0 end as bigint) as dau,
            cast(coalesce(running.wau, 0) as bigint) as wau,
            cast(coalesce(running.mau, 0) as bigint) as mau
        from grid
        asof left join running
            on running.platform = grid.platform and grid.day >= running.day
        order by grid.day, grid.platform
        """,
        [*params, start, end, start, end, *params],
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
