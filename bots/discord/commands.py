"""What `/ask`, `/stats`, `/faq` and `/report` say, given a read-only warehouse connection.

Pure (no `discord` import): each function takes the command's inputs and returns embed
dicts (`bots.discord.format`), so the adapter in `bots.discord.client` only defers, calls
one of these in a worker thread and posts the result. A missing mart or table becomes an
honest notice ("run `codeconvene build`"), never a traceback in the channel.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from bots.answer.engine import answer
from bots.discord import format as fmt
from ml.tables import table_exists

NOT_BUILT = "Nothing is built yet: run `codeconvene build` (or `codeconvene demo`) first."
FAQ_LIMIT = 5


@dataclass(frozen=True)
class AskReply:
    """The header posted in the channel, the thread's name and the answer's embed."""

    header: str
    thread_name: str
    embed: dict[str, Any]
    answer: Any


def ask(
    question: str,
    con: duckdb.DuckDBPyConnection,
    *,
    asker: str,
    asker_mention: str,
    today: date | None = None,
    maintainers: tuple[str, ...] = (),
) -> AskReply:
    """The engine's answer to `question`, told who asked on which platform when it listens
    (the engine grows keyword arguments over time; only those it accepts are passed)."""
    extra = {"asker": asker, "platform": "discord", "maintainers": maintainers}
    accepted = inspect.signature(answer).parameters
    result = answer(question, con, today=today, **{k: v for k, v in extra.items() if k in accepted})
    return AskReply(
        header=fmt.question_header(question, asker_mention),
        thread_name=fmt.thread_name(question),
        embed=fmt.answer_embed(question, result),
        answer=result,
    )


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The latest complete week's figures, the same ones the weekly report shows."""
    from ml.weekly_facts import gather_weekly_facts

    if not (table_exists(con, "marts", "mart_community_health_weekly")
            and table_exists(con, "marts", "fct_activities")):
        return fmt.notice_embed(NOT_BUILT)
    try:
        facts = gather_weekly_facts(con)
    except LookupError as error:
        return fmt.notice_embed(f"No weekly figures yet: {error}.")
    return fmt.figures_embed(facts.iso_week, facts.figures)


def faq(con: duckdb.DuckDBPyConnection, topic: str = "") -> dict[str, Any]:
    """The most asked FAQ entries, those whose question mentions `topic` when one is given."""
    if not table_exists(con, "ml", "faq"):
        return fmt.notice_embed(NOT_BUILT)
    words = [w for w in topic.lower().split() if w][:8]
    where = " and ".join(["contains(lower(question), ?)"] * len(words)) or "true"
    rows = con.execute(
        f"select question, answer, answer_url, frequency from ml.faq where {where} "
        "order by frequency desc, question limit ?",
        [*words, FAQ_LIMIT],
    ).fetchall()
    return fmt.faq_embed(rows, topic)


def report(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The weekly report of the latest complete week, cut to fit one embed."""
    from codeconvene.report import latest_complete_week, weekly_report_markdown

    if not table_exists(con, "marts", "mart_community_health_weekly"):
        return fmt.notice_embed(NOT_BUILT)
    try:
        week = latest_complete_week(con)
        return fmt.report_embed(week, weekly_report_markdown(con, week))
    except (LookupError, duckdb.CatalogException) as error:
        return fmt.notice_embed(f"No weekly report yet: {error}.")
