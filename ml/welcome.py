"""Welcome messages for first-time contributors, each with 1-3 good first issues.

For every person whose first contribution falls in the week (default: the latest complete
week), `ml.welcomes` gets one row: the message, the platform and activity they started
with, and the ids of the issues suggested to them (`ml.welcome_match`). The offline engine
writes the message from a template; with Groq configured the model rewrites it, and an
answer that drops a suggested issue's link is replaced by the template, so suggestions are
always the ones stored. Only people whose prompt changed are written again
(`ml.content_store`); the newcomer's own words travel fenced as data.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import duckdb

from ml.content_store import WELCOMES, stored_hashes, wanted_hash, written_hash
from ml.drafts_facts import project_name
from ml.llm.offline import MODEL as OFFLINE_MODEL
from ml.llm.offline import render_offline
from ml.llm.provider import Completion, LLMProvider, Prompt, build_prompt
from ml.llm.wording import one_line
from ml.tables import table_exists, utc_now
from ml.weekly_facts import latest_complete_week, parse_iso_week
from ml.welcome_match import Issue, Newcomer, is_good_first, suggest_issues
from ml.welcome_queries import (
    MART_ISSUES_SQL,
    NEWCOMERS_SQL,
    RAW_ISSUES_SQL,
    UNKNOWN_SUGGESTIONS_SQL,
)

PROMPT_NAME = "welcome_message"
MAX_MESSAGE_CHARS = 2000


def find_newcomers(con: duckdb.DuckDBPyConnection, period: str) -> list[Newcomer]:
    start = datetime.combine(parse_iso_week(period), datetime.min.time())
    rows = con.execute(NEWCOMERS_SQL, [start, start + timedelta(days=7)]).fetchall()
    return [Newcomer(*row) for row in rows]


def open_good_first_issues(con: duckdb.DuckDBPyConnection) -> list[Issue]:
    """From `marts.mart_good_first_issues`, else from raw GitHub payloads, else none."""
    if table_exists(con, "marts", "mart_good_first_issues"):
        rows = con.execute(MART_ISSUES_SQL).fetchall()
    elif table_exists(con, "raw_github", "events"):
        rows = [r for r in con.execute(RAW_ISSUES_SQL).fetchall() if is_good_first(r[4])]
    else:
        return []
    return [
        Issue(
            r[0],
            r[1],
            one_line(r[2]) or "An open issue",
            r[3],
            r[4] or "",
            r[5],
            int(r[6] or 0),
            r[7],
        )
        for r in rows
    ]


def welcome_data(project: str, newcomer: Newcomer, issues: list[Issue]) -> dict[str, Any]:
    return {
        "project": project,
        "name": newcomer.name,
        "first_contribution": {
            "id": newcomer.first_activity_id,
            "kind": newcomer.kind,
            "platform": newcomer.platform,
            "place": newcomer.container,
            "url": newcomer.url,
            "text": one_line(newcomer.text, 300),
        },
        "suggested_issues": [i.as_data() for i in issues],
    }


def welcome_prompt(data: dict[str, Any]) -> Prompt:
    """The facts fenced as data, with the template's message for the model to rewrite."""
    return build_prompt(PROMPT_NAME, {**data, "draft": render_offline(PROMPT_NAME, data)})


def write_welcomes(
    con: duckdb.DuckDBPyConnection, provider: LLMProvider, iso_week: str | None = None
) -> dict[str, Any]:
    """Welcome the first-time contributors of `iso_week` into `ml.welcomes`; returns counts."""
    period = iso_week or latest_complete_week(con)
    newcomers = find_newcomers(con, period)
    issues = open_good_first_issues(con)
    project = project_name(con)
    stored = stored_hashes(con, WELCOMES, "welcomes", "person_id")
    written = suggested = 0
    for newcomer in newcomers:
        picks = suggest_issues(newcomer, issues) if issues else []
        suggested += len(picks)
        data = welcome_data(project, newcomer, picks)
        prompt = welcome_prompt(data)
        if stored.get(newcomer.person_id) == wanted_hash(prompt, provider):
            continue
        completion = provider.complete(prompt)
        message, model = finish_message(data, completion)
        con.execute(
            "insert or replace into ml.welcomes (person_id, platform, period, "
            "first_activity_id, message, suggested_issue_ids, model, prompt_hash, created_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                newcomer.person_id,
                newcomer.platform,
                period,
                newcomer.first_activity_id,
                message,
                json.dumps([i.issue_id for i in picks]),
                model,
                written_hash(prompt, provider, completion),
                utc_now(),
            ],
        )
        written += 1
    removed = con.execute(
        "delete from ml.welcomes where period = ? and not list_contains(?, person_id)",
        [period, [n.person_id for n in newcomers]],
    ).fetchone()[0]
    return {
        "period": period,
        "newcomers": len(newcomers),
        "written": written,
        "unchanged": len(newcomers) - written,
        "removed": int(removed),
        "suggested_issues": suggested,
        "issues_available": len(issues),
    }


def finish_message(data: dict[str, Any], completion: Completion) -> tuple[str, str]:
    """(message, model); the template when the answer is empty, too long or loses a link."""
    text = completion.text.strip()
    urls = [i["url"] for i in data["suggested_issues"] if i.get("url")]
    if text and len(text) <= MAX_MESSAGE_CHARS and all(url in text for url in urls):
        return text, completion.model
    return render_offline(PROMPT_NAME, data), OFFLINE_MODEL


def unknown_suggested_issues(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(person_id, issue_id) of suggestions that are no activity of the warehouse."""
    if not table_exists(con, "ml", "welcomes"):
        return []
    return [tuple(r) for r in con.execute(UNKNOWN_SUGGESTIONS_SQL).fetchall()]
