"""Benchmark: `dbt build` of the whole project on a synthetic community, full and incremental.

    python bench/build.py [--activities 1000000] [--keep DIR] [--seed 7] [--vader]
                          [--project-dir DIR] [--dbt-arg ARG ...]

1. Writes N activities (GH Archive events ~55 %, Slack messages and thread replies ~45 %) of a
   few thousand people over two years straight into the raw tables of a fresh warehouse, with
   DuckDB SQL (bench/build_data.py). With --keep, the generated history is kept in DIR and
   reused by a later run with the same --activities and --seed.
2. Full build, the way orchestration runs it (the commands come from
   orchestration/dbt_manifest.py, as the Dagster assets' do): `dbt build --full-refresh` of
   the models step with every data and unit test, then ml.sentiment is filled (stand-in
   scores from SQL; `--vader` runs ml.sentiment.score_new_messages instead), then the
   after_ml step. The full figure is the sum of the two dbt steps; scoring is timed on its own.
3. Appends 1 % new activities (new _batch_id, the following week: new threads, answers to
   recent ones, new people) plus edits of 0.05 % older messages, and times the hourly
   refresh (`refresh_warehouse` job): the same two steps, incremental, with only the tests
   tagged `critical`.

Each dbt step is a subprocess (wall time; CPU time and peak RSS from os.wait4) sharing one
--target-path, so after an untimed `dbt parse` the timed steps parse partially, as a deployed
project does. CPU seconds matter on a shared machine: wall time grows with the load average,
which is printed beside each step. --project-dir points at a copy of the dbt project (to try a
fix); --dbt-arg adds an argument to every `dbt build` (e.g. --dbt-arg=--exclude-resource-type
--dbt-arg=unit_test). Targets: full <= 60 s on 2 cores, incremental <= 0.15 x full.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import build_data as data
from codeconvene.warehouse import connect
from orchestration.dbt_manifest import build_args

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


def dbt(run: Run, name: str, *args: str) -> dict:
    """One dbt command in a subprocess: wall and CPU seconds, peak RSS, exit code, run_results."""
    target, logs = run.folder / "target", run.folder / "logs"
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(run.project),
        "--profiles-dir",
        str(run.project),
        "--target-path",
        str(target),
        "--log-path",
        str(logs),
    ]
    env = {
        **os.environ,
        "CODECONVENE_WAREHOUSE": str(run.folder / "warehouse.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }
    output = run.folder / f"{name}.log"
    (target / "run_results.json").unlink(missing_ok=True)  # the refresh writes none (--no-write-json)
    before = load()
    started = time.perf_counter()
    with output.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds, cpu = time.perf_counter() - started, usage.ru_utime + usage.ru_stime
    code = os.waitstatus_to_exitcode(status)
    results = {}
    if args[0] == "build" and (target / "run_results.json").exists():
        shutil.copy(target / "run_results.json", run.folder / f"{name}.run_results.json")
        results = json.loads((target / "run_results.json").read_text())
    print(
        f"  {name:<26} {seconds:7.1f} s  cpu {cpu:6.1f} s  peak RSS {usage.ru_maxrss / 1024:5.0f} MB  exit {code}  "
        f"({before} -> {load().removeprefix('load avg ')})",
        flush=True,
    )
    if code != 0:
        failed = [r for r in results.get("results", []) if r["status"] in ("error", "fail")]
        for r in failed[:10]:
            print(f"    {r['status'].upper()} {r['unique_id']}: {(r.get('message') or '')[:300]}")
        if not failed:
            print("    " + "\n    ".join(output.read_text().splitlines()[-15:]))
    return {
        "seconds": seconds,
        "cpu": cpu,
        "rss_mb": usage.ru_maxrss / 1024,
        "code": code,
        "results": results.get("results", []),
    }


def score(run: Run) -> tuple[int, float]:
    started = time.perf_counter()
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
    return scored, time.perf_counter() - started


def build(run: Run, label: str, full: bool) -> list[dict]:
    """The two dbt steps of orchestration with sentiment scoring between them: the full build
    (every test, --full-refresh) or the hourly refresh (critical tests), with the arguments
    the Dagster assets pass (orchestration/dbt_manifest.py)."""
    tests = "all" if full else "critical"

    def args(step: str) -> list[str]:
        return [*build_args(step, tests, full_refresh=full), *run.build_args]

    first = dbt(run, f"{label}-1-models", *args("models"))
    scored, seconds = score(run)
    print(
        f"  {'sentiment (' + ('VADER' if run.vader else 'stand-in SQL') + ')':<26} {seconds:7.1f} s  "
        f"{scored:,} activities scored (not in the dbt figure)"
    )
    second = dbt(run, f"{label}-2-after_ml", *args("after_ml"))
    return [first, second]


def slowest(steps: list[dict], top: int) -> None:
    if not any(step["results"] for step in steps):
        print("    (no run_results.json: the refresh runs dbt with --no-write-json, as the product does)")
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
    finally:
        con.close()


def summary(full_steps: list[dict], incremental_steps: list[dict]) -> None:
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
    ok = all(s["code"] == 0 for s in full_steps + incremental_steps)
    print(f"{load()}; dbt steps {'all succeeded' if ok else 'FAILED (see above)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="keep the warehouse, logs and run_results here")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--vader", action="store_true", help="score sentiment with VADER (timed apart)"
    )
    parser.add_argument("--project-dir", type=Path, default=REPO / "dbt_project")
    parser.add_argument(
        "--dbt-arg", action="append", default=[], help="extra argument for every dbt build"
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="codeconvene-build-"))
    folder.mkdir(parents=True, exist_ok=True)
    run = Run(folder, args.project_dir.resolve(), args.seed, args.vader, args.dbt_arg)
    print(
        f"bench/build.py: {args.activities:,} activities, seed {args.seed}, {os.cpu_count()} cores, "
        f"project {run.project}, extra dbt args {run.build_args or 'none'}, {load()}"
    )
    try:
        print(f"history                   {history(run, args.activities, args.keep is not None)}")
        dbt(run, "parse (warm-up, untimed)", "parse")
        print("full build (--full-refresh):")
        full_steps = build(run, "full", full=True)
        print(f"append 1 %                {generate(run, args.activities, 2):7.1f} s")
        print("incremental build (the hourly refresh: critical tests only):")
        incremental_steps = build(run, "incremental", full=False)
        print("rows after the incremental build:")
        report(run)
        print("slowest nodes, full build:")
        slowest(full_steps, 15)
        print("slowest nodes, incremental build:")
        slowest(incremental_steps, 10)
        summary(full_steps, incremental_steps)
        print(f"files in {folder}" if args.keep else "")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
