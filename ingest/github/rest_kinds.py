"""Which GitHub REST object an object is, and the raw record it becomes.

Dumps rarely say what they hold (a file may be called `page3.json`), so the kind comes from
the keys each endpoint's objects carry. The checks run from the most specific to the least:
a review comment also has `pull_request_url`, a pull request also has `number`+`title`+`state`.
Identification only looks at which keys exist; their types are checked when the record is
built, so a wrongly typed field is quarantined with a reason naming it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from urllib.parse import urlsplit

from ingest.core.records import Record
from ingest.core.timeparse import iso_to_utc

# kind → the keys that identify it (for messages; `classify` holds the logic)
SIGNATURES = {
    "star": ("starred_at", "user"),
    "review_comment": ("diff_hunk", "pull_request_url"),
    "review": ("state", "submitted_at", "pull_request_url"),
    "pull": ("head", "base"),
    "release": ("tag_name",),
    "issue_comment": ("issue_url", "body"),  # or body_text / body_html (other media types)
    "issue": ("number", "title", "state"),
    "fork": ("fork", "full_name", "owner"),
}
TIME_FIELDS = ("updated_at", "submitted_at", "starred_at", "created_at")
_API_REPO = re.compile(r"/repos/([^/?#]+)/([^/?#]+)")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_TAIL_NUMBER = re.compile(r"/(?:issues|pulls)/(\d+)$")


class Bad(ValueError):
    """An object of a known kind that cannot become a record; the message is the reason."""


def classify(obj: dict) -> str | None:
    def has(*keys: str) -> bool:
        return all(k in obj for k in keys)

    if has("starred_at", "user"):
        return "star"
    if has("diff_hunk", "pull_request_url"):
        return "review_comment"
    if has("state", "submitted_at", "pull_request_url"):
        return "review"
    if has("head", "base"):
        return "pull"
    if has("tag_name"):
        return "release"
    if "issue_url" in obj and "number" not in obj and any(k in obj for k in ("body", "body_text", "body_html")):
        return "issue_comment"
    if has("number", "title", "state"):
        return "issue"
    if has("full_name", "owner") and obj.get("fork") is True:
        return "fork"
    return None


def unknown_reason(obj: dict) -> str:
    """Why an object is not one we ingest, worded for the person who made the dump."""
    if "message" in obj and "documentation_url" in obj:
        return f"a GitHub API error response, not data: {str(obj['message'])[:200]!r}"
    if "total_count" in obj and isinstance(obj.get("items"), list):
        return "a search result object where an array of API objects is expected (save its 'items')"
    if "full_name" in obj and "owner" in obj and "fork" in obj:
        return "a repository that is not a fork ('fork' is not true)"
    if "login" in obj and "type" in obj:
        return ("a bare user object: stargazers need the `application/vnd.github.star+json` "
                "media type so each carries 'starred_at'")
    keys = ", ".join(sorted(map(str, obj))[:12]) or "none"
    return f"not a GitHub REST object this connector knows (keys: {keys})"


def dump(obj: object) -> str:
    """Compact JSON text DuckDB accepts: a lone surrogate (from a broken `\\ud83d` escape, as
    in a body cut mid-emoji) becomes U+FFFD, since DuckDB refuses the whole batch otherwise."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return _LONE_SURROGATE.sub("\ufffd", text)


def _int(obj: dict, field: str) -> int:
    value = obj.get(field)
    if value is None:
        raise Bad(f"missing field {field!r}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise Bad(f"field {field!r} is not an integer: {value!r}"[:200])
    return value


def _text(obj: dict, field: str) -> str:
    value = obj.get(field)
    if not isinstance(value, str) or not value:
        raise Bad(f"field {field!r} is not a non-empty string: {value!r}"[:200])
    return value


def _login(obj: dict, field: str, required: bool = False) -> str | None:
    user = obj.get(field)
    if user is None and not required:
        return None  # a deleted ("ghost") account
    if not isinstance(user, dict):
        raise Bad(f"field {field!r} is not a user object: {user!r}"[:200])
    return _text(user, "login")


def updated_at(obj: dict) -> datetime:
    for field in TIME_FIELDS:
        value = obj.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            raise Bad(f"field {field!r} is not a timestamp: {value!r}"[:200])
        try:
            return iso_to_utc(value)
        except ValueError:
            raise Bad(f"field {field!r} is not an ISO timestamp: {value!r}"[:200]) from None
    raise Bad(f"no time field (one of {', '.join(TIME_FIELDS)})")


def repo_from_urls(obj: dict) -> str | None:
    """owner/name from the object's API or web URLs (GitHub Enterprise hosts too)."""
    for field in ("repository_url", "url", "pull_request_url", "issue_url", "html_url"):
        value = obj.get(field)
        if not isinstance(value, str):
            continue
        if match := _API_REPO.search(value):
            return f"{match[1]}/{match[2]}"
        parts = [p for p in urlsplit(value).path.split("/") if p]
        if field == "html_url" and len(parts) >= 2:
            return f"{parts[0]}/{parts[1]}"
    return None


def repo_of(kind: str, obj: dict, hint: str | None = None) -> str | None:
    if kind == "star":
        return hint  # a stargazer object does not name the repository
    if kind == "fork":
        for field in ("parent", "source"):
            parent = obj.get(field)
            if isinstance(parent, dict) and isinstance(parent.get("full_name"), str):
                return parent["full_name"]
        return hint  # a fork's own URLs name the fork, not the repository forked
    return repo_from_urls(obj) or hint


def _number_in(obj: dict, field: str) -> int | None:
    value = obj.get(field)
    match = _TAIL_NUMBER.search(value) if isinstance(value, str) else None
    return int(match[1]) if match else None


def _issue(obj: dict, repo: str) -> dict:
    return {"issue_id": str(_int(obj, "id")), "repo_name": repo, "number": _int(obj, "number"),
            "is_pull_request": obj.get("pull_request") is not None, "author_login": _login(obj, "user")}


def _pull(obj: dict, repo: str) -> dict:
    return {"pull_request_id": str(_int(obj, "id")), "repo_name": repo, "number": _int(obj, "number"),
            "author_login": _login(obj, "user")}


def _issue_comment(obj: dict, repo: str) -> dict:
    return {"comment_kind": "issue", "comment_id": str(_int(obj, "id")), "repo_name": repo,
            "issue_number": _number_in(obj, "issue_url"), "author_login": _login(obj, "user")}


def _review_comment(obj: dict, repo: str) -> dict:
    return {"comment_kind": "review", "comment_id": str(_int(obj, "id")), "repo_name": repo,
            "issue_number": _number_in(obj, "pull_request_url"), "author_login": _login(obj, "user")}


def _review(obj: dict, repo: str) -> dict:
    return {"review_id": str(_int(obj, "id")), "repo_name": repo,
            "pull_number": _number_in(obj, "pull_request_url"), "author_login": _login(obj, "user")}


def _release(obj: dict, repo: str) -> dict:
    return {"release_id": str(_int(obj, "id")), "repo_name": repo, "tag_name": _text(obj, "tag_name")}


def _star(obj: dict, repo: str) -> dict:
    return {"repo_name": repo, "user_login": _login(obj, "user", required=True)}


def _fork(obj: dict, repo: str) -> dict:
    return {"fork_id": str(_int(obj, "id")), "repo_name": repo, "owner_login": _login(obj, "owner", required=True)}


_BUILDERS: dict[str, tuple[str, Callable[[dict, str], dict]]] = {
    "issue": ("raw_github.issues", _issue),
    "pull": ("raw_github.pull_requests", _pull),
    "issue_comment": ("raw_github.comments", _issue_comment),
    "review_comment": ("raw_github.comments", _review_comment),
    "review": ("raw_github.reviews", _review),
    "release": ("raw_github.releases", _release),
    "star": ("raw_github.stars", _star),
    "fork": ("raw_github.forks", _fork),
}


def build(kind: str, obj: dict, location: str, hint: str | None) -> Record:
    """The raw record for `obj`; raises Bad with the reason when it cannot be one."""
    table, columns_of = _BUILDERS[kind]
    repo = repo_of(kind, obj, hint)
    if not repo:
        where = "its URLs" if kind not in ("star", "fork") else "a stargazer or fork object"
        raise Bad(f"no repository: {where} do not name it; pass --repo owner/name")
    columns = columns_of(obj, repo)
    return Record(table, columns, updated_at(obj), dump(obj), location)


def embedded_users(obj: object) -> Iterator[dict]:
    """Every user-shaped object inside `obj` (author, assignees, reviewers, owners, …)."""
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("login"), str) and node["login"] and isinstance(node.get("type"), str):
                yield node
            stack.extend(v for v in reversed(node.values()) if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in reversed(node) if isinstance(v, (dict, list)))
