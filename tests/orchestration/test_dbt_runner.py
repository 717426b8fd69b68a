"""dbt runs inside the process: one parse serves every invocation until the project changes.

GIVEN a tiny dbt project (a `probe` model selecting a number, a `marts.fct_activities` with
      one message, a model reading a missing table) on a fresh DuckDB warehouse
WHEN orchestration.dbt_runner invokes `dbt build` several times in this process
THEN the project is parsed once and reused until a model file or the vars change, and what
     then runs is the changed SQL; a failure names the failed node and dbt's message; events
     arrive as dbt JSON log dicts that dagster-dbt turns into materializations; and the
     sentiment scorer opens the warehouse right after dbt, in the same process.
"""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

import duckdb
import pytest
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from codeconvene.warehouse import connect
from ml.sentiment import score_new_messages
from orchestration import dbt_runner
from orchestration.dbt_runner import DbtFailed, run_dbt, stream_dbt

FILES = {
    "dbt_project.yml": "name: tiny\nversion: '1.0.0'\nconfig-version: 2\nprofile: tiny\nmodel-paths: [models]\n"
                       "macro-paths: [macros]\n",
    "profiles.yml": "tiny:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                    "      path: \"{{ env_var('CODECONVENE_WAREHOUSE') }}\"\n      threads: 1\n",
    "macros/generate_schema_name.sql": "{% macro generate_schema_name(custom, node) %}"
                                       "{{ custom or target.schema }}{% endmacro %}",
    "models/probe.sql": "select {{ var('probe_value', 1) }} as value",
    "models/fct_activities.sql": "{{ config(materialized='table', schema='marts') }}\n"
                                 "select 'a1' as activity_id, 'Great work, thank you so much!' as text",
    "models/broken.sql": "select * from no_such_table",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    folder = tmp_path / "project"
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("CODECONVENE_WAREHOUSE", str(warehouse))
    dbt_runner.forget_parsed()
    return {"dir": folder, "target": tmp_path / "target", "warehouse": warehouse}


def build(project: dict, *args: str) -> dbt_runner.DbtRun:
    return run_dbt(["build", *args], project_dir=project["dir"], target_path=project["target"])


def value(project: dict) -> int:
    with duckdb.connect(str(project["warehouse"]), read_only=True) as con:
        return con.execute("select value from main.probe").fetchone()[0]


def test_one_parse_serves_every_invocation_until_a_model_or_the_vars_change(project):
    first = build(project, "--select", "probe").check()
    second = build(project, "--select", "probe").check()
    assert (first.parsed, second.parsed, value(project)) == (True, False, 1)

    (project["dir"] / "models" / "probe.sql").write_text("select 6 * 7 as value")
    edited = build(project, "--select", "probe").check()
    assert (edited.parsed, value(project)) == (True, 42)

    with_vars = ["--vars", json.dumps({"probe_value": 5})]
    (project["dir"] / "models" / "probe.sql").write_text("select {{ var('probe_value', 1) }} + 100 as value")
    assert build(project, *with_vars, "--select", "probe").check().parsed and value(project) == 105
    again = build(project, *with_vars, "--select", "probe").check()
    assert not again.parsed and [r["unique_id"] for r in again.results] == ["model.tiny.probe"]


def test_each_node_result_says_when_it_ran(project):
    import time

    before = time.time()
    run = build(project, "--select", "probe", "fct_activities").check()
    after = time.time()
    spans = {r["unique_id"]: (r["started_at"], r["completed_at"]) for r in run.results}
    assert set(spans) == {"model.tiny.probe", "model.tiny.fct_activities"}
    for started, completed in spans.values():
        assert before <= started <= completed <= after


def test_a_failure_names_the_failed_node_and_dbts_message(project):
    failed = build(project, "--select", "broken")
    assert not failed.success
    with pytest.raises(DbtFailed) as error:
        failed.check()
    assert "model.tiny.broken (error)" in str(error.value)
    assert "no_such_table" in str(error.value)


def test_streamed_events_are_dbt_json_log_lines_that_dagster_dbt_converts(project):
    events = list(stream_dbt(["build", "--select", "probe"], project_dir=project["dir"], target_path=project["target"]))
    results = [e for e in events if e["info"]["name"] == "LogModelResult"]
    assert [e["data"]["node_info"]["unique_id"] for e in results] == ["model.tiny.probe"]
    assert results[0]["data"]["node_info"]["node_status"] == "success"
    # the full build writes manifest.json (only parsing and the refresh skip it)
    manifest = json.loads((project["target"] / "manifest.json").read_text())
    converted = [
        dagster_event
        for event in events
        for dagster_event in DbtCoreCliEventMessage(raw_event=event, event_history_metadata={})
        .to_default_asset_events(manifest=manifest)
    ]
    assert [e.asset_key.path for e in converted] == [["probe"]]


def test_a_streamed_failure_raises_after_the_events(project):
    stream = stream_dbt(["build", "--select", "broken"], project_dir=project["dir"], target_path=project["target"])
    names = []
    with pytest.raises(DbtFailed, match="model.tiny.broken"):
        for event in stream:
            names.append(event["info"]["name"])
    assert "LogModelResult" in names


def test_the_sentiment_scorer_opens_the_warehouse_right_after_dbt(project):
    build(project, "--select", "fct_activities").check()
    with closing(connect(project["warehouse"])) as con:
        scored = score_new_messages(con)
        compound = con.execute("select compound from ml.sentiment where activity_id = 'a1'").fetchone()[0]
    assert scored == 1 and compound > 0.5
