"""The ground truth, computed from the records actually written, never from the plan.

Whatever the planner intended, a thread cut off by the window's end or a person's departure
did not happen; so every fact here is recomputed from the emitted GH Archive events and Slack
messages, attributed to each account's true person, with the definitions of DESIGN §5 and
docs/CONTRACTS.md (contributions exclude stars, forks and channel joins; bots excluded).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from ingest.simulate import text as tx
from ingest.simulate.clock import is_night_hour
from ingest.simulate.config import SimulationConfig, Window, iso_week
from ingest.simulate.github_plan import GithubPlan
from ingest.simulate.ids import ts_to_datetime
from ingest.simulate.links import link_rules, normalize_email
from ingest.simulate.slack_export import SlackExport
from ingest.simulate.slack_plan import Post
from ingest.simulate.timeline import Cast

NOT_CONTRIBUTIONS_GH = ("WatchEvent", "ForkEvent")
NOT_CONTRIBUTIONS_SLACK = ("channel_join", "channel_leave", "channel_topic", "channel_purpose")
RESPONSES_GH = ("IssueCommentEvent", "PullRequestReviewEvent", "PullRequestReviewCommentEvent")
INACTIVE_AFTER = timedelta(days=90)
NIGHT_SHARE_MIN = 20


@dataclass(frozen=True)
class Contribution:
    person: str
    at: datetime
    is_response: bool


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds") + "Z"


def contributions(cast: Cast, events: list[dict], export: SlackExport) -> list[Contribution]:
    by_login = {p.github_login: p for p in cast.people if p.github_login}
    by_slack = {p.slack_id: p for p in cast.people if p.slack_id}
    out = []
    for e in events:
        person = by_login[e["actor"]["login"]]
        if e["type"] not in NOT_CONTRIBUTIONS_GH and not person.is_bot:
            at = datetime.strptime(e["created_at"], "%Y-%m-%dT%H:%M:%SZ")
            out.append(Contribution(person.key, at, e["type"] in RESPONSES_GH))
    for messages in export.messages.values():
        for m in messages:
            person = by_slack[m["user"]]
            if m.get("subtype") not in NOT_CONTRIBUTIONS_SLACK and not person.is_bot:
                is_reply = "thread_ts" in m and m["thread_ts"] != m["ts"]
                out.append(Contribution(person.key, ts_to_datetime(m["ts"]), is_reply))
    return sorted(out, key=lambda c: (c.at, c.person))


def ground_truth(config: SimulationConfig, window: Window, cast: Cast, plan: GithubPlan, events: list[dict],
                 posts: list[Post], export: SlackExport) -> dict:
    contribs = contributions(cast, events, export)
    times: dict[str, list[datetime]] = defaultdict(list)
    for c in contribs:
        times[c.person].append(c.at)
    weeks = [iso_week(w) for w in window.weeks]
    churners = sorted(p.key for p in cast.humans if p.role == "churner")
    _check_churners(churners, times, window)
    return {
        "config": config.as_dict(),
        "window": {"start": window.start.isoformat(), "end": window.end.isoformat(), "iso_weeks": weeks},
        "people": _people(cast, events, export),
        "first_contribution_at": {k: stamp(v[0]) for k, v in sorted(times.items())},
        "new_contributors_by_week": _per_week(weeks, Counter(iso_week(v[0].date()) for v in times.values())),
        "active_by_week": _per_week(weeks, Counter(w for v in times.values() for w in {iso_week(t.date()) for t in v})),
        "inactive_by_week": {iso_week(w): _inactive(times, w) for w in window.weeks},
        "churners": churners,
        "overloaded_maintainer": cast.overloaded.key,
        "maintainers": sorted(p.key for p in cast.maintainers),
        "duplicate_issues": _duplicates(plan, events),
        "repeated_questions": _repeated_questions(posts),
        "bus_factor_90d": _bus_factor([c for c in contribs if c.at >= window.end_at - INACTIVE_AFTER]),
        "contributions_by_person": dict(sorted(Counter(c.person for c in contribs).items())),
        "replies_by_person": dict(sorted(Counter(c.person for c in contribs if c.is_response).items())),
        "first_responses_by_person": _first_responses(cast, events, export),
        "night_share_by_person": _night_shares(cast, times),
        "counts": _counts(events, export),
    }


def _per_week(weeks: list[str], counts: Counter) -> dict[str, int]:
    return {w: counts.get(w, 0) for w in weeks}


def _inactive(times: dict[str, list[datetime]], monday) -> int:
    """Previously active, last contribution before the week's end in [start − 90 d, end − 90 d)."""
    start = datetime(monday.year, monday.month, monday.day)
    end = start + timedelta(days=7)
    count = 0
    for ts in times.values():
        i = bisect_left(ts, end) - 1
        if i >= 0 and start - INACTIVE_AFTER <= ts[i] < end - INACTIVE_AFTER:
            count += 1
    return count


def _bus_factor(recent: list[Contribution]) -> int:
    counts = sorted(Counter(c.person for c in recent).values(), reverse=True)
    total, running = sum(counts), 0
    for k, n in enumerate(counts, start=1):
        running += n
        if running * 2 > total:
            return k
    return 0


def _check_churners(churners: list[str], times: dict[str, list[datetime]], window: Window) -> None:
    for key in churners:
        if times.get(key) and times[key][-1] >= window.end_at - INACTIVE_AFTER:
            raise AssertionError(f"planted churner {key} contributed in the final 90 days")


def _people(cast: Cast, events: list[dict], export: SlackExport) -> list[dict]:
    """Everyone; `link_rule` is the rule the written data supports for this person's two accounts."""
    rules = link_rules(events, export)
    out = []
    for p in sorted(cast.people, key=lambda p: p.key):
        visible_email = normalize_email(p.slack_email) if p.slack_id and p.slack_email else (
            p.commit_email if p.commit_email == p.email else None)
        rule = rules.get((p.slack_id or "", (p.github_login or "").lower()))
        out.append({"person_key": p.key, "display_name": p.display_name, "role": p.role, "is_bot": p.is_bot,
                    "github_login": p.github_login, "slack_user_id": p.slack_id, "email": visible_email,
                    "link_rule": rule, "tz": p.tz[0]})
    return out


def _duplicates(plan: GithubPlan, events: list[dict]) -> list[list[int]]:
    opened = {e["payload"]["issue"]["number"] for e in events if e["type"] == "IssuesEvent" and e["payload"]["action"] == "opened"}
    pairs = [[i.number, i.duplicate_of.number] for i in plan.items if i.duplicate_of is not None]
    return sorted(p for p in pairs if p[0] in opened and p[1] in opened)


def _repeated_questions(posts: list[Post]) -> list[dict]:
    asked: dict[int, list[Post]] = defaultdict(list)
    for post in sorted((p for p in posts if p.faq_topic is not None and p.ts), key=lambda p: p.ts):
        asked[post.faq_topic].append(post)
    out = []
    for topic, group in sorted(asked.items()):
        if len(group) >= 2:
            canonical, _, answer = tx.FAQ[topic]
            out.append({"canonical": canonical, "answer": answer, "channel": group[0].channel, "count": len(group),
                        "variants": list(dict.fromkeys(p.text for p in group)), "slack_ts": [p.ts for p in group]})
    return sorted(out, key=lambda q: q["canonical"])


def _first_responses(cast: Cast, events: list[dict], export: SlackExport) -> dict[str, int]:
    """Per issue/PR/Slack thread, the first reply by a human who is not its author."""
    humans = {p.github_login: p.key for p in cast.humans if p.github_login}
    slack_humans = {p.slack_id: p.key for p in cast.humans if p.slack_id}
    counts: Counter = Counter()
    authors: dict[int, str] = {}
    answered: set[int] = set()
    for e in events:
        payload = e["payload"]
        if e["type"] in ("IssuesEvent", "PullRequestEvent") and payload["action"] == "opened":
            thing = payload.get("issue") or payload["pull_request"]
            authors[thing["number"]] = thing["user"]["login"]
        elif e["type"] in RESPONSES_GH:
            number = (payload.get("issue") or payload["pull_request"])["number"]
            login = e["actor"]["login"]
            if number not in answered and login in humans and login != authors.get(number):
                answered.add(number)
                counts[humans[login]] += 1
    for messages in export.messages.values():
        parents = {m["ts"]: m.get("user") for m in messages if m.get("thread_ts") == m["ts"]}
        done: set[str] = set()
        for m in messages:
            thread = m.get("thread_ts")
            if thread and thread != m["ts"] and thread not in done and m["user"] in slack_humans \
                    and m["user"] != parents.get(thread) and parents.get(thread) in slack_humans:
                done.add(thread)
                counts[slack_humans[m["user"]]] += 1
    return dict(sorted(counts.items()))


def _night_shares(cast: Cast, times: dict[str, list[datetime]]) -> dict[str, float]:
    """Share of contributions at 21:00-03:00 in the person's own timezone (≥ 20 contributions)."""
    out = {}
    for key, ts in sorted(times.items()):
        if len(ts) >= NIGHT_SHARE_MIN:
            offset = timedelta(seconds=cast.by_key[key].tz_offset)
            out[key] = round(sum(is_night_hour((t + offset).hour) for t in ts) / len(ts), 4)
    return out


def _counts(events: list[dict], export: SlackExport) -> dict:
    by_channel = {c: len(m) for c, m in sorted(export.messages.items())}
    return {"github_events": len(events), "github_events_by_type": dict(sorted(Counter(e["type"] for e in events).items())),
            "slack_messages": sum(by_channel.values()), "slack_messages_by_channel": by_channel,
            "slack_users": len(export.users), "slack_channels": len(export.channels)}
