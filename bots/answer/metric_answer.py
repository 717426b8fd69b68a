"""Run a catalogue metric for a period (and its scope), word the figure, add a trend.

The answer states the figure, the period with its first and last day, and carries the SQL
and the values bound to it, so anyone can rerun it with `codeconvene sql`.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from bots.answer.metrics import Metric
from bots.answer.periods import Period, previous_period
from bots.answer.scope import Scope

_TREND = re.compile(
    r"\b(?:trends?|trending|compared?|comparison|vs\.?|versus|than\s+(?:the\s+)?(?:previous|last|prior|before)"
    r"|change[ds]?|grow(?:ing|n)?|grew|increas(?:e|ed|ing)|decreas(?:e|ed|ing)|drop(?:ped)?"
    r"|up\s+or\s+down|more\s+or\s+(?:fewer|less))\b")


def wants_trend(question: str) -> bool:
    return bool(_TREND.search(question.lower()))


def _run(metric: Metric, period: Period, scope: Scope | None,
         con: duckdb.DuckDBPyConnection) -> tuple[str, tuple, list[tuple]]:
    scope = scope or Scope()
    sql = metric.scoped_sql(container=bool(scope.container), platform=bool(scope.platform))
    params = (period.start, period.end, *(v for v in (scope.container, scope.platform) if v))
    return sql, params, con.execute(sql, list(params)).fetchall()


def _value(metric: Metric, rows: list[tuple]) -> int | float | None:
    if metric.shape == "ranking":
        return int(rows[0][1]) if rows else 0
    figure = rows[0][0] if rows else None
    if figure is None:
        return None
    return round(float(figure), 1) if metric.shape == "hours" else int(figure)


def _days(period: Period) -> str:
    return f"({period.start:%Y-%m-%d} – {period.last_day:%Y-%m-%d})"


def _sentence(metric: Metric, value, rows: list[tuple], phrase: str, period: Period) -> str:
    if metric.shape == "ranking":
        if not rows:
            return f"Nobody is on that list {phrase} {_days(period)}."
        names = ", ".join(f"{name} ({count:,})" for name, count in rows)
        head = metric.singular if len(rows) == 1 else metric.plural
        return f"{head.format(phrase=phrase)} {_days(period)}: {names}."
    if metric.shape == "hours":
        _, responded, items = rows[0]
        if value is None:
            return f"No item opened {phrase} got a first response yet ({items:,} opened) {_days(period)}."
        figure = metric.plural.format(n=f"{value:,.1f}", phrase=phrase)
        return f"{figure} {_days(period)}; {responded:,} of {items:,} items got a response."
    template = metric.singular if value == 1 else metric.plural
    return f"{template.format(n=f'{value:,}', phrase=phrase)} {_days(period)}."


def _change(value, before, unit: str) -> str:
    if value is None or before is None:
        return "no comparison is possible"
    delta = round(value - before, 1) if unit else value - before
    if delta == 0:
        return f"the same as the {before:,}{unit}"
    direction = "up" if delta > 0 else "down"
    percent = f", {abs(delta) / before:.0%}" if before else ""
    return f"{direction} {abs(delta):,}{unit}{percent} from {before:,}{unit}"


def answer_metric(metric: Metric, period: Period, scope: Scope | None,
                  con: duckdb.DuckDBPyConnection, question: str = ""):
    """The `Answer` for `metric` over `period` (a trend adds the previous period)."""
    from bots.answer.engine import Answer

    sql, params, rows = _run(metric, period, scope, con)
    value = _value(metric, rows)
    phrase = " ".join(p for p in ((scope.phrase if scope else ""), period.phrase) if p)
    text = _sentence(metric, value, rows, phrase, period)
    extra: dict[str, Any] = {}
    if wants_trend(question) and metric.shape != "ranking":
        before = previous_period(period)
        _, _, old_rows = _run(metric, before, scope, con)
        old = _value(metric, old_rows)
        unit = " hours" if metric.shape == "hours" else ""
        text += f" That is {_change(value, old, unit)} {before.phrase} {_days(before)}."
        extra = {"previous_value": old, "previous_period_start": before.start,
                 "previous_period_end": before.last_day}
    return Answer(
        text=text,
        kind="metric",
        value=value,
        period_start=period.start,
        period_end=period.last_day,
        sql=sql,
        params=params,
        sources=(metric.source,),
        metric=metric.name,
        rows=tuple(tuple(r) for r in rows) if metric.shape == "ranking" else (),
        **extra,
    )

