"""When things happen on GitHub: everyone's first appearance, then week by week new issues,
pull requests, dependabot bumps, maintainers' direct pushes, releases, stars and forks.

Rates scale with the community size; the overloaded maintainer's near-daily pushes, denser
towards the end, make the long day streaks and rising load that burnout metrics look for.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from ingest.simulate.clock import after, poisson, skips_day
from ingest.simulate.config import SimulationConfig
from ingest.simulate.github_plan import GithubPlan, GithubPlanner, Release
from ingest.simulate.github_threads import dependabot_pr, issue, pull_request
from ingest.simulate.people import Person
from ingest.simulate.timeline import AUTHORS, MAINTAINERS, OPENERS, Cast


def plan_github(config: SimulationConfig, cast: Cast) -> GithubPlan:
    planner = GithubPlanner(config, cast)
    rng = planner.rng
    _releases(planner)
    for person in cast.on("github"):
        arrival = cast.entry_time(rng, person)
        at = after(person, rng, arrival, 1)  # at their usual hours, unless that falls after they leave
        at = at if person.active(at) else arrival
        if person.link_rule == "email" or person.is_maintainer or rng.random() < 0.4:
            pull_request(planner, person, at)  # starts with a push: email links need one
        else:
            issue(planner, person, at)
        _star_and_fork(planner, person, at)
    for monday in cast.window.weeks:
        days = cast.week_days(monday)
        for _ in range(poisson(rng, 5.0 * planner.scale)):
            _weekly(planner, rng.choice(days), issue, OPENERS)
        for _ in range(poisson(rng, 4.5 * planner.scale)):
            _weekly(planner, rng.choice(days), pull_request, AUTHORS)
        if rng.random() < 0.8:
            dependabot_pr(planner, days[0])
        _maintainer_pushes(planner, days)
        _churner_habits(planner, days)
    _ensure_planted(planner)
    _number(planner)
    return GithubPlan(planner.actions, planner.items, planner.releases)


def _weekly(planner: GithubPlanner, day: date, flow, multipliers: dict[str, float]) -> None:
    noon = datetime(day.year, day.month, day.day, 12)
    person = planner.cast.pick(planner.rng, noon, "github", multipliers)
    if person is not None and not skips_day(person, planner.rng, day):
        flow(planner, person, planner.day_moment(person, day))


def _churner_habits(planner: GithubPlanner, days: list[date]) -> None:
    """Churners are regulars until they leave: a steady weekly habit makes their silence visible."""
    rng = planner.rng
    for person in planner.cast.on("github"):
        if person.role == "churner" and rng.random() < 0.35:
            day = rng.choice(days)
            if person.active(datetime(day.year, day.month, day.day, 12)):
                flow = pull_request if rng.random() < 0.6 else issue
                flow(planner, person, planner.day_moment(person, day))


def _ensure_planted(planner: GithubPlanner, attempts: int = 200) -> None:
    """Small or unlucky runs still plant what the truth promises: at least two duplicate
    issues, and at least two contributions by every churner before they leave."""
    rng, cast = planner.rng, planner.cast
    span = cast.window.end_at - cast.window.start_at
    for _ in range(attempts):
        if sum(1 for i in planner.items if i.duplicate_of is not None) >= 2:
            break
        day = (cast.window.start_at + span * rng.uniform(0.3, 1.0)).date()
        opener = cast.pick(rng, datetime(day.year, day.month, day.day, 12), "github", OPENERS)
        if opener is not None:
            issue(planner, opener, planner.day_moment(opener, day), duplicate=True)
    for person in (p for p in cast.on("github") if p.role == "churner"):
        for _ in range(attempts):
            if sum(1 for a in planner.actions if a.actor == person.key and a.type not in ("WatchEvent", "ForkEvent")) >= 2:
                break
            start = max(person.arrive, cast.window.start_at)
            day = (start + (person.leave - start) * rng.random()).date()
            pull_request(planner, person, planner.day_moment(person, day))


def _releases(planner: GithubPlanner) -> None:
    rng, window = planner.rng, planner.cast.window
    minor, week = rng.randint(4, 6), rng.randint(2, 5)
    while week < len(window.weeks):
        day = window.weeks[week] + timedelta(days=rng.randint(1, 3))
        releaser = planner.cast.pick_tiered(rng, datetime(day.year, day.month, day.day, 12), "github", MAINTAINERS)
        if releaser is not None and day <= window.end:
            at = planner.day_moment(releaser, day).replace(microsecond=0)
            if planner.cast.can_act(releaser, at, "github"):
                planner.releases.append(Release(at, releaser.key, f"v0.{minor}.0"))
                planner.emit(releaser, at, "ReleaseEvent", "published", tag=f"v0.{minor}.0")
                minor += 1
        week += rng.randint(4, 6)


def _star_and_fork(planner: GithubPlanner, person: Person, at: datetime) -> None:
    rng = planner.rng
    if rng.random() < 0.55:
        planner.emit(person, after(person, rng, at, 30), "WatchEvent", "started")
    if not person.is_maintainer and rng.random() < 0.25:
        planner.emit(person, after(person, rng, at, 60), "ForkEvent")


def _maintainer_pushes(planner: GithubPlanner, days: list[date]) -> None:
    """Direct pushes to main. The overloaded maintainer pushes almost daily, more so late on:
    the unbroken day streaks and rising load the burnout metric looks for."""
    rng, window = planner.rng, planner.cast.window
    for person in planner.cast.maintainers:
        if person.role == "overloaded_maintainer":
            for day in days:
                progress = (day - window.start).days / window.days
                if day not in person.days_off and rng.random() < 0.8 + 0.18 * progress:
                    planner.push(person, planner.day_moment(person, day), "refs/heads/main", planner.commits(rng.randint(1, 3)))
            continue
        for _ in range(poisson(rng, 2.0)):
            day = rng.choice(days)
            if not skips_day(person, rng, day):
                planner.push(person, planner.day_moment(person, day), "refs/heads/main", planner.commits(rng.randint(1, 2)))


def _number(planner: GithubPlanner) -> None:
    rng = random.Random(planner.rng.random())
    for number, item in enumerate(sorted(planner.items, key=lambda i: i.created_at), start=1):
        item.number = number
        item.size = (rng.randint(2, 400), rng.randint(0, 120), rng.randint(1, 12))
