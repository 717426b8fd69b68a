"""Contributors page data: leaderboard, core / regular / casual split, one person's timeline.

Tiers follow DESIGN §5 over the trailing 90 days ending with the range's last day: core is
the bus-factor set (the fewest people making more than half of the contributions, ranked
like the mart: contributions desc, then person_id), regular the people needed next to pass
80% (the next 30% of activity), casual the rest. With the default filters the core size is
mart_community_health_weekly.bus_factor of the week ending that day (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing

NEEDS = ("fct_activities", "dim_contributors")
TIER_WINDOW_DAYS = 90
TIERS = ("core", "regular", "casual")
# Leaderboard columns: which activity types (CONTRACTS.md) count as what kind of work.
CODE = "'pr_opened', 'pr_merged', 'push', 'commit'"
REVIEWS = "'pr_review', 'pr_review_comment'"
ISSUES = "'issue_opened', 'issue_comment', 'issue_closed'"
CONVERSATION = "'message', 'reply', 'topic', 'post'"


@dataclass(frozen=True)
class Contributors:
    missing: tuple[str, ...] = ()
    window_end: date | None = None
    leaderboard: pl.DataFrame = field(default_factory=pl.DataFrame)
    tiers: pl.DataFrame = field(default_factory=pl.DataFrame)


def _last_day(con: duckdb.DuckDBPyConnection, filters: Filters) -> date | None:
    if filters.end:
        return filters.end
    [(last,)] = con.execute("select max(occurred_at)::date from marts.fct_activities").fetchall()
    return last


def tiers(con: duckdb.DuckDBPyConnection, filters: Filters, last_day: date) -> pl.DataFrame:
    """Per person with contributions in the 90 days up to `last_day`: contributions, rank, tier."""
    window = Filters(
        start=last_day + timedelta(days=1 - TIER_WINDOW_DAYS),
        end=last_day,
        platforms=filters.platforms,
        containers=filters.containers,
        include_bots=filters.include_bots,
    )
    where, params = clauses(
        window, day="occurred_at", platform="platform", container="container", bot="is_bot"
    )
    return frame(
        con,
        f"""
        with counts as (
            select person_id, count(*) as contributions
            from marts.fct_activities
            where is_contribution {where}
            group by person_id
        ),
        ranked as (
            select *,
                row_number() over (order by contributions desc, person_id) as rank,
                sum(contributions) over (order by contributions desc, person_id
                    rows between unbounded preceding and current row) - contributions as before,
                sum(contributions) over () as total
            from counts
        )
        select ranked.person_id, coalesce(p.display_name, ranked.person_id) as display_name,
            ranked.contributions, ranked.rank,
            ranked.contributions / ranked.total as share,
            case
                when before * 2 <= total then 'core'
                when before * 10 < total * 8 then 'regular'
                else 'casual'
            end as tier
        from ranked
        left join marts.dim_contributors as p on p.person_id = ranked.person_id
        order by rank
        """,
        params,
    )


def leaderboard(con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 100) -> pl.DataFrame:
    """People by contributions in the range, with what kind and where."""
    where, params = clauses(
        filters, day="a.occurred_at", platform="a.platform", container="a.container", bot="a.is_bot"
    )
    return frame(
        con,
        f"""
        select a.person_id, coalesce(any_value(p.display_name), a.person_id) as display_name,
            count(*) as contributions,
            count(*) filter (where a.activity_type in ({CODE})) as code,
            count(*) filter (where a.activity_type in ({REVIEWS})) as reviews,
            count(*) filter (where a.activity_type in ({ISSUES})) as issues,
            count(*) filter (where a.activity_type in ({CONVERSATION})) as chat_and_forum,
            string_agg(distinct a.platform, ', ' order by a.platform) as platforms,
            max(a.occurred_at) as last_active_at,
            any_value(p.first_seen_at) as first_seen_at,
            coalesce(any_value(p.is_maintainer), false) as is_maintainer,
            coalesce(any_value(p.is_bot), false) as is_bot
        from marts.fct_activities as a
        left join marts.dim_contributors as p on p.person_id = a.person_id
        where a.is_contribution {where}
        group by a.person_id
        order by contributions desc, display_name
        limit {int(limit)}
        """,
        params,
    )


def contributors(con: duckdb.DuckDBPyConnection, filters: Filters) -> Contributors:
    gone = missing(con, NEEDS)
    if gone:
        return Contributors(missing=tuple(gone))
    last = _last_day(con, filters)
    board = leaderboard(con, filters)
    split = tiers(con, filters, last) if last else pl.DataFrame()
    if not split.is_empty():
        board = board.join(split.select("person_id", "tier"), on="person_id", how="left")
    return Contributors(window_end=last, leaderboard=board, tiers=split)


@dataclass(frozen=True)
class Person:
    facts: dict = field(default_factory=dict)
    timeline: pl.DataFrame = field(default_factory=pl.DataFrame)


def person(con: duckdb.DuckDBPyConnection, person_id: str, filters: Filters) -> Person:
    """One person's profile (dim_contributors) and activities in the range, newest first.

    Date, platform and container filters apply; the bot switch does not (it is one person).
    """
    facts = frame(
        con,
        "select * from marts.dim_contributors where person_id = ?",
        [person_id],
    )
    where, params = clauses(filters, day="occurred_at", platform="platform", container="container")
    timeline = frame(
        con,
        f"""
        select occurred_at, platform, activity_type, container,
            left(split_part(coalesce(text, ''), chr(10), 1), 140) as text, url, activity_id
        from marts.fct_activities
        where person_id = ? {where}
        order by occurred_at desc
        """,
        [person_id, *params],
    )
    return Person(facts=facts.row(0, named=True) if facts.height else {}, timeline=timeline)
