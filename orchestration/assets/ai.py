"""ML and LLM outputs computed from the marts: sentiment and the weekly summary."""


import dagster as dg

from codeconvene.warehouse import writer
from ml.llm.select import select_provider
from ml.sentiment import score_new_messages
from ml.summaries import write_weekly_summary
from orchestration.resources import CodeConveneResource


@dg.asset(
    key=["ml", "sentiment"],
    deps=[["marts", "fct_activities"]],
    group_name="ml",
    kinds={"duckdb", "python"},
)
def message_sentiment(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """VADER compound score per message or comment; only text not scored before is scored."""
    settings = codeconvene.settings()
    with writer(settings.warehouse_path) as con:
        scored = score_new_messages(con)
        total = con.execute("select count(*) from ml.sentiment").fetchone()[0]
    return dg.MaterializeResult(metadata={"scored_this_run": scored, "rows": total})


@dg.asset(
    key=["ml", "summaries"],
    deps=[["marts", "mart_community_health_weekly"], ["ml", "sentiment"]],
    group_name="ml",
    kinds={"duckdb", "python"},
)
def weekly_summary(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """The latest complete week in prose, from the LLM provider (Groq, or the offline engine)."""
    settings = codeconvene.settings()
    with writer(settings.warehouse_path) as con:
        provider = select_provider(settings, con)
        summary = write_weekly_summary(con, provider)
    return dg.MaterializeResult(
        metadata={"period": summary.get("period"), "model": summary.get("model"),
                  "sources": len(summary.get("sources") or [])}
    )
