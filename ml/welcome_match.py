"""Which good first issues to suggest to a newcomer: the ones closest to what they touched.

A suggestion scores 3 for the repository (or channel) of the newcomer's first contribution
and 1 for each content word their first text shares with the issue's title and labels
(the newcomer-label words themselves do not count: every candidate has them). Up to three
matching issues are suggested; when none matches, the single most approachable issue (fewest
comments, then newest) is, so every welcome offers a next step while issues exist. Issues
the newcomer opened themselves are never suggested back to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ml.llm.extractive import content_words

GOOD_FIRST_LABELS = (
    "good first issue",
    "good-first-issue",
    "beginner",
    "first-timers-only",
    "starter",
    "easy",
)  # the same patterns as dbt var good_first_issue_labels
LABEL_WORDS = frozenset(
    {
        "good",
        "first",
        "issue",
        "issues",
        "beginner",
        "beginners",
        "starter",
        "easy",
        "first-timers-only",
        "good-first-issue",
        "help",
        "wanted",
        "newcomer",
        "newcomers",
    }
)
CONTAINER_WEIGHT = 3
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Issue:
    issue_id: str
    container: str | None
    title: str
    url: str | None
    labels: str
    created_at: datetime
    comments: int
    author_id: str | None

    def as_data(self) -> dict[str, str | None]:
        return {
            "id": self.issue_id,
            "title": self.title,
            "labels": self.labels,
            "repository": self.container,
            "url": self.url,
        }


@dataclass(frozen=True)
class Newcomer:
    person_id: str
    name: str
    first_activity_id: str
    platform: str
    kind: str
    container: str | None
    text: str | None
    url: str | None


def is_good_first(labels: str) -> bool:
    lowered = (labels or "").lower()
    return any(pattern in lowered for pattern in GOOD_FIRST_LABELS)


def suggest_issues(
    newcomer: Newcomer, issues: list[Issue], k: int = MAX_SUGGESTIONS
) -> list[Issue]:
    """Up to `k` issues for `newcomer`, best first; deterministic for the same input."""
    words = content_words(f"{newcomer.text or ''} {newcomer.container or ''}") - LABEL_WORDS
    scored = []
    for issue in issues:
        if issue.author_id is not None and issue.author_id == newcomer.person_id:
            continue
        score = len(words & (content_words(f"{issue.title} {issue.labels}") - LABEL_WORDS))
        if newcomer.container and issue.container == newcomer.container:
            score += CONTAINER_WEIGHT
        scored.append(
            (-score, issue.comments, -issue.created_at.timestamp(), issue.issue_id, issue)
        )
    scored.sort(key=lambda row: row[:4])
    matched = [row[4] for row in scored if row[0] < 0][:k]
    return matched or [row[4] for row in scored[:1]]
