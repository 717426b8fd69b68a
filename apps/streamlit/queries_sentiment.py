"""Sentiment page data: weekly mood per channel and the threads that went most negative.

The weekly series is mart_sentiment_weekly as it stands. Threads are ranked from
mart_sentiment_thread_days (scores of ml/sentiment.py summed per thread and day), or from
ml.sentiment joined to fct_activities before the after_ml step built it; ml.sentiment is
absent until the ML step ran, which the page reports instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing

NEEDS = ("mart_sentiment_weekly", "fct_activities")
SCORES = "ml.sentiment"
THREAD_DAYS = "mart_sentiment_thread_days"  # scored messages per thread × day, after_ml
NEGATIVE_BELOW = -0.3  # DESIGN §5: a message is negative when its compound is below -0.3


@dataclass(frozen=True)
class Sentiment:
    missing: tuple[str, ...] = ()
    has_scores: bool = False
    weekly: pl.DataFrame = field(default_factory=pl.DataFrame)
    threads: pl.DataFrame = field(default_factory=pl.DataFrame)


def weekly(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    """Per ISO week × platform × container: scored messages, mean compound, negative share."""
    where, params = clauses(filters, week="week_start", platform="platform", container="container")
    return frame(
        con,
        f"""
        select week_start, iso_week, platform, container, messages, avg_compound, share_negative
        from marts.mart_sentiment_weekly
        where true {where}
        order by week_start, platform, container
        """,
        params,
    )


def negative_threads(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 15
) -> pl.DataFrame:
    """Threads with scored messages in the range, lowest mean compound first.

    A thread is fct_activities.thread_id (an activity without one is its own thread); its
    title and link are those of its earliest activity.

    Summed from mart_sentiment_thread_days (every sidebar filter applies to its rows as to
    single activities); a warehouse whose after_ml step has not built it yet is ranked from
    ml.sentiment joined to fct_activities (~0.5 s at 1M activities).
    """
    if missing(con, (THREAD_DAYS,)):
        return _negative_threads_from_activities(con, filters, limit)
    where, params = clauses(
        filters, day="activity_date", platform="platform", container="container", bot="is_bot"
    )
    days_where, _ = clauses(
        filters,
        day="days.activity_date",
        platform="days.platform",
        container="days.container",
        bot="days.is_bot",
    )
    return frame(
        con,
        f"""
        with ranked as (
            select
                thread_id,
                min(first_scored_at) as started_at,
                cast(sum(messages) as bigint) as messages,
                cast(sum(sum_compound) / sum(messages) as double) as avg_compound,
                min(min_compound) as min_compound,
                cast(sum(negative_messages) as double) / sum(messages) as share_negative
            from marts.{THREAD_DAYS}
            where true {where}
            group by thread_id
            order by avg_compound, min_compound, thread_id
            limit {int(limit)}
        ),
        worst as (
            -- names and links are read for the few ranked threads only
            select ranked.*,
                any_value(days.platform) as platform,
                any_value(days.container) as container,
                min_by(days.first_scored_url, days.first_scored_at) as first_scored_url,
                any_value(days.thread_title) as title,
                any_value(days.thread_url) as thread_url
            from ranked
            inner join marts.{THREAD_DAYS} as days on days.thread_id = ranked.thread_id
            where true {days_where}
            group by all
        )
        select thread_id, platform, container, started_at, messages, avg_compound,
            min_compound, share_negative, title, coalesce(thread_url, first_scored_url) as url
        from worst
        order by avg_compound, min_compound, thread_id
        """,
        [*params, *params],
    )


def _negative_threads_from_activities(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int
) -> pl.DataFrame:
    """negative_threads ranked from ml.sentiment joined to fct_activities."""
    where, params = clauses(
        filters, day="a.occurred_at", platform="a.platform", container="a.container", bot="a.is_bot"
    )
    # the worst threads are ranked on numbers only; texts and links are then read for those
    # few threads (carrying every message's text through the ranking took seconds at 1M)
    return frame(
        con,
        f"""
        with scored as (
            select coalesce(a.thread_id, a.activity_id) as thread, a.occurred_at, s.compound
            from marts.fct_activities as a
            inner join {SCORES} as s on s.activity_id = a.activity_id
            where true {where}
        ),
        ranked as (
            select
                thread,
                min(occurred_at) as started_at,
                count(*) as messages,
                avg(compound) as avg_compound,
                min(compound) as min_compound,
                avg(case when compound < {NEGATIVE_BELOW} then 1.0 else 0.0 end)
                    as share_negative
            from scored
            group by thread
            order by avg_compound, min_compound, thread
            limit {int(limit)}
        ),
        worst as (
            select ranked.*,
                any_value(a.platform) as platform,
                any_value(a.container) as container,
                min_by(a.url, a.occurred_at) as first_scored_url
            from ranked
            inner join marts.fct_activities as a
                on coalesce(a.thread_id, a.activity_id) = ranked.thread
            inner join {SCORES} as s on s.activity_id = a.activity_id
            where true {where}
            group by all
        ),
        openers as (
            select coalesce(thread_id, activity_id) as thread,
                min_by(text, occurred_at) as first_text, min_by(url, occurred_at) as first_url
            from marts.fct_activities
            where coalesce(thread_id, activity_id) in (select thread from worst)
            group by 1
        )
        select
            worst.thread as thread_id,
            worst.platform,
            worst.container,
            worst.started_at,
            worst.messages,
            worst.avg_compound,
            worst.min_compound,
            worst.share_negative,
            left(split_part(openers.first_text, chr(10), 1), 120) as title,
            coalesce(openers.first_url, worst.first_scored_url) as url
        from worst
        left join openers on openers.thread = worst.thread
        order by worst.avg_compound, worst.min_compound, worst.thread
        """,
        [*params, *params],
    )


def sentiment(con: duckdb.DuckDBPyConnection, filters: Filters) -> Sentiment:
    gone = missing(con, NEEDS)
    if gone:
        return Sentiment(missing=tuple(gone))
    has_scores = not missing(con, (SCORES,))
    return Sentiment(
        has_scores=has_scores,
        weekly=weekly(con, filters),
        threads=negative_threads(con, filters) if has_scores else pl.DataFrame(),
    )
