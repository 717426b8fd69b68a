"""The LanceDB index: synced from the marts, searched by meaning, never embedding twice."""

from __future__ import annotations

from datetime import datetime

import pytest

from ml.embeddings import default_embedder
from ml.index import DOCUMENTS, connect, document_ids, search, sync_documents
from ml.knowledge_sources import Document


class CountingEmbedder:
    def __init__(self) -> None:
        self.inner = default_embedder()
        self.calls = 0
        self.texts = 0

    def encode(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.encode(texts)


ISSUES = [
    ("i10", "Slack importer crashes when user names contain emoji\n\nIt stops with a traceback."),
    ("i11", "Add a dark theme to the dashboard\n\nMy eyes would thank you."),
    ("i12", "Weekly report shows wrong totals after the upgrade\n\nNumbers doubled since v0.5."),
]


def _add_issues(con) -> None:
    for n, (key, text) in enumerate(ISSUES):
        con.execute(
            "insert into marts.fct_activities values (?, 'p_bob', 'github', 'issue_opened', ?, "
            "'owner/repo', ?, null, false, true, false, ?, ?)",
            [f"github:owner/repo#{key}:opened", datetime(2026, 11, 2 + n), f"github:owner/repo#{key}",
             text, f"https://github.com/owner/repo/issues/{key}"],
        )


@pytest.fixture
def lance(tmp_path):
    return tmp_path / "lance"


def test_sync_indexes_human_text_and_skips_bots_and_noise(warehouse, lance):
    # GIVEN the hand-made week plus three issues
    _add_issues(warehouse)
    # WHEN the index is synced
    counts = sync_documents(warehouse, lance, embedder=CountingEmbedder())
    ids = document_ids(lance)
    # THEN issues and human messages are in, with their kinds
    assert {"github:owner/repo#i10:opened", "a05", "a04", "a07"} <= ids
    assert "github:owner/repo#i10:opened" in document_ids(lance, kind="issue")
    # AND bot replies, pushes without text and two-word greetings are not
    assert not {"a13", "a03", "c01"} & ids
    assert counts.documents == len(ids) == counts.upserted == counts.embedded


def test_second_sync_embeds_nothing(warehouse, lance):
    # GIVEN an index synced once
    _add_issues(warehouse)
    first = CountingEmbedder()
    sync_documents(warehouse, lance, embedder=first)
    assert first.calls >= 1
    # WHEN it is synced again over unchanged marts
    second = CountingEmbedder()
    counts = sync_documents(warehouse, lance, embedder=second)
    # THEN the model is not called at all and nothing is written
    assert second.calls == 0 and second.texts == 0
    assert (counts.upserted, counts.embedded, counts.deleted) == (0, 0, 0)


def test_changed_text_is_reembedded_alone_and_removed_rows_leave(warehouse, lance):
    _add_issues(warehouse)
    sync_documents(warehouse, lance, embedder=CountingEmbedder())
    # GIVEN one message edited, one activity gone and one url changed
    warehouse.execute("update marts.fct_activities set text = 'Yes, the release candidate is out "
                      "since Monday, grab it from PyPI.' where activity_id = 'a04'")
    warehouse.execute("delete from marts.fct_activities where activity_id = 'a01'")
    warehouse.execute("update marts.fct_activities set url = 'https://x.test/new' where activity_id = 'a07'")
    # WHEN synced
    model = CountingEmbedder()
    counts = sync_documents(warehouse, lance, embedder=model)
    # THEN only the edited text reached the model; the url change reused its stored vector
    assert model.texts == 1 and counts.embedded == 1
    assert (counts.upserted, counts.deleted) == (2, 1)
    assert "a01" not in document_ids(lance)
    rows = connect(lance).open_table(DOCUMENTS).search().where("id = 'a07'").limit(1).to_list()
    assert rows[0]["url"] == "https://x.test/new"


def test_text_seen_under_another_id_reuses_the_vector(warehouse, lance):
    sync_documents(warehouse, lance, embedder=CountingEmbedder())
    # GIVEN a docs chunk whose text is word for word an indexed message
    copy = Document("doc:faq.md#1", "doc", "Is the release candidate out yet?", "file:///faq.md")
    model = CountingEmbedder()
    counts = sync_documents(warehouse, lance, extra=[copy], embedder=model)
    # THEN it is indexed without calling the model
    assert counts.upserted == 1 and model.calls == 0


def test_search_returns_the_planted_near_duplicate_first(warehouse, lance):
    # GIVEN an index with three issues and the week's messages
    _add_issues(warehouse)
    sync_documents(warehouse, lance, embedder=CountingEmbedder())
    # WHEN searching with a paraphrase of one issue
    hits = search(lance, "Crash in the Slack importer with emoji in display names", k=3)
    # THEN that issue comes first, scored as a cosine similarity
    assert hits[0].id == "github:owner/repo#i10:opened"
    assert hits[0].kind == "issue" and hits[0].url.endswith("/issues/i10")
    assert 0.6 < hits[0].score <= 1.0 and hits[0].score > hits[1].score
    # AND a kind filter keeps other kinds out
    only_messages = search(lance, "release candidate", k=5, kinds=["message"])
    assert only_messages and {h.kind for h in only_messages} == {"message"}


def test_search_without_an_index_is_empty(tmp_path):
    assert search(tmp_path / "none", "anything") == []
