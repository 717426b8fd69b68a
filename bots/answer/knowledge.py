"""Knowledge questions: retrieve from the index, answer from what was found, cite it.

The LanceDB `documents` table (docs chunks, FAQ entries, past messages, issues and topics)
is searched by meaning. A hit that is itself a question ("How can I reset my API token?"
asked last month) is not an answer: the best reply in its thread is (ranked as the FAQ ranks
them, `ml.knowledge_answers`). FAQ hits bring their stored answer from `ml.faq`. The
passages go to the LLM provider as fenced data with the `answer` prompt; offline, the best
passage is quoted as is. When nothing is similar enough, or the sources do not answer, the
reply is "I don't know" with the people who answered the nearest threads.

Retrieval itself (the model loaded once per process, the search) is `bots.answer.retrieval`;
callers may inject their own retriever.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import duckdb

from bots.answer.retrieval import LanceRetriever, Retriever, retriever_for

__all__ = ["LanceRetriever", "Retriever", "answer_knowledge", "retriever_for"]
from ml.embeddings import normalize_text
from ml.index import Hit
from ml.knowledge_answers import rank_candidates, thread_replies
from ml.llm.offline import OfflineProvider, register_template
from ml.llm.provider import LLMError, LLMProvider, build_prompt
from ml.tables import table_exists

log = logging.getLogger("codeconvene.bots.answer")

PROMPT_NAME = "answer"
# Cosine similarity of all-MiniLM-L6-v2: paraphrased questions score ~0.7-0.95 in the
# simulated community, unrelated ones below ~0.4 (see tests/bots/answer/test_knowledge.py).
THRESHOLD = 0.55
# A past message that is not a question is quoted as its own answer only when it is very
# close: "Where can I find the logs?" sits at 0.7 from "here is the log …", which answers nothing.
STATEMENT_THRESHOLD = 0.8
SEARCH_K = 8
MAX_SOURCES = 3
NEAREST_MARGIN = 0.1
KIND_ORDER = {"faq": 0, "doc": 1, "answer": 2}


@dataclass(frozen=True)
class Source:
    """A cited passage; `url` and `title` are what adapters render as a link."""

    id: str
    kind: str
    title: str
    text: str
    url: str | None
    score: float

    def as_data(self, n: int) -> dict[str, Any]:
        return {"n": n, "kind": self.kind, "title": self.title, "text": self.text, "url": self.url}

    def citation(self) -> tuple[str, str]:
        return (self.title, self.url or self.id)


@dataclass
class KnowledgeResult:
    text: str
    uncertain: bool
    sources: list[Source] = field(default_factory=list)
    suggested_people: list[str] = field(default_factory=list)
    model: str | None = None


def offline_answer(data: dict[str, Any]) -> str:
    """The offline engine's answer: the best source's text, quoted, with its marker."""
    sources = data.get("sources") or []
    if not sources:
        return "I don't know."
    return f"{sources[0]['text'].strip()} [{sources[0]['n']}]"


register_template(PROMPT_NAME, offline_answer)


def _title(text: str, limit: int = 80) -> str:
    line = next((part for part in text.splitlines() if part.strip()), text)
    line = normalize_text(line.removeprefix("Q: "))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _faq_sources(con: duckdb.DuckDBPyConnection, hits: list[Hit]) -> dict[str, tuple]:
    ids = [h.id for h in hits if h.kind == "faq"]
    if not ids or not table_exists(con, "ml", "faq"):
        return {}
    rows = con.execute(
        "select faq_id, question, answer, answer_url, source_activity_ids from ml.faq "
        "where list_contains(?, faq_id)", [ids]).fetchall()
    return {r[0]: r[1:] for r in rows}


def _activities(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, tuple]:
    if not ids or not table_exists(con, "marts", "fct_activities"):
        return {}
    rows = con.execute(
        "select activity_id, coalesce(thread_id, activity_id), person_id, is_question, "
        "activity_type, url from marts.fct_activities where list_contains(?, activity_id)",
        [ids]).fetchall()
    return {r[0]: r[1:] for r in rows}


def gather_sources(con: duckdb.DuckDBPyConnection, hits: list[Hit]) -> list[Source]:
    """Answers behind the relevant hits: FAQ answers, doc passages, best thread replies."""
    faqs = _faq_sources(con, hits)
    acts = _activities(con, [h.id for h in hits if h.kind not in ("faq", "doc")])
    askers = {}
    for hit in hits:
        info = acts.get(hit.id)
        if info and _is_question(hit, info):
            askers[info[0]] = info[1]
    replies = thread_replies(con, askers) if askers else []
    sources: list[Source] = []
    for hit in hits:
        if hit.kind == "faq":
            entry = faqs.get(hit.id)
            if entry and entry[1]:
                sources.append(Source(hit.id, "faq", _title(entry[0]), entry[1], entry[2], hit.score))
        elif hit.kind == "doc":
            sources.append(Source(hit.id, "doc", _title(hit.text), hit.text, hit.url, hit.score))
        elif (info := acts.get(hit.id)) and _is_question(hit, info):
            thread = info[0]
            best = rank_candidates([r for r in replies if r[1] == thread], {thread: info[1]})
            if best:
                sources.append(Source(best[0].activity_id, "answer", _title(hit.text), best[0].text,
                                      best[0].url or hit.url, hit.score))
        elif info and hit.score >= STATEMENT_THRESHOLD:
            sources.append(Source(hit.id, hit.kind, _title(hit.text), hit.text, hit.url, hit.score))
    unique: dict[str, Source] = {}
    for source in sorted(sources, key=lambda s: (KIND_ORDER.get(s.kind, 3), -s.score)):
        unique.setdefault(normalize_text(source.text).lower(), source)
    return list(unique.values())[:MAX_SOURCES]


def _is_question(hit: Hit, info: tuple) -> bool:
    _, _, is_question, activity_type, _ = info
    return bool(is_question) or activity_type in ("issue_opened", "topic") or hit.text.rstrip().endswith("?")


RESPONDERS_SQL = (
    "select coalesce(c.display_name, r.responder_person_id) as name, count(*) as responses "
    "from marts.mart_responsiveness as r "
    "left join marts.dim_contributors as c on c.person_id = r.responder_person_id "
    "where r.responder_person_id is not null and (r.item_id in ({marks}) or r.thread_id in ({marks})) "
    "group by r.responder_person_id, c.display_name order by responses desc, name limit 3"
)


def _marks(values: list) -> str:
    """As many placeholders as values: only the count reaches the SQL text, never a value."""
    return ", ".join("?" for _ in values)


def _thread_responders(con: duckdb.DuckDBPyConnection, activity_ids: list[str]) -> list[str]:
    """First responders of the questions, issues and topics among these activities (or whose
    thread they are): one scan of mart_responsiveness, not of a million activities."""
    sql = RESPONDERS_SQL.format(marks=_marks(activity_ids))
    return [r[0] for r in con.execute(sql, [*activity_ids, *activity_ids]).fetchall()]


FALLBACK_SQL = """
select coalesce(c.display_name, r.responder_person_id) as name, count(*) as responses
from marts.mart_responsiveness as r
left join marts.dim_contributors as c on c.person_id = r.responder_person_id
where r.responder_person_id is not null
    and r.first_response_at >= (select max(first_response_at) from marts.mart_responsiveness) - interval 90 day
group by r.responder_person_id, c.display_name
order by responses desc, name
limit 3
"""


def suggested_people(con: duckdb.DuckDBPyConnection, hits: list[Hit]) -> list[str]:
    """Who answered the threads nearest the question; else the busiest recent responders."""
    if not table_exists(con, "marts", "mart_responsiveness"):
        return []
    if hits:  # the nearest threads only: a far hit brings the busiest people, not the experts
        best = max(h.score for h in hits)
        hits = [h for h in hits if h.score >= best - NEAREST_MARGIN]
    ids = [h.id for h in hits if h.kind not in ("faq", "doc")]
    faqs = _faq_sources(con, hits)
    for entry in faqs.values():
        ids.extend(json.loads(entry[3] or "[]"))
    names = _thread_responders(con, ids) if ids else []
    if not names:
        names = [r[0] for r in con.execute(FALLBACK_SQL).fetchall()]
    return names


def answer_knowledge(
    question: str,
    con: duckdb.DuckDBPyConnection,
    retriever: Retriever | None,
    provider: LLMProvider | None = None,
    threshold: float = THRESHOLD,
) -> KnowledgeResult:
    try:
        hits = retriever.search(question, SEARCH_K) if retriever is not None else []
    except (OSError, RuntimeError, ValueError) as exc:  # a broken index: say so, don't crash a bot
        log.warning("knowledge search failed, answering without it: %s", exc)
        hits = []
    relevant = [h for h in hits if h.score >= threshold]
    sources = gather_sources(con, relevant) if relevant else []
    if sources:
        prompt = build_prompt(PROMPT_NAME, {
            "question": question, "sources": [s.as_data(n) for n, s in enumerate(sources, 1)]})
        try:
            completion = (provider or OfflineProvider()).complete(prompt)
        except LLMError:
            completion = OfflineProvider().complete(prompt)
        text = completion.text.strip()
        if text and not text.lower().startswith("i don't know"):
            return KnowledgeResult(text, False, sources, model=completion.model)
    people = suggested_people(con, hits)
    who = f" People who answered similar questions: {', '.join(people)}." if people else ""
    return KnowledgeResult(
        f"I don't know: nothing in the docs, FAQ or past answers matches this closely enough.{who}",
        True, [], people)
