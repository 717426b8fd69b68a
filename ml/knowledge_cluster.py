"""Grouping texts that say the same thing, from their normalized embeddings.

Average linkage (UPGMA) on cosine distance, cut at a similarity threshold: a group joins
another only when their members are similar *on average*, so one ambiguous question cannot
chain two different topics together the way single linkage (connected components) would.
SciPy's implementation is O(n²) in memory, hence the cap on how many texts a caller passes.
"""

from __future__ import annotations

import numpy as np

MAX_TEXTS = 5000


def similarity_clusters(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Row indices grouped so that groups' average pairwise cosine is >= `threshold`.

    Every row is in exactly one group (singletons included); groups are ordered by their
    first row, members ascending, so the same input always gives the same output.
    """
    n = len(vectors)
    if n > MAX_TEXTS:
        raise ValueError(f"{n} texts to cluster; at most {MAX_TEXTS} (pass the most recent)")
    if n < 2:
        return [[i] for i in range(n)]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    distances = np.clip(pdist(vectors.astype(np.float64), "cosine"), 0.0, 2.0)
    tree = linkage(distances, method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(int(label), []).append(row)
    return sorted(groups.values(), key=lambda g: g[0])


def most_central(vectors: np.ndarray, members: list[int]) -> int:
    """The member with the highest mean similarity to the others (the first on ties)."""
    if len(members) <= 2:
        return members[0]  # two members are equally central: the earlier wording
    block = vectors[members].astype(np.float64) @ vectors[members].T.astype(np.float64)
    scores = (block.sum(axis=1) - np.diag(block)) / (len(members) - 1)
    return members[int(np.argmax(np.round(scores, 4)))]
