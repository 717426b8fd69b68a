"""Expected figures for the simulated community, computed in Python from raw mart rows.

Independent of the engine's SQL and of the derived marts: every figure is recomputed here
from `marts.fct_activities` and `marts.dim_contributors` rows with the DESIGN §5 definitions
(humans only, first *contribution* makes a newcomer, first response by another human).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

RESPONSE_TYPES = {"issue_comment", "pr_review", "pr_review_comment", "reply", "post"}
ITEM_TYPES = {"issue_opened", "pr_opened", "topic"}
UNANSWERED_AFTER = timedelta(days=2)


@dataclass(frozen=True)
class Row:
    activity_id: str
    person_id: str
    platform: str
    type: str
    at: datetime
    container: str | None
    thread_id: str | None
    parent_id: str | None
    is_question: bool
    is_contribution: bool
    is_bot: bool
    text: str | None


@dataclass(frozen=True)
class Item:
    created_at: datetime
    container: str | None
    platform: str
    is_question: bool
    first_at: datetime | None
    responder: str | None


def quantile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (what quantile_cont computes)."""
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class Community:
    def __init__(self, con) -> None:
        rows = con.execute(
            "select activity_id, person_id, platform, activity_type, occurred_at, container, "
            "thread_id, parent_id, coalesce(is_question, false), coalesce(is_contribution, false), "
            "coalesce(is_bot, false), text from marts.fct_activities"
        ).fetchall()
        self.all = [Row(*r) for r in rows]
        self.rows = [r for r in self.all if not r.is_bot]
        self.names = dict(con.execute("select person_id, display_name from marts.dim_contributors").fetchall())
        self.as_of = max(r.at for r in self.all)
        self.items = self._items()

    @staticmethod
    def _in(at: datetime, start: datetime, end: datetime) -> bool:
        return start <= at < end

    def count(self, start, end, types=None, *, container=None, platform=None, questions=False) -> int:
        return sum(
            1 for r in self.rows
            if self._in(r.at, start, end) and (types is None or r.type in types)
            and (container is None or r.container == container)
            and (platform is None or r.platform == platform) and (not questions or r.is_question)
        )

    def active(self, start, end, *, container=None) -> int:
        return len({r.person_id for r in self.rows if r.is_contribution and self._in(r.at, start, end)
                    and (container is None or r.container == container)})

    def new(self, start, end, *, container=None) -> int:
        first: dict[str, Row] = {}
        for r in sorted((r for r in self.rows if r.is_contribution), key=lambda r: r.at):
            first.setdefault(r.person_id, r)
        return sum(1 for r in first.values() if self._in(r.at, start, end)
                   and (container is None or r.container == container))

    def _items(self) -> list[Item]:
        by_thread: dict[str, list[Row]] = {}
        for r in self.rows:
            if r.thread_id and r.type in RESPONSE_TYPES:
                by_thread.setdefault(r.thread_id, []).append(r)
        items = []
        for r in self.rows:
            if not r.thread_id or r.parent_id is not None:
                continue
            if not (r.type in ITEM_TYPES or (r.type == "message" and r.is_question)):
                continue
            replies = sorted(
                (x for x in by_thread.get(r.thread_id, []) if x.activity_id != r.activity_id
                 and x.person_id != r.person_id and x.at >= r.at),
                key=lambda x: (x.at, x.activity_id))
            first = replies[0] if replies else None
            items.append(Item(r.at, r.container, r.platform, r.is_question,
                              first.at if first else None, first.person_id if first else None))
        return items

    def response_hours(self, start, end, q: float, *, container=None) -> float | None:
        hours = [(i.first_at - i.created_at).total_seconds() / 3600 for i in self.items
                 if self._in(i.created_at, start, end) and i.first_at is not None
                 and (container is None or i.container == container)]
        return quantile(hours, q)

    def unanswered(self, start, end, *, container=None) -> int:
        return sum(
            1 for i in self.items
            if i.is_question and self._in(i.created_at, start, end)
            and (container is None or i.container == container)
            and (i.first_at is None or i.first_at > i.created_at + UNANSWERED_AFTER)
            and i.created_at + UNANSWERED_AFTER <= self.as_of
        )

    def _top(self, counts: Counter) -> tuple[tuple[str, int], ...]:
        named = [(self.names.get(pid) or pid, n) for pid, n in counts.items()]
        return tuple(sorted(named, key=lambda x: (-x[1], x[0]))[:5])

    def top_responders(self, start, end) -> tuple[tuple[str, int], ...]:
        return self._top(Counter(i.responder for i in self.items
                                 if i.first_at is not None and self._in(i.first_at, start, end)))

    def top_contributors(self, start, end) -> tuple[tuple[str, int], ...]:
        return self._top(Counter(r.person_id for r in self.rows
                                 if r.is_contribution and self._in(r.at, start, end)))

    def release_at(self, tag: str) -> datetime:
        return next(r.at for r in self.all if r.type == "release" and (r.text or "").split("\n")[0] == tag)
