"""Who is on Discord and Discourse, under which account, and the people only found there.

The GitHub + Slack cast stays exactly as it is (its ground truth must not move); this module
adds to it. A cross-platform person can be linked only by a rule the identity model applies
to what is written: the same username *and* the same display name as on Slack (users.json
`name` + `real_name`) or on GitHub (login + the author name of commits they pushed). So only
people whose accounts make that possible join these platforms linked, and nobody else can
match by accident: platform-only people get a display name and usernames no one else has.
Members with a display name shared by another person are left out too, so even a name-only
rule cannot merge two people through these platforms.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from ingest.simulate.config import SimulationConfig, Window, stream
from ingest.simulate.ids import snowflake
from ingest.simulate.people import Person, _ceil_second, _human, _place_newcomers
from ingest.simulate.timeline import Cast

PLATFORMS = ("discord", "discourse")
DISCORD_NAME = re.compile(r"[a-z0-9_.]{2,32}")
DISCOURSE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,20}")
JOIN = {"discord": {"maintainer": 1.0, "regular": 0.45}, "discourse": {"maintainer": 1.0, "regular": 0.35}}
JOIN_OTHERS = {"discord": 0.3, "discourse": 0.25}
MAINTAINER_ROLE = "Maintainer"


@dataclass
class DiscordAccount:
    user_id: str
    username: str
    nickname: str
    is_bot: bool = False
    discriminator: str = "0000"
    roles: list[str] = field(default_factory=list)
    avatar: str = ""


@dataclass
class DiscourseAccount:
    user_id: int
    username: str
    name: str
    admin: bool = False
    trust_level: int = 1


class PlatformCast(Cast):
    """The GitHub + Slack cast plus platform-only people, with Discord and Discourse members.

    `on`/`can_act` answer for the new platforms from the member lists, so the weighted picks
    and tiers of `Cast` work unchanged there.
    """

    def __init__(self, people: list[Person], window: Window, members: dict[str, set[str]]) -> None:
        super().__init__(people, window)
        self.members = members

    def on(self, platform: str) -> list[Person]:
        if platform in self.members:
            return [p for p in self.humans if p.key in self.members[platform]]
        return super().on(platform)

    def can_act(self, person: Person, moment, platform: str) -> bool:
        if platform in self.members:
            return person.key in self.members[platform] and person.active(moment) and self.window.contains(moment)
        return super().can_act(person, moment, platform)


@dataclass
class Community:
    cast: PlatformCast
    discord: dict[str, DiscordAccount]  # person key → account
    discourse: dict[str, DiscourseAccount]
    newcomers: list[Person]  # the people found only on Discord and/or Discourse


def build_community(config: SimulationConfig, cast: Cast, pushers: set[str]) -> Community:
    """`pushers`: keys of people whose pushed commits show their name next to their login."""
    rng = stream(config, "community")
    window = cast.window
    placed = _platform_only_people(rng, config, cast)
    newcomers = [p for p, _ in placed]
    people = cast.people + newcomers
    names = Counter(p.display_name for p in people if not p.is_bot)
    taken = {n.lower() for p in cast.people for n in (p.github_login, p.slack_name) if n}
    discord: dict[str, DiscordAccount] = {}
    discourse: dict[str, DiscourseAccount] = {}
    for p in cast.humans:  # existing people join under a username the rule can link
        if p.is_maintainer or names[p.display_name] == 1:
            _join_linked(rng, p, pushers, discord, discourse)
    for p, where in placed:
        _join_new(rng, p, where, taken, discord, discourse)
    bots = _bots(rng, window, discord, discourse)
    _number_discourse(discourse, people)
    members = {"discord": set(discord), "discourse": set(discourse)}
    return Community(PlatformCast(people + bots, window, members), discord, discourse, newcomers)


def _platform_only_people(rng: random.Random, config: SimulationConfig, cast: Cast) -> list[tuple[Person, str]]:
    """(person, "discord" | "discourse" | "both"): one steady helper, then newcomers and casuals."""
    n = config.people
    wanted = {"discord": max(3, round(n * 0.06)), "discourse": max(2, round(n * 0.04)), "both": max(1, round(n * 0.02))}
    count = sum(wanted.values())
    roles = ["regular"] + [rng.choice(("newcomer", "newcomer", "newcomer", "casual", "casual")) for _ in range(count - 1)]
    names = {p.display_name for p in cast.people}
    start = len(cast.humans) + 1
    out: list[Person] = []
    for i, role in enumerate(roles):
        while True:
            person = _human(rng, start + i, role, cast.window)
            if person.display_name not in names:
                break
        names.add(person.display_name)
        out.append(person)
    _place_newcomers(rng, [p for p in out if p.role == "newcomer"], cast.window)
    labels = [label for label, k in wanted.items() for _ in range(k)]
    rng.shuffle(labels)
    for p in out:
        p.arrive, p.leave = _ceil_second(p.arrive), p.leave.replace(microsecond=0)
    return list(zip(out, labels, strict=True))


def _join_linked(rng: random.Random, p: Person, pushers: set[str], discord: dict, discourse: dict) -> None:
    login = p.github_login if p.github_login and p.key in pushers else None
    for platform, accounts in (("discord", discord), ("discourse", discourse)):
        share = JOIN[platform].get("maintainer" if p.is_maintainer else p.role, JOIN_OTHERS[platform])
        if rng.random() >= share:
            continue
        pattern = DISCORD_NAME if platform == "discord" else DISCOURSE_NAME
        options = [n for n in ((login, p.slack_name) if platform == "discourse" else (p.slack_name, login))
                   if n and pattern.fullmatch(n)]
        if options:
            accounts[p.key] = _account(rng, platform, p, options[0])


def _join_new(rng: random.Random, p: Person, where: str, taken: set[str], discord: dict, discourse: dict) -> None:
    first, last = p.first.lower(), p.last.lower()
    styles = (f"{first}_{last}", f"{first}{last[0]}{rng.randint(1, 99)}", f"{first}.{last}{rng.randint(1, 9)}", f"{last}.{first}")
    base = rng.choice(styles)
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    for platform in PLATFORMS if where == "both" else (where,):
        (discord if platform == "discord" else discourse)[p.key] = _account(rng, platform, p, name)


def _account(rng: random.Random, platform: str, p: Person, username: str):
    if platform == "discord":
        created = p.arrive - timedelta(days=rng.randint(30, 2500))
        roles = [MAINTAINER_ROLE] if p.is_maintainer else []
        return DiscordAccount(snowflake(created, rng.randrange(4096)), username, p.display_name, roles=roles,
                              avatar=f"{rng.getrandbits(128):032x}")
    return DiscourseAccount(0, username, p.display_name, admin=p.is_maintainer,
                            trust_level=4 if p.is_maintainer else rng.choice((1, 1, 2, 2, 3)))


def _bots(rng: random.Random, window: Window, discord: dict, discourse: dict) -> list[Person]:
    """Our own Discord bot (a BOT tag, a discriminator) and Discourse's `system` user (id -1)."""
    start, end = window.start_at - timedelta(days=365), window.end_at - timedelta(seconds=1)
    bot = Person("bot-discord-convene", "Convene", "bot", start, end, is_bot=True)
    system = Person("bot-discourse-system", "system", "bot", start, end, is_bot=True)
    discord[bot.key] = DiscordAccount(snowflake(start - timedelta(days=200), rng.randrange(4096)), "Convene", "Convene",
                                      is_bot=True, discriminator=f"{rng.randint(1000, 9999)}",
                                      avatar=f"{rng.getrandbits(128):032x}")
    discourse[system.key] = DiscourseAccount(-1, "system", "system", admin=True, trust_level=4)
    return [bot, system]


def _number_discourse(accounts: dict[str, DiscourseAccount], people: list[Person]) -> None:
    """Discourse ids count up in sign-up order: admins first (they set the forum up), then arrivals."""
    order = sorted((p for p in people if p.key in accounts and accounts[p.key].user_id == 0),
                   key=lambda p: (not p.is_maintainer, p.arrive, p.key))
    for user_id, p in enumerate(order, start=1):
        accounts[p.key].user_id = user_id
