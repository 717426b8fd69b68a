"""The repository as the GitHub REST API lists it at the window's end, saved as dumps the way
`gh api --paginate` saves them: issues (pull requests included, with a `pull_request` key),
pulls, issue comments, review comments, reviews, releases and stargazers (star+json).

Every object is the GH Archive events' own object (same ids, numbers and times) in its final
state: the last snapshot an event carried, with the state, counts and `updated_at` of the
last event on it. So the warehouse can tell that both sources report one happening, and
keep it once. List endpoints do not return `closed_by`/`merged_by`, and neither do these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ingest.simulate.ids import node_id

FILES = ("issues", "pulls", "issue_comments", "pull_comments", "reviews", "releases", "stargazers")
PR_LIST_DROP = ("merged", "mergeable", "rebaseable", "mergeable_state", "merged_by", "comments", "review_comments",
                "maintainer_can_modify", "commits", "additions", "deletions", "changed_files")


@dataclass
class RestDump:
    objects: dict[str, list[dict]]  # file name (FILES) → objects, newest first as the API lists them


def _issue_from_pull(pr: dict) -> dict:
    """The /issues view of a pull request GitHub events never showed as an issue."""
    base = pr["html_url"]
    return {"url": pr["issue_url"], "repository_url": pr["issue_url"].rsplit("/issues/", 1)[0],
            "html_url": base, "id": pr["id"], "node_id": pr["node_id"], "number": pr["number"], "title": pr["title"],
            "user": pr["user"], "labels": pr["labels"], "state": pr["state"], "locked": False, "assignee": None,
            "assignees": [], "milestone": None, "comments": 0, "created_at": pr["created_at"],
            "updated_at": pr["updated_at"], "closed_at": pr["closed_at"], "author_association": pr["author_association"],
            "active_lock_reason": None,
            "pull_request": {"url": pr["url"], "html_url": base, "diff_url": pr["diff_url"], "patch_url": pr["patch_url"]},
            "body": pr["body"], "performed_via_github_app": None}


def render_rest(events: list[dict]) -> RestDump:
    issues: dict[int, dict] = {}
    pulls: dict[int, dict] = {}
    last: dict[int, str] = {}
    counts: dict[int, int] = {}
    out: dict[str, list[dict]] = {name: [] for name in FILES}
    for e in events:  # in time order: later snapshots replace earlier ones
        p, kind, at = e["payload"], e["type"], e["created_at"]
        thing = p.get("issue") or p.get("pull_request")
        if thing is not None:
            last[thing["number"]] = at
        if kind in ("IssuesEvent", "IssueCommentEvent"):
            issues[p["issue"]["number"]] = p["issue"]
        if kind == "IssueCommentEvent":
            out["issue_comments"].append(p["comment"])
            counts[p["issue"]["number"]] = counts.get(p["issue"]["number"], 0) + 1
        elif kind == "PullRequestEvent":
            pulls[p["number"]] = p["pull_request"]
        elif kind == "PullRequestReviewEvent":
            out["reviews"].append(p["review"])
        elif kind == "PullRequestReviewCommentEvent":
            out["pull_comments"].append(p["comment"])
        elif kind == "ReleaseEvent":
            out["releases"].append(p["release"])
        elif kind == "WatchEvent":
            out["stargazers"].append({"starred_at": at, "user": _user(e["actor"])})
    for number, pr in pulls.items():
        issue = issues.get(number) or _issue_from_pull(pr)
        issue = {**issue, "state": pr["state"], "closed_at": pr["closed_at"]}
        issue["pull_request"] = {**issue["pull_request"], "merged_at": pr.get("merged_at")}
        issues[number] = issue
        out["pulls"].append({**{k: v for k, v in pr.items() if k not in PR_LIST_DROP}, "updated_at": last[number]})
    for number, issue in issues.items():
        issues[number] = {**issue, "comments": counts.get(number, 0), "updated_at": last[number]}
    out["issues"] = sorted(issues.values(), key=lambda i: i["number"], reverse=True)
    out["pulls"].sort(key=lambda pr: pr["number"], reverse=True)
    for name in ("issue_comments", "pull_comments", "reviews"):
        out[name].sort(key=lambda c: c["id"])
    out["releases"].sort(key=lambda r: r["id"], reverse=True)
    return RestDump(out)


def _user(actor: dict) -> dict:
    """A stargazer's user object, rebuilt from the event's actor (the same account)."""
    login = actor["login"]
    return {"login": login, "id": actor["id"], "node_id": node_id("Bot" if login.endswith("[bot]") else "User", actor["id"]),
            "avatar_url": actor["avatar_url"].rstrip("?") + "?v=4",
            "gravatar_id": "", "url": actor["url"], "html_url": f"https://github.com/{login}",
            "type": "Bot" if login.endswith("[bot]") else "User", "site_admin": False}


def write_rest(dump: RestDump, folder: Path) -> None:
    """One JSON array per endpoint, an object per line (what `gh api --paginate` pipes through `jq -c`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        lines = [json.dumps(obj, ensure_ascii=False, separators=(",", ":")) for obj in dump.objects[name]]
        (folder / f"{name}.json").write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
