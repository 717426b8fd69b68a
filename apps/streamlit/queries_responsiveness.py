"""Responsiveness page data: time to first response, PR closure and acceptance, unanswered list.

Weekly figures are computed from the item-level mart_responsiveness with the same rules as
mart_community_health_weekly (week of creation for TTFR, week of closing for closures) so the
platform and container filters can apply; with the default filters they equal the weekly
mart's columns (a test checks this). Bot-opened items count only when bots are included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing

NEEDS = ("mart_responsiveness", "mart_unanswered_questions", "dim_contributors")


@dataclass(frozen=True)
class Responsiveness:
    missing: tuple[str, ...] = ()
    weekly: pl.DataFrame = field(default_factory=pl.DataFrame)
    by_kind: pl.DataFrame = field(default_factory=pl.DataFrame)
    unanswered: pl.DataFrame = field(default_factory=pl.DataFrame)


def _items(filters: Filters, day: str) -> tuple[str, list]:
    """mart_responsiveness rows kept by the filters, `day` deciding which week they count in."""
    where, params = clauses(
        filters, day=day, platform="platform", container="container", bot="is_bot_author"
    )
    return f"select * from marts.mart_responsiveness where true {where}", params


def weekly(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per ISO week: items opened, TTFR median and p85, PRs opened/closed/merged and ratios."""
    opened_sql, opened_params = _items(filters, "created_at")
    closed_sql, closed_params = _items(filters, "closed_at")
    return frame(
        con,
        f"""
        with opened as (
            select date_trunc('week', created_at)::date as week_start,
                count(*) as items_opened,
                quantile_cont(hours_to_first_response, 0.5) as ttfr_median_hours,
                quantile_cont(hours_to_first_response, 0.85) as ttfr_p85_hours,
                count(*) filter (where item_kind = 'pull_request') as prs_opened
            from ({opened_sql})
            group by all
        ),
        closed as (
            select date_trunc('week', closed_at)::date as week_start,
                count(*) filter (where item_kind = 'pull_request') as prs_closed,
                count(*) filter (where item_kind = 'pull_request' and is_merged) as prs_merged
            from ({closed_sql})
            where closed_at is not null and item_kind in ('issue', 'pull_request')
            group by all
        )
        select
            coalesce(opened.week_start, closed.week_start) as week_start,
            coalesce(items_opened, 0) as items_opened,
            ttfr_median_hours, ttfr_p85_hours,
            coalesce(prs_opened, 0) as prs_opened,
            coalesce(prs_closed, 0) as prs_closed,
            coalesce(prs_merged, 0) as prs_merged,
            coalesce(prs_closed, 0)::double / nullif(prs_opened, 0) as closure_ratio,
            prs_merged::double / nullif(prs_closed, 0) as acceptance_ratio
        from opened
        full outer join closed on closed.week_start = opened.week_start
        order by week_start
        """,
        [*opened_params, *closed_params],
    )


def by_kind(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per item kind over the whole range: items, answered share, TTFR median and p85."""
    sql, params = _items(filters, "created_at")
    return frame(
        con,
        f"""
        select item_kind, count(*) as items,
            count(first_response_at)::double / count(*) as answered_share,
            quantile_cont(hours_to_first_response, 0.5) as ttfr_median_hours,
            quantile_cont(hours_to_first_response, 0.85) as ttfr_p85_hours,
            quantile_cont(hours_to_close, 0.5) as time_to_close_median_hours
        from ({sql})
        group by item_kind
        order by items desc
        """,
        params,
    )


def unanswered(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Questions nobody answered in time, asked in the range: oldest still-open first."""
    where, params = clauses(
        filters, day="q.asked_at", platform="q.platform", container="q.container"
    )
    return frame(
        con,
        f"""
        select q.asked_at, q.platform, q.container, q.item_kind,
            coalesce(p.display_name, q.asker_person_id) as asked_by,
            q.text, q.url, q.is_still_unanswered, q.has_reaction,
            round(q.hours_open / 24, 1) as days_open, q.first_response_at, q.question_id
        from marts.mart_unanswered_questions as q
        left join marts.dim_contributors as p on p.person_id = q.asker_person_id
        where true {where}
        order by q.is_still_unanswered desc, q.hours_open desc
        """,
        params,
    )


def responsiveness(con: duckdb.DuckDBPyConnection, filters: Filters) -> Responsiveness:
    gone = missing(con, NEEDS)
    if gone:
        return Responsiveness(missing=tuple(gone))
    return Responsiveness(
        weekly=weekly(con, filters),
        by_kind=by_kind(con, filters),
        unanswered=unanswered(con, filters),
    )
