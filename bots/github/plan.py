"""What the GitHub bot would do, decided from the warehouse alone: welcomes, labels, duplicates.

Pure (no PyGithub): `plan(con, since)` returns `Action`s; `bots.github.apply` checks them
against the live repository (labels that exist, comments already there) and posts.
- **welcome**: a person whose first GitHub contribution (human, `is_contribution`) is an
  issue or pull request opened since `since` gets a comment on it: the `ml.welcomes`
  message when it was written for that same first activity, else the same offline template
  (`ml.welcome`) with good-first-issue suggestions, then next steps for an issue or a PR.
- **labels**: an issue opened since `since` gets the labels `ml.issue_triage` suggests.
- **duplicate**: the same issue, when triage found a likely earlier duplicate, gets a comment
  linking it with the similarity.
Each comment carries a hidden marker (`<!-- codeconvene:welcome -->`), so a comment already
on the issue is found through the API and never posted twice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import duckdb

from ml.llm.offline import render_offline
from ml.tables import table_exists
from ml.welcome import open_good_first_issues, welcome_data
from ml.welcome_match import Newcomer, suggest_issues

Kind = Literal["welcome", "labels", "duplicate"]
DEFAULT_DAYS = 14
_THREAD = re.compile(r"^github:([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#(\d+)$")

NEXT_STEPS = {
    "issue_opened": [
        (
            "A maintainer will look at this issue and may ask for details; "
            "steps to reproduce and the version you use help the most."
        ),
        "If you would like to fix it yourself, say so here and we will point you to the right place.",
    ],
    "pr_opened": [
        "A maintainer will review your pull request; the checks below show whether the tests pass.",
        "If this is your first PR here, the contributing guide explains how reviews work.",
    ],
}

# First GitHub contribution per person, when it is an issue or a PR opened since `since`.
FIRST_ITEMS_SQL = """
with firsts as (
    select person_id, arg_min(activity_id, (occurred_at, activity_id)) as activity_id
    from marts.fct_activities
    where platform = 'github' and is_contribution and not coalesce(is_bot, false)
    group by person_id
)
select a.person_id, coalesce(c.display_name, a.person_id), a.activity_id, a.platform,
       a.activity_type, a.container, a.text, a.url, a.thread_id
from firsts as f
join marts.fct_activities as a on a.activity_id = f.activity_id
left join marts.dim_contributors as c on c.person_id = a.person_id
where a.activity_type in ('issue_opened', 'pr_opened') and a.occurred_at >= ?
  and not coalesce(c.is_bot, false)
order by a.occurred_at, a.activity_id
"""

# Triage of issues opened since `since` (ml.issue_triage holds open issues only).
TRIAGE_SQL = """
select t.issue_id, t.labels, t.duplicate_of, t.similarity
from ml.issue_triage as t
join marts.fct_activities as o on o.thread_id = t.issue_id and o.activity_type = 'issue_opened'
where o.occurred_at >= ?
order by o.occurred_at, t.issue_id
"""


@dataclass(frozen=True)
class Action:
    """One thing to do on one issue or PR: a comment (`body`) or labels to add."""

    kind: Kind
    repo: str
    number: int
    body: str | None = None
    labels: tuple[str, ...] = ()
    reason: str = ""
    source_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def target(self) -> str:
        return f"{self.repo}#{self.number}"

    @property
    def marker(self) -> str:
        return marker(self.kind)


def marker(kind: str) -> str:
    """The hidden HTML comment that identifies a comment this bot posted, by kind."""
    return f"<!-- codeconvene:{kind} -->"


def parse_thread(thread_id: str | None) -> tuple[str, int] | None:
    """'github:owner/repo#12' → ('owner/repo', 12); anything else → None."""
    match = _THREAD.match(thread_id or "")
    return (match[1], int(match[2])) if match else None


def default_since(con: duckdb.DuckDBPyConnection, days: int = DEFAULT_DAYS) -> datetime | None:
    """`days` before the newest activity: "new" relative to the data, so replays agree."""
    [(newest,)] = con.execute("select max(occurred_at) from marts.fct_activities").fetchall()
    return newest - timedelta(days=days) if newest else None


def welcome_body(con: duckdb.DuckDBPyConnection, newcomer: Newcomer, issues: list) -> str:
    stored = None
    if table_exists(con, "ml", "welcomes"):
        row = con.execute(
            "select message from ml.welcomes where person_id = ? and first_activity_id = ?",
            [newcomer.person_id, newcomer.first_activity_id],
        ).fetchone()
        stored = row[0] if row else None
    if stored is None:
        picks = suggest_issues(newcomer, issues) if issues else []
        stored = render_offline("welcome_message", welcome_data(newcomer.container or "the project", newcomer, picks))
    steps = "\n".join(f"- {line}" for line in NEXT_STEPS.get(newcomer.kind, []))
    return f"{stored.strip()}\n\n**Next steps**\n{steps}\n\n{marker('welcome')}"


def welcomes(con: duckdb.DuckDBPyConnection, since: datetime) -> list[Action]:
    rows = con.execute(FIRST_ITEMS_SQL, [since]).fetchall()
    issues = open_good_first_issues(con) if rows else []
    actions = []
    for *fields, thread_id in rows:
        target = parse_thread(thread_id)
        if target is None:
            continue
        newcomer = Newcomer(*fields)
        actions.append(Action("welcome", *target, body=welcome_body(con, newcomer, issues),
                              reason=f"first contribution of {newcomer.name}",
                              source_ids=(newcomer.first_activity_id,)))
    return actions


def duplicate_body(original: str, similarity: float | None) -> str:
    link = original
    found = parse_thread(original)
    if found:
        link = f"{found[0]}#{found[1]}"
    how = f" (title similarity {similarity:.2f})" if similarity is not None else ""
    return (
        f"This issue may be a duplicate of {link}{how}. If it is, the discussion there may already "
        "have an answer or a workaround; if it is not, a maintainer will remove this hint.\n\n"
        f"{marker('duplicate')}"
    )


def triage(con: duckdb.DuckDBPyConnection, since: datetime) -> list[Action]:
    if not table_exists(con, "ml", "issue_triage"):
        return []
    actions = []
    for issue_id, labels, duplicate_of, similarity in con.execute(TRIAGE_SQL, [since]).fetchall():
        target = parse_thread(issue_id)
        if target is None:
            continue
        wanted = tuple(str(label) for label in json.loads(labels or "[]") if str(label).strip())
        if wanted:
            actions.append(Action("labels", *target, labels=wanted, reason="triage", source_ids=(issue_id,)))
        if duplicate_of:
            actions.append(Action("duplicate", *target, body=duplicate_body(duplicate_of, similarity),
                                  reason="triage", source_ids=(issue_id, duplicate_of)))
    return actions


def plan(con: duckdb.DuckDBPyConnection, since: datetime | None = None, days: int = DEFAULT_DAYS) -> list[Action]:
    """Every action for items opened since `since` (default: `days` before the newest activity)."""
    if not table_exists(con, "marts", "fct_activities"):
        return []
    since = since or default_since(con, days)
    if since is None:
        return []
    return welcomes(con, since) + triage(con, since)
