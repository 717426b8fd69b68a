"""The hourly refresh through Dagster, with dbt in-process, leaves out what cannot have changed.

GIVEN a copy of the session's built community (tests/conftest.py `built_home`) in a new home,
      whose warehouse file differs from the one the recorded fingerprint names
WHEN the `refresh_warehouse` job runs, then a Slack message is edited upstream, then it runs again
THEN the first refresh builds every view and seed (the fingerprint did not match) and records
     it; the second leaves out views, seeds and the models fed only by raw tables that received
     nothing (reported as `reused`), builds everything the edited Slack table reaches,
     runs the sentiment step and the after_ml marts after them, passes the critical checks,
     and the edit reaches marts.fct_activities; a run of one selected asset builds only that
     one (dagster-dbt's subset selection) and records no fingerprint (its views were not built).
"""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from codeconvene.warehouse import connect
from orchestration.dbt_manifest import forget_built, recorded_fingerprint

pytestmark = pytest.mark.slow
EDITED = "edited between two hourly refreshes"
SUBSET = ["intermediate", "int_discord_accounts_collected"]
DBT_SCHEMAS = ("seeds", "staging", "intermediate", "marts")
FED_BY_UNTOUCHED_TABLES = {
    ("intermediate", "int_discord_accounts_collected"), ("intermediate", "int_discord_activities_typed"),
    ("intermediate", "int_git_activities_typed"), ("intermediate", "int_discourse_activities_typed"),
}
FED_BY_SLACK_MESSAGES = {
    ("staging", "stg_slack__messages"), ("intermediate", "int_slack_activities_typed"),
    ("intermediate", "int_activities_unioned"), ("marts", "fct_activities"), ("marts", "dim_contributors"),
    ("marts", "mart_engagement_daily"), ("marts", "mart_contributor_health"),
}


def _refresh(home: Path, only: list[str] | None = None) -> dict:
    import dagster as dg

    from orchestration.definitions import defs

    job = defs.resolve_job_def("refresh_warehouse")  # its own run config: critical tests
    result = job.execute_in_process(raise_on_error=False, asset_selection=[dg.AssetKey(only)] if only else None)
    statuses = {}
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        status = materialization.metadata.get("status")
        statuses[tuple(materialization.asset_key.path)] = status.value if status else None
    checks = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    return {
        "success": result.success, "statuses": statuses, "checks": {(c.check_name, c.passed) for c in checks},
        "steps": {e.step_key for e in result.all_events if e.event_type_value == "STEP_SUCCESS"},
    }


@pytest.fixture(scope="module")
def refreshes(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    home = tmp_path_factory.mktemp("refresh_home")
    shutil.copy2(built_home / "warehouse.duckdb", home / "warehouse.duckdb")
    shutil.copytree(built_home / "dbt_target", home / "dbt_target")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("refresh_cwd"))  # no ./.env or ./codeconvene.yaml
        patch.setenv("CODECONVENE_HOME", str(home))
        first = _refresh(home)
        with closing(connect(home / "warehouse.duckdb")) as con:
            edited = con.execute(f"""
                update raw_slack.messages
                set payload = json_merge_patch(payload, json_object('text', '{EDITED}')),
                    _ingested_at = now() at time zone 'UTC' + interval 1 second
                where 'slack:' || channel_id || ':' || ts = (
                    select activity_id from marts.fct_activities
                    where platform = 'slack' and activity_type = 'message' order by activity_id limit 1)
                returning 'slack:' || channel_id || ':' || ts""").fetchall()[0][0]
        second = _refresh(home)
        forget_built(home / "dbt_target", "models")
        subset = _refresh(home, only=SUBSET)
        subset["recorded"] = recorded_fingerprint(home / "dbt_target", "models")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        text = con.execute("select text from marts.fct_activities where activity_id = ?", [edited]).fetchone()[0]
        kinds = dict(con.execute("""
            select table_schema || '.' || table_name, table_type from information_schema.tables
            where table_schema in ('seeds', 'staging', 'intermediate', 'marts')""").fetchall())
    return {"first": first, "second": second, "subset": subset, "text": text, "kinds": kinds}


def _views_and_seeds(kinds: dict) -> set[tuple[str, str]]:
    return {tuple(name.split(".")) for name, kind in kinds.items() if kind == "VIEW" or name.startswith("seeds.")}


def test_the_first_refresh_after_a_change_builds_views_and_seeds(refreshes):
    first = refreshes["first"]
    assert first["success"]
    unchanged = _views_and_seeds(refreshes["kinds"])
    assert unchanged and all(first["statuses"][key] == "success" for key in unchanged)


def test_the_next_refresh_leaves_them_out_and_still_builds_every_table(refreshes):
    second = refreshes["second"]
    assert second["success"]
    unchanged = _views_and_seeds(refreshes["kinds"])
    reused = {key for key, status in second["statuses"].items() if status == "reused"}
    # every relation is accounted for: built, or reused because nothing it is made of changed
    assert set(second["statuses"]) >= {tuple(name.split(".")) for name in refreshes["kinds"]}
    assert unchanged <= reused
    # only raw_slack.messages received rows: what Discord, git and the GitHub REST tables feed
    # alone is left out; whatever the Slack messages reach is built
    assert FED_BY_UNTOUCHED_TABLES <= reused
    assert not FED_BY_SLACK_MESSAGES & reused
    dbt_built = {key: status for key, status in second["statuses"].items() if key[0] in DBT_SCHEMAS}
    assert {key: status for key, status in dbt_built.items() if key not in reused and status != "success"} == {}
    assert {"warehouse_models", "ml__sentiment", "sentiment_marts"} <= second["steps"]
    assert len(second["checks"]) == 7 and all(passed for _, passed in second["checks"])


def test_new_data_reaches_the_marts_through_the_trimmed_refresh(refreshes):
    assert refreshes["text"] == EDITED


def test_a_subset_run_builds_only_its_selection_and_records_no_fingerprint(refreshes):
    subset = refreshes["subset"]
    assert subset["success"] and set(subset["statuses"]) == {tuple(SUBSET)}
    assert subset["recorded"] is None
