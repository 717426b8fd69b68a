"""Question → grounded answer: a catalogue metric, a cited knowledge answer, or "I don't know".

Platform adapters (Slack, Discord, CLI `ask`) render an `Answer`; they never build SQL. The
question is first stripped of sentences addressed to the bot (`classify.strip_instructions`),
then classified: metric questions run fixed catalogue SQL bound to dates and to names looked
up in the warehouse; knowledge questions are answered from retrieved passages that the LLM
sees as fenced data; one person's burnout risk is for maintainers only. When `platform` is
given the exchange is recorded in `ml.bot_interactions`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, Literal

import duckdb

from bots.answer import interactions, knowledge, sensitive
from bots.answer.classify import classify, strip_instructions
from bots.answer.metric_answer import answer_metric
from bots.answer.metrics import describe_catalogue, find_metric, is_list_question
from bots.answer.periods import default_period, parse_period
from bots.answer.scope import UnknownName, find_scope, release_period, wants_release
from ml.llm.provider import LLMProvider

log = logging.getLogger("codeconvene.bots.answer")

Kind = Literal["metric", "knowledge", "unknown"]
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Answer:
    """What the engine says and how it knows it.

    `period_end` is the last day included (as shown in `text`); `params` hold the values
    bound to `sql` (the half-open bounds [start, end), then any channel/repo and platform).
    `sources` names the marts behind a figure, or the cited passages (objects with `id`,
    `title`, `url`) of a knowledge answer; `citations` are the same as (title, url or id).
    `rows` holds a ranking's (name, count) pairs; `previous_*` the comparison of a trend.
    """

    text: str
    kind: Kind
    value: int | float | None = None
    period_start: date | None = None
    period_end: date | None = None
    sql: str | None = None
    params: tuple[Any, ...] = ()
    sources: tuple[Any, ...] = ()
    uncertain: bool = False
    metric: str | None = None
    citations: tuple[tuple[str, str], ...] = ()
    suggested_people: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    previous_value: int | float | None = None
    previous_period_start: date | None = None
    previous_period_end: date | None = None
    refused: bool = False
    model: str | None = None


def unknown(reason: str = "I don't know how to answer that.") -> Answer:
    return Answer(
        text=(
            f"{reason} I can count {describe_catalogue()} for periods such as "
            '"last month", "this week", "in March", "last 30 days", "in 2026" or "since v1.2", '
            "and look up how-to questions in the docs, the FAQ and past answers."
        ),
        kind="unknown",
        uncertain=True,
    )


def _not_built(what: str) -> Answer:
    return Answer(text=f"I can't answer that yet: {what} is not built (run `codeconvene demo`).",
                  kind="unknown", uncertain=True)


def _metric(question: str, con: duckdb.DuckDBPyConnection, today: date) -> Answer:
    metric = find_metric(question)
    try:
        scope = find_scope(question, con) if metric.container_column else None
        period = release_period(question, con, today) if wants_release(question) else parse_period(question, today)
    except UnknownName as exc:
        return unknown(str(exc))
    if period is not None and type(period.start) is date and period.start > today:
        return unknown(f"That period ({period.phrase.removeprefix('in ')}) has not started yet.")
    result = answer_metric(metric, period or default_period(today), scope, con, question)
    if period is None:
        note = " No period was given, so this covers the last 30 days."
        result = replace(result, text=result.text + note)
    return result


def _sensitive(question, con, asker, is_maintainer, maintainers) -> Answer:
    if not sensitive.asker_is_maintainer(con, asker, is_maintainer, maintainers):
        return Answer(text=sensitive.REFUSAL, kind="metric", refused=True)
    figure = sensitive.burnout_figure(question, con)
    if figure is None:
        return unknown("I don't know whose burnout risk you mean.")
    return Answer(text=figure.text, kind="metric", value=figure.value, sql=figure.sql,
                  params=figure.params, sources=("marts.mart_contributor_health",),
                  metric="burnout_risk", uncertain=figure.value is None)


def _knowledge(question, con, retriever, provider, threshold) -> Answer:
    found = knowledge.answer_knowledge(
        question, con, retriever if retriever is not None else knowledge.retriever_for(con),
        provider, threshold)
    return Answer(
        text=found.text,
        kind="knowledge",
        sources=tuple(found.sources),
        citations=tuple(s.citation() for s in found.sources),
        suggested_people=tuple(found.suggested_people),
        uncertain=found.uncertain,
        model=found.model,
    )


def _respond(question, con, today, asker, retriever, provider, is_maintainer, maintainers,
             threshold) -> Answer:
    clean = strip_instructions(question)
    kind = classify(clean, find_metric(clean) is not None)
    try:
        if kind == "sensitive":
            return _sensitive(clean, con, asker, is_maintainer, maintainers)
        if kind == "metric":
            return _metric(clean, con, today)
        if is_list_question(clean):
            return unknown("I don't know how to list names for that yet, only count them.")
        if kind == "knowledge":
            return _knowledge(clean, con, retriever, provider, threshold)
    except duckdb.CatalogException as exc:
        missing = str(exc).split("Table with name ")[-1].split(" does not exist")[0]
        return _not_built(f"the table {missing}" if missing != str(exc) else "the warehouse")
    return unknown()


def answer(
    question: str,
    con: duckdb.DuckDBPyConnection,
    today: date | None = None,
    *,
    asker: str | None = None,
    platform: str | None = None,
    retriever: knowledge.Retriever | None = None,
    provider: LLMProvider | None = None,
    is_maintainer: bool | None = None,
    maintainers: Collection[str] = (),
    threshold: float = knowledge.THRESHOLD,
) -> Answer:
    """Answer `question` from the marts and the index reachable through `con` (read-only is
    fine). `retriever` defaults to the LanceDB index beside the warehouse file, `provider` to
    the offline engine. With `platform`, the exchange is recorded (`interactions.record`)."""
    today = today or datetime.now(UTC).date()
    question = (question or "")[:MAX_QUESTION_CHARS]
    result = _respond(question, con, today, asker, retriever, provider, is_maintainer,
                      maintainers, threshold)
    if platform:
        try:
            interactions.record(con, interactions.interaction(question, result, platform=platform,
                                                              asker=asker))
        except (OSError, duckdb.Error) as exc:  # the answer matters more than its log line
            log.warning("could not record the %s interaction: %s", platform, exc)
    return result
