"""Benchmark: duplicate-issue detection and FAQ recall on the simulated community's truth.

    python bench/quality.py [--seed 7] [--people 300] [--weeks 52] [--end 2026-11-22] [--keep DIR [--reuse]]

1. Simulates the community (the default one unless told) and ingests its export files.
2. Builds the marts the knowledge layer reads (`dbt build --select +fct_activities
   +dim_contributors`, tests skipped) in a subprocess on that warehouse.
3. Duplicates: every issue's closest earlier issue of its type by (tag-free) title
   embedding, against truth["duplicate_issues"]: precision@1 (labelled duplicates whose
   closest earlier issue is the same problem), flag precision (reported duplicates that are
   right) and recall (labelled duplicates reported with the right original) at the shipped
   threshold, the threshold `tune_threshold` would pick on this data (the shipped one was
   tuned on other seeds, see `ml.triage`), and a sweep.
4. FAQ: `ml.faq.build_faq` with the offline provider, recall of truth["repeated_questions"]
   (an entry cites >= 2 of a question's asks) and coverage (share of its asks in that entry).
5. The keyword classifier's type against the label each simulated issue was opened with.
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
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from codeconvene.warehouse import writer
from ingest.core.runner import ingest_units
from ingest.formats import discover
from ingest.simulate import SimulationConfig, simulate
from ml.faq import THRESHOLD as FAQ_THRESHOLD
from ml.faq import FaqOptions, build_faq
from ml.knowledge_classify import classify_issue
from ml.knowledge_duplicates import TARGET_RECALL
from ml.knowledge_eval import evaluate_duplicates, evaluate_faq
from ml.llm.offline import OfflineProvider
from ml.triage import load_issues

PROJECT = REPO / "dbt_project"
LABEL_TYPES = {"bug": "bug", "enhancement": "feature", "documentation": "docs", "question": "question"}


def build_marts(folder: Path, warehouse: Path) -> float:
    started = time.perf_counter()
    command = [str(Path(sys.executable).with_name("dbt")), "build", "--select",
               "+fct_activities +dim_contributors", "--exclude-resource-type", "test", "unit_test",
               "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
               "--target-path", str(folder / "target"), "--log-path", str(folder / "logs"), "--quiet"]
    env = {**os.environ, "CODECONVENE_WAREHOUSE": str(warehouse),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"dbt build failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def type_accuracy(con) -> tuple[float, int]:
    """The classifier's type against the first label of each issue when it opened."""
    rows = con.execute(
        "select 'github:' || repo_name || '#' || json_extract_string(payload, '$.payload.issue.number'),"
        " json_extract_string(payload, '$.payload.issue.labels[0].name')"
        " from raw_github.events where event_type = 'IssuesEvent'"
        " and json_extract_string(payload, '$.payload.action') = 'opened'").fetchall()
    labels = dict(rows)
    hits: Counter[bool] = Counter()
    for issue in load_issues(con):
        wanted = LABEL_TYPES.get(labels.get(issue.issue_id) or "")
        if wanted:
            hits[classify_issue(issue.title, issue.body).type == wanted] += 1
    total = sum(hits.values())
    return (hits[True] / total if total else 0.0), total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 22))
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: a temp folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: reuse the community built there before with the same options")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cc-quality-"))
    folder.mkdir(parents=True, exist_ok=True)
    warehouse, lance = folder / "warehouse.duckdb", folder / "lance"
    try:
        config = SimulationConfig(seed=args.seed, people=args.people, weeks=args.weeks, end=args.end)
        truth = _kept_truth(folder, config) if args.reuse else None
        if truth is not None:
            print(f"community: seed {args.seed}, {args.people} people, {args.weeks} weeks to {args.end}; "
                  f"reused from {folder}")
        else:
            started = time.perf_counter()
            truth = simulate(config, folder / "exports")
            with writer(warehouse) as con:
                ingest_units(con, discover([folder / "exports"]))
            print(f"community: seed {args.seed}, {args.people} people, {args.weeks} weeks to {args.end}; "
                  f"simulated + ingested in {time.perf_counter() - started:.1f}s, "
                  f"marts built in {build_marts(folder, warehouse):.1f}s")
        with writer(warehouse) as con:
            report(con, lance, truth)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def _kept_truth(folder: Path, config: SimulationConfig) -> dict | None:
    """The ground truth of a community kept by an earlier run with the same options, else None."""
    truth_file, warehouse = folder / "exports" / "ground_truth.json", folder / "warehouse.duckdb"
    if not (truth_file.is_file() and warehouse.is_file()):
        return None
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    kept = truth.get("config", {})
    same = (kept.get("seed"), kept.get("people"), kept.get("weeks"), kept.get("end")) == (
        config.seed, config.people, config.weeks, config.end.isoformat())
    return truth if same else None


def report(con, lance: Path, truth: dict) -> None:
    started = time.perf_counter()
    dupes = evaluate_duplicates(con, lance, truth["duplicate_issues"])
    s = dupes.scores
    print(f"\nduplicates ({s.labelled} labelled, {time.perf_counter() - started:.1f}s incl. model load)")
    print(f"  shipped threshold {dupes.threshold:.2f}: precision@1 {s.precision_at_1:.2f}  "
          f"flag precision {s.flag_precision:.2f}  recall {s.recall:.2f}  ({s.flagged} flagged)")
    t = dupes.tuned_scores
    print(f"  tuned here (recall >= {TARGET_RECALL})  {dupes.tuned_threshold:.2f}: flag precision "
          f"{t.flag_precision:.2f}  recall {t.recall:.2f}  F2 {t.f_beta():.2f}")
    print("  sweep: " + "  ".join(f"{th:.2f}→p{sc.flag_precision:.2f}/r{sc.recall:.2f}"
                                  for th, sc in dupes.sweep))
    print("\nFAQ (offline provider)")
    for threshold in sorted({FAQ_THRESHOLD, 0.65, 0.8}):
        started = time.perf_counter()
        counts = build_faq(con, lance, OfflineProvider(), FaqOptions(threshold=threshold))
        faq = evaluate_faq(con, truth["repeated_questions"])
        mark = "  (shipped)" if threshold == FAQ_THRESHOLD else ""
        print(f"  threshold {threshold:.2f}: recall {faq.recalled}/{faq.total} = {faq.recall:.2f}  "
              f"coverage {faq.coverage:.2f}  entries {counts['entries']} "
              f"({counts['answered']} answered, {counts['questions']} questions) "
              f"{time.perf_counter() - started:.1f}s{mark}"
              + (f"  missed: {faq.missed}" if faq.missed else ""))
    build_faq(con, lance, OfflineProvider())
    answers = {q["canonical"]: q["answer"] for q in truth["repeated_questions"]}
    rows = con.execute("select answer from ml.faq where answer is not null").fetchall()
    right = len({a for (a,) in rows} & set(answers.values()))
    print(f"  planted answers found verbatim in ml.faq: {right}/{len(answers)}")
    accuracy, total = type_accuracy(con)
    print(f"\nissue type (keyword rules) vs the label at opening: accuracy {accuracy:.2f} on {total} issues")
    print(json.dumps({"duplicates": {"precision_at_1": round(s.precision_at_1, 3),
                                     "flag_precision": round(s.flag_precision, 3),
                                     "recall": round(s.recall, 3)},
                      "faq_recall": round(evaluate_faq(con, truth["repeated_questions"]).recall, 3)}))


if __name__ == "__main__":
    raise SystemExit(main())
