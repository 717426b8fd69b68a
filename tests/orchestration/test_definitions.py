"""What `dagster dev -w workspace.yaml` loads: every layer's assets, wired in order, scheduled."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import yaml

from orchestration.definitions import defs

REPO = Path(__file__).resolve().parents[2]


def test_definitions_load_and_lineage_joins_up():
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    # raw tables, dbt marts, ML outputs and the report are one graph
    for key in ("raw_github/events", "raw_slack/messages", "staging/stg_github__events",
                "marts/fct_activities", "marts/mart_community_health_weekly",
                "ml/sentiment", "ml/summaries", "reports/weekly_report"):
        assert key in keys, key
    # the dbt source for raw_github.events is the ingest asset itself (not a separate stub)
    staging = graph.get(dg.AssetKey(["staging", "stg_github__events"]))
    assert dg.AssetKey(["raw_github", "events"]) in staging.parent_keys
    report = graph.get(dg.AssetKey(["reports", "weekly_report"]))
    assert dg.AssetKey(["ml", "summaries"]) in report.parent_keys


def test_weekly_schedule_and_workspace():
    schedule = defs.get_schedule_def("weekly_refresh")
    assert schedule.cron_schedule == "0 6 * * 1"
    workspace = yaml.safe_load((REPO / "workspace.yaml").read_text())
    assert workspace["load_from"][0]["python_module"]["module_name"] == "orchestration.definitions"


def test_every_export_format_feeds_a_dagster_asset():
    from ingest.formats import format_names
    from orchestration.assets.ingest_files import SOURCES

    covered = {fmt for formats, _ in SOURCES.values() for fmt in formats}
    assert set(format_names()) <= covered, set(format_names()) - covered


def test_schedules_refresh_hourly_build_daily_and_post_alerts_after_the_refresh():
    crons = {s.name: (s.cron_schedule, s.job_name) for s in defs.schedules}
    assert crons["hourly_refresh"] == ("15 * * * *", "refresh_warehouse")
    assert crons["daily_build"] == ("0 4 * * *", "build_everything")
    assert crons["alerts_hourly"] == ("45 * * * *", "post_alerts")
    # every live pull lands before the :15 refresh reads it
    live = {name: cron for name, (cron, _) in crons.items() if name.endswith("_live_hourly")}
    assert sorted(live) == ["discord_live_hourly", "discourse_live_hourly", "github_live_hourly",
                            "slack_live_hourly"]
    assert all(int(cron.split()[0]) < 15 for cron in live.values())


def test_the_hourly_refresh_rebuilds_the_warehouse_with_critical_tests_only():
    job = defs.resolve_job_def("refresh_warehouse")
    selected = {key.to_user_string() for key in job.asset_layer.executable_asset_keys}
    assert {"marts/fct_activities", "marts/mart_community_health_weekly", "ml/sentiment"} <= selected
    # knowledge, content and the report wait for the daily build
    assert not selected & {"ml/faq", "lance/documents", "ml/summaries", "reports/weekly_report"}
    ops = job.run_config["ops"]
    assert {op: config["config"]["tests"] for op, config in ops.items()} == {
        "warehouse_models": "critical", "sentiment_marts": "critical"}
