"""The Slack side of the community as posts: joins, introductions, help questions and their
threads, chatter with clear sentiment, contribution talk, release announcements and a bot.

Help questions are where the planted facts live: FAQ topics asked again and again in new
words, a share left unanswered (some with only an 👀 reaction: attention, not a response),
and answers mostly from the overloaded maintainer, who sounds more and more worn out late in
the window. slack_schedule.py and slack_threads.py decide the posts; slack_export.py turns
them into the export's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ingest.simulate import text as tx
from ingest.simulate.config import SimulationConfig, stream
from ingest.simulate.github_plan import GithubPlan
from ingest.simulate.people import Person
from ingest.simulate.timeline import RESPONDERS, Cast

CHANNELS = ("announcements", "general", "help", "contributing", "random")


@dataclass(eq=False)
class Post:
    channel: str
    at: datetime
    author: str
    text: str
    subtype: str | None = None
    parent: Post | None = None
    reactions: list[tuple[str, list[str]]] = field(default_factory=list)
    faq_topic: int | None = None
    ts: str = ""


class SlackPlanner:
    """Collects posts; refuses any by someone inactive, off the window, or before its parent."""

    def __init__(self, config: SimulationConfig, cast: Cast, github: GithubPlan) -> None:
        self.config, self.cast, self.github = config, cast, github
        self.rng = stream(config, "slack")
        self.bank = tx.QuestionBank(stream(config, "questions"))
        self.posts: list[Post] = []
        self.scale = config.people / 300
        self.bot = cast.bot("bot-slack-convene")
        self.members: dict[str, list[str]] = {c: [] for c in CHANNELS}
        for p in cast.on("slack"):
            for channel in CHANNELS:
                if p.is_maintainer or channel in ("announcements", "general", "help") \
                        or (channel == "contributing" and (p.github_login or self.rng.random() < 0.2)) \
                        or (channel == "random" and self.rng.random() < 0.5):
                    self.members[channel].append(p.key)
        self.outsiders = {c: {p.key for p in cast.on("slack")} - set(keys) for c, keys in self.members.items()}

    def post(self, person: Person, at: datetime, channel: str, text: str, parent: Post | None = None,
             subtype: str | None = None, faq_topic: int | None = None) -> Post | None:
        if not self.cast.can_act(person, at, "slack") or (parent is not None and at <= parent.at):
            return None
        post = Post(channel, at, person.key, text, subtype, parent, faq_topic=faq_topic)
        self.posts.append(post)
        return post

    def pick(self, at: datetime, channel: str, multipliers: dict[str, float], exclude: tuple[str, ...] = ()) -> Person | None:
        return self.cast.pick(self.rng, at, "slack", multipliers, [*exclude, *sorted(self.outsiders[channel])])

    def responder(self, at: datetime, channel: str, exclude: tuple[str, ...]) -> Person | None:
        return self.cast.pick_tiered(self.rng, at, "slack", RESPONDERS, [*exclude, *sorted(self.outsiders[channel])])

    def react(self, post: Post, name: str, people: list[Person]) -> None:
        keys = [p.key for p in people if p.key != post.author and p.active(post.at)]
        if keys:
            post.reactions.append((name, sorted(set(keys), key=keys.index)))

    def progress(self, at: datetime) -> float:
        window = self.cast.window
        return (at - window.start_at) / (window.end_at - window.start_at)
