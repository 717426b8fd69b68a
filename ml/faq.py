"""The FAQ: questions people keep asking, on any platform, with the answer they were given.

Human questions (`fct_activities.is_question`) are embedded and grouped by meaning
(`ml.knowledge_cluster`, average linkage at `THRESHOLD`); a group asked by at least two
different people is an entry. Its question is the group's most central wording, its answer
comes from the LLM provider over the best replies found in the group's threads
(`ml.knowledge_answers`), fenced as data; offline, that is the best reply itself. Entries no
one answered are kept with a null answer: a question asked again and again without a reply
is the clearest documentation gap there is.

Left out: chat in social channels ("Coffee or tea?") and questions about one specific item
("Could someone review PR #14?"), which repeat in form but are not knowledge.

`THRESHOLD` was tuned on the simulator's planted repeated questions (`bench/quality.py`):
paraphrases of one question sit above it, different questions about the same component
mostly below.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ml.embeddings import Embedder
from ml.index import vectors_for
from ml.knowledge_answers import Candidate, rank_candidates, thread_replies
from ml.knowledge_cluster import MAX_TEXTS, most_central, similarity_clusters
from ml.llm.offline import register_template
from ml.llm.provider import LLMProvider, build_prompt
from ml.tables import ensure_ml_table, table_exists

PROMPT_NAME = "faq_answer"
THRESHOLD = 0.7
MIN_ASKERS = 2
MAX_QUESTION_CHARS = 300
SOCIAL_CONTAINERS = ("random", "off-topic", "offtopic", "social", "watercooler", "introductions")
_ITEM_REFERENCE = re.compile(r"(?<![\w&/])#\d+\b|/(?:issues|pull|pulls)/\d+")

FAQ_DDL = """
create table if not exists ml.faq (
    faq_id varchar primary key,
    question varchar not null,
    answer varchar,
    answer_url varchar,
    source_activity_ids json not null,
    frequency integer not null,
    updated_at timestamp not null,
    model varchar
)
"""


@dataclass(frozen=True)
class FaqOptions:
    """`faq:` in codeconvene.yaml: `threshold`, `exclude_containers` (social channels)."""

    threshold: float = THRESHOLD
    exclude_containers: tuple[str, ...] = SOCIAL_CONTAINERS

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> FaqOptions:
        config = config or {}
        return cls(
            threshold=float(config.get("threshold", THRESHOLD)),
            exclude_containers=tuple(config.get("exclude_containers", SOCIAL_CONTAINERS)),
        )


@dataclass(frozen=True)
class Question:
    activity_id: str
    person_id: str
    thread_id: str
    text: str
    occurred_at: Any
    url: str | None


@dataclass
class FaqEntry:
    faq_id: str
    question: str
    questions: list[Question]
    candidates: list[Candidate] = field(default_factory=list)
    answer: str | None = None
    model: str | None = None

    def sources(self) -> list[str]:
        return [q.activity_id for q in self.questions] + [c.activity_id for c in self.candidates]


TITLED = ("issue_opened", "pr_opened", "topic")


def question_text(text: str, activity_type: str = "message") -> str:
    """What is compared: an issue's or topic's title (its first line), else the message; capped."""
    if activity_type in TITLED:
        text = next((line for line in text.splitlines() if line.strip()), "")
    return " ".join(text.split())[:MAX_QUESTION_CHARS]


def load_questions(con: duckdb.DuckDBPyConnection, options: FaqOptions) -> list[Question]:
    """Human questions, most recent `MAX_TEXTS`, oldest first; social and item-specific out."""
    rows = con.execute(
        """
        select activity_id, person_id, coalesce(thread_id, activity_id), text, occurred_at, url,
            activity_type
        from marts.fct_activities
        where is_question and not coalesce(is_bot, false) and text is not null
            and not list_contains(?, lower(coalesce(container, '')))
        order by occurred_at desc, activity_id desc
        """,
        [[c.lower() for c in options.exclude_containers]],
    ).fetchall()
    questions = [Question(a, p, t, question_text(x, kind), o, u) for a, p, t, x, o, u, kind in rows
                 if not _ITEM_REFERENCE.search(x) and len(x.split()) >= 3]
    return questions[:MAX_TEXTS][::-1]


def group_questions(questions: Sequence[Question], vectors, threshold: float) -> list[FaqEntry]:
    """Entries for groups asked by >= MIN_ASKERS people, most frequent first."""
    entries = []
    for members in similarity_clusters(vectors, threshold):
        if len({questions[i].person_id for i in members}) < MIN_ASKERS:
            continue
        central = questions[most_central(vectors, members)]
        first = min((questions[i] for i in members), key=lambda q: (q.occurred_at, q.activity_id))
        faq_id = "faq:" + hashlib.sha256(first.activity_id.encode()).hexdigest()[:16]
        entries.append(FaqEntry(faq_id, central.text, [questions[i] for i in members]))
    entries.sort(key=lambda e: (-len(e.questions), e.faq_id))
    return entries


def offline_faq_answer(data: dict[str, Any]) -> str:
    """The offline engine's answer: the best candidate, word for word (extractive)."""
    candidates = data.get("candidate_answers") or []
    return candidates[0]["text"].strip() if candidates else "I don't know."


register_template(PROMPT_NAME, offline_faq_answer)


def answer_entry(entry: FaqEntry, provider: LLMProvider) -> None:
    if not entry.candidates:
        return
    asked_as = list(dict.fromkeys(q.text for q in entry.questions if q.text != entry.question))
    prompt = build_prompt(PROMPT_NAME, {
        "question": entry.question,
        "asked_as": asked_as[:5],
        "candidate_answers": [c.as_data() for c in entry.candidates],
    })
    completion = provider.complete(prompt)
    text = completion.text.strip()
    entry.answer = None if not text or text.lower().startswith("i don't know") else text
    entry.model = completion.model


def build_faq(
    con: duckdb.DuckDBPyConnection,
    lance_dir: Path,
    provider: LLMProvider,
    options: FaqOptions | None = None,
    embedder: Embedder | None = None,
) -> dict[str, int]:
    """Rebuild `ml.faq`; returns counts (questions considered, entries, answered)."""
    options = options or FaqOptions()
    ensure_ml_table(con, FAQ_DDL)
    questions = load_questions(con, options) if table_exists(con, "marts", "fct_activities") else []
    entries: list[FaqEntry] = []
    if len(questions) >= 2:
        vectors = vectors_for(lance_dir, [q.text for q in questions], embedder)
        entries = group_questions(questions, vectors, options.threshold)
    askers = {q.thread_id: q.person_id for e in entries for q in e.questions}
    replies = thread_replies(con, askers)
    for entry in entries:
        threads = {q.thread_id for q in entry.questions}
        entry.candidates = rank_candidates([r for r in replies if r[1] in threads], askers)
        answer_entry(entry, provider)
    _write(con, entries)
    return {"questions": len(questions), "entries": len(entries),
            "answered": sum(1 for e in entries if e.answer)}


def _write(con: duckdb.DuckDBPyConnection, entries: list[FaqEntry]) -> None:
    rows = []
    for e in entries:
        cited = e.candidates[:1] if e.answer else []
        times = [q.occurred_at for q in e.questions] + [c.occurred_at for c in cited]
        rows.append((e.faq_id, e.question, e.answer, cited[0].url if cited else None,
                     json.dumps(e.sources()), len(e.questions), max(times), e.model))
    con.execute("begin transaction")
    try:
        # replaced, not emptied: a table left by an older version gets today's columns
        con.execute(FAQ_DDL.replace("create table if not exists", "create or replace table"))
        if rows:
            con.executemany("insert into ml.faq values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
