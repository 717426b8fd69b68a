"""The GitHub side of the community as a list of actions, before any JSON is shaped.

Planning and rendering are apart so each stays small: github_schedule.py and
github_threads.py decide who does what when (the planner refuses any action by someone
inactive or outside the window); github_events.py turns actions into GH Archive events.
Issue and PR numbers are given in creation order once planning is done, as GitHub does, so a
duplicate always points at a smaller number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ingest.simulate import issue_text as it
from ingest.simulate.clock import on_day
from ingest.simulate.config import SimulationConfig, stream
from ingest.simulate.people import Person
from ingest.simulate.timeline import Cast


@dataclass(eq=False)
class Item:
    """An issue or pull request; its number is given once planning is done (creation order)."""

    kind: str
    author: str
    title: str
    body: str
    created_at: datetime
    labels: list[str] = field(default_factory=list)
    category: str = ""
    topic: tuple[int, ...] = ()
    phrasing: int = 0
    branch: str = ""
    duplicate_of: Item | None = None
    merged_at: datetime | None = None
    number: int = 0
    size: tuple[int, int, int] = (0, 0, 0)


@dataclass(eq=False)
class GhAction:
    at: datetime
    actor: str
    type: str
    action: str | None = None
    item: Item | None = None
    body: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Release:
    at: datetime
    actor: str
    tag: str


@dataclass
class GithubPlan:
    actions: list[GhAction]
    items: list[Item]
    releases: list[Release]


class GithubPlanner:
    """Collects actions and items; owns the topic pool so no issue topic repeats by chance."""

    def __init__(self, config: SimulationConfig, cast: Cast) -> None:
        self.config = config
        self.cast = cast
        self.rng = stream(config, "github")
        self.actions: list[GhAction] = []
        self.items: list[Item] = []
        self.releases: list[Release] = []
        self.scale = config.people / 300
        self.versions: dict[str, tuple[int, int, int]] = {}
        self._topics = {kind: self._shuffled(it.topic_space(kind)) for kind in it.KIND_LABEL}

    def _shuffled(self, values: list) -> list:
        self.rng.shuffle(values)
        return values

    def emit(self, person: Person, at: datetime, type_: str, action: str | None = None,
             item: Item | None = None, body: str = "", **extra) -> bool:
        """Record an action if the person may act then; the caller stops its thread on False."""
        at = at.replace(microsecond=0)
        if not self.cast.can_act(person, at, "github"):
            return False
        self.actions.append(GhAction(at, person.key, type_, action, item, body, extra))
        return True

    def version_at(self, at: datetime) -> str:
        tags = [r.tag for r in self.releases if r.at < at]
        return tags[-1] if tags else "v0.3.0"

    def next_topic(self, kind: str) -> tuple[str, tuple[int, ...]] | None:
        """An unused topic, preferably of `kind`; None once all are used (then issues are duplicates)."""
        for candidate in (kind, "bug", "enhancement", "question", "docs"):
            if self._topics[candidate]:
                return candidate, self._topics[candidate].pop()
        return None

    def push(self, person: Person, at: datetime, ref: str, messages: list[str], item: Item | None = None) -> bool:
        return self.emit(person, at, "PushEvent", item=item, ref=ref, messages=messages)

    def commits(self, n: int) -> list[str]:
        return [self.rng.choice(it.COMMIT_MESSAGES) for _ in range(n)]

    def day_moment(self, person: Person, day: date) -> datetime:
        return on_day(person, self.rng, day)
