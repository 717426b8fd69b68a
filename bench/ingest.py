"""Benchmark: CodeConvene's GH Archive ingest against DuckDB's own load of the same files.

    python bench/ingest.py [--events 1000000] [--files N] [--keep DIR] [--seed 7]

Generates N deterministic GH Archive hour files (`.json.gz`), then runs, each in a fresh
subprocess so that its peak RSS is its own (`os.wait4`):

- ours:   `ingest.formats.discover` + `ingest.core.runner.ingest_units` into a new warehouse
          (the real path: fingerprints, validation, quarantine, upsert, bookkeeping);
- duckdb: `create table t as select * from read_json('<dir>/*.json.gz')` into a new file.

Prints events/s for both, the ratio ours/duckdb and both peak RSS. Targets: ratio >= 0.8 and
peak RSS <= 1.5 GB at 5M events. With --keep the files stay in DIR and are reused when the
same events/files/seed were generated there before.
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
from multiprocessing import Pool
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIRST_ID = 50_000_000_000
TARGET_RATIO, TARGET_RSS_MB = 0.8, 1536


def generate(folder: Path, events: int, files: int, seed: int) -> None:
    from bench.gharchive_gen import write_hour

    manifest = folder / "manifest.json"
    wanted = {"events": events, "files": files, "seed": seed}
    if manifest.exists() and json.loads(manifest.read_text()) == wanted:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json.gz"):
        old.unlink()
    per = [events // files + (1 if i < events % files else 0) for i in range(files)]
    jobs = [(folder / f"2026-03-{2 + i // 24:02d}-{i % 24}.json.gz", n, FIRST_ID + sum(per[:i]), i, seed)
            for i, n in enumerate(per)]
    with Pool(os.cpu_count() or 1) as pool:
        pool.starmap(write_hour, jobs)
    manifest.write_text(json.dumps(wanted))


def child_ours(data: Path, db: Path) -> dict:
    from codeconvene.warehouse import connect
    from ingest.core.runner import ingest_units
    from ingest.formats import discover, registry

    registry()  # imports every connector module: import time, as `import duckdb` is for the other side
    started = time.perf_counter()
    con = connect(db)
    summary = ingest_units(con, discover([data]))
    rows = con.execute("select count(*) from raw_github.events").fetchall()[0][0]
    con.close()
    return {"seconds": time.perf_counter() - started, "rows": rows, "summary": summary.as_dict()}


def child_duckdb(data: Path, db: Path) -> dict:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute(f"create table t as select * from read_json('{data}/*.json.gz')")
    rows = con.execute("select count(*) from t").fetchall()[0][0]
    con.close()
    return {"seconds": time.perf_counter() - started, "rows": rows}


def measure(kind: str, data: Path, scratch: Path) -> dict:
    db = scratch / f"{kind}.duckdb"
    for stale in scratch.glob(f"{kind}.duckdb*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(data), str(db)],
        stdout=subprocess.PIPE, cwd=REPO, text=True,
    )
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{kind} run failed with exit code {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result.update(peak_rss_mb=usage.ru_maxrss / 1024, cpu_seconds=usage.ru_utime + usage.ru_stime,
                  db_mb=sum(p.stat().st_size for p in scratch.glob(f"{kind}.duckdb*") if p.is_file()) / 2**20)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=None, help="hour files (default: one per 100k events)")
    parser.add_argument("--keep", type=Path, default=None, help="generate into (and keep) this folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DATA", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, data, db = args.child
        run = child_ours if kind == "ours" else child_duckdb
        print(json.dumps(run(Path(data), Path(db))))
        return 0

    files = args.files or max(1, round(args.events / 100_000))
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as tmp:
        data = (args.keep or Path(tmp) / "gharchive").resolve()
        started = time.perf_counter()
        generate(data, args.events, files, args.seed)
        size = sum(p.stat().st_size for p in data.glob("*.json.gz"))
        print(f"data: {args.events:,} events in {files} files, {size / 2**20:,.0f} MiB gzip "
              f"({time.perf_counter() - started:.1f}s to generate or reuse) at {data}")
        results = {kind: measure(kind, data, Path(tmp)) for kind in ("ours", "duckdb")}
    for kind, r in results.items():
        print(f"{kind:>6}: {r['seconds']:7.1f}s  {args.events / r['seconds']:>10,.0f} events/s  "
              f"peak RSS {r['peak_rss_mb']:6,.0f} MB  CPU {r['cpu_seconds']:6.1f}s  db {r['db_mb']:6,.0f} MB  "
              f"rows {r['rows']:,}")
    ratio = results["duckdb"]["seconds"] / results["ours"]["seconds"]
    print(f"ratio ours/duckdb (events/s): {ratio:.2f}  (target >= {TARGET_RATIO}); "
          f"ours peak RSS {results['ours']['peak_rss_mb']:,.0f} MB (target <= {TARGET_RSS_MB:,} MB at 5M events)")
    if results["ours"]["rows"] != args.events or results["ours"]["summary"]["quarantined"]:
        print(f"unexpected: ours landed {results['ours']['rows']:,} rows, summary {results['ours']['summary']}")
        return 1
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path[0] = str(REPO)  # run as a file: import the project, not this file as `ingest`
    raise SystemExit(main())
