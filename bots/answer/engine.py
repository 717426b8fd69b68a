"""Question → grounded answer: a catalogue metric over a parsed period, or "I don't know yet".

Platform adapters (Slack, Discord, CLI `ask`) render an `Answer`; they never build SQL. The
question is only matched against fixed patterns; the SQL is chosen from the catalogue and
bound to two dates, so instructions hidden in a question have nothing to act on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Literal

import duckdb

from bots.answer.metrics import Metric, describe_catalogue, find_metric
from bots.answer.periods import Period, default_period, parse_period

Kind = Literal["metric", "knowledge", "unknown"]
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Answer:
    """What the engine says and how it knows it.

    `period_end` is the last day included (as shown in `text`); `params` hold the half-open
    bounds [start, end) actually bound to `sql`. `sources` names the marts (later: URLs or
    row ids) behind the figure.
    """

    text: str
    kind: Kind
    value: int | float | None = None
    period_start: date | None = None
    period_end: date | None = None
    sql: str | None = None
    params: tuple[date, ...] = ()
    sources: tuple[str, ...] = ()
    uncertain: bool = False


def unknown(reason: str = "I don't know how to answer that yet.") -> Answer:
    return Answer(
        text=(
            f"{reason} I can count {describe_catalogue()} for periods such as "
            '"last month", "this week", "in March", "last 30 days" or "in 2026".'
        ),
        kind="unknown",
        uncertain=True,
    )


def _sentence(metric: Metric, value: int, period: Period) -> str:
    template = metric.singular if value == 1 else metric.plural
    figure = template.format(n=f"{value:,}", phrase=period.phrase)
    return f"{figure} ({period.start:%Y-%m-%d} – {period.last_day:%Y-%m-%d})."


def answer_metric(metric: Metric, period: Period, con: duckdb.DuckDBPyConnection) -> Answer:
    """Run the metric's fixed SQL for the period; a missing mart becomes an honest answer."""
    params = (period.start, period.end)
    base = Answer(
        text="",
        kind="metric",
        period_start=period.start,
        period_end=period.last_day,
        sql=metric.sql,
        params=params,
        sources=(metric.source,),
    )
    try:
        [(value,)] = con.execute(metric.sql, list(params)).fetchall()
    except duckdb.CatalogException:
        text = f"I can't count that yet: {metric.source} is not built (run `codeconvene demo`)."
        return replace(base, text=text, uncertain=True)
    return replace(base, text=_sentence(metric, int(value), period), value=int(value))


def answer(question: str, con: duckdb.DuckDBPyConnection, today: date | None = None) -> Answer:
    """Answer `question` from the marts reachable through `con` (open it read-only)."""
    today = today or datetime.now(UTC).date()
    question = (question or "")[:MAX_QUESTION_CHARS]
    metric = find_metric(question)
    if metric is None:
        return unknown()
    period = parse_period(question, today)
    if period is not None and period.start > today:
        return unknown(f"That period ({period.phrase.removeprefix('in ')}) has not started yet.")
    result = answer_metric(metric, period or default_period(today), con)
    if period is None and not result.uncertain:
        note = " No period was given, so this covers the last 30 days."
        result = replace(result, text=result.text + note)
    return result
