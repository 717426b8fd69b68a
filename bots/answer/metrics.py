"""What a catalogue metric is, and how a question picks one.

Each metric is fixed SQL over marts whose only inputs are bound parameters: the period's two
bounds, then optionally a container (channel or repo) and a platform that were validated
against the warehouse's own values. `{scope}` in the SQL is replaced by fixed fragments
naming the metric's own columns (never by user text), so nothing a user types reaches the
query text. Humans only (DESIGN §5): bot rows are excluded everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Shape = Literal["count", "hours", "ranking", "ratio"]


@dataclass(frozen=True)
class Metric:
    """`singular`/`plural` read "{n} new contributors joined {phrase}" for a count; for hours
    `plural` reads "The median … {phrase} was {n} hours"; rankings list names after it."""

    name: str
    pattern: re.Pattern[str]
    sql: str
    source: str
    singular: str
    plural: str
    shape: Shape = "count"
    container_column: str | None = None  # where "in #help" / "in owner/repo" filters
    platform_column: str | None = None  # where "on slack" filters
    lists_people: bool = False

    def scoped_sql(self, container: bool = False, platform: bool = False) -> str:
        """The SQL with the fixed filter fragments the bound scope needs (none from user text)."""
        scope = ""
        if container:
            scope += f" and {self.container_column} = ?"
        if platform:
            scope += f" and {self.platform_column} = ?"
        return self.sql.replace("{scope}", scope)


def words(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


# "who/which/list …" asks for names: only ranking metrics give names; better "I don't know"
# than a count that answers a different question.
_LIST_QUESTION = re.compile(r"^\s*(?:who|which|list|name|show me)\b")


def find_metric(question: str, catalogue: tuple[Metric, ...] | None = None) -> Metric | None:
    """The first catalogue metric whose words appear in the question (order = priority)."""
    if catalogue is None:
        from bots.answer.catalogue import CATALOGUE

        catalogue = CATALOGUE
    text = question.lower()
    metric = next((m for m in catalogue if m.pattern.search(text)), None)
    if metric is not None and _LIST_QUESTION.search(text) and not metric.lists_people:
        return None
    return metric


def is_list_question(question: str) -> bool:
    """"who are the new contributors?": a metric's words, but asking for names it can't give."""
    from bots.answer.catalogue import CATALOGUE

    text = question.lower()
    return bool(_LIST_QUESTION.search(text)) and any(m.pattern.search(text) for m in CATALOGUE)


def describe_catalogue() -> str:
    """What the engine can answer, for the "I don't know" reply."""
    return (
        "new contributors, active contributors, messages, activities, issues, pull requests, "
        "stars, releases, questions asked, unanswered questions, response times (median and "
        "p85), top responders and top contributors, per channel or repo and as trends"
    )


def __getattr__(name: str):
    """`metrics.CATALOGUE` still works (the entries live in `catalogue`, which imports this)."""
    if name == "CATALOGUE":
        from bots.answer.catalogue import CATALOGUE

        return CATALOGUE
    raise AttributeError(name)
