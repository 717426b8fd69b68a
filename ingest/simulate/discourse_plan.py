"""The Discourse forum: support questions (most answered by maintainers, some never), feature
ideas, release announcements, and the `system` user's welcome topic.

A topic is its posts in order; a post by someone inactive, outside the window or not after
the previous post is refused and ends the topic there. Titles are unique, as Discourse
requires by default, so a question asked again gets new words (or is not asked). Answers
the asker thanks are marked accepted (the Solved plugin's `accepted_answer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ingest.simulate import issue_text as it
from ingest.simulate import text as tx
from ingest.simulate.clock import after, on_day, poisson, skips_day
from ingest.simulate.community import Community
from ingest.simulate.config import SimulationConfig, stream
from ingest.simulate.github_plan import GithubPlan
from ingest.simulate.ids import millis
from ingest.simulate.people import Person
from ingest.simulate.timeline import CHATTERS, MAINTAINERS, OPENERS, RESPONDERS

# slug → (id, name, color, description); 1 is the category every Discourse starts with
CATEGORIES = {
    "uncategorized": (1, "Uncategorized", "0088CC", "Topics that don't need a category."),
    "support": (5, "Support", "25AAE2", "Questions about installing and using CodeConvene."),
    "ideas": (6, "Ideas", "92278F", "Feature ideas and proposals."),
    "announcements": (7, "Announcements", "F7941D", "Releases and project news."),
}
MAX_POSTS = 20  # a topic response holds its first 20 posts; stay within one page
UNANSWERED = 0.3
DETAILS = ("I'm on {v} with the default settings.", "Running {v} on a fresh install.", "This is on {v}, installed with pip.")
ME_TOO = ("Same question here, following.", "I ran into this too.")
IDEA_REPLIES = ("This would help us a lot, +1.", "Interesting, how would it work with several workspaces?",
                "We'd use this every week.", "Nice idea! Happy to help test it.")
MAINTAINER_IDEA = ("Thanks for the proposal, this fits the roadmap. Would you open a GitHub issue to track it?",
                   "Good idea. Let's discuss it at the next community call.")
CHEERS = ("Great release, thanks everyone!", "Upgraded already, works nicely.", "Congrats on the release! 🎉")


@dataclass(eq=False)
class ForumPost:
    author: str
    at: datetime
    raw: str
    reply_to: ForumPost | None = None
    likes: list[str] = field(default_factory=list)
    accepted: bool = False


@dataclass(eq=False)
class Topic:
    category: str
    title: str
    kind: str
    posts: list[ForumPost] = field(default_factory=list)
    pinned: bool = False
    topic_id: int = 0


class DiscoursePlanner:
    def __init__(self, config: SimulationConfig, community: Community, github: GithubPlan) -> None:
        self.config, self.cast, self.github = config, community.cast, github
        self.rng = stream(config, "discourse")
        self.bank = tx.QuestionBank(stream(config, "discourse-questions"))
        self.topics: list[Topic] = []
        self.titles: set[str] = set()
        self.scale = config.people / 300

    def open(self, person: Person, at: datetime, category: str, title: str, raw: str, kind: str) -> Topic | None:
        at = millis(at)
        if title.lower() in self.titles or not self.cast.can_act(person, at, "discourse"):
            return None
        self.titles.add(title.lower())
        topic = Topic(category, title, kind, [ForumPost(person.key, at, raw)])
        self.topics.append(topic)
        return topic

    def reply(self, topic: Topic, person: Person, at: datetime, raw: str, to: ForumPost | None = None) -> ForumPost | None:
        at = millis(at)
        if (len(topic.posts) >= MAX_POSTS or at <= topic.posts[-1].at
                or not self.cast.can_act(person, at, "discourse")):
            return None
        post = ForumPost(person.key, at, raw, to)
        topic.posts.append(post)
        return post

    def like(self, post: ForumPost, people: list[Person | None]) -> None:
        for p in people:
            if p is not None and p.key != post.author and p.key not in post.likes and p.active(post.at):
                post.likes.append(p.key)


def plan_discourse(config: SimulationConfig, community: Community, github: GithubPlan) -> list[Topic]:
    planner = DiscoursePlanner(config, community, github)
    rng, cast = planner.rng, planner.cast
    system = cast.bot("bot-discourse-system")
    welcome = planner.open(system, cast.window.start_at + timedelta(hours=2), "uncategorized",
                           "Welcome to the CodeConvene forum",
                           "Welcome! Ask questions in **Support**, share proposals in **Ideas**, and follow releases in **Announcements**.",
                           "welcome")
    if welcome is not None:
        welcome.pinned = True
    for person in cast.on("discourse"):
        if rng.random() < 0.5:
            _question(planner, person, after(person, rng, cast.entry_time(rng, person), 6))
    for monday in cast.window.weeks:
        days = cast.week_days(monday)
        for flow, rate, who in ((_question, 2.5, OPENERS), (_idea, 0.8, CHATTERS)):
            for _ in range(poisson(rng, rate * planner.scale)):
                day = rng.choice(days)
                person = cast.pick(rng, datetime(day.year, day.month, day.day, 12), "discourse", who)
                if person is not None and not skips_day(person, rng, day):
                    flow(planner, person, on_day(person, rng, day))
    _announcements(planner)
    return sorted(planner.topics, key=lambda t: t.posts[0].at)


def _question(planner: DiscoursePlanner, asker: Person, at: datetime) -> None:
    rng = planner.rng
    topic_no = rng.randrange(len(tx.FAQ)) if rng.random() < 0.35 else None
    title = planner.bank.faq(topic_no) if topic_no is not None else planner.bank.one_off()
    if title is None or title.lower() in planner.titles:
        topic_no, title = None, planner.bank.one_off()
    if title is None:
        return
    raw = f"{title}\n\n{rng.choice(DETAILS).format(v=_version(planner, at))} I tried `codeconvene build` again but nothing changed."
    topic = planner.open(asker, at, "support", title[0].upper() + title[1:], raw, "question")
    if topic is None:
        return
    t = topic.posts[0].at
    if rng.random() < 0.15:
        other = planner.cast.pick(rng, t, "discourse", CHATTERS, [asker.key])
        if other is not None and planner.reply(topic, other, after(other, rng, t, 20), rng.choice(ME_TOO)) is not None:
            t = topic.posts[-1].at
    if rng.random() < UNANSWERED:
        return
    responder = planner.cast.pick_tiered(rng, t, "discourse", RESPONDERS, [asker.key])
    if responder is None:
        return
    answer = tx.FAQ[topic_no][2] if topic_no is not None else rng.choice(tx.ANSWERS).format(cmd=rng.choice(("build", "ingest", "sql")))
    answered = planner.reply(topic, responder, after(responder, rng, t, 5 if responder.night_owl else 16), answer)
    if answered is None:
        return
    planner.like(answered, [asker] if rng.random() < 0.6 else [])
    if rng.random() < 0.55:
        thanks = planner.reply(topic, asker, after(asker, rng, answered.at, 6), rng.choice(tx.THANKS), answered)
        if thanks is not None:
            answered.accepted = True


def _version(planner: DiscoursePlanner, at: datetime) -> str:
    tags = [r.tag for r in planner.github.releases if r.at < at]
    return tags[-1] if tags else "v0.3.0"


def _idea(planner: DiscoursePlanner, author: Person, at: datetime) -> None:
    rng = planner.rng
    feature, detail = rng.choice(it.FEATURES)
    title = rng.choice((f"Proposal: support {feature}", f"Idea: {detail}", f"Would you consider {feature}?"))
    raw = f"It would be great to have {detail}. Our community team asks for it every month."
    topic = planner.open(author, at, "ideas", title, raw, "idea")
    if topic is None:
        return
    t = topic.posts[0].at
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        other = planner.cast.pick(rng, t, "discourse", CHATTERS, [author.key])
        if other is None:
            break
        post = planner.reply(topic, other, after(other, rng, t, 24), rng.choice(IDEA_REPLIES))
        if post is None:
            break
        planner.like(topic.posts[0], [other])
        t = post.at
    if rng.random() < 0.5:
        maintainer = planner.cast.pick_tiered(rng, t, "discourse", MAINTAINERS, [author.key])
        if maintainer is not None:
            planner.reply(topic, maintainer, after(maintainer, rng, t, 30), rng.choice(MAINTAINER_IDEA), topic.posts[0])


def _announcements(planner: DiscoursePlanner) -> None:
    rng, repo = planner.rng, planner.config.repo
    for release in planner.github.releases:
        author = planner.cast.pick_tiered(rng, release.at, "discourse", MAINTAINERS)
        if author is None:
            continue
        url = f"https://github.com/{repo}/releases/tag/{release.tag}"
        raw = f"CodeConvene {release.tag} is out! Read the [release notes]({url}) and upgrade with `pip install -U codeconvene`."
        topic = planner.open(author, after(author, rng, release.at, 2), "announcements", f"CodeConvene {release.tag} released", raw,
                             "announcement")
        if topic is None:
            continue
        t = topic.posts[0].at
        for _ in range(rng.randint(0, 3)):
            fan = planner.cast.pick(rng, t, "discourse", CHATTERS, [author.key])
            post = planner.reply(topic, fan, after(fan, rng, t, 12), rng.choice(CHEERS)) if fan is not None else None
            if post is None:
                break
            planner.like(topic.posts[0], [fan])
            t = post.at


def sorted_posts(topics: list[Topic]) -> list[tuple[Topic, ForumPost]]:
    """Every post with its topic, in creation order (post ids are given in this order)."""
    return sorted(((t, p) for t in topics for p in t.posts), key=lambda tp: tp[1].at)
