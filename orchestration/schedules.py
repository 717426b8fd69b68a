"""When things run (UTC): the hourly warehouse refresh, the daily full build with every dbt
test, and the full refresh every Monday morning, after the week closes.

dbt tests: `build_everything` runs the whole suite (~500 data tests and the unit tests);
`refresh_warehouse` runs the dbt models (incremental by ingestion batch), sentiment scoring
for the new messages, and only the dbt tests tagged `critical` (keys of the facts and the
identity map), so an hourly refresh costs a fraction of a full build (see
orchestration/dbt_manifest.py for why that split is safe).
"""

from __future__ import annotations

import dagster as dg

from orchestration.assets.warehouse_models import (
    WarehouseBuildConfig,
    critical_check_keys,
    dbt_model_assets,
)

# one process, one step at a time: DuckDB allows a single read-write process, and most
# assets write the warehouse (runs themselves are queued one at a time by dagster.yaml)
build_everything = dg.define_asset_job(
    "build_everything", selection=dg.AssetSelection.all(), executor_def=dg.in_process_executor
)

weekly_refresh = dg.ScheduleDefinition(
    name="weekly_refresh",
    job=build_everything,
    cron_schedule="0 6 * * 1",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)


# --- live API pulls: hourly per source, each at its own minute, all before the :15 warehouse refresh reads them -------
LIVE_MINUTE = {"github": 2, "slack": 5, "discord": 8, "discourse": 11}


def _live_schedule(source: str) -> tuple[dg.UnresolvedAssetJobDefinition, dg.ScheduleDefinition]:
    job = dg.define_asset_job(f"{source}_live", selection=dg.AssetSelection.assets(f"raw_{source}_live"),
                              executor_def=dg.in_process_executor)

    @dg.schedule(name=f"{source}_live_hourly", job=job, cron_schedule=f"{LIVE_MINUTE[source]} * * * *",
                 execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.RUNNING)
    def _hourly(context: dg.ScheduleEvaluationContext):
        """Runs only while the source is configured (read at each tick, never at import)."""
        from codeconvene.live import missing
        from codeconvene.settings import get_settings

        lacking = missing(get_settings(), source)
        if lacking:
            return dg.SkipReason(f"{source} is not configured: {lacking} not set")
        return dg.RunRequest()

    return job, _hourly


_LIVE = [_live_schedule(source) for source in LIVE_MINUTE]
live_jobs = [job for job, _ in _LIVE]
live_schedules = [schedule for _, schedule in _LIVE]

daily_build = dg.ScheduleDefinition(
    name="daily_build",
    job=build_everything,
    cron_schedule="0 4 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# dbt layers (asset groups = schemas) and the sentiment scores the after_ml marts read; of the
# dbt tests (Dagster asset checks) only the critical ones, so Dagster expects no other result
REFRESHED = (
    dg.AssetSelection.groups("seeds", "staging", "intermediate", "marts")
    | dg.AssetSelection.assets(dg.AssetKey(["ml", "sentiment"]))
).without_checks() | dg.AssetSelection.checks(*critical_check_keys())
refresh_warehouse = dg.define_asset_job(
    "refresh_warehouse",
    selection=REFRESHED,
    executor_def=dg.in_process_executor,
    config=dg.RunConfig(ops={a.op.name: WarehouseBuildConfig(tests="critical") for a in dbt_model_assets}),
)

hourly_refresh = dg.ScheduleDefinition(
    name="hourly_refresh",
    job=refresh_warehouse,
    cron_schedule="15 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
