"""How dbt is invoked: a fresh manifest for dagster-dbt, the partial-parse cache, and which
nodes a build runs (full suite or refresh). No Dagster import: bench/build.py times exactly
these arguments, run in-process by orchestration/dbt_runner.py as the Dagster assets run them.

Manifest: dagster-dbt needs manifest.json when definitions load. `dbt parse` runs only when
a file of the dbt project is newer than the manifest, so loading definitions stays fast.
Parsing needs no database, but the profile names one, so a placeholder path is given when
CODECONVENE_WAREHOUSE is not set yet.

Partial parsing: dbt re-parses the whole project (~10 s CPU with ~500 tests) whenever the
`--vars` differ from those its saved partial_parse.msgpack was parsed with, and dagster-dbt
would give every invocation a fresh target folder seeded from dbt_project/target (parsed
without vars). So each home keeps its own target folder (`dbt_target_path`): the msgpack written
by the last build (same vars, same profile) is reused and only changed files are parsed again,
once per process (the runner keeps the parsed project for the next step).

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

The refresh also leaves out views and seeds (`UNCHANGED_IN_REFRESH`): a view holds no data
(re-creating it only re-states its SQL) and a seed changes only with its CSV. That is safe only
when nothing they are built from changed since they were last built, so after every successful
step the home's target folder records a fingerprint of the project files, the vars and the
warehouse file (`record_built`); a refresh step skips them only when the fingerprint it would
record is the one already there (`skips_unchanged`), else it runs everything as the full build.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestration import refresh_scope

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


def project_files_fingerprint(project_dir: Path) -> str:
    """A hash of every watched file's path and content: changes when any file is edited,
    added or removed (unlike the newest mtime, which misses a removal)."""
    digest = hashlib.sha256()
    for name in WATCHED:
        path = project_dir / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for file in files:
            digest.update(str(file.relative_to(project_dir)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


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


# left out of a refresh while the project, the vars and the warehouse are those of the last build
UNCHANGED_IN_REFRESH = "config.materialized:view resource_type:seed"


def build_fingerprint(project_dir: Path, dbt_vars: dict | None, warehouse: Path) -> str:
    """What a built view or seed depends on besides its inputs' data: the project files, the
    vars, and which warehouse file it lives in (a re-created warehouse has none of them)."""
    warehouse = Path(warehouse)
    identity = warehouse.stat().st_ino if warehouse.exists() else None
    return json.dumps({
        "files": project_files_fingerprint(Path(project_dir)), "vars": dbt_vars or {},
        "warehouse": [str(warehouse.resolve()), identity],
    }, sort_keys=True)


def project_changed(recorded: str | None, current: str) -> bool:
    """Whether the dbt project files or vars differ from those of the step's last successful
    build. The incremental models and marts then hold rows computed by other SQL, weights or
    settings (nothing stamps such a change on the data), so the build rebuilds them from history."""
    if recorded is None:
        return False
    try:
        before, now = json.loads(recorded), json.loads(current)
    except json.JSONDecodeError:
        return True
    return (before.get("files"), before.get("vars")) != (now.get("files"), now.get("vars"))


def skips_unchanged(tests: str, full_refresh: bool, recorded: str | None, current: str) -> bool:
    """Whether a build step may leave out views and seeds: only the refresh (critical tests, no
    --full-refresh), and only when the step last succeeded with exactly this fingerprint."""
    return tests == "critical" and not full_refresh and recorded is not None and recorded == current


def _fingerprint_file(target_path: Path, step: str) -> Path:
    return Path(target_path) / f"built_fingerprint.{step}.json"


def recorded_fingerprint(target_path: Path, step: str) -> str | None:
    path = _fingerprint_file(target_path, step)
    return path.read_text(encoding="utf-8") if path.exists() else None


def record_built(target_path: Path, step: str, fingerprint: str) -> None:
    """Called after a step succeeded: its views and seeds now match this fingerprint."""
    Path(target_path).mkdir(parents=True, exist_ok=True)
    _fingerprint_file(target_path, step).write_text(fingerprint, encoding="utf-8")


def forget_built(target_path: Path, step: str) -> None:
    """Called after a step failed: the next refresh runs everything (e.g. a warehouse file that
    was deleted and re-created lost its views, which its fingerprint cannot always tell)."""
    _fingerprint_file(target_path, step).unlink(missing_ok=True)


def tests_args(tests: str, step: str) -> list[str]:
    """Extra `dbt build` arguments for the tests a build runs (see the module docstring)."""
    if tests not in TESTS:
        raise ValueError(f"tests must be one of {TESTS}, not {tests!r}")
    if tests == "all":
        return []
    critical = "tag:critical" if step == "models" else "tag:critical,tag:after_ml"
    return ["--exclude-resource-type", "unit_test", "--indirect-selection", "empty", "--select", critical]


def build_args(
    step: str, tests: str, *, full_refresh: bool = False, dbt_vars: dict | None = None, skip_unchanged: bool = False,
) -> list[str]:
    """The whole `dbt build` command line of one step, as the Dagster assets run it (their
    selection comes from the asset definition, `STEPS`), for bench/build.py and tests."""
    return [
        *own_build_args(step, tests, full_refresh=full_refresh, dbt_vars=dbt_vars, skip_unchanged=skip_unchanged),
        *step_selection(step),
    ]


def step_selection(step: str) -> list[str]:
    """The step's own selection, as its Dagster asset definition declares it (`STEPS`)."""
    selection = STEPS[step]
    return ["--select", selection["select"], *(["--exclude", selection["exclude"]] if selection["exclude"] else [])]


def own_build_args(
    step: str, tests: str, *, full_refresh: bool = False, dbt_vars: dict | None = None, skip_unchanged: bool = False,
    skip_models: Sequence[str] = (),
) -> list[str]:
    """`dbt build` arguments without the step's own selection (the asset's context gives that);
    `skip_unchanged` (see `skips_unchanged`) leaves out views and seeds, and `skip_models` the
    models fed only by unchanged raw tables (orchestration/refresh_scope.py)."""
    return [
        "build",
        *(["--vars", json.dumps(dbt_vars)] if dbt_vars else []),
        *(["--full-refresh"] if full_refresh else []),
        *tests_args(tests, step),
        *(["--exclude", " ".join([UNCHANGED_IN_REFRESH, *skip_models])] if skip_unchanged else []),
        # the refresh writes no manifest.json / run_results.json (~0.7 s CPU per step): the runner
        # collects dbt's events and results in memory; the full build still writes them for docs
        *(["--no-write-json"] if tests == "critical" else []),
    ]


@dataclass
class StepPlan:
    """One build step's own arguments, whether it leaves out unchanged views and seeds, which
    models fed only by unchanged raw tables it leaves out, and the raw tables' state read
    before it (recorded once it succeeds)."""

    args: list[str]
    fingerprint: str
    skip_unchanged: bool
    skipped_models: list[str] = field(default_factory=list)
    raw_state: dict | None = None
    full_refresh: bool = False  # asked for, or forced because the project or vars changed


def plan_step(
    step: str, tests: str, *, project_dir: Path, target_path: Path, warehouse: Path,
    full_refresh: bool = False, dbt_vars: dict | None = None, manifest: Mapping[str, Any] | None = None,
) -> StepPlan:
    """The step's arguments (without its selection), deciding the refresh trimming from the
    fingerprint recorded by the last successful build of this step in this target folder and,
    given the manifest, from the raw tables' state recorded then (refresh_scope)."""
    fingerprint = build_fingerprint(project_dir, dbt_vars, warehouse)
    recorded = recorded_fingerprint(target_path, step)
    full_refresh = full_refresh or project_changed(recorded, fingerprint)
    skip = skips_unchanged(tests, full_refresh, recorded, fingerprint)
    state, skipped = None, []
    if manifest is not None:
        state = refresh_scope.read_warehouse_state(warehouse, refresh_scope.source_tables(manifest).values())
        if skip and state is not None:
            changed = refresh_scope.changed_tables(refresh_scope.read_recorded(target_path, step), state)
            selectable = {n["name"] for n in manifest["nodes"].values()
                          if n["resource_type"] == "model" and (step == "after_ml") == ("after_ml" in n.get("tags", []))}
            skipped = [name for name in refresh_scope.models_to_skip(manifest, changed) if name in selectable]
    args = own_build_args(step, tests, full_refresh=full_refresh, dbt_vars=dbt_vars, skip_unchanged=skip,
                          skip_models=skipped)
    return StepPlan(args, fingerprint, skip, skipped, state, full_refresh)


def record_step(target_path: Path, step: str, plan: StepPlan) -> None:
    """After a whole step succeeded: what its views, seeds and skipped models now match."""
    record_built(target_path, step, plan.fingerprint)
    if plan.raw_state is not None:
        refresh_scope.record(target_path, step, plan.raw_state)
    else:
        refresh_scope.forget(target_path, step)


def forget_step(target_path: Path, step: str) -> None:
    """After a step failed: the next refresh runs everything."""
    forget_built(target_path, step)
    refresh_scope.forget(target_path, step)
