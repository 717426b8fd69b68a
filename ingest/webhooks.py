"""Webhook deliveries from GitHub and Discourse: signature checks and the records they carry.

Pure functions (no server, no warehouse): `ingest.webhooks_server` receives, verifies with
these, keeps the delivery and lands the records. A delivery's objects are the same JSON the
REST API returns, so they become records through the same mappings as the dump readers
(`ingest.github.rest_kinds.build`, `ingest.discourse.records`) and upsert onto the same keys
as a REST pull or a file ingest.

Signatures: GitHub sends `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>` keyed
with the webhook secret; Discourse sends `X-Discourse-Event-Signature: sha256=<hex>` the
same way. Both are compared in constant time; no secret configured means nothing verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field

from ingest.core.records import Record, Rejected
from ingest.discourse.records import (
    category_records,
    post_author,
    post_record,
    topic_record,
    user_record,
)
from ingest.github.rest_kinds import Bad, build, dump, embedded_users, repo_of

# GitHub event → [(payload field, rest kind)], the objects worth a raw row
GITHUB_OBJECTS: dict[str, list[tuple[str, str]]] = {
    "issues": [("issue", "issue")],
    "issue_comment": [("issue", "issue"), ("comment", "issue_comment")],
    "pull_request": [("pull_request", "pull")],
    "pull_request_review": [("pull_request", "pull"), ("review", "review")],
    "pull_request_review_comment": [("pull_request", "pull"), ("comment", "review_comment")],
    "release": [("release", "release")],
    "fork": [("forkee", "fork")],
}


def signature(secret: str, body: bytes) -> str:
    """The `sha256=<hex>` header value for `body` (what a sender computes)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str | None, body: bytes, header: str | None) -> bool:
    """True only when a secret is configured and `header` is its HMAC of `body`."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(signature(secret, body), header.strip())


@dataclass
class Delivery:
    """What one verified delivery carries: the source instance and its records."""

    source: str
    event: str
    records: list[Record | Rejected] = field(default_factory=list)


def github_delivery(event: str, payload: dict, delivery_id: str) -> Delivery:
    repo = None
    if isinstance(payload.get("repository"), dict):
        repo = payload["repository"].get("full_name")
    location = f"webhook:github:{event}:{delivery_id}"
    out = Delivery(f"github:{repo or 'webhook'}", event)
    objects: list[tuple[str, dict]] = []
    for field_name, kind in GITHUB_OBJECTS.get(event, []):
        if isinstance(payload.get(field_name), dict):
            objects.append((kind, payload[field_name]))
    if event == "star" and payload.get("starred_at") and isinstance(payload.get("sender"), dict):
        # the stargazer object the REST API lists under the star+json media type
        objects.append(("star", {"starred_at": payload["starred_at"], "user": payload["sender"]}))
    users: dict[str, Record] = {}
    for kind, obj in objects:
        where = f"{location}[{kind}]"
        try:
            record = build(kind, obj, where, repo_of(kind, obj, repo) or repo)
        except Bad as bad:
            out.records.append(Rejected(where, f"{kind}: {bad}", dump(obj)))
            continue
        out.records.append(record)
        for user in embedded_users(obj):
            users.setdefault(user["login"], Record("raw_github.users", {"login": user["login"],
                                                                         "user_type": user["type"]},
                                                   record.updated_at, dump(user), where))
    out.records.extend(users.values())
    return out


def discourse_delivery(event_type: str, event: str, payload: dict, delivery_id: str, host: str) -> Delivery:
    """`event_type` is X-Discourse-Event-Type (topic, post, user, category); the payload holds
    one object under that name."""
    location = f"webhook:discourse:{event}:{delivery_id}"
    out = Delivery(f"discourse:{host}", event)
    obj = payload.get(event_type)
    if event_type == "post" and isinstance(obj, dict):
        out.records.append(post_record(obj, f"{location}[post]"))
        author = post_author(obj, f"{location}[post.user]")
        if author is not None:
            out.records.append(author)
    elif event_type == "topic" and isinstance(obj, dict):
        out.records.append(topic_record(obj, f"{location}[topic]"))
    elif event_type == "user" and isinstance(obj, dict):
        out.records.append(user_record(obj, f"{location}[user]"))
    elif event_type == "category" and isinstance(obj, dict):
        out.records.extend(category_records(obj, f"{location}[category]"))
    return out


def parse_json(body: bytes) -> dict | None:
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None
