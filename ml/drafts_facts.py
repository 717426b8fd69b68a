"""What a period's drafts may say: releases, merged pull requests, discussions, people.

Drafts (a blog post, release notes, social posts) are written from these facts only, by
the offline templates or by a hosted model that receives them fenced as data. Every fact
keeps the activity id it comes from, so each stored draft can list its sources (DESIGN §6).
Titles are the first line of the opening text; community text is never trusted to be a
single line and is flattened by the templates (`ml.llm.wording.one_line`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from ml.drafts_queries import (
    FIRST_MERGE_SQL,
    PREVIOUS_RELEASE_SQL,
    PROJECT_SQL,
    RELEASES_SQL,
    discussions_sql,
    merged_prs_sql,
)
from ml.llm.wording import first_line
from ml.tables import table_exists
from ml.weekly_facts import parse_iso_week
from ml.weekly_queries import THANK_SQL, WELCOME_SQL

DISCUSSION_LIMIT = 3
THANK_LIMIT = 8
PR_LIMIT = 40  # listed in a prompt; the rest are counted
EPOCH = datetime(1970, 1, 1)
_NUMBER = re.compile(r"#(\d+)$")


@dataclass(frozen=True)
class Release:
    activity_id: str
    container: str | None
    name: str
    url: str | None
    published_at: datetime

    def as_data(self) -> dict[str, Any]:
        return {
            "id": self.activity_id,
            "name": self.name,
            "repository": self.container,
            "url": self.url,
            "published_on": self.published_at.date().isoformat(),
        }


@dataclass(frozen=True)
class MergedPR:
    merge_id: str
    opened_id: str | None
    thread_id: str | None
    container: str | None
    title: str
    url: str | None
    author_id: str | None
    author: str | None
    is_bot: bool
    merged_at: datetime

    @property
    def number(self) -> str | None:
        match = _NUMBER.search(self.thread_id or "")
        return f"#{match[1]}" if match else None

    @property
    def ids(self) -> list[str]:
        return [i for i in (self.merge_id, self.opened_id) if i]

    def as_data(self) -> dict[str, Any]:
        return {
            "id": self.merge_id,
            "number": self.number,
            "title": self.title,
            "repository": self.container,
            "url": self.url,
            "author": self.author,
            "is_bot": self.is_bot,
        }


@dataclass(frozen=True)
class Discussion:
    activity_id: str
    platform: str
    container: str | None
    title: str
    url: str | None
    replies: int
    participants: int
    reactions: int

    def as_data(self) -> dict[str, Any]:
        return {
            "id": self.activity_id,
            "title": self.title,
            "platform": self.platform,
            "place": self.container,
            "url": self.url,
            "replies": self.replies,
            "participants": self.participants,
            "reactions": self.reactions,
        }


@dataclass(frozen=True)
class PeriodFacts:
    """One ISO week's material for the blog post and the social posts."""

    period: str
    week_start: date
    project: str
    releases: list[Release] = field(default_factory=list)
    merged_prs: list[MergedPR] = field(default_factory=list)
    discussions: list[Discussion] = field(default_factory=list)
    thank: list[str] = field(default_factory=list)
    welcome: list[str] = field(default_factory=list)
    summary: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.releases or self.merged_prs or self.discussions)

    def activity_ids(self) -> list[str]:
        ids = {r.activity_id for r in self.releases} | {d.activity_id for d in self.discussions}
        ids.update(i for pr in self.merged_prs for i in pr.ids)
        return sorted(ids)

    def as_data(self) -> dict[str, Any]:
        human = [pr for pr in self.merged_prs if not pr.is_bot]
        return {
            "period": self.period,
            "week_start": self.week_start.isoformat(),
            "week_end": (self.week_start + timedelta(days=6)).isoformat(),
            "project": self.project,
            "summary": self.summary,
            "releases": [r.as_data() for r in self.releases],
            "merged_prs": [pr.as_data() for pr in human[:PR_LIMIT]],
            "merged_prs_total": len(human),
            "automated_prs": len(self.merged_prs) - len(human),
            "discussions": [d.as_data() for d in self.discussions],
            "thank": self.thank,
            "welcome": self.welcome,
        }


@dataclass(frozen=True)
class ReleaseFacts:
    """One release: what was merged since the previous one, and who to thank."""

    project: str
    release: Release
    previous: Release | None
    merged_prs: list[MergedPR]
    contributors: list[str]
    first_timers: list[tuple[str, MergedPR]]

    def activity_ids(self) -> list[str]:
        ids = {self.release.activity_id}
        ids.update(i for pr in self.merged_prs for i in pr.ids)
        return sorted(ids)

    def as_data(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "release": self.release.as_data(),
            "previous_release": self.previous.as_data() if self.previous else None,
            "merged_prs": [pr.as_data() for pr in self.merged_prs[:PR_LIMIT]],
            "merged_prs_total": len(self.merged_prs),
            "contributors": self.contributors,
            "first_time_contributors": [
                {"name": name, "pr": pr.as_data()} for name, pr in self.first_timers
            ],
        }


def gather_period_facts(con: duckdb.DuckDBPyConnection, period: str) -> PeriodFacts:
    start = parse_iso_week(period)
    bounds = [
        datetime.combine(start, datetime.min.time()),
        datetime.combine(start + timedelta(days=7), datetime.min.time()),
    ]
    with_reactions = table_exists(con, "marts", "mart_responsiveness__reactions")
    return PeriodFacts(
        period=period,
        week_start=start,
        project=project_name(con),
        releases=[_release(r) for r in con.execute(RELEASES_SQL, bounds).fetchall()],
        merged_prs=[
            _merged(r) for r in con.execute(merged_prs_sql(release_window=False), bounds).fetchall()
        ],
        discussions=[
            Discussion(
                r[0],
                r[1],
                r[2],
                first_line(r[3]) or f"A thread in {r[2] or r[1]}",
                r[4],
                int(r[5]),
                int(r[6]),
                int(r[7]),
            )
            for r in con.execute(
                discussions_sql(with_reactions=with_reactions), [*bounds, DISCUSSION_LIMIT]
            ).fetchall()
        ],
        thank=[r[1] for r in con.execute(THANK_SQL, [*bounds, THANK_LIMIT]).fetchall()],
        welcome=[r[1] for r in con.execute(WELCOME_SQL, bounds).fetchall()],
        summary=_weekly_summary(con, period),
    )


def gather_release_facts(
    con: duckdb.DuckDBPyConnection, release: Release, project: str
) -> ReleaseFacts:
    """Merged PRs in `(previous release, this release]` of the same repository."""
    row = con.execute(
        PREVIOUS_RELEASE_SQL, [release.container, release.published_at, release.activity_id]
    ).fetchone()
    previous = _release(row) if row else None
    after = previous.published_at if previous else EPOCH
    prs = [
        _merged(r)
        for r in con.execute(
            merged_prs_sql(release_window=True),
            [release.container, after, release.published_at],
        ).fetchall()
    ]
    first_merged = dict(con.execute(FIRST_MERGE_SQL, [release.container]).fetchall())
    counts: dict[str, int] = {}
    first_timers: list[tuple[str, MergedPR]] = []
    for pr in prs:
        if pr.is_bot or not pr.author:
            continue
        counts[pr.author] = counts.get(pr.author, 0) + 1
        # prs are in merge order, so an author's first PR here is their first ever merged
        first_at = first_merged.get(pr.author_id)
        is_first = first_at is not None and first_at > after
        if is_first and all(name != pr.author for name, _ in first_timers):
            first_timers.append((pr.author, pr))
    contributors = sorted(counts, key=lambda name: (-counts[name], name.casefold(), name))
    return ReleaseFacts(project, release, previous, prs, contributors, first_timers)


def project_name(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute(PROJECT_SQL).fetchone()
    return row[0] if row else "the community"


def _release(row: tuple) -> Release:
    activity_id, container, text, url, published_at = row
    return Release(activity_id, container, first_line(text) or "a new release", url, published_at)


def _merged(row: tuple) -> MergedPR:
    merge_id, opened_id, thread_id, container, text, url, author_id, author, is_bot, at = row
    number = _NUMBER.search(thread_id or "")
    title = first_line(text) or (f"Pull request #{number[1]}" if number else "A pull request")
    return MergedPR(
        merge_id, opened_id, thread_id, container, title, url, author_id, author, bool(is_bot), at
    )


def _weekly_summary(con: duckdb.DuckDBPyConnection, period: str) -> str | None:
    if not table_exists(con, "ml", "summaries"):
        return None
    row = con.execute(
        "select text from ml.summaries where period = ? and kind = 'weekly'", [period]
    ).fetchone()
    return row[0] if row else None
