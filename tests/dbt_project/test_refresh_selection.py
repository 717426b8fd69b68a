"""What each kind of build runs: the full suite, or the hourly refresh with critical tests only.

GIVEN the dbt project and the command lines the Dagster assets and bench/build.py share
      (orchestration/dbt_manifest.build_args)
WHEN dbt lists what each step of each kind of build selects
THEN both kinds build every model once across the two steps (after_ml models in the second);
     the full build runs every data and unit test; the refresh runs no unit test and exactly
     the data tests tagged `critical` — the keys of fct_activities, dim_contributors and the
     identity map.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

from orchestration.dbt_manifest import build_args

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


@pytest.fixture(scope="module")
def listed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("selection")
    runner = dbtRunner()
    selected = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CODECONVENE_WAREHOUSE", str(tmp / "parse-only.duckdb"))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        for tests in ("all", "critical"):
            for step in ("models", "after_ml"):
                args = build_args(step, tests)
                assert args[0] == "build"
                result = runner.invoke([
                    "ls", *args[1:], "--output", "json", "--output-keys", "unique_id", "resource_type", "tags",
                    "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
                    "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"), "--quiet",
                ])
                assert result.success, result.exception
                selected[tests, step] = [json.loads(line) for line in result.result]
        everything = runner.invoke([
            "ls", "--output", "json", "--output-keys", "unique_id", "resource_type", "tags",
            "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"), "--quiet",
        ])
    selected["project"] = [json.loads(line) for line in everything.result]
    return selected


def _ids(nodes: list[dict], resource_type: str) -> set[str]:
    return {n["unique_id"] for n in nodes if n["resource_type"] == resource_type}


def test_every_model_is_built_once_by_either_kind_of_build(listed):
    models = _ids(listed["project"], "model")
    for tests in ("all", "critical"):
        first, second = _ids(listed[tests, "models"], "model"), _ids(listed[tests, "after_ml"], "model")
        assert first | second == models and not first & second
        assert all("after_ml" in n["tags"] for n in listed[tests, "after_ml"] if n["resource_type"] == "model")


def test_the_full_build_runs_every_data_and_unit_test(listed):
    for resource_type in ("test", "unit_test"):
        run = _ids(listed["all", "models"], resource_type) | _ids(listed["all", "after_ml"], resource_type)
        assert run == _ids(listed["project"], resource_type)


def test_the_refresh_runs_only_the_critical_tests(listed):
    run = listed["critical", "models"] + listed["critical", "after_ml"]
    assert not _ids(run, "unit_test")
    tests = {n["unique_id"].split(".")[2] for n in run if n["resource_type"] == "test"}
    critical = {n["unique_id"].split(".")[2] for n in listed["project"]
                if n["resource_type"] == "test" and "critical" in n["tags"]}
    assert tests == critical == {
        "not_null_fct_activities_activity_id", "unique_fct_activities_activity_id",
        "not_null_fct_activities_person_id", "not_null_dim_contributors_person_id",
        "unique_dim_contributors_person_id", "not_null_int_identities_resolved_account_key",
        "unique_int_identities_resolved_account_key",
    }
