"""Benchmark: `dbt build` of the whole project on a synthetic community, full and incremental.

    python bench/build.py [--activities 1000000] [--keep DIR] [--seed 7] [--vader]
                          [--project-dir DIR] [--dbt-arg ARG ...]

1. Writes N activities (GH Archive events ~55 %, Slack messages and thread replies ~45 %) of a
   few thousand people over two years straight into the raw tables of a fresh warehouse, with
   DuckDB SQL (bench/build_data.py). With --keep, the generated history is kept in DIR and
   reused by a later run with the same --activities and --seed.
2. Full build, the way orchestration runs it (the arguments come from
   orchestration/dbt_manifest.py, as the Dagster assets' do): `dbt build --full-refresh` of
   the models step with every data and unit test, then ml.sentiment is filled (stand-in
   scores from SQL; `--vader` runs ml.sentiment.score_new_messages instead), then the
   after_ml step. The full figure is the sum of the two dbt steps; scoring is timed on its own.
3. Appends 1 % new activities (new _batch_id, the following week: new threads, answers to
   recent ones, new people) plus edits of 0.05 % older messages, and times the hourly
   refresh (`refresh_warehouse` job): the same two steps, incremental, with only the tests
   tagged `critical`, leaving out views and seeds as the product does once a build recorded
   the project's fingerprint (orchestration/dbt_manifest.plan_step).

In-process, as the product runs dbt: the Dagster run worker already has dbt imported (dagster-dbt
imports it), and each dbt step is an invocation of dbtRunner in it (orchestration/dbt_runner.py),
not a process. So everything after the history runs in ONE Python subprocess (this file with
--driver) that first imports dagster, dagster_dbt and dbt, as a run worker has them, and reports
that import time apart: process start, paid by every Dagster run alike (the full build's as the
refresh's), so it is in neither figure. Each build (full, refresh) starts with the parse cache
empty, as a fresh run worker does, so its first step parses the project (partially, from the
target folder's msgpack, after an untimed warm-up parse) and the second reuses that parse.
Every step reports wall seconds, CPU seconds (getrusage of this process, dbt's threads included)
and peak RSS during the step. CPU seconds matter on a shared machine: wall time grows with the
load average, which is printed beside each step. --project-dir points at a copy of the dbt
project (to try a fix); --dbt-arg adds an argument to every `dbt build` (e.g.
--dbt-arg=--exclude-resource-type --dbt-arg=unit_test). Targets: full <= 60 s on 2 cores,
incremental <= 0.15 x full.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import build_data as data
from codeconvene.warehouse import connect
from orchestration.dbt_manifest import ensure_manifest, plan_step, record_step, step_selection

TARGET_FULL_S, TARGET_RATIO = 60.0, 0.15
WEEK = 7 * 86_400
DATABASES = ("warehouse.duckdb", "world.duckdb")
MARTS = (
    "fct_activities",
    "dim_contributors",
    "mart_engagement_daily",
    "mart_retention_cohorts",
    "mart_responsiveness",
    "mart_contributor_health",
    "mart_community_health_weekly",
    "mart_sentiment_weekly",
    "mart_unanswered_questions",
    "mart_good_first_issues",
)


@dataclass
class Run:
    folder: Path
    project: Path
    seed: int
    vader: bool
    build_args: list[str] = field(default_factory=list)


def load() -> str:
    return "load avg " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def generate(run: Run, activities: int, batch: int) -> float:
    """Batch 1: the two-year history; batch 2: 1 % more in the week after. Returns seconds."""
    started = time.perf_counter()
    con = connect(run.folder / "warehouse.duckdb")
    try:
        con.execute(f"attach '{run.folder / 'world.duckdb'}' as world")
        data.define_macros(con, run.seed)
        if batch == 1:
            data.create_world(con, max(200, activities // 250), WEEK)
            lo, hi, n = data.T0, data.T1, activities
        else:
            lo, hi, n = data.T1 + 1, data.T1 + WEEK, max(2, activities // 100)
        github = round(n * 0.55)
        data.add_github(con, github, batch, lo, hi)
        data.add_slack(con, n - github, batch, lo, hi)
        con.execute("checkpoint")
    finally:
        con.close()
    return time.perf_counter() - started


def history(run: Run, activities: int, keep: bool) -> str:
    """A fresh warehouse holding the history: generated, or copied from an earlier --keep run."""
    saved = run.folder / "history"
    stamp = {"activities": activities, "seed": run.seed, "generator": data.VERSION}
    for name in DATABASES:
        for path in (run.folder / name, run.folder / f"{name}.wal"):
            path.unlink(missing_ok=True)
    if (
        keep
        and (saved / "stamp.json").exists()
        and json.loads((saved / "stamp.json").read_text()) == stamp
    ):
        for name in DATABASES:
            shutil.copy(saved / name, run.folder / name)
        return "reused from an earlier --keep run"
    seconds = generate(run, activities, 1)
    if keep:
        saved.mkdir(exist_ok=True)
        for name in DATABASES:
            shutil.copy(run.folder / name, saved / name)
        (saved / "stamp.json").write_text(json.dumps(stamp))
    return f"{seconds:.1f} s"


class Usage:
    """Wall and CPU seconds and peak RSS of this process over a block (Linux: the peak is reset
    at the start through /proc/self/clear_refs; elsewhere it is the process's peak so far)."""

    def __enter__(self) -> Self:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass
        self.load = load()
        self._usage = resource.getrusage(resource.RUSAGE_SELF)
        self._started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.seconds = time.perf_counter() - self._started
        self.cpu = (usage.ru_utime + usage.ru_stime) - (self._usage.ru_utime + self._usage.ru_stime)
        self.rss_mb = usage.ru_maxrss / 1024
        status = Path("/proc/self/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.rss_mb = int(line.split()[1]) / 1024

    def line(self) -> str:
        return (f"{self.seconds:7.1f} s  cpu {self.cpu:6.1f} s  peak RSS {self.rss_mb:5.0f} MB")


def dbt(run: Run, name: str, *args: str) -> dict:
    """One dbt invocation in this process (orchestration/dbt_runner.py): wall and CPU seconds,
    peak RSS, exit code (0 or 1), node results. `parse` fills the runner's parse cache."""
    from orchestration import dbt_runner

    target, logs = run.folder / "target", run.folder / "logs"
    os.environ["CODECONVENE_WAREHOUSE"] = str(run.folder / "warehouse.duckdb")
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    output = run.folder / f"{name}.log"
    outcome: dbt_runner.DbtRun | None = None
    with output.open("w") as out, Usage() as usage:
        if args[0] == "parse":
            dbt_runner.ensure_parsed(run.project, target, args, log_path=logs)
        else:
            outcome = dbt_runner.run_dbt(list(args), project_dir=run.project, target_path=target, log_path=logs, echo=out)
    code = 0 if outcome is None or outcome.success else 1
    note = "" if outcome is None else (
        f"  (parsed first: {outcome.parse_seconds:.1f} s)" if outcome.parsed else "  (parse reused)")
    print(f"  {name:<26} {usage.line()}  exit {code}  ({usage.load} -> {load().removeprefix('load avg ')}){note}",
          flush=True)
    results = outcome.results if outcome else []
    if outcome is not None:
        (run.folder / f"{name}.results.json").write_text(json.dumps(results, indent=1, default=str))
        if not outcome.success:
            print("    " + outcome.failure()[:3000])
    return {"seconds": usage.seconds, "cpu": usage.cpu, "rss_mb": usage.rss_mb, "code": code, "results": results}


def score(run: Run) -> tuple[int, float]:
    scored, usage = score_usage(run)
    return scored, usage.seconds


def score_usage(run: Run) -> tuple[int, Usage]:
    """Fill ml.sentiment for what is new; how many were scored, and what it cost."""
    with Usage() as usage:
        con = connect(run.folder / "warehouse.duckdb")
        try:
            if run.vader:
                from ml.sentiment import score_new_messages

                scored = score_new_messages(con)
            else:
                data.define_macros(con, run.seed)
                scored = data.add_sentiment(con)
        finally:
            con.close()
    return scored, usage


def build(run: Run, label: str, full: bool) -> list[dict]:
    """The two dbt steps of orchestration with sentiment scoring between them: the full build
    (every test, --full-refresh) or the hourly refresh (critical tests; views and seeds left
    out when unchanged), with the arguments the Dagster assets pass
    (orchestration/dbt_manifest.py). The parse cache starts empty, as in a fresh run worker."""
    from orchestration import dbt_runner

    tests = "all" if full else "critical"
    target = run.folder / "target"
    manifest = json.loads(ensure_manifest(run.project, run.project / "target").read_text())
    dbt_runner.forget_parsed()
    steps = []
    for step in ("models", "after_ml"):
        if step == "after_ml":
            scored, usage = score_usage(run)
            print(
                f"  {'sentiment (' + ('VADER' if run.vader else 'stand-in SQL') + ')':<26} {usage.line()}  "
                f"{scored:,} activities scored (not in the dbt figure)"
            )
        # planning reads the raw tables' state: timed into the step, as the asset pays it too
        with Usage() as planning:
            plan = plan_step(step, tests, project_dir=run.project, target_path=target,
                             warehouse=run.folder / "warehouse.duckdb", full_refresh=full, manifest=manifest)
        if plan.skip_unchanged:
            print(f"  ({step}: views, seeds and {len(plan.skipped_models)} models fed only by unchanged raw "
                  f"tables left out; planning {planning.seconds:.2f} s)")
        result = dbt(run, f"{label}-{1 if step == 'models' else 2}-{step}", *plan.args, *step_selection(step), *run.build_args)
        spans = [(r["started_at"], r["completed_at"]) for r in result["results"] if r.get("started_at")]
        if spans:
            nodes = max(end for _, end in spans) - min(start for start, _ in spans)
            print(f"    (nodes ran for {nodes:.1f} s of the step's {result['seconds']:.1f} s; the rest is parsing, "
                  "selecting, connecting and the checkpoint when dbt closes the warehouse)")
        result["seconds"] += planning.seconds
        result["cpu"] += planning.cpu
        if result["code"] == 0:
            record_step(target, step, plan)
        steps.append(result)
    return steps


def slowest(steps: list[dict], top: int) -> None:
    if not any(step["results"] for step in steps):
        print("    (no node ran)")
        return
    nodes = sorted(
        (r for step in steps for r in step["results"]), key=lambda r: -r["execution_time"]
    )
    by_type: dict[str, list[float]] = {}
    for r in nodes:
        by_type.setdefault(r["unique_id"].split(".")[0], []).append(r["execution_time"])
    print(
        "    node seconds by type (summed over 2 dbt threads): "
        + ", ".join(f"{k} {sum(v):.1f} ({len(v)})" for k, v in sorted(by_type.items()))
    )
    for r in nodes[:top]:
        print(f"    {r['execution_time']:6.2f} s  {r['status']:<7} {r['unique_id']}")


def report(run: Run) -> None:
    con = connect(run.folder / "warehouse.duckdb", read_only=True)
    try:
        for table in ("raw_github.events", "raw_slack.messages", "raw_slack.users"):
            print(
                f"    {table:<34} {con.execute(f'select count(*) from {table}').fetchone()[0]:>10,}"
            )
        for mart in MARTS:
            print(
                f"    marts.{mart:<28} {con.execute(f'select count(*) from marts.{mart}').fetchone()[0]:>10,}"
            )
        mix = con.execute(
            "select platform || '/' || activity_type, count(*) from marts.fct_activities "
            "group by all order by 2 desc"
        ).fetchall()
        print("    activity mix: " + ", ".join(f"{kind} {count:,}" for kind, count in mix))
        # what the period-incremental marts had to recompute: the facts the refresh changed
        changed, old, people, earliest = con.execute(f"""
            select count(*), count(*) filter (where occurred_at <= to_timestamp({data.T1}) at time zone 'UTC'),
                   count(distinct person_id) filter (where occurred_at <= to_timestamp({data.T1}) at time zone 'UTC'),
                   min(occurred_at)
            from marts.fct_activities
            where changed_at = (select max(changed_at) from marts.fct_activities)""").fetchone()
        print(f"    facts changed by the refresh: {changed:,} activities; {old:,} of them older than the new week "
              f"(of {people} people: identity re-attribution or fact edits), earliest {earliest:%Y-%m-%d}")
        # accounts identity resolution moved to another person (a merge or a split): the per-person
        # marts recompute those people whole, the community-wide ones from their first activity on
        moved = con.execute("""
            select count(*), count(distinct previous_person_id) + count(distinct person_id)
            from meta.fct_identity_changes
            where changed_at = (select max(changed_at) from marts.fct_activities)""").fetchone()
        print(f"    accounts moved to another person by the refresh: {moved[0]:,} (people on either side: {moved[1]:,})")
    finally:
        con.close()


def summary(full_steps: list[dict], incremental_steps: list[dict], started: Usage | None = None) -> None:
    full, incremental = (
        sum(s["seconds"] for s in steps) for steps in (full_steps, incremental_steps)
    )
    full_cpu, incremental_cpu = (
        sum(s["cpu"] for s in steps) for steps in (full_steps, incremental_steps)
    )
    ratio = incremental / full
    print(
        f"full build        {full:7.1f} s  cpu {full_cpu:6.1f} s  (target <= {TARGET_FULL_S:.0f} s: "
        f"{'met' if full <= TARGET_FULL_S else 'MISSED'})"
    )
    print(
        f"incremental build {incremental:7.1f} s  cpu {incremental_cpu:6.1f} s  ratio {ratio:.3f} "
        f"(cpu ratio {incremental_cpu / full_cpu:.3f}; target <= {TARGET_RATIO}: {'met' if ratio <= TARGET_RATIO else 'MISSED'})"
    )
    print(f"peak RSS of dbt   {max(s['rss_mb'] for s in full_steps + incremental_steps):7.0f} MB")
    if started is not None:
        print(f"process start     {started.seconds:7.1f} s  cpu {started.cpu:6.1f} s  (importing dagster, dagster_dbt "
              "and dbt: once per Dagster run, full or refresh; in neither figure above)")
    ok = all(s["code"] == 0 for s in full_steps + incremental_steps)
    print(f"{load()}; dbt steps {'all succeeded' if ok else 'FAILED (see above)'}")


def import_dbt() -> Usage:
    """What a Dagster run worker has loaded before its first step: dagster, dagster-dbt, dbt
    and its DuckDB adapter, and the runner."""
    with Usage() as usage:
        import dagster  # noqa: F401
        import dagster_dbt  # noqa: F401
        import dbt.adapters.duckdb  # noqa: F401
        from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage  # noqa: F401
        from dbt.cli.main import dbtRunner  # noqa: F401

        from orchestration import dbt_runner  # noqa: F401
    return usage


def drive(run: Run, activities: int) -> int:
    """Everything after the history, in this one process (see the module docstring)."""
    started = import_dbt()
    print(f"process start: import dagster, dagster_dbt, dbt {started.line()}  "
          "(paid by every Dagster run alike, full or refresh: in neither figure)", flush=True)
    dbt(run, "parse (warm-up, untimed)", "parse")
    print("full build (--full-refresh):")
    full_steps = build(run, "full", full=True)
    with Usage() as usage:
        generate(run, activities, 2)
    print(f"append 1 %                  {usage.line()}")
    print("incremental build (the hourly refresh: critical tests only):")
    incremental_steps = build(run, "incremental", full=False)
    print("rows after the incremental build:")
    report(run)
    print("slowest nodes, full build:")
    slowest(full_steps, 15)
    print("slowest nodes, incremental build:")
    slowest(incremental_steps, 10)
    summary(full_steps, incremental_steps, started)
    return 0 if all(s["code"] == 0 for s in full_steps + incremental_steps) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="keep the warehouse, logs and node results here")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--vader", action="store_true", help="score sentiment with VADER (timed apart)"
    )
    parser.add_argument("--project-dir", type=Path, default=REPO / "dbt_project")
    parser.add_argument(
        "--dbt-arg", action="append", default=[], help="extra argument for every dbt build"
    )
    parser.add_argument("--driver", type=Path, help=argparse.SUPPRESS)  # internal: the timed process
    args = parser.parse_args()
    if args.driver:
        run = Run(args.driver, args.project_dir.resolve(), args.seed, args.vader, args.dbt_arg)
        raise SystemExit(drive(run, args.activities))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="codeconvene-build-"))
    folder.mkdir(parents=True, exist_ok=True)
    run = Run(folder, args.project_dir.resolve(), args.seed, args.vader, args.dbt_arg)
    print(
        f"bench/build.py: {args.activities:,} activities, seed {args.seed}, {os.cpu_count()} cores, "
        f"project {run.project}, extra dbt args {run.build_args or 'none'}, {load()}"
    )
    try:
        print(f"history                   {history(run, args.activities, args.keep is not None)}", flush=True)
        driver = subprocess.run([sys.executable, __file__, *sys.argv[1:], "--driver", str(folder)], check=False)
        print(f"files in {folder}" if args.keep else "")
        if driver.returncode:
            raise SystemExit(driver.returncode)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
