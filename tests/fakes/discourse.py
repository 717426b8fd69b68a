"""A loopback Discourse forum for the live connector's tests (real `requests` + urllib3 retries).

Speaks the JSON of a real forum: `/latest.json` (topics most recently bumped first, pinned
ones on top, `more_topics_url` while more pages exist, `users`), `/t/{id}.json` (the topic
view: no `bumped_at`, the first `chunk_size` posts and `post_stream.stream` with every post
id), `/t/{id}/posts.json?post_ids[]=…`, `/categories.json`, `/site.json`. With `api_key` set,
requests need `Api-Key`/`Api-Username` or get Discourse's 403 `invalid_access`. `fail(...)`
queues faults (429 with Retry-After, 502, slow answers) for paths containing a string.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from tests.fakes.loopback import LoopbackFake

BASE_TIME = datetime(2026, 2, 1, tzinfo=UTC)


def stamp(minutes: int) -> str:
    return (BASE_TIME + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Fault:
    match: str
    status: int
    headers: dict[str, str]
    body: Any
    times: int
    delay_s: float = 0.0


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    api_key: str | None


@dataclass
class Topic:
    id: int
    title: str
    category_id: int
    created: int
    bumped: int
    pinned: bool = False
    posts: list[dict] = field(default_factory=list)


class FakeDiscourse(LoopbackFake):
    protocol_version = "HTTP/1.1"

    def __init__(self, api_key: str | None = "good-key", per_page: int = 3, chunk_size: int = 4) -> None:
        super().__init__()
        self.api_key = api_key
        self.per_page = per_page
        self.chunk_size = chunk_size
        self.topics: dict[int, Topic] = {}
        self.users: dict[int, str] = {}
        self.categories = [{"id": 1, "name": "General", "slug": "general", "topic_count": 0, "post_count": 0},
                           {"id": 2, "name": "Help", "slug": "help", "topic_count": 0, "post_count": 0}]
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self._post_ids = iter(range(100, 10**9))

    # --- scripting and data --------------------------------------------------------------
    def fail(self, match: str, status: int = 502, *, times: int = 1, retry_after: str | None = None,
             delay_s: float = 0.0) -> Self:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = ({"errors": ["You've performed this action too many times. Please wait a few seconds."],
                 "error_type": "rate_limit", "extras": {"wait_seconds": int(retry_after or 1)}}
                if status == 429 else {"errors": ["error"]})
        with self._lock:
            self.faults.append(Fault(match, status, headers, body, times, delay_s))
        return self

    def seen(self, fragment: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if fragment in r.path]

    def add_topic(self, topic_id: int, minutes: int, posts: int = 1, *, pinned: bool = False) -> Topic:
        topic = Topic(topic_id, f"Topic {topic_id}", 1 + topic_id % 2, minutes, minutes, pinned)
        self.topics[topic_id] = topic
        for i in range(posts):
            self.add_post(topic_id, minutes + i)
        return topic

    def add_post(self, topic_id: int, minutes: int, user_id: int | None = None) -> dict:
        topic = self.topics[topic_id]
        post_id = next(self._post_ids)
        user_id = user_id if user_id is not None else 1 + post_id % 5
        username = self.users.setdefault(user_id, f"member{user_id}")
        post = {"id": post_id, "name": username.title(), "username": username,
                "avatar_template": f"/user_avatar/forum/{username}/{{size}}/1_2.png", "created_at": stamp(minutes),
                "cooked": f"<p>Post {post_id} in topic {topic_id}</p>", "post_number": len(topic.posts) + 1,
                "post_type": 1, "updated_at": stamp(minutes), "reply_count": 0,
                "reply_to_post_number": None if not topic.posts else 1, "quote_count": 0, "incoming_link_count": 0,
                "reads": 1, "readers_count": 0, "score": 0, "yours": False, "topic_id": topic_id,
                "topic_slug": f"topic-{topic_id}", "display_username": username.title(), "version": 1,
                "user_id": user_id, "trust_level": 1, "hidden": False, "wiki": False, "user_deleted": False,
                "moderator": False, "admin": False, "staff": False, "deleted_at": None, "actions_summary": []}
        topic.posts.append(post)
        topic.bumped = max(topic.bumped, minutes)
        return post

    # --- serving ---------------------------------------------------------------------------
    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query)
        key = handler.headers.get("Api-Key")
        with self._lock:
            self.requests.append(Request(parts.path, query, key))
            fault = next((f for f in self.faults if f.times > 0 and f.match in handler.path), None)
            if fault:
                fault.times -= 1
        if fault:
            if fault.delay_s:
                time.sleep(fault.delay_s)
            self.send_reply(handler, fault.status, fault.body, fault.headers)
            return
        if self.api_key and (key != self.api_key or not handler.headers.get("Api-Username")):
            message = "You are not permitted to view the requested resource. The API username or key is invalid."
            self.send_reply(handler, 403, {"errors": [message], "error_type": "invalid_access"})
            return
        try:
            body = self._route(parts.path, query)
        except (KeyError, ValueError):
            self.send_reply(handler, 404, {"errors": ["The requested URL or resource could not be found."],
                                           "error_type": "not_found"})
            return
        self.send_reply(handler, 200, body)

    def _listed(self, topic: Topic) -> dict:
        last = topic.posts[-1] if topic.posts else None
        return {"id": topic.id, "title": topic.title, "fancy_title": topic.title, "slug": f"topic-{topic.id}",
                "posts_count": len(topic.posts), "reply_count": max(0, len(topic.posts) - 1),
                "highest_post_number": len(topic.posts), "image_url": None, "created_at": stamp(topic.created),
                "last_posted_at": last["created_at"] if last else None, "bumped": True,
                "bumped_at": stamp(topic.bumped), "archetype": "regular", "unseen": False, "pinned": topic.pinned,
                "unpinned": None, "visible": True, "closed": False, "archived": False, "bookmarked": None,
                "liked": None, "views": 3, "like_count": 0, "has_summary": False,
                "last_poster_username": last["username"] if last else None, "category_id": topic.category_id,
                "pinned_globally": False, "featured_link": None,
                "posters": [{"extras": "latest", "description": "Original Poster", "user_id": p["user_id"],
                             "primary_group_id": None} for p in topic.posts[:1]]}

    def _route(self, path: str, query: dict[str, list[str]]) -> dict:
        if path == "/site.json":
            return {"default_archetype": "regular", "categories": self.categories}
        if path == "/categories.json":
            return {"category_list": {"can_create_category": False, "categories": self.categories}}
        if path == "/latest.json":
            page = int(query.get("page", ["0"])[0])
            ordered = sorted(self.topics.values(), key=lambda t: (not t.pinned, -t.bumped, -t.id))
            chunk = ordered[page * self.per_page:(page + 1) * self.per_page]
            listing: dict[str, Any] = {"can_create_topic": True, "per_page": self.per_page, "top_tags": [],
                                       "topics": [self._listed(t) for t in chunk]}
            if (page + 1) * self.per_page < len(ordered):
                listing["more_topics_url"] = f"/latest?no_definitions=true&page={page + 1}"
            posters = {p["user_id"] for t in chunk for p in t.posts[:1]}
            users = [{"id": u, "username": self.users[u], "name": self.users[u].title(),
                      "avatar_template": f"/user_avatar/forum/{self.users[u]}/{{size}}/1_2.png", "trust_level": 1}
                     for u in sorted(posters)]
            return {"users": users, "primary_groups": [], "flair_groups": [], "topic_list": listing}
        segments = path.strip("/").split("/")
        if segments[0] == "t" and len(segments) == 2 and segments[1].endswith(".json"):
            topic = self.topics[int(segments[1].removesuffix(".json"))]
            listed = self._listed(topic)
            view = {k: v for k, v in listed.items() if k not in ("bumped", "bumped_at", "posters", "unseen",
                                                                 "last_poster_username", "liked")}
            first = topic.posts[0] if topic.posts else {}
            return {**view, "post_stream": {"posts": topic.posts[:self.chunk_size],
                                            "stream": [p["id"] for p in topic.posts]},
                    "timeline_lookup": [], "suggested_topics": [], "tags": [], "word_count": 10,
                    "deleted_at": None, "user_id": first.get("user_id"), "chunk_size": self.chunk_size,
                    "participant_count": len({p["user_id"] for p in topic.posts}),
                    "details": {"can_edit": False, "participants": [], "created_by": {"id": first.get("user_id")}}}
        if segments[0] == "t" and segments[2:] == ["posts.json"]:
            topic = self.topics[int(segments[1])]
            wanted = {int(i) for i in query.get("post_ids[]", [])}
            return {"post_stream": {"posts": [p for p in topic.posts if p["id"] in wanted]}, "id": topic.id}
        raise KeyError(path)
