"""The LanceDB knowledge index: one `documents` table of vectors that bots and search read.

A sync compares what the warehouse holds now with what the index holds (id, content hash
and metadata, never the vectors) and writes only the difference: new or changed rows are
upserted by id (`merge_insert`), rows whose source is gone are deleted. A changed row whose
text was embedded before anywhere in the index (same content hash) reuses that vector, and
the model is asked only for text never seen; so a second sync over unchanged marts embeds
nothing (tests count the model's calls).

Vectors of text that is not a document (issue titles for triage, questions for FAQ
clustering) live in a small `embedding_cache` table keyed by the same content hash; see
`vectors_for`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ml.embeddings import DIMS, MODEL_NAME, Embedder, content_hash, embed_missing, normalize_text
from ml.knowledge_sources import Document, activity_documents, faq_documents

DOCUMENTS = "documents"
EMBEDDING_CACHE = "embedding_cache"
VECTOR = pa.list_(pa.float32(), DIMS)
DOCUMENTS_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("kind", pa.string()),
        ("text", pa.string()),
        ("url", pa.string()),
        ("occurred_at", pa.timestamp("us")),
        ("platform", pa.string()),
        ("content_hash", pa.string()),
        ("vector", VECTOR),
    ]
)
CACHE_SCHEMA = pa.schema([("content_hash", pa.string()), ("model", pa.string()), ("vector", VECTOR)])
METADATA = ("content_hash", "kind", "url", "occurred_at", "platform")
WRITE_BATCH = 5000
IN_LIST = 500


@dataclass(frozen=True)
class Hit:
    id: str
    kind: str
    text: str
    url: str | None
    score: float  # cosine similarity, 1.0 = same direction


@dataclass(frozen=True)
class SyncCounts:
    documents: int  # rows the index holds after the sync
    upserted: int  # new or changed rows written
    embedded: int  # texts the model encoded (the rest reused a stored vector)
    deleted: int  # rows whose source is gone

    def as_metadata(self) -> dict[str, int]:
        return {"documents": self.documents, "upserted": self.upserted,
                "embedded": self.embedded, "deleted": self.deleted}


def connect(lance_dir: Path):
    import lancedb

    Path(lance_dir).mkdir(parents=True, exist_ok=True)
    return lancedb.connect(str(lance_dir))


def _table(db, name: str, schema: pa.Schema | None = None):
    """The table, created empty with `schema` when missing (None when missing and no schema)."""
    if name in db.list_tables().tables:
        return db.open_table(name)
    if schema is None:
        return None
    return db.create_table(name, schema=schema, exist_ok=True)


def _scan(table, columns: list[str], where: str | None = None) -> pa.Table:
    query = table.search().select(columns)
    if where:
        query = query.where(where)
    return query.limit(None).to_arrow()


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _quoted(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _matrix(column: pa.ChunkedArray) -> np.ndarray:
    """A fixed-size-list column as an (n, 384) float32 array, without Python lists."""
    if len(column) == 0:
        return np.zeros((0, DIMS), dtype=np.float32)
    flat = column.combine_chunks().flatten().to_numpy(zero_copy_only=False)
    return flat.astype(np.float32, copy=False).reshape(-1, DIMS)


def _arrow(columns: dict[str, list], vectors: np.ndarray, schema: pa.Schema) -> pa.Table:
    """Rows for LanceDB, the vectors as one fixed-size-list column (no per-row lists)."""
    flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1), pa.float32())
    arrays = [pa.array(columns[f.name], f.type) for f in schema if f.name != "vector"]
    return pa.Table.from_arrays([*arrays, pa.FixedSizeListArray.from_arrays(flat, DIMS)],
                                schema=schema)


def known_vectors(db, hashes: Iterable[str]) -> dict[str, np.ndarray]:
    """Stored vectors for these content hashes, from documents first, then the cache.

    One scan of each table's hash column finds which hashes are stored at all; vectors are
    read only for those, so a first sync (nothing stored) reads no vectors.
    """
    wanted = set(hashes)
    found: dict[str, np.ndarray] = {}
    for name in (DOCUMENTS, EMBEDDING_CACHE):
        table = _table(db, name)
        if table is None or not wanted - found.keys():
            continue
        stored = set(_scan(table, ["content_hash"])["content_hash"].to_pylist())
        for chunk in _chunks(sorted((wanted - found.keys()) & stored), IN_LIST):
            rows = _scan(table, ["content_hash", "vector"], f"content_hash in ({_quoted(chunk)})")
            for digest, vector in zip(rows["content_hash"].to_pylist(), _matrix(rows["vector"]),
                                      strict=True):
                found.setdefault(digest, vector)
    return found


def vectors_for(lance_dir: Path, texts: Sequence[str], embedder: Embedder | None = None) -> np.ndarray:
    """(n, 384) vectors of any texts, embedding only those never seen; new ones are cached."""
    db = connect(lance_dir)
    known = known_vectors(db, (content_hash(t) for t in texts))
    vectors, fresh = embed_missing(texts, known, embedder)
    if fresh:
        columns = {"content_hash": list(fresh), "model": [MODEL_NAME] * len(fresh)}
        rows = _arrow(columns, np.stack(list(fresh.values())), CACHE_SCHEMA)
        _table(db, EMBEDDING_CACHE, CACHE_SCHEMA).add(rows)
    return vectors


def _existing(table) -> dict[str, tuple]:
    rows = _scan(table, ["id", *METADATA]).to_pylist()
    return {r["id"]: tuple(r[c] for c in METADATA) for r in rows}


def _fingerprint(doc: Document, digest: str) -> tuple:
    occurred = doc.occurred_at.replace(tzinfo=None) if isinstance(doc.occurred_at, datetime) else None
    return (digest, doc.kind, doc.url, occurred, doc.platform)


def sync_documents(
    con: duckdb.DuckDBPyConnection,
    lance_dir: Path,
    *,
    extra: Iterable[Document] = (),
    embedder: Embedder | None = None,
) -> SyncCounts:
    """Bring the `documents` table in line with the marts, `ml.faq` and `extra` (docs chunks)."""
    docs = {d.id: d for d in [*activity_documents(con), *faq_documents(con), *extra]}
    db = connect(lance_dir)
    table = _table(db, DOCUMENTS, DOCUMENTS_SCHEMA)
    existing = _existing(table)
    digests = {doc_id: content_hash(d.text) for doc_id, d in docs.items()}
    changed = [d for doc_id, d in docs.items() if existing.get(doc_id) != _fingerprint(d, digests[doc_id])]
    gone = sorted(set(existing) - set(docs))
    embedded = 0
    known = known_vectors(db, {digests[d.id] for d in changed})
    repeated = {h for h, n in Counter(digests[d.id] for d in changed).items() if n > 1}
    for batch in _chunks(changed, WRITE_BATCH):
        vectors, fresh = embed_missing([d.text for d in batch], known, embedder)
        # a text repeated in a later batch is not encoded again (only those are kept in memory)
        known.update({h: v for h, v in fresh.items() if h in repeated})
        embedded += len(fresh)
        columns = {
            "id": [d.id for d in batch], "kind": [d.kind for d in batch],
            "text": [d.text for d in batch], "url": [d.url for d in batch],
            "occurred_at": [d.occurred_at for d in batch], "platform": [d.platform for d in batch],
            "content_hash": [digests[d.id] for d in batch],
        }
        (table.merge_insert("id").when_matched_update_all().when_not_matched_insert_all()
         .execute(_arrow(columns, vectors, DOCUMENTS_SCHEMA)))
    for chunk in _chunks(gone, IN_LIST):
        table.delete(f"id in ({_quoted(chunk)})")
    if changed or gone:
        # every write adds a version and small files; compact them, keep a week of versions
        table.optimize()
    return SyncCounts(documents=table.count_rows(), upserted=len(changed), embedded=embedded,
                      deleted=len(gone))


def document_ids(lance_dir: Path, kind: str | None = None) -> set[str]:
    """Ids in the index (of one kind), for checks; empty when there is no index yet."""
    table = _table(connect(lance_dir), DOCUMENTS)
    if table is None:
        return set()
    where = f"kind = {_quoted([kind])}" if kind else None
    return set(_scan(table, ["id"], where)["id"].to_pylist())


def search(
    lance_dir: Path,
    query: str,
    k: int = 5,
    kinds: Sequence[str] | None = None,
    embedder: Embedder | None = None,
) -> list[Hit]:
    """The `k` documents closest in meaning to `query`, best first (empty when no index)."""
    db = connect(lance_dir)
    table = _table(db, DOCUMENTS)
    if table is None or not normalize_text(query):
        return []
    vector = vectors_for_query(query, embedder)
    builder = table.search(vector).distance_type("cosine").select(["id", "kind", "text", "url", "_distance"])
    if kinds:
        builder = builder.where(f"kind in ({_quoted(kinds)})", prefilter=True)
    rows = builder.limit(k).to_list()
    return [Hit(r["id"], r["kind"], r["text"], r["url"], round(1.0 - float(r["_distance"]), 6))
            for r in rows]


def vectors_for_query(query: str, embedder: Embedder | None = None) -> np.ndarray:
    """A query's vector: queries are short and one-off, so they are not cached."""
    return embed_missing([query], None, embedder)[0][0]
