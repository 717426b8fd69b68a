"""Which build steps may leave out views and seeds: the refresh, when nothing changed.

GIVEN a small project folder, a warehouse file and a target folder
WHEN build steps are planned (orchestration/dbt_manifest.plan_step) before and after a
     successful build is recorded, and after a project file, the vars or the warehouse change
THEN only a refresh (critical tests, no --full-refresh) whose fingerprint equals the one the
     last successful build of the same step recorded leaves views and seeds out; and a build
     after the project files or vars changed (not merely the warehouse's place) rebuilds from
     history with --full-refresh.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.dbt_manifest import (
    UNCHANGED_IN_REFRESH,
    plan_step,
    record_built,
    skips_unchanged,
)


@pytest.mark.parametrize(("tests", "full_refresh", "recorded", "expected"), [
    ("critical", False, "same", True),
    ("critical", False, "other", False),
    ("critical", False, None, False),  # never built in this home
    ("critical", True, "same", False),  # a full refresh rebuilds everything
    ("all", False, "same", False),  # the full build runs everything
])
def test_only_an_unchanged_refresh_skips_views_and_seeds(tests, full_refresh, recorded, expected):
    assert skips_unchanged(tests, full_refresh, recorded, "same") is expected


@pytest.fixture
def place(tmp_path: Path) -> dict:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "models" / "a.sql").write_text("select 1 as a")
    (project / "dbt_project.yml").write_text("name: tiny\n")
    warehouse = tmp_path / "warehouse.duckdb"
    warehouse.write_bytes(b"db")
    return {"project": project, "warehouse": warehouse, "target": tmp_path / "target"}


def plan(place: dict, step: str = "models", tests: str = "critical", **kwargs):
    return plan_step(step, tests, project_dir=place["project"], target_path=place["target"],
                     warehouse=place["warehouse"], **kwargs)


def test_a_refresh_skips_them_once_the_same_step_was_built_with_this_fingerprint(place):
    before = plan(place)
    assert not before.skip_unchanged and UNCHANGED_IN_REFRESH not in before.args
    record_built(place["target"], "models", before.fingerprint)
    after = plan(place)
    assert after.skip_unchanged
    assert after.args[after.args.index(UNCHANGED_IN_REFRESH) - 1] == "--exclude"
    assert not plan(place, step="after_ml").skip_unchanged  # each step records its own build
    assert not plan(place, full_refresh=True).skip_unchanged
    assert not plan(place, tests="all").skip_unchanged


def test_any_change_to_files_vars_or_warehouse_means_a_refresh_runs_everything(place):
    record_built(place["target"], "models", plan(place).fingerprint)
    assert plan(place).skip_unchanged
    assert not plan(place, dbt_vars={"maintainers": ["octocat"]}).skip_unchanged

    (place["project"] / "models" / "b.sql").write_text("select 2 as b")  # a new model
    assert not plan(place).skip_unchanged
    record_built(place["target"], "models", plan(place).fingerprint)
    (place["project"] / "models" / "b.sql").unlink()  # a removed one (the newest mtime would not tell)
    assert not plan(place).skip_unchanged
    record_built(place["target"], "models", plan(place).fingerprint)

    moved = place["warehouse"].with_name("other.duckdb")  # another warehouse holds none of the views
    place["warehouse"].rename(moved)
    assert not plan_step("models", "critical", project_dir=place["project"], target_path=place["target"],
                         warehouse=moved).skip_unchanged


def test_a_changed_project_or_vars_rebuilds_from_history_but_a_moved_warehouse_does_not(place):
    first = plan(place)
    assert not first.full_refresh and "--full-refresh" not in first.args  # nothing recorded yet
    record_built(place["target"], "models", first.fingerprint)
    assert not plan(place).full_refresh

    # other vars (e.g. workday hours) or other SQL/seeds: the stored marts were computed otherwise
    for changed in (plan(place, dbt_vars={"workday_end_hour": 18}), plan(place, tests="all", dbt_vars={"x": 1})):
        assert changed.full_refresh and "--full-refresh" in changed.args and not changed.skip_unchanged
    (place["project"] / "models" / "a.sql").write_text("select 2 as a")
    assert plan(place).full_refresh

    record_built(place["target"], "models", plan(place).fingerprint)
    moved = place["warehouse"].with_name("moved.duckdb")
    place["warehouse"].rename(moved)
    relocated = plan_step("models", "critical", project_dir=place["project"], target_path=place["target"],
                          warehouse=moved)
    assert not relocated.full_refresh and not relocated.skip_unchanged  # runs everything, incrementally
