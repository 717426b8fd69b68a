"""Overview page data: the health score taken apart, headline KPIs and activity per platform.

The health score is one number; a maintainer needs to see which figures moved it. The mart
stores only the blend, so `health_parts` re-derives each figure's share with the rule the
mart documents (each figure scaled between its min and max over the trailing 12 weeks,
weighted by the `seeds.health_score_weights` reference table) — a test checks the parts add
up to the mart's own `health_score`, so the two cannot drift apart silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing

# (column, label, direction): the figures mart_community_health_weekly__score blends.
HEALTH_FIGURES = (
    ("active", "Active contributors", "higher"),
    ("new", "New contributors", "higher"),
    ("retention", "Week-to-week retention", "higher"),
    ("churned", "Turned inactive", "lower"),
    ("episodic", "Episodic contributors", "higher"),
    ("ttfr_median_hours", "Median time to first response (h)", "lower"),
    ("unanswered_rate", "Unanswered rate", "lower"),
    ("closure_ratio", "PR closure ratio", "higher"),
    ("acceptance_ratio", "PR acceptance ratio", "higher"),
    ("bus_factor", "Bus factor", "higher"),
    ("elephant_factor", "Elephant factor", "higher"),
    ("sentiment_avg", "Mean sentiment", "higher"),
)
WEIGHTS_TABLE = "seeds.health_score_weights"
# Extra headline cards: (column, label, lower_is_better)
EXTRA_KPIS = (
    ("health_score", "Health score", False),
    ("activities", "Contributions", False),
    ("ttfr_median_hours", "Median first response (h)", True),
    ("unanswered_questions", "Unanswered questions", True),
)


@dataclass(frozen=True)
class Overview:
    """Everything the overview page draws, fetched in one go so it can be cached whole."""

    missing: tuple[str, ...] = ()
    week_start: date | None = None
    extra: dict[str, float | None] = field(default_factory=dict)
    extra_previous: dict[str, float | None] | None = None
    parts: pl.DataFrame = field(default_factory=pl.DataFrame)
    weekly: pl.DataFrame = field(default_factory=pl.DataFrame)
    daily: pl.DataFrame = field(default_factory=pl.DataFrame)


def health_parts(con: duckdb.DuckDBPyConnection, week_start: date) -> pl.DataFrame:
    """One row per blended figure of the week: value, 12-week low/high, scaled 0-1, points.

    `points` = 100 × weight × scaled / Σ weights of the figures present, so the points of
    a week add up to its health score. Without the weights table only `scaled` is known.
    """
    has_weights = not missing(con, (WEIGHTS_TABLE,))
    long = "\nunion all\n".join(
        f"select week_start, '{col}' as metric, '{label}' as label, '{direction}' as direction, "
        f"cast({col} as double) as metric_value from marts.mart_community_health_weekly"
        for col, label, direction in HEALTH_FIGURES
    )
    weights = (
        f"select metric, weight, direction from {WEIGHTS_TABLE}"
        if has_weights
        else "select null::varchar as metric, null::double as weight, null::varchar as direction"
    )
    return frame(
        con,
        f"""
        with long as ({long}),
        weights as ({weights}),
        ranged as (
            select *,
                min(metric_value) over w as low,
                max(metric_value) over w as high
            from long
            window w as (
                partition by metric order by week_start
                rows between 11 preceding and current row
            )
        ),
        scored as (
            select
                ranged.metric, ranged.label, ranged.metric_value as value, ranged.low, ranged.high,
                coalesce(weights.weight, {0.0 if has_weights else "null"}) as weight,
                case
                    when ranged.high = ranged.low then 0.5
                    when coalesce(weights.direction, ranged.direction) = 'lower'
                        then (ranged.high - ranged.metric_value) / (ranged.high - ranged.low)
                    else (ranged.metric_value - ranged.low) / (ranged.high - ranged.low)
                end as scaled
            from ranged
            left join weights on weights.metric = ranged.metric
            where ranged.week_start = ? and ranged.metric_value is not null
        )
        select *,
            100.0 * weight * scaled / nullif(sum(weight) over (), 0) as points
        from scored
        order by points desc nulls last, metric
        """,
        [week_start],
    )


def weekly_scores(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Health score and contributor counts per ISO week overlapping the date range."""
    where, params = clauses(filters, week="week_start")
    return frame(
        con,
        f"""
        select week_start, iso_week, health_score, active, new, "returning", inactive
        from marts.mart_community_health_weekly
        where true {where}
        order by week_start
        """,
        params,
    )


def daily_by_platform(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Contributions and active people per day and platform, every filter applied.

    Without a repository/channel choice and with bots left out (the defaults), the numbers
    are mart_engagement_daily's (human contributions per day and platform), read from its few
    thousand rows; otherwise only fct_activities has the container and the bot flag, and the
    same figures are counted from it (about 10x slower on a million activities).
    """
    if (
        not filters.containers
        and not filters.include_bots
        and not missing(con, ("mart_engagement_daily",))
    ):
        where, params = clauses(filters, day="activity_date", platform="platform")
        return frame(
            con,
            f"""
            select activity_date, platform, activities, active_contributors
            from marts.mart_engagement_daily
            where activities > 0 {where}
            order by activity_date, platform
            """,
            params,
        )
    where, params = clauses(
        filters, day="occurred_at", platform="platform", container="container", bot="is_bot"
    )
    return frame(
        con,
        f"""
        select cast(occurred_at as date) as activity_date, platform,
            count(*) as activities, count(distinct person_id) as active_contributors
        from marts.fct_activities
        where is_contribution {where}
        group by all
        order by activity_date, platform
        """,
        params,
    )


def week_figures(
    con: duckdb.DuckDBPyConnection, week_start: date
) -> dict[str, float | None] | None:
    """The EXTRA_KPIS of one week, or None when the mart has no such week."""
    columns = ", ".join(col for col, _, _ in EXTRA_KPIS)
    rows = con.execute(
        f"select {columns} from marts.mart_community_health_weekly where week_start = ?",
        [week_start],
    ).fetchall()
    if not rows:
        return None
    return {col: rows[0][i] for i, (col, _, _) in enumerate(EXTRA_KPIS)}


def overview(con: duckdb.DuckDBPyConnection, filters: Filters, week_start: date | None) -> Overview:
    """The page's data for the week the KPI cards show (`week_start`, None when no week)."""
    gone = missing(con, ("mart_community_health_weekly", "fct_activities"))
    if gone:
        return Overview(missing=tuple(gone))
    extra, previous, parts = {}, None, pl.DataFrame()
    if week_start is not None:
        extra = week_figures(con, week_start) or {}
        previous = week_figures(con, week_start - timedelta(days=7))
        parts = health_parts(con, week_start)
    return Overview(
        week_start=week_start,
        extra=extra,
        extra_previous=previous,
        parts=parts,
        weekly=weekly_scores(con, filters),
        daily=daily_by_platform(con, filters),
    )
