"""Who is around at a moment, and who gets picked to act.

Every planner draws its actors here, so one rule holds everywhere: a person acts only while
active (after arriving, before leaving; churners therefore fall silent for real) and on a
platform they have an account on. Picks are weighted by the person's activity level times
a per-role multiplier that the planner passes for the kind of action.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from ingest.simulate.config import Window
from ingest.simulate.people import Person


class Cast:
    """Everyone in one run, with lookups by key and platform, and the weighted picks."""

    def __init__(self, people: list[Person], window: Window) -> None:
        self.people = people
        self.window = window
        self.by_key = {p.key: p for p in people}
        self.humans = [p for p in people if not p.is_bot]
        self.overloaded = next(p for p in people if p.role == "overloaded_maintainer")
        self.maintainers = [p for p in people if p.is_maintainer]

    def bot(self, key: str) -> Person:
        return self.by_key[key]

    def on(self, platform: str) -> list[Person]:
        attr = "github_login" if platform == "github" else "slack_id"
        return [p for p in self.humans if getattr(p, attr)]

    def can_act(self, person: Person, moment: datetime, platform: str) -> bool:
        account = person.github_login if platform == "github" else person.slack_id
        return bool(account) and person.active(moment) and self.window.contains(moment)

    def pick(self, rng: random.Random, moment: datetime, platform: str, multipliers: dict[str, float],
             exclude: Iterable[str] = ()) -> Person | None:
        """A weighted pick among humans active at `moment` on `platform`; None if nobody fits."""
        skip = set(exclude)
        pool = [p for p in self.on(platform)
                if p.key not in skip and p.active(moment) and multipliers.get(p.role, 0) > 0]
        if not pool:
            return None
        return rng.choices(pool, weights=[p.weight * multipliers[p.role] for p in pool])[0]

    def pick_tiered(self, rng: random.Random, moment: datetime, platform: str,
                    tiers: tuple[tuple[float, dict[str, float]], ...], exclude: Iterable[str] = ()) -> Person | None:
        """Pick a tier by its probability, then a person in it; fall back through the other tiers.

        Tiers keep the overloaded maintainer's share of responses fixed whatever the community
        size, which is the point of planting them.
        """
        draw, chosen = rng.random(), len(tiers) - 1
        for i, (share, _) in enumerate(tiers):
            if draw < share:
                chosen = i
                break
            draw -= share
        for i in [chosen] + [j for j in range(len(tiers)) if j != chosen]:
            person = self.pick(rng, moment, platform, tiers[i][1], exclude)
            if person is not None:
                return person
        return None

    def week_days(self, monday: date) -> list[date]:
        return [d for d in (monday + timedelta(days=i) for i in range(7)) if self.window.start <= d <= self.window.end]

    def entry_time(self, rng: random.Random, person: Person) -> datetime:
        """When a person first shows up: at arrival, or early in the window if they predate it."""
        start = max(person.arrive, self.window.start_at)
        spread = min(person.leave, start + timedelta(days=21)) - start
        return start + spread * rng.random() * (0.1 if person.arrive >= self.window.start_at else 1.0)


# Role multipliers per kind of action (0 = never picked for it).
OPENERS = {"newcomer": 3, "casual": 2, "regular": 1.2, "churner": 1.2, "maintainer": 0.4, "overloaded_maintainer": 0.2}
AUTHORS = {"newcomer": 1.2, "casual": 0.6, "regular": 2, "churner": 2, "maintainer": 1.5, "overloaded_maintainer": 1}
COMMUNITY = {"regular": 1, "churner": 1, "newcomer": 0.3}
RESPONDERS = ((0.7, {"overloaded_maintainer": 1}), (0.17, {"maintainer": 1}), (0.13, COMMUNITY))
REVIEWERS = ((0.62, {"overloaded_maintainer": 1}), (0.33, {"maintainer": 1}), (0.05, {"regular": 1}))
MAINTAINERS = ((0.5, {"overloaded_maintainer": 1}), (0.5, {"maintainer": 1}))
CHATTERS = {"newcomer": 1.5, "casual": 1, "regular": 1.5, "churner": 1.5, "maintainer": 1, "overloaded_maintainer": 1}
