"""Discourse API objects → raw_discourse records, each validated on its own.

Times: a post's `updated_at` (else `created_at`); a topic's latest of `bumped_at`,
`last_posted_at`, `created_at`, so a later snapshot of the topic wins; a full user profile's
latest of `last_seen_at`, `last_posted_at`, `created_at`. Users seen only as post authors and
categories carry no time of their own and get NO_TIME, so any dated record supersedes them.
"""

from __future__ import annotations

import json
from datetime import datetime

from ingest.core.records import Record, Rejected
from ingest.core.timeparse import iso_to_utc
from ingest.discourse.cooked import cooked_to_text

NO_TIME = datetime(1970, 1, 1)
USER_FIELDS = ("user_id", "username", "name", "avatar_template")


def dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _id(obj: dict, key: str = "id") -> str | None:
    """Discourse ids are integers (system users are negative); strings of digits are accepted."""
    value = obj.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return value
    return None


def _latest(obj: dict, *keys: str) -> datetime | None:
    """The latest of the named times; TypeError/ValueError naming the field if one is not a time."""
    times = []
    for key in keys:
        value = obj.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            raise TypeError(f"field {key!r} is not a timestamp string: {value!r}")
        try:
            times.append(iso_to_utc(value))
        except ValueError:
            raise ValueError(f"field {key!r} is not a timestamp: {value!r}") from None
    return max(times) if times else None


def _not_object(kind: str, obj: object, location: str) -> Rejected:
    return Rejected(location, f"{kind} is a JSON {type(obj).__name__}, not an object", dump(obj))


def post_record(post: object, location: str, topic_id: str | None = None) -> Record | Rejected:
    if not isinstance(post, dict):
        return _not_object("post", post, location)
    post_id = _id(post)
    if post_id is None:
        return Rejected(location, f"post without a valid 'id': {post.get('id')!r}", dump(post))
    topic = _id(post, "topic_id") or topic_id
    if topic is None:
        return Rejected(location, f"post {post_id}: no valid 'topic_id'", dump(post))
    cooked = post.get("cooked")
    if cooked is not None and not isinstance(cooked, str):
        return Rejected(location, f"post {post_id}: field 'cooked' is not a string", dump(post))
    try:
        created = _latest(post, "created_at")
        updated = _latest(post, "updated_at")
    except (TypeError, ValueError) as exc:
        return Rejected(location, f"post {post_id}: {exc}", dump(post))
    if created is None and updated is None:
        return Rejected(location, f"post {post_id}: no 'created_at' or 'updated_at'", dump(post))
    username = post.get("username")
    return Record(
        "raw_discourse.posts",
        {"post_id": post_id, "topic_id": topic, "username": username if isinstance(username, str) else None,
         "text": cooked_to_text(cooked)},
        updated or created,
        dump(post),
        location,
    )


def post_author(post: dict, location: str) -> Record | None:
    """The author fields a post carries, as a user; None when the post names no user id."""
    user_id = _id(post, "user_id")
    if user_id is None:
        return None
    user = {"id": int(user_id), **{k: post[k] for k in USER_FIELDS[1:] if k in post}}
    return Record("raw_discourse.users", {"user_id": user_id, "username": post.get("username")},
                  NO_TIME, dump(user), location)


def user_record(user: object, location: str) -> Record | Rejected:
    if not isinstance(user, dict):
        return _not_object("user", user, location)
    user_id = _id(user)
    if user_id is None:
        return Rejected(location, f"user without a valid 'id': {user.get('id')!r}", dump(user))
    try:
        seen = _latest(user, "last_seen_at", "last_posted_at", "created_at")
    except (TypeError, ValueError) as exc:
        return Rejected(location, f"user {user_id}: {exc}", dump(user))
    username = user.get("username")
    return Record("raw_discourse.users",
                  {"user_id": user_id, "username": username if isinstance(username, str) else None},
                  seen or NO_TIME, dump(user), location)


def topic_record(topic: object, location: str) -> Record | Rejected:
    """A topic; a full topic response loses `post_stream.posts` here (they land as posts)."""
    if not isinstance(topic, dict):
        return _not_object("topic", topic, location)
    topic_id = _id(topic)
    if topic_id is None:
        return Rejected(location, f"topic without a valid 'id': {topic.get('id')!r}", dump(topic))
    title = topic.get("title")
    if title is not None and not isinstance(title, str):
        return Rejected(location, f"topic {topic_id}: field 'title' is not a string", dump(topic))
    try:
        at = _latest(topic, "bumped_at", "last_posted_at", "created_at")
    except (TypeError, ValueError) as exc:
        return Rejected(location, f"topic {topic_id}: {exc}", dump(topic))
    if at is None:
        return Rejected(location, f"topic {topic_id}: no 'created_at'", dump(topic))
    payload = dict(topic)
    if isinstance(payload.get("post_stream"), dict):
        payload["post_stream"] = {k: v for k, v in payload["post_stream"].items() if k != "posts"}
    category = _id(topic, "category_id")
    return Record("raw_discourse.topics", {"topic_id": topic_id, "category_id": category, "title": title},
                  at, dump(payload), location)


def category_records(category: object, location: str) -> list[Record | Rejected]:
    """A category and, when the listing nests them, its subcategories."""
    if not isinstance(category, dict):
        return [_not_object("category", category, location)]
    category_id = _id(category)
    if category_id is None:
        return [Rejected(location, f"category without a valid 'id': {category.get('id')!r}", dump(category))]
    name = category.get("name")
    out: list[Record | Rejected] = [Record(
        "raw_discourse.categories",
        {"category_id": category_id, "category_name": name if isinstance(name, str) else None},
        NO_TIME, dump(category), location,
    )]
    subcategories = category.get("subcategory_list")
    if isinstance(subcategories, list):
        for index, sub in enumerate(subcategories):
            out.extend(category_records(sub, f"{location[:-1]}.subcategory_list.{index}]"))
    return out
