"""What a simulation run is asked for, and the time window it covers.

The config is the only input: the same config always yields the same bytes, so `end` is
resolved once (today's last Sunday only when none is given) and every random stream is
derived from `seed` plus a fixed name, never from the clock or hash order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

# Below these the community cannot hold its planted roles (3 maintainers, a few churners).
MIN_PEOPLE = 12
MIN_WEEKS = 2
# The export folders a run writes. GitHub (GH Archive) and Slack are always written; the others
# are opt-in so the default output stays exactly what the warehouse tests were written against
# (their truth keys describe GitHub + Slack only, and ingest picks up every folder it finds).
CORE_EXPORTS = ("github", "slack")
EXTRA_EXPORTS = ("discord", "discourse", "git", "github-rest")
ALL_EXPORTS = CORE_EXPORTS + EXTRA_EXPORTS


@dataclass(frozen=True)
class SimulationConfig:
    """`people` counts humans; the three bots (dependabot, github-actions, a Slack app) come on top."""

    seed: int = 7
    people: int = 300
    weeks: int = 52
    end: date | None = None
    repo: str = "convene-labs/convene"
    workspace: str = "convene"
    exports: tuple[str, ...] = CORE_EXPORTS

    def __post_init__(self) -> None:
        if self.people < MIN_PEOPLE:
            raise ValueError(f"people must be >= {MIN_PEOPLE}, got {self.people}")
        if self.weeks < MIN_WEEKS:
            raise ValueError(f"weeks must be >= {MIN_WEEKS}, got {self.weeks}")
        if self.repo.count("/") != 1 or not all(self.repo.split("/")):
            raise ValueError(f"repo must look like owner/name, got {self.repo!r}")
        unknown = set(self.exports) - set(ALL_EXPORTS)
        if unknown or not set(CORE_EXPORTS) <= set(self.exports):
            raise ValueError(f"exports must include {CORE_EXPORTS} and come from {ALL_EXPORTS}, got {self.exports!r}")
        # one canonical order, so equal sets of exports are equal configs
        object.__setattr__(self, "exports", tuple(e for e in ALL_EXPORTS if e in self.exports))

    def writes(self, export: str) -> bool:
        return export in self.exports

    def resolved(self) -> SimulationConfig:
        """The same config with `end` pinned, so a run started at midnight cannot drift."""
        return self if self.end is not None else replace(self, end=last_sunday(datetime.now(UTC).date()))

    def as_dict(self) -> dict:
        end = self.resolved().end
        out = {"seed": self.seed, "people": self.people, "weeks": self.weeks, "end": end.isoformat(),
               "repo": self.repo, "workspace": self.workspace}
        if self.exports != CORE_EXPORTS:  # absent by default: the default truth keeps its old bytes
            out["exports"] = list(self.exports)
        return out


def last_sunday(day: date) -> date:
    """The most recent Sunday on or before `day` (a whole ISO week ends on it)."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


@dataclass(frozen=True)
class Window:
    """Days `start`..`end` inclusive, UTC; `weeks` are the Mondays of every ISO week touched."""

    start: date
    end: date
    weeks: tuple[date, ...] = field(default=())

    @property
    def start_at(self) -> datetime:
        return datetime(self.start.year, self.start.month, self.start.day)

    @property
    def end_at(self) -> datetime:
        """Exclusive upper bound: midnight after the last day."""
        return datetime(self.end.year, self.end.month, self.end.day) + timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, moment: datetime) -> bool:
        return self.start_at <= moment < self.end_at


def window_for(config: SimulationConfig) -> Window:
    end = config.resolved().end
    assert end is not None
    start = end - timedelta(days=7 * config.weeks - 1)
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return Window(start, end, tuple(weeks))


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def stream(config: SimulationConfig, name: str) -> random.Random:
    """An independent, named random stream: str seeds are hashed with SHA-512, not hash()."""
    return random.Random(f"codeconvene-sim/{config.seed}/{name}")
