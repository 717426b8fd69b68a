"""How dbt is invoked: a fresh manifest for dagster-dbt, the partial-parse cache, and which
nodes a build runs (full suite or refresh). No Dagster import: bench/build.py times exactly
these commands.

Manifest: dagster-dbt needs manifest.json when definitions load. `dbt parse` runs only when
a file of the dbt project is newer than the manifest, so loading definitions stays fast.
Parsing needs no database, but the profile names one, so a placeholder path is given when
CODECONVENE_WAREHOUSE is not set yet.

Partial parsing: dbt re-parses the whole project (~10 s CPU with ~500 tests) whenever the
`--vars` differ from those its saved partial_parse.msgpack was parsed with, and dagster-dbt
gives every invocation a fresh target folder seeded from dbt_project/target (parsed without
vars). So each home keeps its own target folder (`dbt_target_path`): the msgpack written by
the last build (same vars, same profile) is reused and only changed files are parsed again.

Two kinds of build (`TESTS`), both `dbt build`, both incremental:
- "all": every model, seed, data test and unit test. The full build: `codeconvene build`,
  the demo, and the daily `build_everything` job. Unit tests check SQL logic against fixed
  rows (no warehouse data), so they only need to run when the project changes, which the
  daily build and CI cover.
- "critical": the hourly `refresh_warehouse` job. Every model runs; of the tests only those
  tagged `critical` in dbt (unique + not_null keys of the facts and of the identity map that
  every mart joins on) run, so a refresh cannot publish duplicated or orphaned activities.
  The remaining ~500 data tests (accepted values, relationships, mart keys) and the unit
  tests wait for the daily build: on 1M activities they cost about as much CPU as all the
  models of a refresh.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TESTS = ("all", "critical")
# what each of the two dbt assets selects: the `after_ml` models read ml.sentiment, so they run
# as a second dbt step after sentiment scoring; sources are selected for their tests. Tests
# come by indirect selection (full build) or by tag (refresh).
MODELS_STEP = {"select": "resource_type:model resource_type:seed resource_type:source", "exclude": "tag:after_ml"}
AFTER_ML_STEP = {"select": "tag:after_ml,resource_type:model", "exclude": None}
STEPS = {"models": MODELS_STEP, "after_ml": AFTER_ML_STEP}

WATCHED = ("models", "macros", "seeds", "tests", "snapshots", "dbt_project.yml", "profiles.yml")


def _newest_source_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in WATCHED:
        path = project_dir / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for file in path.rglob("*"):
                if file.is_file():
                    newest = max(newest, file.stat().st_mtime)
    return newest


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def ensure_manifest(project_dir: Path, target_path: Path) -> Path:
    manifest = target_path / "manifest.json"
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime(project_dir):
        return manifest
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "CODECONVENE_WAREHOUSE": os.environ.get("CODECONVENE_WAREHOUSE", str(target_path / "parse-only.duckdb")),
    }
    completed = subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--project-dir", str(project_dir),
         "--profiles-dir", str(project_dir), "--target-path", str(target_path)],
        env=env, capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0 or not manifest.exists():
        raise RuntimeError(f"dbt parse failed in {project_dir}:\n{completed.stdout}\n{completed.stderr}")
    return manifest


def dbt_target_path(home: Path) -> Path:
    """The home's own dbt target folder, so partial parsing survives between builds."""
    return Path(home) / "dbt_target"


def tests_args(tests: str, step: str) -> list[str]:
    """Extra `dbt build` arguments for the tests a build runs (see the module docstring)."""
    if tests not in TESTS:
        raise ValueError(f"tests must be one of {TESTS}, not {tests!r}")
    if tests == "all":
        return []
    critical = "tag:critical" if step == "models" else "tag:critical,tag:after_ml"
    return ["--exclude-resource-type", "unit_test", "--indirect-selection", "empty", "--select", critical]


def build_args(step: str, tests: str, *, full_refresh: bool = False, dbt_vars: dict | None = None) -> list[str]:
    """The whole `dbt build` command line of one step, as dagster-dbt runs it (its selection
    comes from the asset definition, `STEPS`), for bench/build.py and the assets alike."""
    selection = STEPS[step]
    return [
        *own_build_args(step, tests, full_refresh=full_refresh, dbt_vars=dbt_vars),
        "--select", selection["select"],
        *(["--exclude", selection["exclude"]] if selection["exclude"] else []),
    ]


def own_build_args(step: str, tests: str, *, full_refresh: bool = False, dbt_vars: dict | None = None) -> list[str]:
    """`dbt build` arguments without the step's own selection (dagster-dbt adds that)."""
    return [
        "build",
        *(["--vars", json.dumps(dbt_vars)] if dbt_vars else []),
        *(["--full-refresh"] if full_refresh else []),
        *tests_args(tests, step),
        # the refresh writes no manifest.json / run_results.json (~0.7 s CPU per step): dagster-dbt
        # reads dbt's structured log, and the daily full build still writes them for docs and debugging
        *(["--no-write-json"] if tests == "critical" else []),
    ]
