"""The weekly community summary: facts from the marts, words from a provider, one row per week.

The provider only writes prose; every number and name it may use comes from
`ml.weekly_facts` (the same facts the report prints), fenced as data in the prompt. The row
keeps the model that wrote it and the mart rows and activity ids it rests on (DESIGN §6).
Re-running replaces the week's row, so a rebuild after late data corrects the summary.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from ml.llm.provider import LLMProvider, Prompt, build_prompt
from ml.tables import SUMMARIES, ensure_ml_table, utc_now
from ml.weekly_facts import WeeklyFacts, gather_weekly_facts

KIND_WEEKLY = "weekly"
PROMPT_NAME = "weekly_summary"


def weekly_summary_prompt(facts: WeeklyFacts) -> Prompt:
    """The prompt file's instructions with the week's facts fenced as data."""
    return build_prompt(PROMPT_NAME, facts.as_data())


def write_weekly_summary(
    con: duckdb.DuckDBPyConnection,
    provider: LLMProvider,
    iso_week: str | None = None,
) -> dict[str, Any]:
    """Summarize `iso_week` (default: the latest complete week) into `ml.summaries`.

    Returns the stored row as a dict (period, kind, text, model, sources, created_at, cached).
    """
    facts = gather_weekly_facts(con, iso_week)
    completion = provider.complete(weekly_summary_prompt(facts))
    row = {
        "period": facts.iso_week,
        "kind": KIND_WEEKLY,
        "text": completion.text,
        "model": completion.model,
        "sources": facts.sources(),
        "created_at": utc_now(),
    }
    ensure_ml_table(con, SUMMARIES)
    con.execute(
        "insert or replace into ml.summaries (period, kind, text, model, sources, created_at) "
        "values (?, ?, ?, ?, ?, ?)",
        [
            row["period"],
            row["kind"],
            row["text"],
            row["model"],
            json.dumps(row["sources"]),
            row["created_at"],
        ],
    )
    return {**row, "cached": completion.cached}
