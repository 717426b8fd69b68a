"""`python -m ingest.simulate --seed 7 --people 300 --weeks 52 [--exports all] --out DIR`: only options here."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from ingest.simulate import SimulationConfig, simulate
from ingest.simulate.config import ALL_EXPORTS, CORE_EXPORTS


def exports(text: str) -> tuple[str, ...]:
    """`all`, or a comma-separated list; GitHub and Slack are always written."""
    names = ALL_EXPORTS if text.strip() == "all" else tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = sorted(set(names) - set(ALL_EXPORTS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown export(s) {', '.join(unknown)}; choose from {', '.join(ALL_EXPORTS)} or all")
    return tuple(dict.fromkeys((*CORE_EXPORTS, *names)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.simulate", description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=300, help="humans (three bots come on top)")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--end", type=date.fromisoformat, default=None, help="last day, YYYY-MM-DD (default: last Sunday)")
    parser.add_argument("--repo", default="convene-labs/convene")
    parser.add_argument("--workspace", default="convene")
    parser.add_argument("--exports", type=exports, default=CORE_EXPORTS,
                        help=f"extra formats to write besides github,slack: {','.join(ALL_EXPORTS[2:])} or all")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    config = SimulationConfig(seed=args.seed, people=args.people, weeks=args.weeks, end=args.end,
                              repo=args.repo, workspace=args.workspace, exports=args.exports)
    started = time.perf_counter()
    truth = simulate(config, args.out)
    counts = truth["counts"]
    print(f"wrote {args.out}: {counts['github_events']} GitHub events, {counts['slack_messages']} Slack messages, "
          f"{len(truth['people'])} people in {time.perf_counter() - started:.1f}s")
    for name, value in sorted(truth.get("platform_counts", {}).items()):
        print(f"  {name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
