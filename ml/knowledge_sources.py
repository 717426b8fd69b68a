"""What the knowledge index holds: community text from the marts, FAQ entries, docs chunks.

Only text worth retrieving is indexed: human messages, replies, comments and forum posts,
issue and pull-request openings (title and body), forum topics, answered FAQ entries and
documentation chunks. Bot output, commit messages, release notes and two-word
acknowledgements ("Thanks!", "+1") would crowd out answers and cost embedding time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from ml.tables import table_exists

KINDS = ("message", "issue", "topic", "faq", "doc")
KIND_BY_ACTIVITY = {
    "message": "message",
    "reply": "message",
    "issue_comment": "message",
    "pr_review": "message",
    "pr_review_comment": "message",
    "post": "message",
    "topic": "topic",
    "issue_opened": "issue",
    "pr_opened": "issue",
}
MIN_WORDS = 3
MAX_STORED_CHARS = 8000


@dataclass(frozen=True)
class Document:
    """One row of the LanceDB `documents` table, before embedding."""

    id: str
    kind: str
    text: str
    url: str | None = None
    occurred_at: datetime | None = None
    platform: str | None = None


def worth_indexing(text: str | None) -> bool:
    return bool(text) and len(text.split()) >= MIN_WORDS


def activity_documents(con: duckdb.DuckDBPyConnection) -> list[Document]:
    """Human conversation from `marts.fct_activities`, one document per activity."""
    if not table_exists(con, "marts", "fct_activities"):
        return []
    types = list(KIND_BY_ACTIVITY)
    rows = con.execute(
        """
        select activity_id, activity_type, platform, occurred_at, text, url
        from marts.fct_activities
        where not coalesce(is_bot, false)
            and text is not null
            and list_contains(?, activity_type)
        order by occurred_at, activity_id
        """,
        [types],
    ).fetchall()
    return [
        Document(
            id=activity_id,
            kind=KIND_BY_ACTIVITY[activity_type],
            text=text[:MAX_STORED_CHARS],
            url=url,
            occurred_at=occurred_at,
            platform=platform,
        )
        for activity_id, activity_type, platform, occurred_at, text, url in rows
        if worth_indexing(text)
    ]


def faq_documents(con: duckdb.DuckDBPyConnection) -> list[Document]:
    """Answered FAQ entries as question + answer (an unanswered one has nothing to retrieve)."""
    if not table_exists(con, "ml", "faq"):
        return []
    rows = con.execute(
        """
        select faq_id, question, answer, answer_url, updated_at
        from ml.faq
        where answer is not null
        order by faq_id
        """
    ).fetchall()
    return [
        Document(
            id=faq_id,
            kind="faq",
            text=f"Q: {question}\nA: {answer}"[:MAX_STORED_CHARS],
            url=url,
            occurred_at=updated_at,
            platform="faq",
        )
        for faq_id, question, answer, url, updated_at in rows
    ]
