"""Live assets: skipped with a reason when a source is not configured, pulling when it is; hourly schedules."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.assets.ingest_live import live_assets
from orchestration.resources import CodeConveneResource
from orchestration.schedules import live_jobs, live_schedules
from tests.fakes.slack_api import GOOD_TOKEN, FakeSlackApi

UNSET = ("GITHUB_TOKEN", "GITHUB_TOKENS", "GITHUB_APP_ID", "SLACK_BOT_TOKEN", "DISCORD_BOT_TOKEN", "DISCOURSE_URL",
         "DISCOURSE_API_KEY")


@pytest.fixture
def offline(home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no .env, no codeconvene.yaml
    for name in UNSET:
        monkeypatch.delenv(name, raising=False)
    return home


def metadata(result: dg.ExecuteInProcessResult) -> dict[str, dict]:
    return {event.asset_key.path[-1]: {k: v.value for k, v in event.materialization.metadata.items()}
            for event in result.get_asset_materialization_events()}


def test_unconfigured_sources_are_skipped_with_the_reason(offline):
    result = dg.materialize(live_assets, resources={"codeconvene": CodeConveneResource(home=str(offline))})
    assert result.success
    skipped = {key: meta.get("skipped") for key, meta in metadata(result).items()}
    assert skipped == {
        "raw_github_live": "GITHUB_TOKEN not set",
        "raw_slack_live": "SLACK_BOT_TOKEN not set",
        "raw_discord_live": "DISCORD_BOT_TOKEN not set",
        "raw_discourse_live": "DISCOURSE_URL not set",
    }


def test_a_configured_source_pulls_into_the_warehouse(offline, monkeypatch):
    with FakeSlackApi() as slack:
        slack.add_user("U0FAKE0001", "ada")
        slack.add_channel("C0GENERAL1", "general")
        posted = [slack.post("C0GENERAL1", "U0FAKE0001", f"post {i}") for i in range(3)]
        monkeypatch.setenv("SLACK_BOT_TOKEN", GOOD_TOKEN)
        monkeypatch.setenv("SLACK_API_URL", slack.base_url)
        slack_asset = next(a for a in live_assets if a.key.path == ["raw_slack_live"])
        result = dg.materialize([slack_asset], resources={"codeconvene": CodeConveneResource(home=str(offline))})
    assert result.success
    meta = metadata(result)["raw_slack_live"]
    assert (meta["records_messages"], meta["records_users"], meta["records_channels"]) == (3, 1, 1)
    import duckdb

    with duckdb.connect(str(offline / "warehouse.duckdb"), read_only=True) as con:
        assert sorted(r[0] for r in con.execute("select ts from raw_slack.messages").fetchall()) == posted


def test_a_refused_token_fails_the_asset_with_one_line(offline, monkeypatch):
    with FakeSlackApi() as slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong")
        monkeypatch.setenv("SLACK_API_URL", slack.base_url)
        slack_asset = next(a for a in live_assets if a.key.path == ["raw_slack_live"])
        result = dg.materialize([slack_asset], resources={"codeconvene": CodeConveneResource(home=str(offline))},
                                raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "slack: the token in SLACK_BOT_TOKEN was refused (invalid_auth)" in failure.step_failure_data.error.message


def test_hourly_schedules_run_only_configured_sources(offline, monkeypatch):
    defs = dg.Definitions(assets=live_assets, jobs=live_jobs, schedules=live_schedules,
                          resources={"codeconvene": CodeConveneResource(home=str(offline))})
    schedule = defs.get_schedule_def("slack_live_hourly")
    assert schedule.cron_schedule == "5 * * * *"
    assert defs.get_job_def("slack_live").asset_layer.executable_asset_keys == {dg.AssetKey("raw_slack_live")}
    skipped = schedule.evaluate_tick(dg.build_schedule_context())
    assert skipped.skip_message == "slack is not configured: SLACK_BOT_TOKEN not set"
    monkeypatch.setenv("SLACK_BOT_TOKEN", GOOD_TOKEN)
    ticked = schedule.evaluate_tick(dg.build_schedule_context())
    assert len(ticked.run_requests) == 1
    assert {s.name for s in live_schedules} == {f"{s}_live_hourly" for s in ("github", "slack", "discord", "discourse")}


def test_the_workspace_schedules_the_live_pulls_but_the_demo_build_leaves_them_out():
    from orchestration.definitions import ALL_ASSETS, defs

    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {f"raw_{s}_live" for s in ("github", "slack", "discord", "discourse")} <= keys
    assert defs.get_schedule_def("discord_live_hourly").cron_schedule == "8 * * * *"
    assert not {a.key for a in live_assets} & {k for a in ALL_ASSETS for k in a.keys}  # build_all = ALL_ASSETS
