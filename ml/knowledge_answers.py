"""The best reply to a group of repeated questions, by rules a maintainer can check.

A candidate is a human reply in one of the questions' threads by someone other than that
thread's asker, long enough to say something and not itself a question (a clarifying
"Which version are you on?" answers nothing). Candidates rank by:
1. written by a maintainer (`dim_contributors.is_maintainer`): the project's own word;
2. endorsement: reactions on it, plus every other thread where the same answer was given
   (an answer repeated across threads is the community's settled answer);
3. length, as a last resort (longer replies carry the explanation), then age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from ml.embeddings import normalize_text
from ml.tables import table_exists

RESPONSE_TYPES = ("reply", "issue_comment", "post", "pr_review_comment")
MIN_WORDS = 4
MAX_CANDIDATES = 3


@dataclass(frozen=True)
class Candidate:
    activity_id: str
    text: str
    url: str | None
    occurred_at: datetime
    by_maintainer: bool
    endorsements: int

    def as_data(self) -> dict:
        return {"id": self.activity_id, "text": self.text, "by_maintainer": self.by_maintainer,
                "endorsements": self.endorsements}


def _reactions_join(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    if table_exists(con, "marts", "mart_responsiveness__reactions"):
        return ("left join marts.mart_responsiveness__reactions as rx using (activity_id)",
                "coalesce(rx.reaction_count, 0)")
    return "", "0"


def thread_replies(con: duckdb.DuckDBPyConnection, askers: dict[str, str]) -> list[tuple]:
    """Human replies in the threads `askers` maps (thread_id -> asker person_id)."""
    if not askers:
        return []
    join, reactions = _reactions_join(con)
    return con.execute(
        f"""
        select a.activity_id, a.thread_id, a.person_id, a.text, a.url, a.occurred_at,
            coalesce(c.is_maintainer, false) as is_maintainer, {reactions} as reactions
        from marts.fct_activities as a
        left join marts.dim_contributors as c using (person_id)
        {join}
        where list_contains(?, a.thread_id)
            and list_contains(?, a.activity_type)
            and not coalesce(a.is_bot, false)
            and a.text is not null
        order by a.occurred_at, a.activity_id
        """,
        [sorted(askers), list(RESPONSE_TYPES)],
    ).fetchall()


def is_answer(text: str) -> bool:
    words = text.split()
    return len(words) >= MIN_WORDS and not text.rstrip().endswith("?")


def rank_candidates(replies: list[tuple], askers: dict[str, str]) -> list[Candidate]:
    """Distinct answers, best first (see the module docstring for the order)."""
    by_text: dict[str, list[tuple]] = {}
    for row in replies:
        activity_id, thread_id, person_id, text, *_ = row
        if person_id == askers.get(thread_id) or not is_answer(text):
            continue
        by_text.setdefault(normalize_text(text).lower(), []).append(row)
    ranked = []
    for rows in by_text.values():
        threads = {r[1] for r in rows}
        best = max(rows, key=lambda r: (bool(r[6]), r[7], -r[5].timestamp()))
        activity_id, _, _, text, url, occurred_at, _, _ = best
        endorsements = int(sum(r[7] for r in rows)) + len(threads) - 1
        ranked.append(Candidate(activity_id, text, url, occurred_at,
                                any(bool(r[6]) for r in rows), endorsements))
    ranked.sort(key=lambda c: (not c.by_maintainer, -c.endorsements, -len(c.text), c.occurred_at,
                               c.activity_id))
    return ranked[:MAX_CANDIDATES]
