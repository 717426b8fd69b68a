"""A loopback GitHub REST API for the real PyGithub client (tests of the live connector).

Serves the endpoints the connector reads with GitHub's response shapes: `page`/`per_page`
paging with `Link: <…>; rel="next", <…>; rel="last"` headers, `sort`/`direction`/`since` on
issues and comments, stargazers with `starred_at` only under the star+json media type, forks
oldest first. Tokens are checked like GitHub does (`Authorization: token …`; 401 "Bad
credentials"), a token listed in `exhausted` gets the primary rate-limit 403. `fail(...)`
queues faults for paths containing a string: 429 with Retry-After, 502s, slow answers (client
timeouts). `block(...)` holds a matching request open until released (to kill a client
mid-run). Every request is recorded (path, query, token) so tests count what was asked.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any, Self
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.fakes.loopback import LoopbackFake, read_body

BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)


def stamp(minutes: int) -> str:
    return (BASE_TIME + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Fault:
    match: str
    status: int = 502
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    times: int = 1
    delay_s: float = 0.0


@dataclass
class Request:
    path: str
    query: dict[str, str]
    token: str | None
    accept: str


@dataclass
class RepoData:
    name: str
    issues: list[dict] = field(default_factory=list)  # PRs included, as on GitHub
    pulls: list[dict] = field(default_factory=list)
    issue_comments: list[dict] = field(default_factory=list)
    review_comments: list[dict] = field(default_factory=list)
    reviews: dict[int, list[dict]] = field(default_factory=dict)
    releases: list[dict] = field(default_factory=list)
    stargazers: list[dict] = field(default_factory=list)
    forks: list[dict] = field(default_factory=list)


class FakeGitHub(LoopbackFake):
    methods = ("GET", "POST")
    protocol_version = "HTTP/1.1"

    def __init__(self, tokens: tuple[str, ...] = ("good-token",)) -> None:
        super().__init__()
        self.tokens = set(tokens)
        self.exhausted: dict[str, int] = {}  # token → X-RateLimit-Reset epoch
        self.repos: dict[str, RepoData] = {}
        self.orgs: dict[str, list[str]] = {}
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self._blocks: list[tuple[str, int, threading.Event, threading.Event]] = []
        self._ids = iter(range(1000, 10**9))

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.command == "POST":
            self._app_token(handler)
        else:
            self._serve(handler)

    def __exit__(self, *exc) -> None:
        for *_, release in self._blocks:
            release.set()
        super().__exit__(*exc)

    # --- scripting -------------------------------------------------------------------------
    def fail(self, match: str, status: int = 502, *, times: int = 1, retry_after: str | None = None,
             headers: dict[str, str] | None = None, body: Any = None, delay_s: float = 0.0) -> Self:
        headers = dict(headers or {})
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        if body is None:
            body = {"message": {429: "You have exceeded a secondary rate limit. Please wait a few minutes before "
                                     "you try again.", 502: "Server Error"}.get(status, "error"),
                    "documentation_url": "https://docs.github.com/rest"}
        with self._lock:
            self.faults.append(Fault(match, status, headers, body, times, delay_s))
        return self

    def block(self, path: str, nth: int = 1) -> threading.Event:
        """Hold the `nth` request for `path` open (until shutdown); returns an event set when it arrives."""
        arrived, release = threading.Event(), threading.Event()
        with self._lock:
            self._blocks.append((path, nth, arrived, release))
        return arrived

    def seen(self, fragment: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if fragment in r.path]

    # --- data builders ---------------------------------------------------------------------
    def user(self, login: str, kind: str = "User") -> dict:
        return {"login": login, "id": abs(hash(login)) % 10**7, "node_id": f"U_{login}",
                "url": f"{self.base_url}/users/{login}", "html_url": f"https://github.com/{login}",
                "type": kind, "site_admin": False}

    def repo(self, name: str) -> RepoData:
        return self.repos.setdefault(name, RepoData(name))

    def add_issue(self, repo: str, minutes: int, *, pull: bool = False, login: str = "alice") -> dict:
        data = self.repo(repo)
        number = len(data.issues) + 1
        api = f"{self.base_url}/repos/{repo}"
        issue = {"url": f"{api}/issues/{number}", "repository_url": api, "html_url": f"https://github.com/{repo}/issues/{number}",
                 "id": next(self._ids), "node_id": f"I_{number}", "number": number, "title": f"Issue {number}",
                 "user": self.user(login), "labels": [], "state": "open", "locked": False, "assignee": None,
                 "assignees": [], "comments": 0, "created_at": stamp(minutes), "updated_at": stamp(minutes),
                 "closed_at": None, "author_association": "NONE", "body": f"body {number}"}
        if pull:
            issue["pull_request"] = {"url": f"{api}/pulls/{number}", "html_url": f"https://github.com/{repo}/pull/{number}"}
            data.pulls.append({
                "url": f"{api}/pulls/{number}", "id": next(self._ids), "node_id": f"PR_{number}", "number": number,
                "html_url": f"https://github.com/{repo}/pull/{number}", "state": "open", "title": issue["title"],
                "user": self.user(login), "body": "", "created_at": stamp(minutes), "updated_at": stamp(minutes),
                "closed_at": None, "merged_at": None, "draft": False,
                "head": {"label": f"{login}:feature", "ref": "feature", "sha": "a" * 40, "user": self.user(login)},
                "base": {"label": "main", "ref": "main", "sha": "b" * 40},
                "issue_url": f"{api}/issues/{number}", "review_comments_url": f"{api}/pulls/{number}/comments"})
            data.reviews[number] = []
        data.issues.append(issue)
        return issue

    def touch(self, repo: str, number: int, minutes: int) -> None:
        for item in (*self.repo(repo).issues, *self.repo(repo).pulls):
            if item["number"] == number:
                item["updated_at"] = stamp(minutes)

    def add_issue_comment(self, repo: str, number: int, minutes: int, login: str = "bob") -> dict:
        api = f"{self.base_url}/repos/{repo}"
        cid = next(self._ids)
        comment = {"url": f"{api}/issues/comments/{cid}", "html_url": f"https://github.com/{repo}/issues/{number}#c{cid}",
                   "issue_url": f"{api}/issues/{number}", "id": cid, "node_id": f"IC_{cid}", "user": self.user(login),
                   "created_at": stamp(minutes), "updated_at": stamp(minutes), "body": "a comment",
                   "author_association": "NONE"}
        self.repo(repo).issue_comments.append(comment)
        return comment

    def add_review(self, repo: str, number: int, minutes: int, login: str = "carol") -> dict:
        api = f"{self.base_url}/repos/{repo}"
        rid = next(self._ids)
        review = {"id": rid, "node_id": f"R_{rid}", "user": self.user(login), "body": "looks good", "state": "APPROVED",
                  "html_url": f"https://github.com/{repo}/pull/{number}#pullrequestreview-{rid}",
                  "pull_request_url": f"{api}/pulls/{number}", "commit_id": "a" * 40, "submitted_at": stamp(minutes),
                  "author_association": "MEMBER"}
        self.repo(repo).reviews[number].append(review)
        self.touch(repo, number, minutes)  # a review bumps its pull request, as on GitHub
        return review

    def add_review_comment(self, repo: str, number: int, minutes: int, login: str = "carol") -> dict:
        api = f"{self.base_url}/repos/{repo}"
        cid = next(self._ids)
        comment = {"url": f"{api}/pulls/comments/{cid}", "id": cid, "node_id": f"RC_{cid}", "diff_hunk": "@@ -1 +1 @@",
                   "path": "README.md", "user": self.user(login), "body": "nit", "created_at": stamp(minutes),
                   "updated_at": stamp(minutes), "pull_request_url": f"{api}/pulls/{number}",
                   "html_url": f"https://github.com/{repo}/pull/{number}#discussion_r{cid}"}
        self.repo(repo).review_comments.append(comment)
        return comment

    def add_release(self, repo: str, minutes: int, tag: str) -> dict:
        api = f"{self.base_url}/repos/{repo}"
        rid = next(self._ids)
        release = {"url": f"{api}/releases/{rid}", "html_url": f"https://github.com/{repo}/releases/tag/{tag}",
                   "id": rid, "tag_name": tag, "name": tag, "draft": False, "prerelease": False,
                   "created_at": stamp(minutes), "published_at": stamp(minutes), "author": self.user("alice"),
                   "assets": [], "body": "notes"}
        self.repo(repo).releases.append(release)
        return release

    def add_star(self, repo: str, minutes: int, login: str) -> dict:
        star = {"starred_at": stamp(minutes), "user": self.user(login)}
        self.repo(repo).stargazers.append(star)
        return star

    def add_fork(self, repo: str, minutes: int, login: str) -> dict:
        name = repo.split("/")[1]
        fid = next(self._ids)
        fork = {"id": fid, "node_id": f"F_{fid}", "name": name, "full_name": f"{login}/{name}", "owner": self.user(login),
                "private": False, "html_url": f"https://github.com/{login}/{name}", "fork": True,
                "url": f"{self.base_url}/repos/{login}/{name}", "created_at": stamp(minutes),
                "updated_at": stamp(minutes), "pushed_at": stamp(minutes)}
        self.repo(repo).forks.append(fork)
        return fork

    # --- GitHub App: an installation token for any well-formed app JWT -----------------------
    app_token = "ghs_installation-token"

    def _app_token(self, handler: BaseHTTPRequestHandler) -> None:
        import jwt

        read_body(handler)
        auth = handler.headers.get("Authorization") or ""
        parts = urlsplit(handler.path).path.strip("/").split("/")
        with self._lock:
            self.requests.append(Request(urlsplit(handler.path).path, {}, auth.split(" ", 1)[-1], ""))
        try:
            claims = jwt.decode(auth.removeprefix("Bearer "), options={"verify_signature": False})
        except jwt.PyJWTError:
            claims = {}
        if parts[:2] != ["app", "installations"] or parts[3:] != ["access_tokens"] or "iss" not in claims:
            self._send(handler, 401, {"message": "A JSON web token could not be decoded"})
            return
        self.app_jwt_issuer = claims["iss"]
        self.tokens.add(self.app_token)
        expires = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._send(handler, 201, {"token": self.app_token, "expires_at": expires, "permissions": {"issues": "read"},
                                  "repository_selection": "all"})

    # --- serving ---------------------------------------------------------------------------
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        auth = handler.headers.get("Authorization") or ""
        token = auth.split(" ", 1)[1] if " " in auth else None
        accept = handler.headers.get("Accept") or ""
        with self._lock:
            self.requests.append(Request(parts.path, query, token, accept))
            fault = next((f for f in self.faults if f.times > 0 and f.match in handler.path), None)
            if fault:
                fault.times -= 1
            count = sum(1 for r in self.requests if r.path == parts.path)
            blocked = next((b for b in self._blocks if b[0] == parts.path and b[1] == count), None)
        if blocked:
            blocked[2].set()
            blocked[3].wait(30)
            return
        if fault:
            if fault.delay_s:
                time.sleep(fault.delay_s)
            self._send(handler, fault.status, fault.body, fault.headers)
            return
        if token not in self.tokens:
            self._send(handler, 401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                                      "status": "401"})
            return
        if token in self.exhausted:
            self._send(handler, 403, {"message": "API rate limit exceeded for user ID 1.",
                                      "documentation_url": "https://docs.github.com/rest/rate-limit"},
                       {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(self.exhausted[token])})
            return
        try:
            items = self._route(parts.path, query, accept)
        except KeyError:
            self._send(handler, 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
            return
        if isinstance(items, dict):
            self._send(handler, 200, items)
            return
        per_page = int(query.get("per_page", 30))
        page = int(query.get("page", 1))
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        last = max(1, -(-len(items) // per_page))
        if page < last:
            links.append(f'<{self._url(parts.path, query, page + 1)}>; rel="next"')
            links.append(f'<{self._url(parts.path, query, last)}>; rel="last"')
        self._send(handler, 200, chunk, {"Link": ", ".join(links)} if links else {})

    def _url(self, path: str, query: dict[str, str], page: int) -> str:
        return f"{self.base_url}{path}?{urlencode({**query, 'page': page})}"

    def _route(self, path: str, query: dict[str, str], accept: str) -> list[dict] | dict:
        if path == "/rate_limit":
            return {"resources": {}, "rate": {"limit": 5000, "remaining": 4999, "reset": 0, "used": 1}}
        segments = path.strip("/").split("/")
        if segments[0] == "orgs" and segments[2:] == ["repos"]:
            return [{"id": i, "name": n.split("/")[1], "full_name": n, "owner": self.user(segments[1], "Organization"),
                     "url": f"{self.base_url}/repos/{n}", "fork": False, "private": False}
                    for i, n in enumerate(self.orgs[segments[1]], start=1)]
        if segments[0] != "repos" or len(segments) < 4:
            raise KeyError(path)
        data = self.repos[f"{segments[1]}/{segments[2]}"]
        rest = segments[3:]
        if rest == ["issues"]:
            return self._sorted(data.issues, query, "created")
        if rest == ["issues", "comments"]:
            return self._sorted(data.issue_comments, query, "created")
        if rest == ["pulls", "comments"]:
            return self._sorted(data.review_comments, query, "created")
        if rest == ["pulls"]:
            return self._sorted(data.pulls, {"direction": "desc", **query}, "created")
        if len(rest) == 3 and rest[0] == "pulls" and rest[2] == "reviews":
            return list(data.reviews[int(rest[1])])
        if rest == ["releases"]:
            return sorted(data.releases, key=lambda r: r["created_at"], reverse=True)
        if rest == ["stargazers"]:
            if "star+json" in accept:
                return list(data.stargazers)
            return [s["user"] for s in data.stargazers]
        if rest == ["forks"]:
            return sorted(data.forks, key=lambda f: f["created_at"], reverse=query.get("sort") != "oldest")
        raise KeyError(path)

    @staticmethod
    def _sorted(items: list[dict], query: dict[str, str], default_sort: str) -> list[dict]:
        field_name = "updated_at" if query.get("sort", default_sort) == "updated" else "created_at"
        since = query.get("since")
        chosen = [i for i in items if not since or i["updated_at"] >= since]
        # ties keep insertion order in both directions, as a database sort with an id tie-break would
        return sorted(chosen, key=lambda i: (i[field_name], i["id"]), reverse=query.get("direction") == "desc")

    def _send(self, handler: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self.send_reply(handler, status, body, {"X-RateLimit-Limit": "5000", **(headers or {})})
