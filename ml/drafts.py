"""Content drafts for maintainers: a weekly blog post, release notes, short social posts.

Written into `ml.drafts`, one row per draft id:
- `blog_post:<week>`: the week's releases, merged pull requests and notable discussions;
- `release_notes:<release activity id>`: per release of the week, the pull requests merged
  since the previous release, the contributors thanked and first-time contributors called
  out (GitHub's "New Contributors" rule: their first merged pull request in the repository);
- `social_post:<week>:<n>`: 2-3 posts of at most 280 characters (recap, release, discussion,
  thanks).

The offline engine fills templates from warehouse facts (`ml.drafts_facts`); with Groq
configured, the model rewrites that draft with the same facts fenced as data. A model answer
that breaks the format (no title, a post over 280 characters) is replaced by the offline
draft, so a draft is always usable. Every row stores its source activity ids, and only
drafts whose prompt changed are written again (`ml.content_store`). A week with nothing to
write about (no release, merge or discussion) gets no drafts: none is ever sourceless.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb

from ml.content_store import DRAFTS, stored_hashes, wanted_hash, written_hash
from ml.drafts_facts import PeriodFacts, ReleaseFacts, gather_period_facts, gather_release_facts
from ml.llm.offline import MODEL as OFFLINE_MODEL
from ml.llm.offline import render_offline
from ml.llm.provider import Completion, LLMProvider, Prompt, build_prompt
from ml.llm.wording import POST_LIMIT
from ml.tables import table_exists, utc_now
from ml.weekly_facts import latest_complete_week

KIND_BLOG = "blog_post"
KIND_RELEASE = "release_notes"
KIND_SOCIAL = "social_post"
SOCIAL_TOPICS = ("recap", "release", "discussion", "thanks")
MAX_SOCIAL_POSTS = 3


@dataclass(frozen=True)
class PlannedDraft:
    """A draft to write: its key, the prompt it comes from, and what it rests on."""

    draft_id: str
    kind: str
    period: str
    data: dict[str, Any]
    activity_ids: list[str]
    marts: list[str]

    def prompt(self) -> Prompt:
        """The facts fenced as data, with the offline draft for the model to rewrite."""
        return build_prompt(self.kind, {**self.data, "draft": render_offline(self.kind, self.data)})

    def sources(self) -> dict[str, list[str]]:
        return {"marts": self.marts, "activity_ids": self.activity_ids}


def plan_drafts(con: duckdb.DuckDBPyConnection, period: str) -> list[PlannedDraft]:
    """Every draft `period` calls for, in a stable order (blog, release notes, posts)."""
    facts = gather_period_facts(con, period)
    if facts.is_empty:
        return []
    marts = [f"marts.fct_activities:{period}", "marts.dim_contributors"]
    if facts.summary is not None:
        marts.append(f"ml.summaries:{period}:weekly")
    plans = [
        PlannedDraft(
            f"{KIND_BLOG}:{period}", KIND_BLOG, period, facts.as_data(), facts.activity_ids(), marts
        )
    ]
    releases = [gather_release_facts(con, r, facts.project) for r in facts.releases]
    plans += [
        PlannedDraft(
            f"{KIND_RELEASE}:{r.release.activity_id}",
            KIND_RELEASE,
            period,
            r.as_data(),
            r.activity_ids(),
            [f"marts.fct_activities:{r.release.container}", "marts.dim_contributors"],
        )
        for r in releases
    ]
    plans += _social_plans(facts, releases, marts)
    return plans


def _social_plans(
    facts: PeriodFacts, releases: list[ReleaseFacts], marts: list[str]
) -> list[PlannedDraft]:
    base = {"project": facts.project, "period": facts.period, "max_chars": POST_LIMIT}
    topics: list[tuple[str, dict[str, Any], list[str]]] = [
        (
            "recap",
            {
                "merged_prs": sum(not pr.is_bot for pr in facts.merged_prs),
                "releases": len(facts.releases),
                "discussions": len(facts.discussions),
                "welcome": facts.welcome,
            },
            facts.activity_ids(),
        )
    ]
    if releases:
        first = releases[0]
        topics.append(
            (
                "release",
                {
                    "release": first.release.as_data(),
                    "merged_prs": len(first.merged_prs),
                    "contributors": len(first.contributors),
                },
                first.activity_ids(),
            )
        )
    if facts.discussions:
        top = facts.discussions[0]
        topics.append(("discussion", {"discussion": top.as_data()}, [top.activity_id]))
    if facts.thank:
        topics.append(("thanks", {"thank": facts.thank}, facts.activity_ids()))
    return [
        PlannedDraft(
            f"{KIND_SOCIAL}:{facts.period}:{n}",
            KIND_SOCIAL,
            facts.period,
            {**base, "topic": topic, **data},
            ids,
            marts,
        )
        for n, (topic, data, ids) in enumerate(topics[:MAX_SOCIAL_POSTS], start=1)
    ]


def write_drafts(
    con: duckdb.DuckDBPyConnection, provider: LLMProvider, iso_week: str | None = None
) -> dict[str, Any]:
    """Write the drafts of `iso_week` (default: the latest complete week) into `ml.drafts`.

    Returns counts: planned, written (new or changed), unchanged (skipped), removed (drafts
    of the week that no longer apply), and the period.
    """
    period = iso_week or latest_complete_week(con)
    plans = plan_drafts(con, period)
    stored = stored_hashes(con, DRAFTS, "drafts", "draft_id")
    written = 0
    for plan in plans:
        prompt = plan.prompt()
        if stored.get(plan.draft_id) == wanted_hash(prompt, provider):
            continue
        completion = provider.complete(prompt)
        title, body, model = finish_draft(plan, completion)
        con.execute(
            "insert or replace into ml.drafts (draft_id, kind, period, title, body, sources, "
            "model, prompt_hash, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                plan.draft_id,
                plan.kind,
                period,
                title,
                body,
                json.dumps(plan.sources()),
                model,
                written_hash(prompt, provider, completion),
                utc_now(),
            ],
        )
        written += 1
    removed = con.execute(
        "delete from ml.drafts where period = ? and not list_contains(?, draft_id)",
        [period, [p.draft_id for p in plans]],
    ).fetchone()[0]
    return {
        "period": period,
        "planned": len(plans),
        "written": written,
        "unchanged": len(plans) - written,
        "removed": int(removed),
    }


def finish_draft(plan: PlannedDraft, completion: Completion) -> tuple[str, str, str]:
    """(title, body, model) of an answer; the offline draft when the answer breaks format."""
    offline = render_offline(plan.kind, plan.data)
    if plan.kind == KIND_SOCIAL:
        title = f"Social post: {plan.data['topic']}"
        text = completion.text.strip().strip('"“”').strip()
        if text and len(text) <= int(plan.data.get("max_chars", POST_LIMIT)):
            return title, text, completion.model
        return title, offline, OFFLINE_MODEL
    split = split_title(completion.text)
    if split is None:
        title, body = split_title(offline) or (plan.draft_id, offline)
        return title, body, OFFLINE_MODEL
    return split[0], split[1], completion.model


def split_title(markdown: str) -> tuple[str, str] | None:
    """('Title', body) of Markdown that opens with '# Title' and has a body; else None."""
    lines = markdown.strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        return None
    title, body = lines[0][2:].strip(), "\n".join(lines[1:]).strip()
    return (title, body) if title and body else None


def drafts_without_sources(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Draft ids whose sources list no activity id (the asset check wants none)."""
    if not table_exists(con, "ml", "drafts"):
        return []
    rows = con.execute(
        "select draft_id from ml.drafts "
        "where coalesce(json_array_length(sources -> '$.activity_ids'), 0) = 0 order by draft_id"
    ).fetchall()
    return [r[0] for r in rows]
