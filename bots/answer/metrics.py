"""The catalogue of metric questions the engine can answer, each one fixed SQL over marts.

Every query takes exactly two parameters, the period's start and end dates, so nothing a
user types can reach the SQL. Humans only (DESIGN §5): bot rows are excluded everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """`sentence` is filled with the count `n` and plural `s`-forms; `source` is the mart read."""

    name: str
    pattern: re.Pattern[str]
    sql: str
    source: str
    singular: str
    plural: str


def _words(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


# Order matters: "new contributors" must win over the plainer "contributors".
CATALOGUE: tuple[Metric, ...] = (
    Metric(
        name="new_contributors",
        pattern=_words(
            r"new\s+(?:contributors?|people|persons|members|users|faces)",
            r"newcomers?",
            r"first[- ]time\s+contributors?",
            r"joined",
            r"join",
        ),
        # New = first *contribution* in the period (DESIGN §5, as mart_community_health_weekly
        # counts it); dim_contributors.first_seen_at also counts stars and forks.
        sql=(
            "select count(*) from ("
            "select person_id, min(occurred_at) as first_contribution_at from marts.fct_activities "
            "where is_contribution and not coalesce(is_bot, false) group by person_id"
            ") as firsts "
            "where first_contribution_at >= cast(? as timestamp) and first_contribution_at < cast(? as timestamp)"
        ),
        source="marts.fct_activities",
        singular="{n} new contributor joined {phrase}",
        plural="{n} new contributors joined {phrase}",
    ),
    Metric(
        name="active_contributors",
        pattern=_words(
            r"active\s+(?:contributors?|people|persons|members|users)",
            r"contributors?",
            r"people",
            r"persons",
            r"members",
        ),
        sql=(
            "select count(distinct person_id) from marts.fct_activities "
            "where is_contribution and not coalesce(is_bot, false) "
            "and occurred_at >= cast(? as timestamp) and occurred_at < cast(? as timestamp)"
        ),
        source="marts.fct_activities",
        singular="{n} contributor was active {phrase}",
        plural="{n} contributors were active {phrase}",
    ),
    Metric(
        name="messages",
        pattern=_words(r"messages?", r"chat\s+posts?", r"replies"),
        sql=(
            "select count(*) from marts.fct_activities "
            "where activity_type in ('message', 'reply') and not coalesce(is_bot, false) "
            "and occurred_at >= cast(? as timestamp) and occurred_at < cast(? as timestamp)"
        ),
        source="marts.fct_activities",
        singular="{n} chat message (including thread replies) was posted by a person {phrase}",
        plural="{n} chat messages (including thread replies) were posted by people {phrase}",
    ),
    Metric(
        name="activities",
        pattern=_words(r"activit(?:y|ies)", r"events"),
        sql=(
            "select count(*) from marts.fct_activities "
            "where not coalesce(is_bot, false) "
            "and occurred_at >= cast(? as timestamp) and occurred_at < cast(? as timestamp)"
        ),
        source="marts.fct_activities",
        singular="{n} activity by people was recorded {phrase}",
        plural="{n} activities by people were recorded {phrase}",
    ),
)

# "who/which/list …" asks for names, which no catalogue entry gives; better "I don't know"
# than a count that answers a different question.
_LIST_QUESTION = re.compile(r"^\s*(?:who|which|list|name|show me)\b")


def find_metric(question: str) -> Metric | None:
    """The first catalogue metric whose words appear in the question, if it asks for a count."""
    text = question.lower()
    if _LIST_QUESTION.search(text):
        return None
    return next((metric for metric in CATALOGUE if metric.pattern.search(text)), None)


def describe_catalogue() -> str:
    """What the engine can answer, for the "I don't know yet" reply."""
    return "new contributors, active contributors, chat messages and activities"
