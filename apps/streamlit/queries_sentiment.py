"""Sentiment page data: weekly mood per channel and the threads that went most negative.

The weekly series is mart_sentiment_weekly as it stands. Threads are not a mart grain, so
they are ranked here from ml.sentiment (one score per activity, written by ml/sentiment.py)
joined to fct_activities; ml.sentiment is absent until the ML step ran, which the page
reports instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing

NEEDS = ("mart_sentiment_weekly", "fct_activities")
SCORES = "ml.sentiment"
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
    """
    where, params = clauses(
        filters, day="a.occurred_at", platform="a.platform", container="a.container", bot="a.is_bot"
    )
    return frame(
        con,
        f"""
        with scored as (
            select coalesce(a.thread_id, a.activity_id) as thread, a.platform, a.container,
                a.occurred_at, a.text, a.url, s.compound
            from marts.fct_activities as a
            inner join {SCORES} as s on s.activity_id = a.activity_id
            where true {where}
        ),
        openers as (
            select coalesce(thread_id, activity_id) as thread,
                min_by(text, occurred_at) as first_text, min_by(url, occurred_at) as first_url
            from marts.fct_activities
            where coalesce(thread_id, activity_id) in (select thread from scored)
            group by 1
        )
        select
            scored.thread as thread_id,
            any_value(scored.platform) as platform,
            any_value(scored.container) as container,
            min(scored.occurred_at) as started_at,
            count(*) as messages,
            avg(scored.compound) as avg_compound,
            min(scored.compound) as min_compound,
            avg(case when scored.compound < {NEGATIVE_BELOW} then 1.0 else 0.0 end)
                as share_negative,
            left(split_part(any_value(openers.first_text), chr(10), 1), 120) as title,
            coalesce(any_value(openers.first_url), min_by(scored.url, scored.occurred_at)) as url
        from scored
        left join openers on openers.thread = scored.thread
        group by scored.thread
        order by avg_compound, min_compound
        limit {int(limit)}
        """,
        params,
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
