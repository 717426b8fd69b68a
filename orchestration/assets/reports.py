"""The weekly maintainer report, rendered to $CODECONVENE_HOME/reports/."""


import dagster as dg

from codeconvene.report import render_weekly_report
from codeconvene.warehouse import writer
from orchestration.resources import CodeConveneResource


@dg.asset(
    key=["reports", "weekly_report"],
    deps=[["ml", "summaries"], ["marts", "mart_community_health_weekly"]],
    group_name="reports",
    kinds={"markdown"},
)
def weekly_report(codeconvene: CodeConveneResource) -> dg.MaterializeResult:
    """Headline figures, who to welcome and thank, unanswered questions, the summary."""
    settings = codeconvene.settings()
    with writer(settings.warehouse_path) as con:
        path = render_weekly_report(con, None, settings.reports_dir)
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(path))})
