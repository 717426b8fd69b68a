"""Content for maintainers from the LLM layer: drafts to publish and welcomes to post.

Thin wrappers: the logic is `ml.drafts` and `ml.welcome`; the provider is Groq when
`GROQ_API_KEY` is set, else the offline engine (`ml.llm.select`). Each asset carries its
own check (declared with `check_specs`, so the check runs wherever the asset does, with no
separate wiring): no draft without source activity ids, and every issue suggested to a
newcomer exists in the warehouse.
"""

from collections.abc import Callable
from typing import Any

import dagster as dg
import duckdb

from codeconvene.warehouse import writer
from ml.drafts import drafts_without_sources, write_drafts
from ml.llm.select import select_provider
from ml.welcome import unknown_suggested_issues, write_welcomes
from orchestration.resources import CodeConveneResource

DRAFTS_KEY = dg.AssetKey(["ml", "drafts"])
WELCOMES_KEY = dg.AssetKey(["ml", "welcomes"])
SAMPLE = 10  # offending ids shown in a failed check's metadata


def _write_and_check(
    codeconvene: CodeConveneResource,
    write: Callable[[duckdb.DuckDBPyConnection, Any], dict],
    table: str,
    check_name: str,
    offenders_label: str,
    offenders: Callable[[duckdb.DuckDBPyConnection], list[str]],
) -> dg.MaterializeResult:
    """Write the rows with the configured provider, then run the asset's own check on them."""
    settings = codeconvene.settings()
    with writer(settings.warehouse_path) as con:
        provider = select_provider(settings, con)
        result = write(con, provider)
        found = offenders(con)
        total = con.execute(f"select count(*) from {table}").fetchone()[0]
    return dg.MaterializeResult(
        metadata={**result, "model": provider.model, "rows": total},
        check_results=[
            dg.AssetCheckResult(
                check_name=check_name,
                passed=not found,
                metadata={offenders_label: len(found), "sample": ", ".join(found[:SAMPLE])},
            )
        ],
    )


@dg.asset(
    key=DRAFTS_KEY,
    deps=[["marts", "fct_activities"], ["marts", "dim_contributors"], ["ml", "summaries"]],
    group_name="ml",
    kinds={"duckdb", "python"},
    check_specs=[
        dg.AssetCheckSpec(
            "drafts_have_sources",
            asset=DRAFTS_KEY,
            description="Every draft lists the activity ids it rests on.",
        ),
    ],
)
def content_drafts(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """One row per draft: the latest complete week's blog post, release notes per release
    and 2-3 social posts, for maintainers to edit and publish. Only drafts whose facts
    changed are rewritten."""
    return _write_and_check(
        codeconvene, write_drafts, "ml.drafts", "drafts_have_sources", "drafts_without_sources",
        drafts_without_sources,
    )


@dg.asset(
    key=WELCOMES_KEY,
    deps=[
        ["marts", "fct_activities"],
        ["marts", "dim_contributors"],
        ["marts", "mart_good_first_issues"],
    ],
    group_name="ml",
    kinds={"duckdb", "python"},
    check_specs=[
        dg.AssetCheckSpec(
            "suggested_issues_exist",
            asset=WELCOMES_KEY,
            description="Every issue suggested to a newcomer is in fct_activities.",
        ),
    ],
)
def welcome_messages(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """One row per first-time contributor of the latest complete week: a welcome message
    with 1-3 good first issues matched to what they touched, for a bot or a maintainer to
    post."""
    return _write_and_check(
        codeconvene, write_welcomes, "ml.welcomes", "suggested_issues_exist", "unknown_suggestions",
        lambda con: [f"{person}:{issue}" for person, issue in unknown_suggested_issues(con)],
    )


content_assets = [content_drafts, welcome_messages]
