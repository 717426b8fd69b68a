"""The weekly maintainer report, rendered to $CODECONVENE_HOME/reports/ as Markdown and HTML."""

import dagster as dg

from codeconvene.report import write_weekly_report
from codeconvene.warehouse import writer
from orchestration.resources import CodeConveneResource


@dg.asset(
    key=["reports", "weekly_report"],
    deps=[
        ["ml", "summaries"],
        ["ml", "faq"],
        ["marts", "mart_community_health_weekly"],
        ["marts", "mart_contributor_health"],
    ],
    group_name="reports",
    kinds={"markdown", "html"},
)
def weekly_report(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """Headline figures, who to welcome, thank or check on, unanswered questions, FAQ changes,
    the summary: `<week>.md` and a self-contained `<week>.html` (charts inlined, offline)."""
    settings = codeconvene.settings()
    with writer(settings.warehouse_path) as con:
        paths = write_weekly_report(con, None, settings.reports_dir)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(paths["md"])),
            "html_path": dg.MetadataValue.path(str(paths["html"])),
        }
    )
