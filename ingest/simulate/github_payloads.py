"""The JSON objects inside GH Archive events: users, issues, pull requests, comments,
reviews, commits, releases, forks, shaped like the GitHub REST API returns them.

Only fields a consumer could reasonably read are kept (no `_links`, no full repo objects
inside PR heads); ids come from per-kind counters so they are stable and unique.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import TYPE_CHECKING

from ingest.simulate.config import SimulationConfig
from ingest.simulate.ids import github_time, node_id, sha
from ingest.simulate.timeline import Cast

if TYPE_CHECKING:
    from ingest.simulate.github_events import _State
    from ingest.simulate.github_plan import GhAction, Item

API, WEB = "https://api.github.com", "https://github.com"
# GitHub's default labels (name → color, description); `dependencies` is dependabot's own.
LABELS = {
    "bug": ("d73a4a", "Something isn't working"),
    "documentation": ("0075ca", "Improvements or additions to documentation"),
    "enhancement": ("a2eeef", "New feature or request"),
    "good first issue": ("7057ff", "Good for newcomers"),
    "question": ("d876e3", "Further information is requested"),
    "dependencies": ("0366d6", "Pull requests that update a dependency file"),
}
BOT_APPS = {"dependabot[bot]": ("dependabot", 29110), "github-actions[bot]": ("github-actions", 15368)}


class Context:
    def __init__(self, config: SimulationConfig, cast: Cast, rng: random.Random) -> None:
        self.cast, self.rng, self.repo = cast, rng, config.repo
        self.owner = config.repo.split("/")[0]
        self.repo_id = rng.randint(300_000_000, 900_000_000)
        self.org_id = rng.randint(90_000_000, 200_000_000)
        self._counters = {"issue": 1_900_000_000, "comment": 2_400_000_000, "review": 1_700_000_000,
                          "push": 12_000_000_000, "release": 150_000_000, "repo": 900_000_000, "label": 5_000_000_000}
        self._item_ids: dict[int, int] = {}
        self._label_ids = {name: self.next_id("label") for name in LABELS}
        self.associations: set[str] = set()  # authors with a merged PR: CONTRIBUTOR from then on
        self.main_head = ""

    def next_id(self, kind: str) -> int:
        self._counters[kind] += self.rng.randint(1, 9_999)
        return self._counters[kind]

    def item_id(self, item: Item) -> int:
        if item.number not in self._item_ids:
            self._item_ids[item.number] = self.next_id("issue")
        return self._item_ids[item.number]

    def envelope(self, event_id: int, action: GhAction, payload: dict) -> dict:
        return {"id": str(event_id), "type": action.type, "actor": self.actor(action.actor),
                "repo": {"id": self.repo_id, "name": self.repo, "url": f"{API}/repos/{self.repo}"},
                "payload": payload, "public": True, "created_at": github_time(action.at),
                "org": {"id": self.org_id, "login": self.owner, "gravatar_id": "", "url": f"{API}/orgs/{self.owner}",
                        "avatar_url": f"https://avatars.githubusercontent.com/u/{self.org_id}?"}}

    def actor(self, key: str) -> dict:
        p = self.cast.by_key[key]
        login = p.github_login or ""
        return {"id": p.github_id, "login": login, "display_login": login.removesuffix("[bot]"), "gravatar_id": "",
                "url": f"{API}/users/{login}", "avatar_url": f"https://avatars.githubusercontent.com/u/{p.github_id}?"}

    def user(self, key: str) -> dict:
        p = self.cast.by_key[key]
        login = p.github_login or ""
        if login in BOT_APPS:
            app, app_id = BOT_APPS[login]
            return {"login": login, "id": p.github_id, "node_id": node_id("Bot", p.github_id or 0),
                    "avatar_url": f"https://avatars.githubusercontent.com/in/{app_id}?v=4", "gravatar_id": "",
                    "url": f"{API}/users/{login.replace('[bot]', '%5Bbot%5D')}", "html_url": f"{WEB}/apps/{app}",
                    "type": "Bot", "site_admin": False}
        return {"login": login, "id": p.github_id, "node_id": node_id("User", p.github_id or 0),
                "avatar_url": f"https://avatars.githubusercontent.com/u/{p.github_id}?v=4", "gravatar_id": "",
                "url": f"{API}/users/{login}", "html_url": f"{WEB}/{login}", "type": "User", "site_admin": False}

    def association(self, key: str) -> str:
        person = self.cast.by_key[key]
        if person.is_maintainer:
            return "MEMBER"
        return "CONTRIBUTOR" if key in self.associations else "NONE"

    def labels(self, names: list[str]) -> list[dict]:
        return [{"id": self._label_ids[n], "node_id": node_id("Label", self._label_ids[n]),
                 "url": f"{API}/repos/{self.repo}/labels/{n.replace(' ', '%20')}", "name": n,
                 "color": LABELS[n][0], "default": n != "dependencies", "description": LABELS[n][1]} for n in names]

    def issue(self, item: Item, st: _State, at: datetime) -> dict:
        path = "pull" if item.kind == "pr" else "issues"
        issue_id = self.item_id(item)
        out = {"url": f"{API}/repos/{self.repo}/issues/{item.number}",
               "repository_url": f"{API}/repos/{self.repo}", "html_url": f"{WEB}/{self.repo}/{path}/{item.number}",
               "id": issue_id, "node_id": node_id("PullRequest" if item.kind == "pr" else "Issue", issue_id),
               "number": item.number, "title": item.title, "user": self.user(item.author),
               "labels": self.labels(item.labels), "state": st.state, "locked": False, "assignee": None,
               "assignees": [], "milestone": None, "comments": st.comments,
               "created_at": github_time(item.created_at), "updated_at": github_time(at),
               "closed_at": github_time(st.closed_at) if st.closed_at else None,
               "author_association": self.association(item.author), "active_lock_reason": None}
        if item.kind == "pr":
            base = f"{WEB}/{self.repo}/pull/{item.number}"
            out["pull_request"] = {"url": f"{API}/repos/{self.repo}/pulls/{item.number}", "html_url": base,
                                   "diff_url": f"{base}.diff", "patch_url": f"{base}.patch"}
        out["body"] = item.body
        out["performed_via_github_app"] = None
        return out

    def comment(self, action: GhAction, item: Item, body: str, anchor: str) -> dict:
        cid = self.next_id("comment")
        path = "pull" if item.kind == "pr" else "issues"
        return {"url": f"{API}/repos/{self.repo}/issues/comments/{cid}",
                "html_url": f"{WEB}/{self.repo}/{path}/{item.number}#{anchor}-{cid}",
                "issue_url": f"{API}/repos/{self.repo}/issues/{item.number}", "id": cid,
                "node_id": node_id("IssueComment", cid), "user": self.user(action.actor),
                "created_at": github_time(action.at), "updated_at": github_time(action.at),
                "author_association": self.association(action.actor), "body": body,
                "performed_via_github_app": None}

    def pull_request(self, item: Item, st: _State, at: datetime, brief: bool = False) -> dict:
        pid = self.item_id(item)
        base = f"{WEB}/{self.repo}/pull/{item.number}"
        merged = st.merged_by is not None
        out = {"url": f"{API}/repos/{self.repo}/pulls/{item.number}", "id": pid,
               "node_id": node_id("PullRequest", pid), "html_url": base, "diff_url": f"{base}.diff",
               "patch_url": f"{base}.patch", "issue_url": f"{API}/repos/{self.repo}/issues/{item.number}",
               "number": item.number, "state": st.state, "locked": False, "title": item.title,
               "user": self.user(item.author), "body": item.body, "created_at": github_time(item.created_at),
               "updated_at": github_time(at), "closed_at": github_time(st.closed_at) if st.closed_at else None,
               "merged_at": github_time(st.closed_at) if merged and st.closed_at else None,
               "merge_commit_sha": sha(self.rng) if merged else None, "assignee": None, "assignees": [],
               "requested_reviewers": [], "requested_teams": [], "labels": self.labels(item.labels),
               "milestone": None, "draft": False,
               "head": {"label": f"{self.owner}:{item.branch}", "ref": item.branch, "sha": st.head or sha(self.rng)},
               "base": {"label": f"{self.owner}:main", "ref": "main"},
               "author_association": self.association(item.author), "auto_merge": None, "active_lock_reason": None}
        if brief:
            return out
        out.update({"merged": merged, "mergeable": None, "rebaseable": None, "mergeable_state": "unknown",
                    "merged_by": self.user(st.merged_by) if st.merged_by else None, "comments": st.comments,
                    "review_comments": st.review_comments, "maintainer_can_modify": False,
                    "commits": max(st.commits, 1), "additions": item.size[0], "deletions": item.size[1],
                    "changed_files": item.size[2]})
        return out

    def review(self, action: GhAction, item: Item, st: _State) -> dict:
        rid = self.next_id("review")
        return {"id": rid, "node_id": node_id("PullRequestReview", rid), "user": self.user(action.actor),
                "body": action.body or None, "commit_id": st.head or sha(self.rng),
                "submitted_at": github_time(action.at), "state": action.extra["state"],
                "html_url": f"{WEB}/{self.repo}/pull/{item.number}#pullrequestreview-{rid}",
                "pull_request_url": f"{API}/repos/{self.repo}/pulls/{item.number}",
                "author_association": self.association(action.actor)}

    def review_comment(self, action: GhAction, item: Item, st: _State) -> dict:
        cid = self.next_id("comment")
        line = self.rng.randint(5, 240)
        return {"url": f"{API}/repos/{self.repo}/pulls/comments/{cid}", "pull_request_review_id": self.next_id("review"),
                "id": cid, "node_id": node_id("PullRequestReviewComment", cid),
                "diff_hunk": f"@@ -{line},6 +{line},9 @@", "path": self.rng.choice(("ingest/core/upsert.py", "README.md", "codeconvene/cli.py")),
                "commit_id": st.head or sha(self.rng), "user": self.user(action.actor), "body": action.body,
                "created_at": github_time(action.at), "updated_at": github_time(action.at),
                "html_url": f"{WEB}/{self.repo}/pull/{item.number}#discussion_r{cid}",
                "pull_request_url": f"{API}/repos/{self.repo}/pulls/{item.number}",
                "author_association": self.association(action.actor), "line": line, "side": "RIGHT"}

    def commit(self, person, message: str) -> dict:
        digest = sha(self.rng)
        return {"sha": digest, "author": {"name": person.display_name, "email": person.commit_email},
                "message": message, "distinct": True, "url": f"{API}/repos/{self.repo}/commits/{digest}"}

    def release(self, action: GhAction, body: str) -> dict:
        rid, tag = self.next_id("release"), action.extra["tag"]
        return {"url": f"{API}/repos/{self.repo}/releases/{rid}", "html_url": f"{WEB}/{self.repo}/releases/tag/{tag}",
                "id": rid, "author": self.user(action.actor), "node_id": node_id("Release", rid), "tag_name": tag,
                "target_commitish": "main", "name": tag, "draft": False, "prerelease": False,
                "created_at": github_time(action.at), "published_at": github_time(action.at), "assets": [],
                "body": body}

    def forkee(self, key: str, at: datetime) -> dict:
        login, name = self.cast.by_key[key].github_login, self.repo.split("/")[1]
        rid, stamp = self.next_id("repo"), github_time(at)
        return {"id": rid, "node_id": node_id("Repository", rid), "name": name, "full_name": f"{login}/{name}",
                "private": False, "owner": self.user(key), "html_url": f"{WEB}/{login}/{name}",
                "description": "Community analytics for developer relations", "fork": True,
                "url": f"{API}/repos/{login}/{name}", "created_at": stamp, "updated_at": stamp, "pushed_at": stamp,
                "public": True}
