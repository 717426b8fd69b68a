"""The facts of one ISO week, read from the marts: one source for the summary and the report.

The weekly summary (LLM or offline) and the Markdown report must never disagree on a number,
so both take their figures, names and questions from `gather_weekly_facts`. Headline counts
come from `marts.mart_community_health_weekly` (the metric definitions live in dbt, not
here); the lists (who to thank or welcome, unanswered questions, busiest places) are read
from `marts.fct_activities` with bots excluded, as DESIGN §5 requires for human metrics.
Every list is ordered with a full tie-break so the same warehouse gives the same output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from ml.weekly_queries import (
    BUSIEST_SQL,
    MESSAGES_SQL,
    THANK_SQL,
    UNANSWERED_SQL,
    WELCOME_SQL,
)

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
FIGURES = (
    ("active", "Active contributors"),
    ("new", "New contributors"),
    ("returning", "Returning contributors"),
    ("inactive", "Inactive contributors"),
    ("activities", "Activities"),
)
THANK_LIMIT = 5
BUSIEST_LIMIT = 3
MESSAGE_LIMIT = 200
MESSAGE_CHARS = 500


def parse_iso_week(iso_week: str) -> date:
    """Monday of 'YYYY-Www'; a clear error for anything else."""
    match = _ISO_WEEK.match(iso_week or "")
    if not match:
        raise ValueError(f"week must look like 2026-W07, got {iso_week!r}")
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as exc:
        raise ValueError(f"{iso_week} is not a week of {match[1]}") from exc


def format_iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def latest_complete_week(con: duckdb.DuckDBPyConnection) -> str:
    """The last ISO week whose every day is covered by the data: the watermark's own week when
    the newest activity falls on its Sunday, else the week before.

    The data's own watermark (not the wall clock) decides, so a report of an older export is
    the same every time it is rendered. The dashboards' Overview judges completeness by the
    same day-level rule (apps/streamlit/queries.py `latest_week_kpis`), so both name the same week.
    """
    rows = con.execute("select min(occurred_at), max(occurred_at) from marts.fct_activities").fetchall()
    if not rows or rows[0][1] is None:
        raise LookupError("no activities in marts.fct_activities; run `codeconvene build` first")
    first, watermark = rows[0]
    monday = watermark.date() - timedelta(days=watermark.weekday())
    first_monday = first.date() - timedelta(days=first.weekday())
    if monday == first_monday:
        # all the data sits in one week (a few hours of an export): that week is all there is
        return format_iso_week(monday)
    if watermark.weekday() == 6:  # an export that ends on a Sunday holds that whole week
        return format_iso_week(monday)
    return format_iso_week(monday - timedelta(days=7))


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    previous: int | None

    @property
    def delta(self) -> int | None:
        return None if self.previous is None else self.value - self.previous


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    contributions: int = 0
    first_at: datetime | None = None
    platform: str | None = None
    container: str | None = None


@dataclass(frozen=True)
class Question:
    activity_id: str
    name: str
    platform: str
    container: str | None
    asked_at: datetime
    url: str | None
    text: str


@dataclass(frozen=True)
class Place:
    platform: str
    container: str
    activities: int


@dataclass(frozen=True)
class Message:
    activity_id: str
    text: str


@dataclass(frozen=True)
class WeeklyFacts:
    iso_week: str
    week_start: date
    figures: list[Figure]
    thank: list[Person] = field(default_factory=list)
    welcome: list[Person] = field(default_factory=list)
    unanswered: list[Question] = field(default_factory=list)
    busiest: list[Place] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    @property
    def week_end(self) -> date:
        """Last day (Sunday) of the week."""
        return self.week_start + timedelta(days=6)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def sources(self) -> dict[str, list[str]]:
        """What an output built from these facts rests on: mart rows and activity ids."""
        previous = format_iso_week(self.week_start - timedelta(days=7))
        ids = {m.activity_id for m in self.messages} | {q.activity_id for q in self.unanswered}
        return {
            "marts": [
                f"marts.mart_community_health_weekly:{self.iso_week}",
                f"marts.mart_community_health_weekly:{previous}",
                f"marts.fct_activities:{self.iso_week}",
                "marts.dim_contributors",
            ],
            "activity_ids": sorted(ids),
        }

    def as_data(self, unanswered_limit: int = 20) -> dict[str, Any]:
        """The JSON document a prompt fences; names and numbers only, no instructions."""
        return {
            "week": self.iso_week,
            "week_start": self.week_start.isoformat(),
            "week_end": self.week_end.isoformat(),
            "figures": {
                f.key: {
                    "label": f.label,
                    "value": f.value,
                    "previous_week": f.previous,
                    "delta": f.delta,
                }
                for f in self.figures
            },
            "thank": [{"name": p.name, "contributions": p.contributions} for p in self.thank],
            "welcome": [{"name": p.name, "platform": p.platform} for p in self.welcome],
            "unanswered_count": len(self.unanswered),
            "unanswered": [
                {
                    "name": q.name,
                    "platform": q.platform,
                    "container": q.container,
                    "asked_at": q.asked_at.isoformat(),
                    "text": q.text[:MESSAGE_CHARS],
                }
                for q in self.unanswered[:unanswered_limit]
            ],
            "busiest": [
                {"platform": p.platform, "container": p.container, "activities": p.activities}
                for p in self.busiest
            ],
            "messages": [{"id": m.activity_id, "text": m.text} for m in self.messages],
        }


def gather_weekly_facts(con: duckdb.DuckDBPyConnection, iso_week: str | None = None) -> WeeklyFacts:
    """Everything a weekly summary or report says about `iso_week` (latest complete week)."""
    iso_week = iso_week or latest_complete_week(con)
    start = parse_iso_week(iso_week)
    bounds = [
        datetime.combine(start, datetime.min.time()),
        datetime.combine(start + timedelta(days=7), datetime.min.time()),
    ]
    return WeeklyFacts(
        iso_week=iso_week,
        week_start=start,
        figures=_figures(con, iso_week, start),
        thank=[
            Person(r[0], r[1], contributions=int(r[2]))
            for r in con.execute(THANK_SQL, [*bounds, THANK_LIMIT]).fetchall()
        ],
        welcome=[
            Person(r[0], r[1], first_at=r[2], platform=r[3], container=r[4])
            for r in con.execute(WELCOME_SQL, bounds).fetchall()
        ],
        unanswered=[
            Question(*r[:6], text=r[6] or "")
            for r in con.execute(UNANSWERED_SQL, bounds).fetchall()
        ],
        busiest=[
            Place(r[0], r[1], int(r[2]))
            for r in con.execute(BUSIEST_SQL, [*bounds, BUSIEST_LIMIT]).fetchall()
        ],
        messages=[
            Message(r[0], r[1])
            for r in con.execute(MESSAGES_SQL, [MESSAGE_CHARS, *bounds, MESSAGE_LIMIT]).fetchall()
        ],
    )


def _figures(con: duckdb.DuckDBPyConnection, iso_week: str, start: date) -> list[Figure]:
    # quoted: `returning` is a reserved word in DuckDB
    columns = ", ".join(f'"{key}"' for key, _ in FIGURES)
    rows = con.execute(
        f"select week_start, {columns} from marts.mart_community_health_weekly "
        "where week_start in (?, ?)",
        [start, start - timedelta(days=7)],
    ).fetchall()
    by_start = {row[0]: row[1:] for row in rows}
    if start not in by_start:
        raise LookupError(f"no row for {iso_week} in marts.mart_community_health_weekly")
    current, previous = by_start[start], by_start.get(start - timedelta(days=7))
    return [
        Figure(
            key, label, int(current[i] or 0), None if previous is None else int(previous[i] or 0)
        )
        for i, (key, label) in enumerate(FIGURES)
    ]
