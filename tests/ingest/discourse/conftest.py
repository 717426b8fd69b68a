"""Hand-made Discourse API responses in the shapes the public API returns."""

from __future__ import annotations

from types import SimpleNamespace

import pytest


def post(post_id: int, number: int, user_id: int, username: str, cooked: str, *, topic_id: int = 77,
         created: str = "2024-03-04T09:00:00.000Z", updated: str | None = None, reply_to: int | None = None) -> dict:
    return {
        "id": post_id, "name": username.title(), "username": username, "user_id": user_id,
        "avatar_template": f"/user_avatar/forum.example.org/{username}/{{size}}/1_2.png",
        "created_at": created, "updated_at": updated or created, "cooked": cooked, "post_number": number,
        "post_type": 1, "reply_count": 0, "reply_to_post_number": reply_to, "reads": 3, "topic_id": topic_id,
        "topic_slug": "rotating-keys", "actions_summary": [{"id": 2, "count": 1}], "version": 1,
    }


def topic(posts: list[dict], *, topic_id: int = 77, title: str = "Rotating keys?") -> dict:
    """`/t/<slug>/<id>.json`: post_stream first, as Discourse serialises it."""
    return {
        "post_stream": {"posts": posts, "stream": [p["id"] for p in posts]},
        "id": topic_id, "title": title, "fancy_title": title, "posts_count": len(posts),
        "created_at": "2024-03-04T09:00:00.000Z", "last_posted_at": "2024-03-05T10:00:00.000Z",
        "bumped_at": "2024-03-05T11:00:00.000Z", "category_id": 4, "tags": ["api"], "slug": "rotating-keys",
        "details": {"created_by": {"id": 10, "username": "ada"}},
    }


def conversation() -> list[dict]:
    return [
        post(501, 1, 10, "ada", "<p>How do I rotate the key?</p>"),
        post(502, 2, 11, "bob", '<aside class="quote no-group" data-username="ada" data-post="1" data-topic="77">'
             '<div class="title"><div class="quote-controls"></div><img alt="" class="avatar" src="a.png"> ada:</div>'
             "<blockquote><p>How do I rotate the key?</p></blockquote></aside>\n"
             '<p>Run this:</p>\n<pre><code class="lang-bash">rotate --force\n  --all\n</code></pre>\n'
             '<p>See <a href="https://example.org/docs">the docs</a> <img src="e.png" class="emoji" alt=":+1:"></p>',
             created="2024-03-04T10:00:00.000Z", updated="2024-03-04T12:30:00.000Z", reply_to=1),
        post(503, 3, 10, "ada", "<p>Thanks!<br>\nIt worked.</p>", created="2024-03-05T10:00:00.000Z"),
        post(504, 4, -1, "system", "<p>closed</p>", created="2024-03-05T11:00:00.000Z"),
    ]


@pytest.fixture
def discourse() -> SimpleNamespace:
    return SimpleNamespace(post=post, topic=topic, conversation=conversation)
