"""The Dagster entry point (`dagster dev -w workspace.yaml`): assets, resources, schedules."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.ai import message_sentiment, weekly_summary
from orchestration.assets.content import content_assets
from orchestration.assets.ingest_files import file_assets
from orchestration.assets.reports import weekly_report
from orchestration.assets.warehouse_models import dbt_model_assets, dbt_resource
from orchestration.resources import CodeConveneResource
from orchestration.schedules import build_everything, weekly_refresh

ALL_ASSETS = [*file_assets, *dbt_model_assets, message_sentiment, weekly_summary, *content_assets, weekly_report]


def resources(home: str | None = None) -> dict:
    return {"codeconvene": CodeConveneResource(home=home), "dbt": dbt_resource()}


defs = dg.Definitions(
    assets=ALL_ASSETS,
    resources=resources(),
    jobs=[build_everything],
    schedules=[weekly_refresh],
)
