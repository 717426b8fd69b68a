"""The cast: who exists, on which platform, in which role, and how their accounts link.

Roles shape the metrics the platform must recover: maintainers (one overloaded), regulars,
newcomers arriving through the window, one-off casuals, churners who stop long before the
end, and bots. Cross-platform people are linkable only by the identity rules of
docs/CONTRACTS.md: the same email in their commits and Slack profile, or `github.com/<login>`
in their Slack title. Logins are prefix-free so a title can never match the wrong login.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ingest.simulate import names
from ingest.simulate.config import SimulationConfig, Window, stream
from ingest.simulate.ids import slack_id

ROLES = ("maintainer", "overloaded_maintainer", "regular", "newcomer", "casual", "churner", "bot")
# A churner's last contribution lands this long before the window's end (> 90 days silent).
CHURN_SILENCE = timedelta(days=92)
WEIGHT = {"overloaded_maintainer": 5.0, "maintainer": 3.5, "regular": 3.0, "churner": 3.0, "casual": 0.5}


@dataclass
class Person:
    key: str
    display_name: str
    role: str
    arrive: datetime
    leave: datetime
    first: str = ""
    last: str = ""
    is_bot: bool = False
    weight: float = 1.0
    night_owl: bool = False
    tz: tuple[str, str, int] = ("UTC", "Coordinated Universal Time", 0)
    github_login: str | None = None
    github_id: int | None = None
    slack_id: str | None = None
    slack_name: str | None = None
    bot_id: str | None = None
    email: str | None = None
    slack_email: str | None = None
    commit_email: str | None = None
    title: str = ""
    link_rule: str | None = None
    deleted: bool = False
    days_off: frozenset[date] = frozenset()

    @property
    def is_maintainer(self) -> bool:
        return self.role in ("maintainer", "overloaded_maintainer")

    @property
    def tz_offset(self) -> int:
        return self.tz[2]

    def active(self, moment: datetime) -> bool:
        return self.arrive <= moment <= self.leave


def role_counts(config: SimulationConfig, window: Window) -> dict[str, int]:
    n = config.people
    maintainers = min(5, max(3, round(n / 80)))
    can_churn = window.days >= CHURN_SILENCE.days + 7
    counts = {
        "overloaded_maintainer": 1,
        "maintainer": maintainers - 1,
        "churner": max(2, round(n * 0.06)) if can_churn else 0,
        "regular": max(3, round(n * 0.14)),
        "newcomer": max(3, round(n * 0.30)),
    }
    counts["casual"] = n - sum(counts.values())
    if counts["casual"] < 0:
        counts["newcomer"] += counts["casual"]
        counts["casual"] = 0
    return counts


def build_people(config: SimulationConfig, window: Window) -> list[Person]:
    rng = stream(config, "people")
    counts = role_counts(config, window)
    roles = [role for role in ("overloaded_maintainer", "maintainer", "regular", "churner", "newcomer", "casual")
             for _ in range(counts[role])]
    humans = [_human(rng, i, role, window) for i, role in enumerate(roles, start=1)]
    _place_newcomers(rng, [p for p in humans if p.role == "newcomer"], window)
    _assign_platforms(rng, humans)
    _assign_accounts(rng, humans)
    for p in humans:  # whole seconds: GitHub times have no fractions, so an entry at arrival stays valid
        p.arrive, p.leave = _ceil_second(p.arrive), p.leave.replace(microsecond=0)
    return humans + _bots(rng, window, {p.slack_id for p in humans if p.slack_id})


def _ceil_second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0) + timedelta(seconds=1 if moment.microsecond else 0)


def _human(rng: random.Random, index: int, role: str, window: Window) -> Person:
    first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
    before = window.start_at - timedelta(days=rng.randint(30, 700))
    person = Person(key=f"p{index:04d}", display_name=f"{first} {last}", role=role, arrive=before,
                    leave=window.end_at - timedelta(seconds=1), first=first, last=last,
                    weight=WEIGHT.get(role, 1.0), tz=rng.choice(names.TIMEZONES),
                    night_owl=role == "overloaded_maintainer")
    if role == "overloaded_maintainer":
        person.days_off = _breaks(rng, window)
    if role == "churner":
        earliest = window.start_at + timedelta(days=7)
        latest = window.end_at - CHURN_SILENCE
        person.leave = earliest + (latest - earliest) * rng.uniform(0.35, 1.0)
    elif role == "casual":
        person.arrive = window.start_at + (window.end_at - window.start_at - timedelta(days=2)) * rng.random()
        person.leave = min(person.arrive + timedelta(days=rng.uniform(1, 21)), window.end_at - timedelta(seconds=1))
    return person


def _breaks(rng: random.Random, window: Window) -> frozenset[date]:
    """Two-day breaks every week or two early on, none in the last ~45%: streaks grow to months."""
    off, day = set(), window.start
    cutoff = window.start + timedelta(days=int(window.days * 0.55))
    while True:
        day += timedelta(days=rng.randint(6, 14))
        if day >= cutoff:
            return frozenset(off)
        off.update((day, day + timedelta(days=1)))


def _place_newcomers(rng: random.Random, newcomers: list[Person], window: Window) -> None:
    """Arrivals of a Poisson process conditioned on its count: sorted uniform times."""
    span_start = window.start_at + timedelta(days=3)
    span = window.end_at - timedelta(days=5) - span_start
    times = sorted(span_start + span * rng.random() for _ in newcomers)
    for person, at in zip(newcomers, times):
        person.arrive = at
        person.weight = rng.choice((0.6, 1.0, 1.0, 1.5, 2.5))


def _apportion(rng: random.Random, items: list, shares: dict[str, float]) -> dict[str, list]:
    """Split `items` into groups of the given shares after a seeded shuffle (no set order)."""
    pool = list(items)
    rng.shuffle(pool)
    out, start = {}, 0
    labels = list(shares)
    for i, label in enumerate(labels):
        size = len(pool) - start if i == len(labels) - 1 else round(len(pool) * shares[label])
        out[label] = pool[start:start + size]
        start += size
    return out


def _assign_platforms(rng: random.Random, humans: list[Person]) -> None:
    others = [p for p in humans if not p.is_maintainer]
    groups = _apportion(rng, others, {"both": 0.5, "slack": 0.28, "github": 0.22})
    both = [p for p in humans if p.is_maintainer] + groups["both"]
    rules = _apportion(rng, both, {"email": 0.5, "title": 0.5})
    for rule, people in rules.items():
        for p in people:
            p.link_rule = rule
    for p in groups["slack"]:
        p.link_rule = "slack-only"
    for p in groups["github"]:
        p.link_rule = "github-only"


def _assign_accounts(rng: random.Random, humans: list[Person]) -> None:
    logins: list[str] = []
    slack_names: set[str] = set()
    slack_ids: set[str] = set()
    emails: set[str] = set()
    github_ids: set[int] = set()
    for i, p in enumerate(humans):
        p.email = _email(rng, p, emails)
        job = names.MAINTAINER_TITLE if p.is_maintainer else rng.choice(names.JOBS)
        p.title = job
        if p.link_rule != "slack-only":
            p.github_login = _login(rng, p, logins)
            p.github_id = _unique_int(rng, github_ids, 1_000_000, 190_000_000)
            noreply = f"{p.github_id}+{p.github_login}@users.noreply.github.com"
            p.commit_email = p.email if p.link_rule == "email" or (p.link_rule == "github-only" and rng.random() < 0.5) else noreply
        if p.link_rule != "github-only":
            p.slack_id = slack_id(rng, "U", slack_ids)
            p.slack_name = _slack_name(rng, p, slack_names)
            # Every fourth email link differs in case only: the contract normalizes emails.
            p.slack_email = _shout(p.email) if p.link_rule == "email" and i % 4 == 3 else p.email
            if p.link_rule == "title":
                p.title = f"{job} · github.com/{p.github_login}"
        if p.link_rule in ("slack-only", "github-only"):
            p.link_rule = None
        if p.role == "churner" and p.github_login is None and i % 2 == 0:
            p.deleted = True  # a deactivated Slack account, as exports show for leavers


def _email(rng: random.Random, p: Person, taken: set[str]) -> str:
    if p.is_maintainer:
        domain = names.PROJECT_DOMAIN if p.role == "overloaded_maintainer" or rng.random() < 0.6 else rng.choice(names.COMPANY_DOMAINS)
    else:
        company = 0.5 if p.role == "regular" else 0.3
        domain = rng.choice(names.COMPANY_DOMAINS) if rng.random() < company else rng.choice(names.PERSONAL_DOMAINS)
    base = rng.choice((f"{p.first}.{p.last}", f"{p.first[0]}{p.last}", f"{p.first}{p.last}")).lower()
    email, n = f"{base}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{domain}"
    taken.add(email)
    return email


def _shout(email: str) -> str:
    local, domain = email.split("@")
    return ".".join(part.capitalize() for part in local.split(".")) + "@" + domain.capitalize()


def _login(rng: random.Random, p: Person, taken: list[str]) -> str:
    first, last = p.first.lower(), p.last.lower()
    styles = (f"{first}{last}", f"{first}-{last}", f"{first[0]}{last}", f"{last}{first[0]}", f"{first}-dev", f"{first}{last[:3]}")
    candidate = rng.choice(styles)
    n = 0
    while any(candidate.startswith(t) or t.startswith(candidate) for t in taken):
        n += 1
        candidate = f"{last}-{first}-{n:03d}"  # fixed width: numbered logins never prefix each other
    taken.append(candidate)
    return candidate


def _slack_name(rng: random.Random, p: Person, taken: set[str]) -> str:
    base = rng.choice((f"{p.first}.{p.last}", p.first, f"{p.first}{p.last[0]}")).lower()
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def _unique_int(rng: random.Random, taken: set[int], low: int, high: int) -> int:
    while True:
        value = rng.randint(low, high)
        if value not in taken:
            taken.add(value)
            return value


def _bots(rng: random.Random, window: Window, slack_ids: set[str]) -> list[Person]:
    start, end = window.start_at - timedelta(days=365), window.end_at - timedelta(seconds=1)
    dependabot = Person("bot-dependabot", "dependabot[bot]", "bot", start, end, is_bot=True,
                        github_login="dependabot[bot]", github_id=49699333)
    actions = Person("bot-github-actions", "github-actions[bot]", "bot", start, end, is_bot=True,
                     github_login="github-actions[bot]", github_id=41898282)
    slack_bot = Person("bot-slack-convene", "Convene Bot", "bot", start, end, is_bot=True,
                       slack_id=slack_id(rng, "U", slack_ids), slack_name="convene_bot",
                       bot_id=slack_id(rng, "B", set()), title="")
    return [dependabot, actions, slack_bot]
