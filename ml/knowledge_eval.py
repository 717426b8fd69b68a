"""Quality of the knowledge layer against labelled data (the simulator's ground truth).

Shared by `bench/quality.py` (which tunes and reports) and the tests (which hold the line):
- duplicates: `ml.knowledge_duplicates` over every issue in the warehouse against labelled
  (duplicate, original) issue numbers;
- FAQ: a repeated question is recalled when one `ml.faq` entry cites at least two of the
  times it was asked; coverage is the share of its asks that best entry holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from ml.embeddings import Embedder
from ml.knowledge_duplicates import (
    DuplicateScores,
    report_duplicates,
    score_duplicates,
    tune_threshold,
)
from ml.triage import DUPLICATE_THRESHOLD, duplicate_matches, load_issues


def issue_number(issue_id: str) -> int:
    return int(issue_id.rsplit("#", 1)[1])


@dataclass(frozen=True)
class DuplicateEval:
    threshold: float
    scores: DuplicateScores
    tuned_threshold: float
    tuned_scores: DuplicateScores
    sweep: list[tuple[float, DuplicateScores]]


def evaluate_duplicates(con: duckdb.DuckDBPyConnection, lance_dir: Path,
                        pairs: list[list[int]], threshold: float = DUPLICATE_THRESHOLD,
                        embedder: Embedder | None = None) -> DuplicateEval:
    """Scores at `threshold`, the threshold tuned on these pairs, and a coarse sweep."""
    issues = load_issues(con)
    ids = [issue_number(i.issue_id) for i in issues]
    _, matches = duplicate_matches(issues, lance_dir, embedder)
    labelled = [(a, b) for a, b in pairs]

    def at(t: float) -> DuplicateScores:
        return score_duplicates(ids, matches, report_duplicates(matches, t), labelled)

    tuned, tuned_scores = tune_threshold(ids, matches, labelled)
    sweep = [(round(float(t), 2), at(float(t))) for t in np.arange(0.74, 0.93, 0.02)]
    return DuplicateEval(threshold, at(threshold), tuned, tuned_scores, sweep)


@dataclass(frozen=True)
class FaqEval:
    recalled: int
    total: int
    coverage: float
    entries: int
    missed: list[str]

    @property
    def recall(self) -> float:
        return self.recalled / self.total if self.total else 0.0


def evaluate_faq(con: duckdb.DuckDBPyConnection, repeated: list[dict]) -> FaqEval:
    """Recall of the repeated questions (truth `repeated_questions`, Slack ts of each ask)."""
    entries = [json.loads(ids) for (ids,) in
               con.execute("select source_activity_ids from ml.faq").fetchall()]
    recalled, coverage, missed = 0, [], []
    for question in repeated:
        asks = set(question["slack_ts"])
        best = max((sum(1 for i in ids if i.rsplit(":", 1)[-1] in asks) for ids in entries),
                   default=0)
        recalled += best >= 2
        coverage.append(best / max(1, len(asks)))
        if best < 2:
            missed.append(question["canonical"])
    return FaqEval(recalled, len(repeated), float(np.mean(coverage)) if coverage else 0.0,
                   len(entries), missed)
