"""Planned GitHub actions → GH Archive events, written as gzip hour files.

The output mirrors the Events API shape GH Archive stores (`id, type, actor, repo, payload,
public, created_at, org`), with issue and PR snapshots as they were at each event: comment
counts, state, closed/merged times. Actions are replayed in time order to keep that state.
Hour files are named like GH Archive's own (`2026-03-02-14.json.gz`, hour not zero-padded).
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from ingest.simulate import github_payloads as gp
from ingest.simulate.config import SimulationConfig, stream
from ingest.simulate.github_plan import GhAction, GithubPlan
from ingest.simulate.ids import sha
from ingest.simulate.issue_text import release_body
from ingest.simulate.timeline import Cast


class _State:
    """What an issue or PR looks like right now, as its next event will show it."""

    def __init__(self) -> None:
        self.comments = 0
        self.review_comments = 0
        self.commits = 0
        self.state = "open"
        self.closed_at: datetime | None = None
        self.merged_by: str | None = None
        self.head = ""
        self.last_review_comment: int | None = None


def render_github(config: SimulationConfig, cast: Cast, plan: GithubPlan) -> list[dict]:
    rng = stream(config, "github-render")
    ctx = gp.Context(config, cast, rng)
    states: dict[int, _State] = defaultdict(_State)
    events, event_id = [], 41_000_000_000 + rng.randrange(1_000_000)
    for action in sorted(plan.actions, key=lambda a: a.at):
        event_id += rng.randint(1, 997)
        payload = _payload(ctx, action, states[action.item.number] if action.item else _State(), plan)
        events.append(ctx.envelope(event_id, action, payload))
        if action.type == "PullRequestEvent" and action.extra.get("merged") and action.item:
            ctx.associations.add(action.item.author)
    return events


def _text(action: GhAction) -> str:
    body = action.body
    for name, ref in action.extra.get("refs", {}).items():
        body = body.replace("{" + name + "}", str(ref.number))
    return body


def _payload(ctx: gp.Context, action: GhAction, st: _State, plan: GithubPlan) -> dict:
    item, at, kind = action.item, action.at, action.type
    if kind == "WatchEvent":
        return {"action": "started"}
    if kind == "ForkEvent":
        return {"forkee": ctx.forkee(action.actor, at)}
    if kind == "ReleaseEvent":
        return {"action": "published", "release": ctx.release(action, _release_notes(action, plan))}
    if kind == "PushEvent":
        return _push(ctx, action, st)
    assert item is not None
    if kind == "IssuesEvent":
        if action.action == "closed":
            st.state, st.closed_at = "closed", at
        return {"action": action.action, "issue": ctx.issue(item, st, at)}
    if kind == "IssueCommentEvent":
        st.comments += 1
        return {"action": "created", "issue": ctx.issue(item, st, at),
                "comment": ctx.comment(action, item, _text(action), "issuecomment")}
    if kind == "PullRequestEvent":
        if action.action == "closed":
            st.state, st.closed_at = "closed", at
            st.merged_by = action.actor if action.extra.get("merged") else None
        return {"action": action.action, "number": item.number, "pull_request": ctx.pull_request(item, st, at)}
    if kind == "PullRequestReviewEvent":
        return {"action": "created", "review": ctx.review(action, item, st), "pull_request": ctx.pull_request(item, st, at, brief=True)}
    if kind == "PullRequestReviewCommentEvent":
        st.review_comments += 1
        comment = ctx.review_comment(action, item, st)
        return {"action": "created", "comment": comment, "pull_request": ctx.pull_request(item, st, at, brief=True)}
    raise ValueError(f"unknown action type {kind}")


def _push(ctx: gp.Context, action: GhAction, st: _State) -> dict:
    person = ctx.cast.by_key[action.actor]
    on_main = action.extra["ref"] == "refs/heads/main"
    before = (ctx.main_head if on_main else st.head) or sha(ctx.rng)
    commits = []
    for message in action.extra["messages"]:
        for name, ref in action.extra.get("refs", {}).items():
            message = message.replace("{" + name + "}", str(ref.number))
        commits.append(ctx.commit(person, message))
    if on_main:
        ctx.main_head = commits[-1]["sha"]
    elif action.item is not None:
        st.head = commits[-1]["sha"]
        st.commits += len(commits)
    return {"push_id": ctx.next_id("push"), "size": len(commits), "distinct_size": len(commits),
            "ref": action.extra["ref"], "head": commits[-1]["sha"], "before": before, "commits": commits}


def _release_notes(action: GhAction, plan: GithubPlan) -> str:
    previous = [r.at for r in plan.releases if r.at < action.at]
    since = previous[-1] if previous else datetime.min
    merged = sorted((i for i in plan.items if i.merged_at and since < i.merged_at <= action.at), key=lambda i: i.number)
    return release_body([f"{i.title} (#{i.number})" for i in merged])


def write_gharchive(events: list[dict], folder: Path) -> list[Path]:
    """One gzip file per hour with events; mtime 0 so equal input gives equal bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.json.gz"):
        stale.unlink()
    by_hour: dict[str, list[str]] = defaultdict(list)
    for event in events:
        moment = datetime.strptime(event["created_at"], "%Y-%m-%dT%H:%M:%SZ")
        by_hour[f"{moment:%Y-%m-%d}-{moment.hour}"].append(json.dumps(event, ensure_ascii=False, separators=(",", ":")))
    paths = []
    for hour in sorted(by_hour):
        path = folder / f"{hour}.json.gz"
        path.write_bytes(gzip.compress(("\n".join(by_hour[hour]) + "\n").encode("utf-8"), compresslevel=6, mtime=0))
        paths.append(path)
    return paths

