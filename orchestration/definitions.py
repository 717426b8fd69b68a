"""The Dagster entry point (`dagster dev -w workspace.yaml`): assets, resources, schedules."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.ai import message_sentiment, weekly_summary
from orchestration.assets.alerts import alerts, alerts_hourly, alerts_job
from orchestration.assets.content import content_assets
from orchestration.assets.ingest_files import file_assets
from orchestration.assets.ingest_live import live_assets
from orchestration.assets.knowledge import knowledge_assets, knowledge_checks
from orchestration.assets.reports import weekly_report
from orchestration.assets.warehouse_models import dbt_model_assets, dbt_resource
from orchestration.resources import CodeConveneResource
from orchestration.schedules import build_everything, daily_build, hourly_refresh, refresh_warehouse, weekly_refresh
from orchestration.schedules import live_jobs, live_schedules
from orchestration.sensors import new_issues_sensor

ALL_ASSETS = [*file_assets, *dbt_model_assets, message_sentiment, weekly_summary, *knowledge_assets, *content_assets, weekly_report]
ALL_CHECKS = [*knowledge_checks]  # checks declared apart from their asset (`check_specs` ride along)


def resources(home: str | None = None) -> dict:
    return {"codeconvene": CodeConveneResource(home=home), "dbt": dbt_resource()}


defs = dg.Definitions(
    assets=[*ALL_ASSETS, *live_assets, alerts],  # live pulls: their own hourly jobs, never the demo's build_all
    asset_checks=ALL_CHECKS,
    resources=resources(),
    jobs=[build_everything, refresh_warehouse, *live_jobs, alerts_job],
    schedules=[weekly_refresh, daily_build, hourly_refresh, *live_schedules, alerts_hourly],
    sensors=[new_issues_sensor],  # a new GitHub issue → triage and welcome
    # DuckDB allows one read-write process: every run (UI, schedule) executes its steps one
    # after another in one process, so two warehouse writers never overlap
    executor=dg.in_process_executor,
)
