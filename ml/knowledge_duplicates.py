"""Duplicate issues by embedding similarity, and the numbers that tune and judge it.

Each issue is compared, by the cosine of its *title* embedding, with every issue opened
before it; the closest one is its candidate, reported when at or above the threshold. Titles rather than
title + body: bodies are mostly issue-template boilerplate ("**Describe the bug**", "Steps to
reproduce"), which makes unrelated reports look alike (on the simulated community, top-1
accuracy fell from 0.94 to 0.84 with bodies in). The candidate is reported as is, even when
it is itself a duplicate: following the chain to the first report looked tidier but carried
one wrong link into every later report (recall 0.72 against 0.75 at the same threshold).
An issue and all its duplicates count as one problem when scoring (`Groups`).

`tune_threshold` picks the threshold on labelled pairs by F-beta with beta = 2: a suggested
duplicate is a hint a maintainer confirms in a glance, so a missed duplicate costs more than
a wrong hint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

BETA = 2.0
BLOCK = 1024


@dataclass(frozen=True)
class Match:
    """Issue `index`'s closest earlier issue `earlier` (positions in the chronological list)."""

    index: int
    earlier: int
    similarity: float


def closest_earlier(vectors: np.ndarray) -> list[Match]:
    """For every issue but the first, its most similar earlier issue (input is oldest first)."""
    matches = []
    for start in range(1, len(vectors), BLOCK):
        stop = min(start + BLOCK, len(vectors))
        sims = vectors[start:stop] @ vectors[:stop].T  # a block of rows: memory stays O(n)
        for row, i in enumerate(range(start, stop)):
            j = int(np.argmax(sims[row, :i]))
            matches.append(Match(i, j, float(sims[row, j])))
    return matches


def report_duplicates(matches: Sequence[Match], threshold: float) -> dict[int, tuple[int, float]]:
    """index -> (closest earlier issue, similarity) for matches at or above `threshold`."""
    return {m.index: (m.earlier, m.similarity) for m in matches if m.similarity >= threshold}


class Groups:
    """Labelled duplicate pairs as groups: an issue and all its duplicates are one problem."""

    def __init__(self, pairs: Iterable[tuple[object, object]]) -> None:
        self._parent: dict[object, object] = {}
        self.duplicates: set[object] = set()
        for duplicate, original in pairs:
            self.duplicates.add(duplicate)
            self._parent[self.find(duplicate)] = self.find(original)

    def find(self, item: object) -> object:
        while self._parent.get(item, item) != item:
            item = self._parent[item]
        return item

    def same(self, a: object, b: object) -> bool:
        return self.find(a) == self.find(b)


@dataclass(frozen=True)
class DuplicateScores:
    precision_at_1: float  # labelled duplicates whose closest earlier issue is the same problem
    flag_precision: float  # reported duplicates that are right
    recall: float  # labelled duplicates reported with the right original
    flagged: int
    labelled: int

    def f_beta(self, beta: float = BETA) -> float:
        p, r = self.flag_precision, self.recall
        return 0.0 if p + r == 0 else (1 + beta**2) * p * r / (beta**2 * p + r)


def score_duplicates(ids: Sequence[object], matches: Sequence[Match],
                     reported: dict[int, tuple[int, float]],
                     pairs: Iterable[tuple[object, object]]) -> DuplicateScores:
    """Judge `reported` against labelled (duplicate, original) pairs of `ids`."""
    groups = Groups(pairs)
    labelled = [i for i, issue in enumerate(ids) if issue in groups.duplicates]
    top = {m.index: m.earlier for m in matches}
    at_1 = sum(1 for i in labelled if i in top and groups.same(ids[i], ids[top[i]]))
    right = {i for i, (original, _) in reported.items() if groups.same(ids[i], ids[original])}
    return DuplicateScores(
        precision_at_1=at_1 / len(labelled) if labelled else 0.0,
        flag_precision=len(right) / len(reported) if reported else 0.0,
        recall=len(right & set(labelled)) / len(labelled) if labelled else 0.0,
        flagged=len(reported),
        labelled=len(labelled),
    )


def tune_threshold(ids: Sequence[object], vectors: np.ndarray,
                   pairs: Sequence[tuple[object, object]],
                   grid: Iterable[float] = np.arange(0.70, 0.951, 0.01),
                   beta: float = BETA) -> tuple[float, DuplicateScores]:
    """The grid threshold with the best F-beta on the labelled pairs (lowest on ties)."""
    matches = closest_earlier(vectors)
    best: tuple[float, DuplicateScores] | None = None
    for threshold in grid:
        threshold = round(float(threshold), 3)
        scores = score_duplicates(ids, matches, report_duplicates(matches, threshold), pairs)
        if best is None or scores.f_beta(beta) > best[1].f_beta(beta) + 1e-12:
            best = (threshold, scores)
    assert best is not None, "empty threshold grid"
    return best
