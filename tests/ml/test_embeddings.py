"""Embeddings: all-MiniLM-L6-v2 from the packaged files, unit vectors, nothing embedded twice."""

from __future__ import annotations

import numpy as np
import pytest

from ml.embeddings import (
    DIMS,
    MODEL_NAME,
    content_hash,
    default_embedder,
    embed_missing,
    embed_texts,
)


class CountingEmbedder:
    """The process-wide model (loaded once for the session), counting what reaches it."""

    def __init__(self) -> None:
        self.inner = default_embedder()
        self.calls = 0
        self.texts = 0

    def encode(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.encode(texts)


@pytest.fixture
def counting() -> CountingEmbedder:
    return CountingEmbedder()


def test_vectors_have_384_dimensions_and_unit_length(counting):
    # GIVEN three short texts
    texts = ["How do I reset my API token?", "Where are the logs stored?", "Coffee or tea?"]
    # WHEN they are embedded
    vectors = embed_texts(texts, embedder=counting)
    # THEN one float32 row of 384 per text, each of length 1 (dot product = cosine)
    assert vectors.shape == (3, DIMS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # AND paraphrases are closer than unrelated questions
    paraphrase = embed_texts(["How can I regenerate my API token?"], embedder=counting)[0]
    assert paraphrase @ vectors[0] > paraphrase @ vectors[1] + 0.3


def test_content_hash_ignores_spacing_but_not_words_or_model():
    assert content_hash("reset  my\ntoken ") == content_hash("reset my token")
    assert content_hash("reset my token") != content_hash("reset my tokens")
    assert content_hash("reset my token") != content_hash("reset my token", model=MODEL_NAME + "-v2")


def test_identical_texts_in_one_call_are_encoded_once(counting):
    # GIVEN the same text twice (once with other spacing) and another text
    vectors, fresh = embed_missing(["same text here", "same  text here ", "other"], embedder=counting)
    # THEN the model saw two texts in one call, and both copies got the same vector
    assert (counting.calls, counting.texts) == (1, 2)
    assert len(fresh) == 2 and np.array_equal(vectors[0], vectors[1])


def test_known_hashes_are_not_encoded_again(counting):
    # GIVEN vectors already stored for two texts
    texts = ["first stored text", "second stored text"]
    _, fresh = embed_missing(texts, embedder=counting)
    calls = counting.calls
    # WHEN the same texts come again with the stored vectors passed as known
    vectors, again = embed_missing(texts, known=fresh, embedder=counting)
    # THEN the model is not called and the stored vectors come back in order
    assert counting.calls == calls and again == {}
    assert np.array_equal(vectors[1], fresh[content_hash(texts[1])])


def test_the_model_loads_once_per_process():
    assert default_embedder() is default_embedder()
    model = default_embedder().model
    assert default_embedder().model is model
