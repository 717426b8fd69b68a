"""Live Discourse connector: categories, topics (by last bump), their posts and authors, into
the same raw_discourse tables and keys as saved Discourse JSON (`ingest.discourse.records`).

Incremental by topic `bumped_at`: `/latest.json` lists topics most recently bumped first,
so a sweep reads its pages until a topic bumped no later than the last finished sweep. Each
changed topic is fetched with `/t/{id}.json` (the topic and its first chunk of posts, plus
the ids of all its posts); the posts beyond that chunk with an id above the highest this
topic already has in raw_discourse.posts come from `/t/{id}/posts.json?post_ids[]=…`, in
chunks of 20. A topic and its posts land in one transaction together with the sweep's cursor
(meta.cursors source 'discourse', stream '<host>:topics': the page and how many of its topics
are done), so a killed sweep resumes at the topic where it stopped.

Known limit: Discourse does not bump a topic when a post is edited, so edits of old posts
are picked up only when their topic is bumped again.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import duckdb

from ingest.core.cursors import get_cursor
from ingest.core.live import CheckResult, LiveError, SyncSummary, finish_run, land_page, start_run
from ingest.core.progress import NoProgress, Progress
from ingest.core.quarantine import now
from ingest.core.records import Record, Rejected
from ingest.core.timeparse import iso_to_utc
from ingest.discourse.api_client import KEY_HINT, ClientOptions, Forum
from ingest.discourse.records import (
    category_records,
    post_author,
    post_record,
    topic_record,
    user_record,
)

SOURCE = "discourse"
POSTS_PER_REQUEST = 20
URL_HINT = "set DISCOURSE_URL to the forum's address, e.g. https://forum.example.org"


def forum_for(settings: Any, options: ClientOptions | None = None) -> Forum:
    url = settings.value("DISCOURSE_URL")
    if not url:
        raise LiveError("DISCOURSE_URL is not set", hint=URL_HINT)
    if urlsplit(url).scheme not in ("http", "https"):
        raise LiveError(f"DISCOURSE_URL is not an http(s) address: {url!r}", hint=URL_HINT)
    key = settings.secret("DISCOURSE_API_KEY")
    return Forum(url, key.get() if key else None, settings.value("DISCOURSE_API_USER"),
                 options or ClientOptions.from_settings(settings))


def _bumped(topic: dict) -> datetime | None:
    value = topic.get("bumped_at") or topic.get("last_posted_at") or topic.get("created_at")
    try:
        return iso_to_utc(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def _state(cursor: str | None) -> dict:
    default = {"done": None, "page": 0, "skip": 0, "high": None}
    try:
        loaded = json.loads(cursor) if cursor else {}
    except ValueError:
        loaded = {}
    return {**default, **loaded} if isinstance(loaded, dict) else default


class Sync:
    def __init__(self, forum: Forum, con: duckdb.DuckDBPyConnection, summary: SyncSummary,
                 progress: Progress) -> None:
        self.forum, self.con, self.summary, self.progress = forum, con, summary, progress
        self.host = urlsplit(forum.base_url).netloc
        self.source = f"{SOURCE}:{self.host}"
        self.stream = f"{self.host}:topics"
        self.batch_id = start_run(con, SOURCE)
        self.at = now()

    def land(self, items: list[Record | Rejected], state: dict | None, stream: str, fetched: int) -> None:
        cursors = {(SOURCE, self.stream): json.dumps(state)} if state is not None else {}
        land_page(self.con, self.source, self.batch_id, self.at, items, cursors)
        self.summary.add(stream, fetched)
        self.progress.unit_finished(f"{self.host}:{stream}", fetched, skipped=False)
        self.summary.pages += 1
        self.summary.cursor_updates += len(cursors)

    def categories(self) -> None:
        data = self.forum.get("/categories.json")
        found = (data.get("category_list") or {}).get("categories") or [] if isinstance(data, dict) else []
        where = f"{self.forum.base_url}/categories.json"
        items = [r for i, c in enumerate(found) for r in category_records(c, f"{where}[categories.{i}]")]
        self.land(items, None, "categories", len(found))

    def topics(self) -> None:
        state = _state(get_cursor(self.con, SOURCE, self.stream))
        done = datetime.fromisoformat(state["done"]) if state["done"] else None
        while True:
            page = state["page"]
            data = self.forum.get("/latest.json", {"order": "activity", "page": page, "no_definitions": "true"})
            listing = data.get("topic_list") or {} if isinstance(data, dict) else {}
            topics = [t for t in listing.get("topics") or [] if isinstance(t, dict)]
            where = f"{self.forum.base_url}/latest.json?page={page}"
            users = [user_record(u, f"{where}[users.{i}]") for i, u in enumerate(data.get("users") or [])]
            self.land(users, None, "users", len(users))
            ranked = [t for t in topics if not t.get("pinned")]  # pinned topics head every page whatever their bump
            times = [b for b in map(_bumped, ranked) if b]
            high = max([t for t in (_iso(max(times)) if times else None, state["high"]) if t], default=None)
            finished = not listing.get("more_topics_url") or not topics or (
                done is not None and bool(times) and min(times) <= done)
            for index, topic in enumerate(topics):
                if index < state["skip"]:
                    continue
                bumped = _bumped(topic)
                last = index == len(topics) - 1
                if last and finished:
                    next_state = {"done": high or state["done"], "page": 0, "skip": 0, "high": None}
                elif last:
                    next_state = {"done": state["done"], "page": page + 1, "skip": 0, "high": high}
                else:
                    next_state = {**state, "skip": index + 1, "high": high}
                if done is None or bumped is None or bumped > done:
                    self.topic(topic, next_state)
                elif last:  # unchanged topics cost no request; only the page's end is recorded
                    self.land([], next_state, "topics", 0)
            if not topics:
                self.land([], {"done": high or state["done"], "page": 0, "skip": 0, "high": None}, "topics", 0)
            if finished:
                return
            state = {"done": state["done"], "page": page + 1, "skip": 0, "high": high}

    def topic(self, listed: dict, next_state: dict) -> None:
        topic_id = listed.get("id")
        if not isinstance(topic_id, int):
            where = f"{self.forum.base_url}/latest.json"
            self.land([Rejected(where, f"topic without an integer id: {topic_id!r}", json.dumps(listed))],
                      next_state, "topics", 1)
            return
        path = f"/t/{topic_id}.json"
        data = self.forum.get(path, gone_ok=True)
        where = f"{self.forum.base_url}{path}"
        if not isinstance(data, dict):
            reason = "topic listed but not readable now (403/404: deleted, moved or hidden since)"
            self.land([Rejected(where, reason, json.dumps(listed))], next_state, "topics", 0)
            return
        stream = data.get("post_stream") or {}
        posts = list(stream.get("posts") or [])
        known = self.con.execute("select max(cast(post_id as bigint)) from raw_discourse.posts where topic_id = ?",
                                 [str(topic_id)]).fetchone()[0] or 0
        have = {p.get("id") for p in posts if isinstance(p, dict)}
        missing = [i for i in stream.get("stream") or [] if isinstance(i, int) and i not in have and i > known]
        for start in range(0, len(missing), POSTS_PER_REQUEST):
            chunk = missing[start:start + POSTS_PER_REQUEST]
            more = self.forum.get(f"/t/{topic_id}/posts.json", {"post_ids[]": chunk})
            posts += (more.get("post_stream") or {}).get("posts") or []
        items: list[Record | Rejected] = [topic_record(data, f"{where}[topic]")]
        authors: dict[str, Record] = {}
        for index, post in enumerate(posts):
            items.append(post_record(post, f"{where}[posts.{index}]", str(topic_id)))
            author = post_author(post, f"{where}[posts.{index}.user]") if isinstance(post, dict) else None
            if author is not None:
                authors.setdefault(author.columns["user_id"], author)
        self.land(items + list(authors.values()), next_state, "posts", len(posts))
        self.summary.add("topics", 1)


def sync(settings: Any, con: duckdb.DuckDBPyConnection, *, progress: Progress | None = None,
         options: ClientOptions | None = None) -> SyncSummary:
    """Pull categories, then every topic bumped since the last sweep, with its new posts."""
    progress = progress or NoProgress()
    forum = forum_for(settings, options)
    summary = SyncSummary(SOURCE)
    run = Sync(forum, con, summary, progress)
    status = "failed"
    progress.start(2, 0)
    try:
        for name, step in (("categories", run.categories), ("topics", run.topics)):
            progress.unit_started(f"{run.host}:{name}", 0)
            step()
        status = "succeeded"
    finally:
        finish_run(con, run.batch_id, status, summary.fetched)
        progress.finish()
        forum.close()
    return summary


def check(settings: Any, options: ClientOptions | None = None) -> CheckResult:
    """GET /site.json with the key (an invalid key is refused there too)."""
    if not settings.value("DISCOURSE_URL"):
        return CheckResult(SOURCE, "missing", "DISCOURSE_URL is not set")
    try:
        forum = forum_for(settings, options or ClientOptions.from_settings(settings, retries=1, max_wait_s=0.0,
                                                                               timeout_s=10.0))
        try:
            forum.get("/site.json")
        finally:
            forum.close()
    except LiveError as exc:
        return CheckResult(SOURCE, "failing", str(exc))
    keyed = "with DISCOURSE_API_KEY" if settings.secret("DISCOURSE_API_KEY") else f"without a key ({KEY_HINT})"
    return CheckResult(SOURCE, "configured", f"{settings.value('DISCOURSE_URL')} answers {keyed}")
