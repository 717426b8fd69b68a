"""When things run: the full refresh every Monday morning (UTC), after the week closes."""

from __future__ import annotations

import dagster as dg

build_everything = dg.define_asset_job("build_everything", selection=dg.AssetSelection.all())

weekly_refresh = dg.ScheduleDefinition(
    name="weekly_refresh",
    job=build_everything,
    cron_schedule="0 6 * * 1",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
