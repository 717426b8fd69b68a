"""Benchmark: every dashboard query on a warehouse of 1M simulated activities, uncached.

    python bench/dashboard.py [--activities 1000000] [--keep DIR] [--seed 7] [--repeat 20]
                              [--rebuild]

1. The warehouse comes from bench/build.py's own functions (history → dbt parse → the two dbt
   steps with sentiment between them, tests left out): N activities of a few thousand people
   over two years. With --keep DIR it is built once and reused by later runs with the same
   --activities and --seed (--rebuild forces a new build, e.g. after a mart changed).
2. Each query the pages run (apps/streamlit/queries*.py) is called with the sidebar's default
   filters (the last 365 days, every platform and channel, bots off) --repeat times, each on
   a fresh read-only connection as `ui.load` does on a cache miss; p50 and p95 are printed in
   milliseconds. The page loaders (`overview`, `engagement`, …) are what a page waits for;
   the lines indented under them are the queries they are made of.

Target: p95 <= 300 ms for every query. Wall time grows with the machine's load average,
which is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from apps.streamlit import queries
from apps.streamlit.queries_common import Filters, filter_options
from apps.streamlit.sidebar import DEFAULT_DAYS
from bench import build as bench_build
from bench import build_data
from codeconvene.warehouse import reader

TARGET_P95_MS = 300.0
STAMP = "dashboard_stamp.json"


def warehouse(folder: Path, activities: int, seed: int, rebuild: bool) -> Path:
    """The benchmark warehouse in `folder`: reused when its stamp matches, else built."""
    path = folder / "warehouse.duckdb"
    stamp = {"activities": activities, "seed": seed, "generator": build_data.VERSION}
    saved = folder / STAMP
    if not rebuild and path.exists() and saved.exists() and json.loads(saved.read_text()) == stamp:
        print(f"warehouse   reused {path}")
        return path
    saved.unlink(missing_ok=True)
    run = bench_build.Run(folder, REPO / "dbt_project", seed, vader=False)
    started = time.perf_counter()
    print(f"history     {bench_build.history(run, activities, keep=True)}", flush=True)
    bench_build.dbt(run, "parse", "parse")
    steps = bench_build.build(run, "dashboard", full=False)  # models only: tests are not needed
    if any(step["code"] != 0 for step in steps):
        raise SystemExit(f"the dbt build failed; see the logs in {folder}")
    saved.write_text(json.dumps(stamp))
    print(f"warehouse   built in {time.perf_counter() - started:.0f} s: {path}")
    return path


def cases(path: Path) -> list[tuple[str, Callable, tuple]]:
    """(label, query, arguments after the connection) for every query, default filters."""
    with reader(path) as con:
        options = filter_options(con)
        last = options.last_day
        filters = Filters(
            start=max(options.first_day, last - timedelta(days=DEFAULT_DAYS - 1)), end=last
        )
        kpis = queries.latest_week_kpis(
            con, today=min(queries.data_horizon(con), last + timedelta(days=1))
        )
        week = kpis.week_start if kpis else None
        burnout_week = queries.maintainers.latest_week(con, filters)
        board = queries.contributors.leaderboard(con, filters, 1)
        person_id = board["person_id"][0] if not board.is_empty() else "nobody"
    q = queries
    return [
        ("sidebar: filter_options", filter_options, ()),
        ("overview (page)", q.overview.overview, (filters, week)),
        ("  missing_marts", q.missing_marts, ()),
        ("  data_horizon", q.data_horizon, ()),
        ("  latest_week_kpis", q.latest_week_kpis, (None,)),
        ("  health_parts", q.overview.health_parts, (week,)),
        ("  weekly_scores", q.overview.weekly_scores, (filters,)),
        ("  daily_by_platform", q.overview.daily_by_platform, (filters,)),
        ("  week_figures", q.overview.week_figures, (week,)),
        ("engagement (page)", q.engagement.engagement, (filters,)),
        ("  active_people", q.engagement.active_people, (filters,)),
        ("  weekly_reply_rate", q.engagement.weekly_reply_rate, (filters,)),
        ("  hour_of_week", q.engagement.hour_of_week, (filters,)),
        ("retention (page)", q.retention.retention, (filters,)),
        ("  cohorts", q.retention.cohorts, (filters,)),
        ("  contributor_types", q.retention.contributor_types, (filters,)),
        ("responsiveness (page)", q.responsiveness.responsiveness, (filters,)),
        ("  weekly", q.responsiveness.weekly, (filters,)),
        ("  by_kind", q.responsiveness.by_kind, (filters,)),
        ("  unanswered", q.responsiveness.unanswered, (filters,)),
        ("maintainers (page)", q.maintainers.maintainers, (filters,)),
        ("  latest_week", q.maintainers.latest_week, (filters,)),
        ("  burnout_for_week", q.maintainers.burnout_for_week, (burnout_week,)),
        ("  trend", q.maintainers.trend, (filters,)),
        ("  factors", q.maintainers.factors, (filters,)),
        ("sentiment (page)", q.sentiment.sentiment, (filters,)),
        ("  weekly", q.sentiment.weekly, (filters,)),
        ("  negative_threads", q.sentiment.negative_threads, (filters,)),
        ("contributors (page)", q.contributors.contributors, (filters,)),
        ("  tiers", q.contributors.tiers, (filters, last)),
        ("  leaderboard", q.contributors.leaderboard, (filters,)),
        ("  person (top of the board)", q.contributors.person, (person_id, filters)),
        ("knowledge (page)", q.knowledge.knowledge, (filters,)),
        ("  faq", q.knowledge.faq, ()),
        ("  gaps", q.knowledge.gaps, (filters,)),
        ("sql explorer: schema", q.explorer.schema, ()),
    ]


def time_case(
    path: Path, function: Callable, args: tuple, repeat: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per call, each on its own read-only connection (a cache
    miss's cost). CPU time (all of DuckDB's threads) barely moves with the machine's load."""
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        with reader(path) as con:
            function(con, *args)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return times, cpu


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build the warehouse here once and reuse it")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true", help="build again even if kept")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="codeconvene-dashboard-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(
        f"bench/dashboard.py: {args.activities:,} activities, seed {args.seed}, {os.cpu_count()} cores"
    )
    path = warehouse(folder, args.activities, args.seed, args.rebuild)
    with reader(path) as con:
        [(rows,)] = con.execute("select count(*) from marts.fct_activities").fetchall()
    connect_ms, connect_cpu = time_case(path, lambda con: None, (), args.repeat)
    print(f"marts.fct_activities {rows:,} rows; {bench_build.load()}")
    print(f"{'query':<34} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8}")
    print(
        f"{'  (open a read-only connection)':<34} {statistics.median(connect_ms):8.1f} {percentile(connect_ms, 0.95):8.1f} {statistics.median(connect_cpu):8.1f}"
    )
    missed = []
    for label, function, call_args in cases(path):
        try:
            times, cpu = time_case(path, function, call_args, args.repeat)
        except Exception as exc:  # noqa: BLE001 - a bench prints what failed and goes on
            first = str(exc).splitlines()[0]
            if "does not exist" in first:  # e.g. ml.faq: bench/build.py runs dbt, not the ML
                print(f"{label:<34} {'skipped':>8}: {first[:90]}")
                continue
            print(f"{label:<34} {'failed':>8}: {first[:90]}")
            missed.append(label)
            continue
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        flag = "" if p95 <= TARGET_P95_MS else "  MISSED"
        if flag:
            missed.append(label)
        print(f"{label:<34} {p50:8.1f} {p95:8.1f} {statistics.median(cpu):8.1f}{flag}")
    print(
        f"{bench_build.load()}; target p95 <= {TARGET_P95_MS:.0f} ms: "
        f"{'met by every query' if not missed else 'MISSED by ' + ', '.join(m.strip() for m in missed)}"
    )


if __name__ == "__main__":
    main()
