"""The Discord side of the community: a guild with #chat and #questions (exported as JSON and
HTML) and #off-topic (exported as CSV only), plus our bot announcing releases.

The same mechanics as Slack (who acts, at their habitual hours, refused when inactive), with
Discord's shape: a reply is a message of type Reply that references its parent, not a thread.
Text stays free of markdown (no backticks, no emphasis): DiscordChatExporter's HTML renders
markdown, so only plain text reads back the same from the JSON and the HTML export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ingest.simulate import text as tx
from ingest.simulate.clock import after, on_day, poisson, skips_day
from ingest.simulate.community import Community
from ingest.simulate.config import SimulationConfig, stream
from ingest.simulate.github_plan import GithubPlan
from ingest.simulate.ids import millis
from ingest.simulate.people import Person
from ingest.simulate.timeline import CHATTERS, OPENERS, RESPONDERS

# name → (category, exported as): the CSV-only channel exists in no other export, so ingesting
# every format of the folder counts each message once (a CSV row has no message id to dedupe on)
CHANNELS = {"chat": ("Community", "json"), "questions": ("Support", "json"), "off-topic": ("Community", "csv")}
TOPICS = {"chat": "Talk about CodeConvene and community analytics", "questions": "Ask for help here",
          "off-topic": "Anything else"}
OFF_TOPIC = (*tx.RANDOM, "Weekend plans, anyone?", "Found a great podcast on open source maintainership.",
             "Rainy day here, perfect for coding.")
UNANSWERED = 0.25


@dataclass(eq=False)
class DiscordPost:
    channel: str
    at: datetime
    author: str
    text: str
    parent: DiscordPost | None = None
    reactions: list[tuple[str, list[str]]] = field(default_factory=list)
    edited_at: datetime | None = None
    pinned: bool = False


def plain(text: str) -> str:
    """Markdown-free text: backticks and emphasis stars dropped."""
    return " ".join(text.replace("`", "").replace("*", "").split())


class DiscordPlanner:
    def __init__(self, config: SimulationConfig, community: Community, github: GithubPlan) -> None:
        self.config, self.cast, self.github = config, community.cast, github
        self.rng = stream(config, "discord")
        self.bank = tx.QuestionBank(stream(config, "discord-questions"))
        self.posts: list[DiscordPost] = []
        self.scale = config.people / 300
        self.bot = self.cast.bot("bot-discord-convene")

    def post(self, person: Person, at: datetime, channel: str, text: str, parent: DiscordPost | None = None) -> DiscordPost | None:
        at = millis(at)
        if not self.cast.can_act(person, at, "discord") or (parent is not None and at <= parent.at):
            return None
        post = DiscordPost(channel, at, person.key, plain(text), parent)
        self.posts.append(post)
        return post

    def react(self, post: DiscordPost, emoji: str, people: list[Person]) -> None:
        keys = [p.key for p in people if p.key != post.author and p.active(post.at)]
        if keys:
            post.reactions.append((emoji, sorted(set(keys), key=keys.index)))


def plan_discord(config: SimulationConfig, community: Community, github: GithubPlan) -> list[DiscordPost]:
    planner = DiscordPlanner(config, community, github)
    rng, cast = planner.rng, planner.cast
    for person in cast.on("discord"):
        at = after(person, rng, cast.entry_time(rng, person), 2)
        (_question if rng.random() < 0.5 else _hello)(planner, person, at)
    for monday in cast.window.weeks:
        days = cast.week_days(monday)
        for flow, rate, who in ((_question, 3.0, OPENERS), (_chatter, 3.0, CHATTERS), (_off_topic, 1.0, CHATTERS)):
            for _ in range(poisson(rng, rate * planner.scale)):
                day = rng.choice(days)
                person = cast.pick(rng, datetime(day.year, day.month, day.day, 12), "discord", who)
                if person is not None and not skips_day(person, rng, day):
                    flow(planner, person, on_day(person, rng, day))
    _announcements(planner)
    _edits_and_pins(planner)
    return sorted(planner.posts, key=lambda p: (p.channel, p.at))


def _hello(planner: DiscordPlanner, person: Person, at: datetime) -> None:
    rng = planner.rng
    post = planner.post(person, at, "chat", tx.intro(rng, person.first, person.title.split(" · ")[0] or "developer"))
    if post is not None and rng.random() < 0.6:
        greeter = planner.cast.pick_tiered(rng, at, "discord", RESPONDERS, [person.key])
        if greeter is not None:
            planner.post(greeter, after(greeter, rng, at, 5), "chat", rng.choice(tx.WELCOME).format(first=person.first), post)
            planner.react(post, "👋", [greeter])


def _question(planner: DiscordPlanner, asker: Person, at: datetime) -> None:
    rng = planner.rng
    topic = rng.randrange(len(tx.FAQ)) if rng.random() < 0.4 else None
    text = planner.bank.faq(topic) if topic is not None else planner.bank.one_off()
    if text is None:
        topic, text = 0, planner.bank.faq(0)
    asked = planner.post(asker, at, "questions", text)
    if asked is None:
        return
    if rng.random() < UNANSWERED:
        if rng.random() < 0.4:
            watcher = planner.cast.pick_tiered(rng, at, "discord", RESPONDERS, [asker.key])
            if watcher is not None:
                planner.react(asked, "👀", [watcher])
        return
    responder = planner.cast.pick_tiered(rng, at, "discord", RESPONDERS, [asker.key])
    if responder is None:
        return
    t = after(responder, rng, at, 3 if responder.night_owl else 8)
    answer = tx.FAQ[topic][2] if topic is not None else rng.choice(tx.ANSWERS).format(cmd=rng.choice(("build", "ingest", "sql")))
    answered = planner.post(responder, t, "questions", answer, asked)
    if answered is None:
        return
    if rng.random() < 0.6:
        thanks = planner.post(asker, after(asker, rng, answered.at, 3), "questions", rng.choice(tx.THANKS), answered)
        if thanks is not None:
            planner.react(answered, rng.choice(("✅", "🙏", "👍")), [asker])


def _chatter(planner: DiscordPlanner, author: Person, at: datetime) -> None:
    rng = planner.rng
    pool = tx.POSITIVE if rng.random() < 0.5 else tx.NEUTRAL if rng.random() < 0.7 else tx.NEGATIVE
    post = planner.post(author, at, "chat", tx.fill(rng, rng.choice(pool)))
    if post is None:
        return
    parent = post
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        replier = planner.cast.pick(rng, parent.at, "discord", CHATTERS, [parent.author])
        if replier is None:
            break
        reply = planner.post(replier, after(replier, rng, parent.at, 5), "chat", tx.fill(rng, rng.choice(tx.CHAT_REPLIES)), parent)
        if reply is None:
            break
        parent = reply
    if pool is tx.POSITIVE:
        fans = [planner.cast.pick(rng, at, "discord", CHATTERS, [author.key]) for _ in range(rng.randint(1, 4))]
        planner.react(post, rng.choice(("🎉", "👍")), [f for f in fans if f is not None])


def _off_topic(planner: DiscordPlanner, author: Person, at: datetime) -> None:
    rng = planner.rng
    post = planner.post(author, at, "off-topic", rng.choice(OFF_TOPIC))
    if post is not None and rng.random() < 0.4:
        other = planner.cast.pick(rng, at, "discord", CHATTERS, [author.key])
        if other is not None:
            planner.post(other, after(other, rng, at, 4), "off-topic", tx.fill(rng, rng.choice(tx.CHAT_REPLIES)))


def _announcements(planner: DiscordPlanner) -> None:
    """The bot posts each release to #chat; people cheer it with reactions."""
    rng, repo = planner.rng, planner.config.repo
    for release in planner.github.releases:
        url = f"https://github.com/{repo}/releases/tag/{release.tag}"
        post = planner.post(planner.bot, release.at + timedelta(minutes=3), "chat",
                            f"🚀 CodeConvene {release.tag} is out! Release notes: {url}")
        if post is not None:
            fans = [planner.cast.pick(rng, post.at, "discord", CHATTERS) for _ in range(rng.randint(2, 8))]
            planner.react(post, "🎉", [f for f in fans if f is not None])


def _edits_and_pins(planner: DiscordPlanner) -> None:
    """A few human messages are edited a little later (to the minute: the HTML export shows
    edit times to the minute only), and the first release announcement is pinned."""
    rng = planner.rng
    for post in sorted(planner.posts, key=lambda p: p.at):
        person = planner.cast.by_key[post.author]
        if not person.is_bot and rng.random() < 0.05:
            edited = (post.at + timedelta(minutes=rng.randint(2, 90))).replace(second=0, microsecond=0)
            if edited > post.at and planner.cast.window.contains(edited):
                post.edited_at = edited
    announcements = sorted((p for p in planner.posts if p.author == planner.bot.key), key=lambda p: p.at)
    if announcements:
        announcements[0].pinned = True
