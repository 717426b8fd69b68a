"""Knowledge & content page data: FAQ with sources, documentation gaps, summary and drafts.

The ml.* tables are written by ml/ after the marts; any of them may be missing on a fresh
or partial warehouse (ml.faq is newer than the others), so each is read only when present
and the page says which are missing. Documentation gaps have no ML table yet: they are the
unanswered questions of mart_unanswered_questions grouped by the words they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl

from apps.streamlit.queries_common import Filters, clauses, frame, missing
from apps.streamlit.queries_gaps import group_gaps

FAQ, SUMMARIES, DRAFTS, WELCOMES = "ml.faq", "ml.summaries", "ml.drafts", "ml.welcomes"


@dataclass(frozen=True)
class Knowledge:
    missing: tuple[str, ...] = ()
    absent_ml: tuple[str, ...] = ()
    faq: pl.DataFrame = field(default_factory=pl.DataFrame)
    faq_sources: pl.DataFrame = field(default_factory=pl.DataFrame)
    gaps: pl.DataFrame = field(default_factory=pl.DataFrame)
    summary: dict | None = None
    drafts: pl.DataFrame = field(default_factory=pl.DataFrame)
    welcomes: pl.DataFrame = field(default_factory=pl.DataFrame)


def faq(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, pl.DataFrame]:
    """FAQ entries, most asked first, and their sources (activity id → platform, link)."""
    entries = frame(
        con,
        f"select faq_id, question, answer, frequency, updated_at from {FAQ} "
        "order by frequency desc nulls last, question",
    )
    sources = frame(
        con,
        f"""
        with ids as (
            select faq_id,
                unnest(from_json(cast(source_activity_ids as json), '["VARCHAR"]')) as activity_id
            from {FAQ}
        )
        select ids.faq_id, ids.activity_id, a.platform, a.container, a.url,
            left(split_part(coalesce(a.text, ''), chr(10), 1), 120) as text
        from ids
        left join marts.fct_activities as a on a.activity_id = ids.activity_id
        order by ids.faq_id, a.occurred_at
        """,
    )
    return entries, sources


def gaps(con: duckdb.DuckDBPyConnection, filters: Filters) -> pl.DataFrame:
    where, params = clauses(filters, day="asked_at", platform="platform", container="container")
    questions = frame(
        con,
        f"""
        select left(split_part(coalesce(text, ''), chr(10), 1), 160) as text, url,
            is_still_unanswered
        from marts.mart_unanswered_questions
        where true {where}
        order by asked_at
        """,
        params,
    )
    return group_gaps(questions)


def latest_period(con: duckdb.DuckDBPyConnection, table: str, last_week: str | None) -> str | None:
    """The newest ISO-week period in `table` not after `last_week` ('YYYY-Www' sorts as text)."""
    [(period,)] = con.execute(
        f"select max(period) from {table} where ?::varchar is null or period <= ?",
        [last_week, last_week],
    ).fetchall()
    return period


def knowledge(con: duckdb.DuckDBPyConnection, filters: Filters) -> Knowledge:
    gone = missing(con, ("mart_unanswered_questions", "fct_activities"))
    if gone:
        return Knowledge(missing=tuple(gone))
    absent = tuple(missing(con, (FAQ, SUMMARIES, DRAFTS, WELCOMES)))
    last_week = (
        f"{filters.end.isocalendar().year}-W{filters.end.isocalendar().week:02d}"
        if filters.end
        else None
    )
    entries, sources = faq(con) if FAQ not in absent else (pl.DataFrame(), pl.DataFrame())
    summary = None
    if SUMMARIES not in absent and (period := latest_period(con, SUMMARIES, last_week)):
        rows = frame(
            con,
            f"select period, kind, text, model, cast(sources as varchar) as sources, created_at "
            f"from {SUMMARIES} where period = ? order by kind = 'weekly' desc, kind limit 1",
            [period],
        )
        summary = rows.row(0, named=True) if rows.height else None
    drafts = pl.DataFrame()
    if DRAFTS not in absent and (period := latest_period(con, DRAFTS, last_week)):
        drafts = frame(
            con,
            f"select draft_id, kind, period, title, body, model, created_at from {DRAFTS} "
            "where period = ? order by kind, draft_id",
            [period],
        )
    welcomes = pl.DataFrame()
    if WELCOMES not in absent and (period := latest_period(con, WELCOMES, last_week)):
        welcomes = frame(
            con,
            f"""
            select coalesce(p.display_name, w.person_id) as display_name, w.platform, w.period,
                w.message
            from {WELCOMES} as w
            left join marts.dim_contributors as p on p.person_id = w.person_id
            where w.period = ?
            order by display_name
            """,
            [period],
        )
    return Knowledge(
        absent_ml=absent,
        faq=entries,
        faq_sources=sources,
        gaps=gaps(con, filters),
        summary=summary,
        drafts=drafts,
        welcomes=welcomes,
    )
