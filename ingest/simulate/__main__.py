"""`python -m ingest.simulate --seed 7 --people 300 --weeks 52 --out DIR`: only options here."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from ingest.simulate import SimulationConfig, simulate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.simulate", description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=300, help="humans (three bots come on top)")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--end", type=date.fromisoformat, default=None, help="last day, YYYY-MM-DD (default: last Sunday)")
    parser.add_argument("--repo", default="convene-labs/convene")
    parser.add_argument("--workspace", default="convene")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    config = SimulationConfig(seed=args.seed, people=args.people, weeks=args.weeks, end=args.end,
                              repo=args.repo, workspace=args.workspace)
    started = time.perf_counter()
    truth = simulate(config, args.out)
    counts = truth["counts"]
    print(f"wrote {args.out}: {counts['github_events']} GitHub events, {counts['slack_messages']} Slack messages, "
          f"{len(truth['people'])} people in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
