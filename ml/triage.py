"""Triage of open GitHub issues: type, priority, labels, duplicate and who could answer.

One row per open issue (an `issue_opened` and no `issue_closed`; reopening is not an
activity yet, so a reopened issue counts as closed) in `ml.issue_triage`:
- type and priority by the keyword rules of `ml.knowledge_classify` (or the LLM provider
  when `triage: {classifier: llm}`), `model` says which;
- labels suggested from the repository's own label set (labels seen on its issues in the
  raw payloads), never invented;
- `duplicate_of` the earlier issue of the same type it most likely repeats, with the
  title-embedding `similarity`, when that is at least `DUPLICATE_THRESHOLD`
  (`ml.knowledge_duplicates`);
- `suggested_responder`: the person who answered the most similar issues (similarity
  weighted), still active in the last `ACTIVE_DAYS` days and not the issue's author.

Duplicates are searched among all earlier issues, closed ones included (a duplicate of a
fixed bug is the most useful hint of all).

`DUPLICATE_THRESHOLD` was tuned with `ml.knowledge_duplicates.tune_threshold` (the highest
threshold keeping recall >= 0.9; F2 picks the same) on the planted duplicates of two simulated
communities kept apart from the evaluation: seeds 1 and 2 (300 people, 52 weeks to
2026-11-22; 42 labelled duplicates; recall 0.90, flag precision 0.36 there). Judged by
`bench/quality.py` on other seeds at 0.79: the default community (seed 7) precision@1 1.00,
recall 0.88, flag precision 0.36; seed 3 0.91 / 0.79 / 0.36; seed 21 0.95 / 0.89 / 0.34.
About 2 in 3 reported duplicates are near misses (same component and context, another
symptom: all-MiniLM-L6-v2 puts "crashes" and "times out" close), hence "candidate": a hint
for a maintainer, with its similarity. `triage: {duplicate_threshold: x}` overrides it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from ml.embeddings import Embedder
from ml.index import vectors_for
from ml.knowledge_classify import classify_issue, suggest_labels
from ml.knowledge_duplicates import Match, closest_earlier, duplicate_text, report_duplicates
from ml.knowledge_triage_llm import RULES_MODEL, llm_classification
from ml.llm.provider import LLMProvider
from ml.tables import ensure_ml_table, table_exists, utc_now

DUPLICATE_THRESHOLD = 0.79
RESPONDER_NEIGHBOURS = 10
RESPONDER_MIN_SIMILARITY = 0.5
ACTIVE_DAYS = 90
_ME_TOO = re.compile(r"^\W*(\+1|same here|me too|also (affected|seeing)|same (issue|problem)|"
                     r"seeing this too|we hit this)", re.IGNORECASE)

TRIAGE_DDL = """
create table if not exists ml.issue_triage (
    issue_id varchar primary key,
    type varchar not null,
    priority varchar not null,
    labels json not null,
    duplicate_of varchar,
    similarity double,
    suggested_responder varchar,
    model varchar not null,
    triaged_at timestamp not null
)
"""


@dataclass(frozen=True)
class TriageOptions:
    """`triage:` in codeconvene.yaml: `duplicate_threshold`, `classifier` (rules | llm)."""

    duplicate_threshold: float = DUPLICATE_THRESHOLD
    classifier: str = "rules"

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> TriageOptions:
        config = config or {}
        return cls(float(config.get("duplicate_threshold", DUPLICATE_THRESHOLD)),
                   str(config.get("classifier", "rules")))


@dataclass(frozen=True)
class Issue:
    issue_id: str  # the thread id, e.g. github:owner/repo#12
    person_id: str
    repo: str
    opened_at: datetime
    title: str
    body: str
    is_open: bool


def load_issues(con: duckdb.DuckDBPyConnection) -> list[Issue]:
    """Every human-opened issue, oldest first, with whether it is still open."""
    rows = con.execute(
        """
        with opened as (
            select thread_id, person_id, container, occurred_at, text,
                row_number() over (partition by thread_id order by occurred_at, activity_id) as n
            from marts.fct_activities
            where activity_type = 'issue_opened' and not coalesce(is_bot, false)
        ),
        closed as (
            select distinct thread_id from marts.fct_activities where activity_type = 'issue_closed'
        )
        select o.thread_id, o.person_id, o.container, o.occurred_at, coalesce(o.text, ''),
            c.thread_id is null as is_open
        from opened as o left join closed as c using (thread_id)
        where o.n = 1
        order by o.occurred_at, o.thread_id
        """
    ).fetchall()
    issues = []
    for thread_id, person_id, repo, opened_at, text, is_open in rows:
        title, _, body = text.partition("\n")
        issues.append(Issue(thread_id, person_id, repo, opened_at, title.strip() or text[:200],
                            body.strip(), bool(is_open)))
    return issues


def repository_labels(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Labels each repository has put on its issues, from GH Archive events and REST dumps."""
    queries = [
        ("raw_github", "events", "repo_name", "$.payload.issue.labels[*].name",
         "event_type in ('IssuesEvent', 'IssueCommentEvent')"),
        ("raw_github", "issues", "repo_name", "$.labels[*].name", "true"),
    ]
    labels: dict[str, set[str]] = defaultdict(set)
    for schema, table, repo, path, where in queries:
        if not table_exists(con, schema, table):
            continue
        rows = con.execute(
            f"select distinct {repo}, unnest(json_extract_string(payload, '{path}')) "
            f"from {schema}.{table} where {where}"
        ).fetchall()
        for repo_name, label in rows:
            if repo_name and label:
                labels[repo_name].add(label)
    return labels


def issue_comments(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(thread_id, person_id, text) of human comments on issues."""
    return con.execute(
        """
        select thread_id, person_id, coalesce(text, '')
        from marts.fct_activities
        where activity_type = 'issue_comment' and not coalesce(is_bot, false)
            and thread_id is not null
        """
    ).fetchall()


def active_people(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        f"""
        select person_id from marts.dim_contributors
        where not coalesce(is_bot, false)
            and last_seen_at >= (select max(last_seen_at) from marts.dim_contributors)
                - interval {ACTIVE_DAYS} day
        """
    ).fetchall()
    return {r[0] for r in rows}


def duplicate_matches(issues: list[Issue], lance_dir: Path,
                      embedder: Embedder | None = None) -> tuple[np.ndarray, list[Match]]:
    """Title vectors (tag dropped) of `issues` and each one's closest earlier issue of its type."""
    vectors = vectors_for(lance_dir, [duplicate_text(i.title) for i in issues], embedder)
    kinds = [classify_issue(i.title, i.body).type for i in issues]
    return vectors, closest_earlier(vectors, kinds)


def suggest_responder(i: int, issues: list[Issue], vectors: np.ndarray,
                      answered_by: dict[str, set[str]], active: set[str]) -> str | None:
    """Who answered the issues most like issue `i`, weighted by how alike they are."""
    sims = vectors @ vectors[i]
    sims[i] = -1.0
    scores: dict[str, float] = defaultdict(float)
    for j in np.argsort(-sims)[:RESPONDER_NEIGHBOURS]:
        if sims[j] < RESPONDER_MIN_SIMILARITY:
            break
        for person in answered_by.get(issues[j].issue_id, ()):
            if person != issues[i].person_id and person in active:
                scores[person] += float(sims[j])
    return max(sorted(scores), key=lambda p: scores[p]) if scores else None


def triage_issues(
    con: duckdb.DuckDBPyConnection,
    lance_dir: Path,
    provider: LLMProvider | None = None,
    options: TriageOptions | None = None,
    embedder: Embedder | None = None,
) -> dict[str, int]:
    """Rebuild `ml.issue_triage` for the open issues; returns counts."""
    options = options or TriageOptions()
    ensure_ml_table(con, TRIAGE_DDL)
    issues = load_issues(con) if table_exists(con, "marts", "fct_activities") else []
    vectors, duplicates = None, {}
    if issues:
        vectors, matches = duplicate_matches(issues, lance_dir, embedder)
        duplicates = report_duplicates(matches, options.duplicate_threshold)
    answered_by: dict[str, set[str]] = defaultdict(set)
    me_too: dict[str, set[str]] = defaultdict(set)
    authors = {i.issue_id: i.person_id for i in issues}
    for thread_id, person_id, text in issue_comments(con):
        if person_id == authors.get(thread_id):
            continue
        (me_too if _ME_TOO.match(text) else answered_by)[thread_id].add(person_id)
    active = active_people(con) if issues else set()
    labels = repository_labels(con)
    rows = []
    for i, issue in enumerate(issues):
        if not issue.is_open:
            continue
        votes = len(me_too.get(issue.issue_id, ()))
        if options.classifier == "llm" and provider is not None:
            found, model = llm_classification(provider, issue.title, issue.body, votes)
        else:
            found, model = classify_issue(issue.title, issue.body, votes), RULES_MODEL
        original, similarity = duplicates.get(i, (None, None))
        rows.append((
            issue.issue_id, found.type, found.priority,
            json.dumps(suggest_labels(found, labels.get(issue.repo, ()))),
            issues[original].issue_id if original is not None else None,
            round(similarity, 4) if similarity is not None else None,
            suggest_responder(i, issues, vectors, answered_by, active), model, utc_now(),
        ))
    _write(con, rows)
    return {"issues": len(issues), "open": len(rows),
            "duplicates": sum(1 for r in rows if r[4] is not None)}


def _write(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    con.execute("begin transaction")
    try:
        # replaced, not emptied: a table left by an older version gets today's columns
        con.execute(TRIAGE_DDL.replace("create table if not exists", "create or replace table"))
        if rows:
            con.executemany("insert into ml.issue_triage values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
