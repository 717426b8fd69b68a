"""A loopback GitHub REST API for the real PyGithub, covering what the GitHub bot writes.

(`tests/fakes/github_api.py` serves the live connector's reads; this one serves the bot:
repositories, their labels, single issues and PRs through the issues endpoint, issue
comments, and the two writes: `POST …/issues/{n}/comments` and `POST …/issues/{n}/labels`.)
Responses carry GitHub's fields and absolute URLs on this server, as PyGithub follows them.
Tokens are checked like GitHub (`Authorization: token …`, else 401 "Bad credentials");
every request is recorded with its method, path and JSON body.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from tests.fakes.loopback import LoopbackFake, read_body

STAMP = "2026-11-23T10:00:00Z"


@dataclass
class FakeIssue:
    number: int
    title: str
    login: str
    labels: list[str] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    is_pull_request: bool = False


@dataclass
class FakeRepo:
    full_name: str
    labels: list[str] = field(default_factory=list)
    issues: dict[int, FakeIssue] = field(default_factory=dict)


class FakeGitHub(LoopbackFake):
    methods = ("GET", "POST", "PATCH", "DELETE")

    def __init__(self, token: str = "good-token") -> None:
        super().__init__()
        self.token = token
        self.repos: dict[str, FakeRepo] = {}
        self.requests: list[dict[str, Any]] = []
        self._ids = itertools.count(9000)

    # --- setup ------------------------------------------------------------------------------
    def add_repo(self, full_name: str, labels: list[str]) -> FakeRepo:
        self.repos[full_name] = FakeRepo(full_name, list(labels))
        return self.repos[full_name]

    def add_issue(self, repo: str, number: int, title: str, login: str, *, labels=(), pull=False) -> FakeIssue:
        issue = FakeIssue(number, title, login, list(labels), is_pull_request=pull)
        self.repos[repo].issues[number] = issue
        return issue

    def add_comment(self, repo: str, number: int, body: str, login: str = "someone") -> dict:
        comment = self._comment(repo, number, body, login)
        self.repos[repo].issues[number].comments.append(comment)
        return comment

    def writes(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] != "GET"]

    # --- shapes -----------------------------------------------------------------------------
    def _user(self, login: str) -> dict:
        return {"login": login, "id": abs(hash(login)) % 10**7, "node_id": f"U_{login}", "type": "User",
                "site_admin": False, "url": f"{self.base_url}/users/{login}",
                "html_url": f"https://github.com/{login}", "avatar_url": ""}

    def _label(self, repo: str, name: str) -> dict:
        return {"id": abs(hash((repo, name))) % 10**7, "node_id": f"L_{name}", "name": name,
                "url": f"{self.base_url}/repos/{repo}/labels/{name.replace(' ', '%20')}",
                "color": "ededed", "default": False, "description": None}

    def _repo_json(self, repo: FakeRepo) -> dict:
        owner, name = repo.full_name.split("/")
        url = f"{self.base_url}/repos/{repo.full_name}"
        return {"id": abs(hash(repo.full_name)) % 10**7, "node_id": f"R_{name}", "name": name,
                "full_name": repo.full_name, "owner": self._user(owner), "private": False, "fork": False,
                "url": url, "html_url": f"https://github.com/{repo.full_name}",
                "issues_url": f"{url}/issues{{/number}}", "labels_url": f"{url}/labels{{/name}}",
                "default_branch": "main", "has_issues": True, "created_at": STAMP, "updated_at": STAMP}

    def _issue_json(self, repo: str, issue: FakeIssue) -> dict:
        url = f"{self.base_url}/repos/{repo}/issues/{issue.number}"
        data = {"id": 100000 + issue.number, "node_id": f"I_{issue.number}", "number": issue.number,
                "title": issue.title, "body": "", "state": "open", "locked": False,
                "user": self._user(issue.login), "labels": [self._label(repo, n) for n in issue.labels],
                "assignee": None, "assignees": [], "milestone": None, "comments": len(issue.comments),
                "created_at": STAMP, "updated_at": STAMP, "closed_at": None, "author_association": "NONE",
                "url": url, "html_url": f"https://github.com/{repo}/issues/{issue.number}",
                "comments_url": f"{url}/comments", "labels_url": f"{url}/labels{{/name}}",
                "events_url": f"{url}/events", "repository_url": f"{self.base_url}/repos/{repo}"}
        if issue.is_pull_request:
            data["pull_request"] = {"url": f"{self.base_url}/repos/{repo}/pulls/{issue.number}",
                                    "html_url": f"https://github.com/{repo}/pull/{issue.number}"}
        return data

    def _comment(self, repo: str, number: int, body: str, login: str) -> dict:
        comment_id = next(self._ids)
        return {"id": comment_id, "node_id": f"IC_{comment_id}", "body": body, "user": self._user(login),
                "created_at": STAMP, "updated_at": STAMP, "author_association": "NONE",
                "url": f"{self.base_url}/repos/{repo}/issues/comments/{comment_id}",
                "html_url": f"https://github.com/{repo}/issues/{number}#issuecomment-{comment_id}",
                "issue_url": f"{self.base_url}/repos/{repo}/issues/{number}"}

    # --- serving ----------------------------------------------------------------------------
    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        method = handler.command
        parts = urlsplit(handler.path)
        raw = read_body(handler)
        body = json.loads(raw) if raw else None
        with self._lock:
            self.requests.append({"method": method, "path": parts.path, "json": body})
            if handler.headers.get("Authorization") != f"token {self.token}":
                status, payload = 401, {"message": "Bad credentials",
                                        "documentation_url": "https://docs.github.com/rest", "status": "401"}
            else:
                status, payload = self._route(method, parts.path.strip("/").split("/"), body)
        self.send_reply(handler, status, payload, {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999"})

    def _route(self, method: str, parts: list[str], body: Any) -> tuple[int, Any]:
        not_found = (404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest",
                           "status": "404"})
        if len(parts) < 3 or parts[0] != "repos" or f"{parts[1]}/{parts[2]}" not in self.repos:
            return not_found
        name = f"{parts[1]}/{parts[2]}"
        repo, rest = self.repos[name], parts[3:]
        if method == "GET" and not rest:
            return 200, self._repo_json(repo)
        if method == "GET" and rest == ["labels"]:
            return 200, [self._label(name, label) for label in repo.labels]
        if len(rest) < 2 or rest[0] != "issues" or not rest[1].isdigit() or int(rest[1]) not in repo.issues:
            return not_found
        issue = repo.issues[int(rest[1])]
        tail = rest[2:]
        if method == "GET" and not tail:
            return 200, self._issue_json(name, issue)
        if method == "GET" and tail == ["comments"]:
            return 200, issue.comments
        if method == "POST" and tail == ["comments"]:
            comment = self._comment(name, issue.number, body["body"], "convene-bot")
            issue.comments.append(comment)
            return 201, comment
        if method == "POST" and tail == ["labels"]:
            names = body["labels"] if isinstance(body, dict) else body
            for label in names:
                if label not in issue.labels:
                    issue.labels.append(label)
                if label not in repo.labels:  # GitHub creates an unknown label on the fly
                    repo.labels.append(label)
            return 200, [self._label(name, label) for label in issue.labels]
        return not_found
