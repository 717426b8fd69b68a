"""What the weekly report adds to `ml.weekly_facts`: who may be overloaded, FAQ changes, charts.

The shared facts (figures, welcome, thank, unanswered) stay in `ml.weekly_facts` so the
summary and the report never disagree; this module reads the rest from marts and `ml.faq`
only. Each part is optional: a warehouse without the mart or table (an older build, a test
fixture) gives an empty part and the report says so, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import polars as pl

OVERLOADED_LIMIT = 5
FAQ_LIMIT = 10
CHART_WEEKS = 12
MIN_ASKERS = 2  # ml.faq keeps a group once two different people asked it (ml.faq.MIN_ASKERS)

# params: week_start, limit. Flagged = at least one component at or over its threshold
# (risk_reasons not empty); the previous week's risk shows the trend.
OVERLOADED_SQL = """
select h.person_id, coalesce(h.display_name, h.person_id) as name, h.is_maintainer,
       h.burnout_risk, p.burnout_risk as previous_risk, h.risk_reasons
from marts.mart_contributor_health as h
left join marts.mart_contributor_health as p
    on p.person_id = h.person_id and p.week_start = h.week_start - 7
where h.week_start = ? and h.burnout_risk is not null and coalesce(h.risk_reasons, '') <> ''
order by h.burnout_risk desc, name, h.person_id
limit ?
"""

# params: start, start, end, end, end, limit. An entry's questions are its sources that
# are questions; the FAQ "as of" a moment counts only questions asked before it, so entries are
# compared between the week's start and its end: new = reached MIN_ASKERS people this week.
FAQ_CHANGES_SQL = f"""
with sources as (
    select faq_id, unnest(from_json(source_activity_ids, '["varchar"]')) as activity_id
    from ml.faq
),
asked as (
    select s.faq_id, a.person_id, a.occurred_at
    from sources as s
    join marts.fct_activities as a on a.activity_id = s.activity_id
    where a.is_question
),
per_entry as (
    select faq_id,
        count(distinct person_id) filter (where occurred_at < ?) as askers_before,
        count(*) filter (where occurred_at >= ? and occurred_at < ?) as asked_this_week,
        count(distinct person_id) filter (where occurred_at < ?) as askers_by_end,
        count(*) filter (where occurred_at < ?) as asked_by_end
    from asked
    group by faq_id
)
select f.faq_id, f.question, f.answer is not null as is_answered, p.asked_this_week,
       p.asked_by_end, p.askers_before < {MIN_ASKERS} as is_new
from per_entry as p
join ml.faq as f on f.faq_id = p.faq_id
where p.asked_this_week > 0 and p.askers_by_end >= {MIN_ASKERS}
order by is_new desc, p.asked_this_week desc, f.faq_id
limit ?
"""


@dataclass(frozen=True)
class Overloaded:
    person_id: str
    name: str
    is_maintainer: bool
    risk: float
    previous_risk: float | None
    reasons: str

    @property
    def change(self) -> int | None:
        """Points up or down on the week before, as the rounded scores show it."""
        if self.previous_risk is None:
            return None
        return round(self.risk) - round(self.previous_risk)


@dataclass(frozen=True)
class FaqChange:
    faq_id: str
    question: str
    is_answered: bool
    asked_this_week: int
    asked_in_all: int
    is_new: bool


@dataclass(frozen=True)
class ReportExtras:
    overloaded: list[Overloaded] = field(default_factory=list)
    faq_changes: list[FaqChange] = field(default_factory=list)
    has_health: bool = False
    has_faq: bool = False
    weekly: pl.DataFrame = field(default_factory=pl.DataFrame)
    daily: pl.DataFrame = field(default_factory=pl.DataFrame)


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    # fetchall, not fetchone: duckdb 2 refuses a connection's next con.sql() while a result
    # is half read
    [(count,)] = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    return count > 0


def overloaded(con: duckdb.DuckDBPyConnection, week_start: date) -> list[Overloaded]:
    rows = con.execute(OVERLOADED_SQL, [week_start, OVERLOADED_LIMIT]).fetchall()
    return [
        Overloaded(r[0], r[1], bool(r[2]), float(r[3]), None if r[4] is None else float(r[4]), r[5])
        for r in rows
    ]


def faq_changes(con: duckdb.DuckDBPyConnection, week_start: date) -> list[FaqChange]:
    start = datetime.combine(week_start, datetime.min.time())
    end = start + timedelta(days=7)
    rows = con.execute(FAQ_CHANGES_SQL, [start, start, end, end, end, FAQ_LIMIT]).fetchall()
    return [FaqChange(r[0], r[1], bool(r[2]), int(r[3]), int(r[4]), bool(r[5])) for r in rows]


def chart_data(
    con: duckdb.DuckDBPyConnection, week_start: date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The last CHART_WEEKS weeks up to the report's: weekly contributors, daily activity."""
    from apps.streamlit.queries_common import frame

    first = week_start - timedelta(weeks=CHART_WEEKS - 1)
    weekly = pl.DataFrame()
    if table_exists(con, "marts", "mart_community_health_weekly"):
        weekly = frame(
            con,
            """
            select week_start, iso_week, active, new, "returning", inactive
            from marts.mart_community_health_weekly
            where week_start between ? and ? order by week_start
            """,
            [first, week_start],
        )
    daily = pl.DataFrame()
    if table_exists(con, "marts", "mart_engagement_daily"):
        daily = frame(
            con,
            """
            select activity_date, platform, activities
            from marts.mart_engagement_daily
            where activity_date between ? and ? order by activity_date, platform
            """,
            [first, week_start + timedelta(days=6)],
        )
    return weekly, daily


def gather_report_extras(con: duckdb.DuckDBPyConnection, week_start: date) -> ReportExtras:
    has_health = table_exists(con, "marts", "mart_contributor_health")
    has_faq = table_exists(con, "ml", "faq") and table_exists(con, "marts", "fct_activities")
    weekly, daily = chart_data(con, week_start)
    return ReportExtras(
        overloaded=overloaded(con, week_start) if has_health else [],
        faq_changes=faq_changes(con, week_start) if has_faq else [],
        has_health=has_health,
        has_faq=has_faq,
        weekly=weekly,
        daily=daily,
    )
