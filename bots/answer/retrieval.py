"""Finding the documents nearest a question, fast enough to answer in chat.

The question is embedded with the process-wide model (`ml.embeddings.default_embedder`, loaded
once) on a single torch thread: one short sentence gains nothing from two threads, and on a
busy machine they wait for each other (measured under load: 200-1300 ms with 2 threads,
~30 ms with 1). The thread count is restored afterwards, so batch embedding elsewhere in the
process keeps its threads.

Search is exact cosine similarity. Up to `MAX_IN_MEMORY` documents, the index's vectors are
held in memory as one normalized matrix (100k × 384 float32 = 150 MB) and searched with one
matrix product (~15 ms), reloaded whenever the LanceDB table's version changes (after a sync);
LanceDB's own flat scan took ~400 ms for 100k rows on a loaded 2-core machine. Bigger indexes
use `ml.index.search` (give them an ANN index there).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol

import duckdb
import numpy as np

from ml.embeddings import Embedder, default_embedder, normalize_text
from ml.index import DOCUMENTS, Hit, search

MAX_IN_MEMORY = 300_000
COLUMNS = ["id", "kind", "text", "url"]


class Retriever(Protocol):
    def search(self, query: str, k: int) -> list[Hit]: ...


class QueryEmbedder:
    """`Embedder.encode` of the shared model on one torch thread (see the module docstring)."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()

    def encode(self, texts):
        import torch

        embedder = self._embedder or default_embedder()
        embedder.model  # noqa: B018 - loads the model outside the single-thread section
        with self._lock:
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                return embedder.encode(texts)
            finally:
                torch.set_num_threads(threads)


class LanceRetriever:
    """Nearest documents of one index folder, from memory while the table is small enough."""

    def __init__(self, lance_dir: Path, embedder: Embedder | None = None) -> None:
        self.lance_dir = Path(lance_dir)
        self.embedder = QueryEmbedder(embedder)
        self._lock = threading.Lock()
        self._version: int | None = None
        self._rows: dict[str, list] = {}
        self._matrix: np.ndarray | None = None

    def _table(self):
        if not (self.lance_dir / f"{DOCUMENTS}.lance").exists():
            return None
        import lancedb

        return lancedb.connect(str(self.lance_dir)).open_table(DOCUMENTS)

    def _load(self, table) -> bool:
        """Vectors and columns in memory for the table's current version; False if too big."""
        version = table.version
        if version == self._version:
            return self._matrix is not None
        self._version, self._matrix, self._rows = version, None, {}
        if table.count_rows() > MAX_IN_MEMORY:
            return False
        data = table.to_arrow().select([*COLUMNS, "vector"])
        flat = data["vector"].combine_chunks().flatten().to_numpy(zero_copy_only=False)
        matrix = flat.astype(np.float32, copy=False).reshape(data.num_rows, -1)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self._matrix = matrix / np.where(norms == 0, 1, norms)
        self._rows = {name: data[name].to_pylist() for name in COLUMNS}
        return True

    def search(self, query: str, k: int) -> list[Hit]:
        table = self._table()
        if table is None or not normalize_text(query):
            return []
        with self._lock:
            in_memory = self._load(table)
            matrix, rows = self._matrix, self._rows
        if not in_memory:
            return search(self.lance_dir, query, k=k, embedder=self.embedder)
        if matrix is None or not len(matrix):
            return []
        vector = self.embedder.encode([normalize_text(query)])[0]
        scores = matrix @ (vector / (np.linalg.norm(vector) or 1.0))
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k] if len(scores) > k else np.arange(len(scores))
        ranked = sorted(top, key=lambda i: (-scores[i], rows["id"][i]))
        return [Hit(rows["id"][i], rows["kind"][i], rows["text"][i], rows["url"][i],
                    round(float(scores[i]), 6)) for i in ranked]


_RETRIEVERS: dict[Path, LanceRetriever] = {}
_LOCK = threading.Lock()


def database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else None


def retriever_for(con: duckdb.DuckDBPyConnection) -> LanceRetriever | None:
    """The index beside the warehouse (`<home>/lance`, as `Settings.lance_path`), cached."""
    path = database_path(con)
    if path is None:
        return None
    lance_dir = path.parent / "lance"
    with _LOCK:
        return _RETRIEVERS.setdefault(lance_dir, LanceRetriever(lance_dir))
