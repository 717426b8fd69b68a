"""When things happen on Slack: everyone's first appearance, then week by week help
questions, chatter in #general and #random, contribution talk, plus the release
announcements and the good-first-issue feed that follow GitHub.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ingest.simulate.clock import after, on_day, poisson, skips_day
from ingest.simulate.config import SimulationConfig
from ingest.simulate.github_plan import GithubPlan
from ingest.simulate.slack_plan import Post, SlackPlanner
from ingest.simulate.slack_threads import chatter, claim, entry, question
from ingest.simulate.timeline import CHATTERS, MAINTAINERS, OPENERS, Cast


def plan_slack(config: SimulationConfig, cast: Cast, github: GithubPlan) -> tuple[list[Post], dict[str, list[str]]]:
    """The posts, and each channel's members (person keys) for channels.json."""
    planner = SlackPlanner(config, cast, github)
    rng = planner.rng
    for person in cast.on("slack"):
        entry(planner, person)
    for monday in cast.window.weeks:
        days = cast.week_days(monday)
        for flow, channel, rate, who in ((question, "help", 6.0, OPENERS), (chatter, "general", 5.0, CHATTERS),
                                         (chatter, "random", 1.5, CHATTERS), (claim, "contributing", 1.5, CHATTERS)):
            for _ in range(poisson(rng, rate * planner.scale)):
                day = rng.choice(days)
                person = planner.pick(datetime(day.year, day.month, day.day, 12), channel, who)
                if person is not None and not skips_day(person, rng, day):
                    flow(planner, person, on_day(person, rng, day), channel)
        for person in (p for p in cast.on("slack") if p.role == "churner"):  # a regular's habit, until they leave
            day = rng.choice(days)
            if rng.random() < 0.35 and person.active(datetime(day.year, day.month, day.day, 12)):
                flow, channel = (chatter, "general") if rng.random() < 0.6 else (question, "help")
                flow(planner, person, on_day(person, rng, day), channel)
    _ensure_planted(planner)
    _announcements(planner)
    _good_first_issue_feed(planner)
    return planner.posts, planner.members


def _ensure_planted(planner: SlackPlanner, attempts: int = 200) -> None:
    """Small or unlucky runs still plant at least two FAQ topics asked twice or more, and two
    posts by every churner on Slack before they leave."""
    rng, cast = planner.rng, planner.cast
    span = cast.window.end_at - cast.window.start_at
    for topic in (0, 1):
        for _ in range(attempts):
            if sum(1 for p in planner.posts if p.faq_topic == topic) >= 2:
                break
            day = (cast.window.start_at + span * rng.random()).date()
            asker = planner.pick(datetime(day.year, day.month, day.day, 12), "help", OPENERS)
            if asker is not None:
                question(planner, asker, on_day(asker, rng, day), "help", topic)
    for person in (p for p in cast.on("slack") if p.role == "churner"):
        for _ in range(attempts):
            if sum(1 for p in planner.posts if p.author == person.key and p.subtype is None) >= 2:
                break
            start = max(person.arrive, cast.window.start_at)
            day = (start + (person.leave - start) * rng.random()).date()
            chatter(planner, person, on_day(person, rng, day), "general")


def _announcements(planner: SlackPlanner) -> None:
    rng, repo = planner.rng, planner.config.repo
    for release in planner.github.releases:
        url = f"https://github.com/{repo}/releases/tag/{release.tag}"
        bot_post = planner.post(planner.bot, release.at + timedelta(minutes=2), "announcements",
                                f":rocket: Release *{release.tag}* is out: <{url}|release notes>", subtype="bot_message")
        maintainer = planner.cast.pick_tiered(rng, release.at, "slack", MAINTAINERS)
        if maintainer is None:
            continue
        text = f"CodeConvene {release.tag} is out! 🎉 Thanks to everyone who contributed, great work!"
        post = planner.post(maintainer, after(maintainer, rng, release.at, 1), "announcements", text)
        for target in (p for p in (bot_post, post) if p is not None):
            fans = [planner.cast.by_key[k] for k in rng.sample(planner.members["announcements"],
                                                               min(len(planner.members["announcements"]), rng.randint(2, 12)))]
            planner.react(target, "tada", fans)


def _good_first_issue_feed(planner: SlackPlanner) -> None:
    repo = planner.config.repo
    for item in planner.github.items:
        if item.kind == "issue" and "good first issue" in item.labels:
            url = f"https://github.com/{repo}/issues/{item.number}"
            planner.post(planner.bot, item.created_at + timedelta(minutes=1), "contributing",
                         f":sparkles: New good first issue: <{url}|#{item.number} {item.title}>", subtype="bot_message")
