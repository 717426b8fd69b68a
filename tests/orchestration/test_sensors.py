"""The new-issues sensor: a baseline on the first tick, one run per arrival, none otherwise."""

from __future__ import annotations

from datetime import datetime

import dagster as dg

from codeconvene.warehouse import connect
from ingest.core.live import land_page
from ingest.core.records import Record
from orchestration.resources import CodeConveneResource
from orchestration.sensors import TRIAGE_KEY, WELCOMES_KEY, new_issues_sensor, react_to_new_issues


def add_issue(home, issue_id: str, batch: str) -> None:
    con = connect(home / "warehouse.duckdb")
    record = Record("raw_github.issues", {"issue_id": issue_id, "repo_name": "o/r", "number": int(issue_id),
                                          "is_pull_request": False, "author_login": "a"},
                    datetime(2026, 3, 1), f'{{"id": {issue_id}}}', "test")
    land_page(con, "github:o/r", batch, datetime.now(), [record], {})
    con.close()


def tick(home, cursor):
    context = dg.build_sensor_context(cursor=cursor, resources={"codeconvene": CodeConveneResource(home=str(home))})
    result = new_issues_sensor(context)
    return result, context.cursor


def test_new_issues_trigger_one_run_each_arrival(home):
    # no warehouse yet
    result, cursor = tick(home, None)
    assert isinstance(result, dg.SkipReason) and cursor is None
    add_issue(home, "1", "b1")
    result, cursor = tick(home, None)
    assert isinstance(result, dg.SkipReason) and "baseline" in result.skip_message
    result, cursor = tick(home, cursor)
    assert isinstance(result, dg.SkipReason) and "no new issues" in result.skip_message
    add_issue(home, "2", "b2")
    add_issue(home, "3", "b3")
    result, after = tick(home, cursor)
    assert isinstance(result, dg.RunRequest) and result.tags["codeconvene/new_issues"] == "2"
    add_issue(home, "2", "b4")  # a known issue again: no new issue
    result, _ = tick(home, after)
    assert isinstance(result, dg.SkipReason) and "no new issues" in result.skip_message


def test_job_selects_triage_and_welcomes_but_no_raw_ingest():
    """Resolved against stand-ins with the real keys and edges (the dbt graph is not needed)."""
    raw = dg.AssetSpec(["raw_github", "issues"])
    fct = dg.AssetSpec(["marts", "fct_activities"], deps=[raw])
    docs = dg.AssetSpec(["lance", "documents"], deps=[fct])
    specs = [raw, fct, docs, dg.AssetSpec(TRIAGE_KEY, deps=[fct, docs]), dg.AssetSpec(WELCOMES_KEY, deps=[fct]),
             dg.AssetSpec(["reports", "weekly_report"], deps=[fct])]

    @dg.multi_asset(specs=specs, can_subset=True)
    def stand_ins():
        return None

    # registering the sensor is enough: its job comes along
    job = dg.Definitions(assets=[stand_ins], sensors=[new_issues_sensor]).resolve_job_def("react_to_new_issues")
    selected = {key.to_user_string() for key in job.asset_layer.selected_asset_keys}
    assert selected == {"marts/fct_activities", "lance/documents", "ml/issue_triage", "ml/welcomes"}
