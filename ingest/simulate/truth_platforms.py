"""Ground truth for the opt-in exports (Discord, Discourse, git, GitHub REST), added under new
keys; the GitHub + Slack keys of truth.py are left exactly as they are.

As in truth.py, everything is recomputed from what was written: the Discord messages, the
Discourse posts, the git commits (after .mailmap), attributed to each account's true person.
`all_platforms` repeats the weekly figures over every platform with the same rules: a
Discord message, a Discourse post and a git commit are contributions (the commit by its
author at its author time; a co-author credited by a trailer counts too, as the warehouse
credits them; merge commits do not, as GitHub already counts the merge); bots never count;
REST objects are the GH Archive events seen again, so they add nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from ingest.simulate.community import Community
from ingest.simulate.config import SimulationConfig, Window, iso_week
from ingest.simulate.discord_export import DiscordExport
from ingest.simulate.discord_plan import CHANNELS
from ingest.simulate.discourse_export import DiscourseExport
from ingest.simulate.git_history import GitHistory
from ingest.simulate.git_repo import describe
from ingest.simulate.github_rest import RestDump
from ingest.simulate.slack_export import SlackExport
from ingest.simulate.timeline import Cast
from ingest.simulate.truth import (
    INACTIVE_AFTER,
    Contribution,
    _bus_factor,
    _check_churners,
    _inactive,
    _per_week,
    contributions,
    stamp,
)
from ingest.simulate.truth_accounts import parse_time, platform_people

RULES = ("contributions: GitHub events except stars and forks, Slack messages except joins/leaves/topic/purpose, "
         "Discord messages, Discourse posts, non-merge git commits by author (after .mailmap) and co-authors at "
         "author time; bots excluded; GitHub REST objects duplicate GH Archive events and are not counted again")


def platform_truth(config: SimulationConfig, window: Window, cast: Cast, events: list[dict], slack: SlackExport,
                   community: Community | None, discord: DiscordExport | None, discourse: DiscourseExport | None,
                   history: GitHistory | None, rest: RestDump | None, git_path: str) -> dict:
    people = community.cast.people if community else cast.people
    github = [(c, "github") for c in contributions(cast, events, SlackExport([], [], {}))]
    chat = [(c, "slack") for c in contributions(cast, [], slack)]
    extra = _extra_contributions({p.key: p for p in people}, community, discord, discourse, history)
    everything = sorted([*github, *chat, *extra], key=lambda cp: (cp[0].at, cp[0].person))
    out = {"platform_people": platform_people(people, community, events, slack, history),
           "platform_counts": _counts(discord, discourse, history, rest),
           "all_platforms": _weekly(window, [c for c, _ in everything], [p for _, p in everything])}
    if discord is not None:
        out["discord"] = {"guild_id": discord.guild["id"], "exported_at": discord.exported_at,
                          "bot_user_ids": sorted(community.discord[p.key].user_id for p in community.cast.people
                                                 if p.is_bot and p.key in community.discord),
                          "channels": {name: {"id": c["id"], "category": c["category"], "exports": _formats(name),
                                              "file": discord.file_name(name, _formats(name)[0])}
                                       for name, c in discord.channels.items()}}
    if discourse is not None:
        out["discourse"] = _forum(discourse, community)
    if history is not None:
        commits = [describe(c, history.mailmap) for c in history.commits]
        out["git"] = {"repository": config.repo, "path": git_path, "head": history.commits[-1].sha if history.commits else None,
                      "mailmap": dict(sorted(history.mailmap.items())), "commits": sorted(commits, key=lambda c: c["sha"]),
                      "co_authored_shas": sorted(c["sha"] for c in commits if c["co_author_person_keys"])}
    _check_churners(sorted(p.key for p in cast.humans if p.role == "churner"), _times(everything), window)
    return out


def _formats(channel: str) -> list[str]:
    return ["json", "html"] if CHANNELS[channel][1] == "json" else ["csv"]


def _extra_contributions(by_key: dict, community, discord, discourse, history) -> list[tuple[Contribution, str]]:
    out = []
    if discord is not None:
        owner = {a.user_id: k for k, a in community.discord.items()}
        for messages in discord.messages.values():
            for m in messages:
                if not m["author"]["isBot"]:
                    out.append((Contribution(owner[m["author"]["id"]], parse_time(m["timestamp"]), "reference" in m), "discord"))
    if discourse is not None:
        owner = {a.user_id: k for k, a in community.discourse.items()}
        for topic in discourse.topics:
            for post in topic["post_stream"]["posts"]:
                if post["user_id"] > 0:
                    out.append((Contribution(owner[post["user_id"]], parse_time(post["created_at"]), post["post_number"] > 1),
                                "discourse"))
    if history is not None:
        for commit in history.commits:
            if len(commit.parents) < 2:
                for key in [commit.person, *commit.co_authors]:
                    if not by_key[key].is_bot:
                        out.append((Contribution(key, commit.at, False), "git"))
    return out


def _times(everything) -> dict[str, list[datetime]]:
    times: dict[str, list[datetime]] = defaultdict(list)
    for c, _ in everything:
        times[c.person].append(c.at)
    return times


def _weekly(window: Window, contribs: list[Contribution], platforms: list[str]) -> dict:
    times: dict[str, list[datetime]] = defaultdict(list)
    for c in contribs:
        times[c.person].append(c.at)
    weeks = [iso_week(w) for w in window.weeks]
    return {
        "rules": RULES,
        "first_contribution_at": {k: stamp(v[0]) for k, v in sorted(times.items())},
        "new_contributors_by_week": _per_week(weeks, Counter(iso_week(v[0].date()) for v in times.values())),
        "active_by_week": _per_week(weeks, Counter(w for v in times.values() for w in {iso_week(t.date()) for t in v})),
        "inactive_by_week": {iso_week(w): _inactive(times, w) for w in window.weeks},
        "bus_factor_90d": _bus_factor([c for c in contribs if c.at >= window.end_at - INACTIVE_AFTER]),
        "contributions_by_person": dict(sorted(Counter(c.person for c in contribs).items())),
        "contributions_by_platform": dict(sorted(Counter(platforms).items())),
    }


def _counts(discord: DiscordExport | None, discourse: DiscourseExport | None, history: GitHistory | None,
            rest: RestDump | None) -> dict:
    """How many records each written format holds, as a round trip through ingest must find them."""
    out: dict = {}
    if discord is not None:
        by_format: Counter = Counter()
        for name, messages in discord.messages.items():
            for fmt in _formats(name):
                by_format[fmt] += len(messages)
        out["discord_messages_by_channel"] = {name: len(m) for name, m in discord.messages.items()}
        out["discord_messages_by_format"] = dict(sorted(by_format.items()))
        out["discord_authors"] = len({m["author"]["id"] for ms in discord.messages.values() for m in ms})
    if discourse is not None:
        posts = [p for t in discourse.topics for p in t["post_stream"]["posts"]]
        out["discourse_topics"] = len(discourse.topics)
        out["discourse_posts"] = len(posts)
        out["discourse_categories"] = len(discourse.categories["category_list"]["categories"])
        out["discourse_users"] = len({p["user_id"] for p in posts})
    if history is not None:
        out["git_commits"] = len(history.commits)
        out["git_merge_commits"] = sum(1 for c in history.commits if len(c.parents) > 1)
    if rest is not None:
        objects = rest.objects
        out["github_rest_objects"] = {name: len(items) for name, items in objects.items()}
        out["github_rest_rows"] = {
            "raw_github.issues": len(objects["issues"]), "raw_github.pull_requests": len(objects["pulls"]),
            "raw_github.comments": len(objects["issue_comments"]) + len(objects["pull_comments"]),
            "raw_github.reviews": len(objects["reviews"]), "raw_github.releases": len(objects["releases"]),
            "raw_github.stars": len(objects["stargazers"]),
            "raw_github.users": len({u["login"] for items in objects.values() for o in items for u in _users(o)}),
        }
    return out


def _users(obj: object):
    """User objects inside an API object: a `login` next to a `type`, as the REST connector takes them."""
    if isinstance(obj, dict):
        if isinstance(obj.get("login"), str) and isinstance(obj.get("type"), str):
            yield obj
        for value in obj.values():
            yield from _users(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _users(value)


def _forum(discourse: DiscourseExport, community: Community) -> dict:
    """Support questions and who answered them: the first reply by a human other than the asker."""
    owner = {a.user_id: k for k, a in community.discourse.items()}
    support = [t for t in discourse.topics if t["category_id"] == 5]
    unanswered, by_maintainer = [], []
    for topic in support:
        posts = topic["post_stream"]["posts"]
        asker = posts[0]["user_id"]
        first = next((p for p in posts[1:] if p["user_id"] > 0 and p["user_id"] != asker), None)
        if first is None:
            unanswered.append(topic["id"])
        elif community.cast.by_key[owner[first["user_id"]]].is_maintainer:
            by_maintainer.append(topic["id"])
    return {"system_user_id": -1, "questions": len(support), "unanswered_topic_ids": unanswered,
            "answered_by_maintainer_topic_ids": by_maintainer,
            "accepted_answer_topic_ids": [t["id"] for t in support if t["has_accepted_answer"]],
            "category_ids": {c["slug"]: c["id"] for c in discourse.categories["category_list"]["categories"]}}
