"""Planned topics → Discourse API responses saved as files, as a forum backup script keeps them.

`discourse/t/<slug>/<id>.json` (the topic with its post stream), `discourse/categories.json`
and `discourse/latest.json` (the first page of /latest, with its users). Discourse's JSON
names no emails; people link by username + full name. Post ids and topic ids count up in
creation order; `cooked` is the HTML Discourse renders from the post's markdown.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.simulate.community import Community
from ingest.simulate.config import SimulationConfig, stream
from ingest.simulate.discourse_plan import CATEGORIES, ForumPost, Topic, sorted_posts
from ingest.simulate.ids import discourse_time

FORUM = "forum.convene-labs.io"
PER_PAGE = 30
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)]+)\)")


@dataclass
class DiscourseExport:
    topics: list[dict]  # full topic responses, in id order
    categories: dict
    latest: dict


def cook(raw: str) -> str:
    """The subset of Discourse's markdown the simulator writes: paragraphs, code, bold, links."""
    out = []
    for block in raw.split("\n\n"):
        text = html.escape(block, quote=False)
        text = _CODE.sub(r"<code>\1</code>", text)
        text = _BOLD.sub(r"<strong>\1</strong>", text)
        text = _LINK.sub(r'<a href="\2">\1</a>', text)
        out.append(f"<p>{text}</p>")
    return "\n".join(out)


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] or "topic"


def render_discourse(config: SimulationConfig, community: Community, topics: list[Topic]) -> DiscourseExport:
    rng = stream(config, "discourse-render")
    topic_id = 7 + rng.randint(1, 20)
    for topic in topics:
        topic_id += rng.randint(1, 3)
        topic.topic_id = topic_id
    post_ids, post_id = {}, 40 + rng.randint(1, 50)
    for _, post in sorted_posts(topics):
        post_id += rng.randint(1, 4)
        post_ids[post] = post_id
    views = {t.topic_id: rng.randint(10, 60) * len(t.posts) for t in topics}

    def user(key: str) -> dict:
        account = community.discourse[key]
        avatar = ("/images/discourse-logo-sketch-small.png" if account.user_id < 0
                  else f"/user_avatar/{FORUM}/{account.username.lower()}/{{size}}/{account.user_id}_2.png")
        return {"id": account.user_id, "username": account.username, "name": account.name, "avatar_template": avatar}

    def post_json(topic: Topic, number: int, post: ForumPost, slug: str) -> dict:
        account = community.discourse[post.author]
        replies = sum(1 for p in topic.posts if p.reply_to is post)
        reply_to = topic.posts.index(post.reply_to) + 1 if post.reply_to is not None else None
        out = {"id": post_ids[post], "name": account.name, "username": account.username,
               "avatar_template": user(post.author)["avatar_template"], "created_at": discourse_time(post.at),
               "cooked": cook(post.raw), "post_number": number, "post_type": 1, "updated_at": discourse_time(post.at),
               "reply_count": replies, "reply_to_post_number": reply_to, "quote_count": 0, "incoming_link_count": 0,
               "reads": rng.randint(2, 40), "readers_count": rng.randint(1, 30), "score": round(rng.uniform(0, 60), 1),
               "yours": False, "topic_id": topic.topic_id, "topic_slug": slug, "display_username": account.name,
               "primary_group_name": None, "version": 1, "can_edit": False, "can_delete": False, "read": True,
               "user_title": None, "bookmarked": False,
               "actions_summary": [{"id": 2, "count": len(post.likes)}] if post.likes else [],
               "moderator": False, "admin": account.admin, "staff": account.admin, "user_id": account.user_id,
               "hidden": False, "trust_level": account.trust_level, "deleted_at": None, "user_deleted": False,
               "edit_reason": None, "wiki": False, "post_url": f"/t/{slug}/{topic.topic_id}/{number}",
               "accepted_answer": post.accepted, "can_accept_answer": False, "can_unaccept_answer": False}
        if reply_to is not None:
            out["reply_to_user"] = {k: v for k, v in user(topic.posts[reply_to - 1].author).items() if k != "id"}
        return out

    full = []
    for topic in topics:
        slug = slugify(topic.title)
        posts = [post_json(topic, n, p, slug) for n, p in enumerate(topic.posts, start=1)]
        full.append(_topic(topic, slug, posts, views[topic.topic_id], user, community))
    counts = Counter(t.category for t in topics)
    posts_by = Counter(t.category for t in topics for _ in t.posts)
    return DiscourseExport(full, _categories(counts, posts_by), _latest(full, user))


def _topic(topic: Topic, slug: str, posts: list[dict], views: int, user, community: Community) -> dict:
    first, last = posts[0], posts[-1]
    authors = Counter(p.author for p in topic.posts)
    participants = [{**user(key), "post_count": n, "primary_group_name": None, "admin": community.discourse[key].admin,
                     "trust_level": community.discourse[key].trust_level} for key, n in authors.most_common()]
    accepted = next((p for p in posts if p["accepted_answer"]), None)
    out = {
        "post_stream": {"posts": posts, "stream": [p["id"] for p in posts]},
        "timeline_lookup": [[1, 0]], "tags": [], "tags_descriptions": {}, "id": topic.topic_id, "title": topic.title,
        "fancy_title": html.escape(topic.title, quote=False), "posts_count": len(posts), "created_at": first["created_at"],
        "views": views, "reply_count": len(posts) - 1, "like_count": sum(a["count"] for p in posts for a in p["actions_summary"]),
        "last_posted_at": last["created_at"], "visible": True, "closed": False, "archived": False, "has_summary": False,
        "archetype": "regular", "slug": slug, "category_id": CATEGORIES[topic.category][0],
        "word_count": sum(len(p["cooked"].split()) for p in posts), "deleted_at": None, "user_id": first["user_id"],
        "featured_link": None, "pinned_globally": topic.pinned, "pinned_at": first["created_at"] if topic.pinned else None,
        "pinned_until": None, "image_url": None, "slow_mode_seconds": 0, "draft": None, "draft_key": f"topic_{topic.topic_id}",
        "draft_sequence": 0, "unpinned": None, "pinned": topic.pinned, "current_post_number": 1,
        "highest_post_number": len(posts), "deleted_by": None, "has_deleted": False, "actions_summary": [],
        "chunk_size": 20, "bookmarked": False, "topic_timer": None, "message_bus_last_id": 0,
        "participant_count": len(authors), "show_read_indicator": False, "thumbnails": None,
        "slow_mode_enabled_until": None, "has_accepted_answer": accepted is not None,
        "details": {"can_edit": False, "notification_level": 1, "participants": participants,
                    "created_by": user(topic.posts[0].author), "last_poster": user(topic.posts[-1].author), "links": []},
        "bumped": True, "bumped_at": last["created_at"],
    }
    if accepted is not None:
        out["accepted_answer"] = {"post_number": accepted["post_number"], "username": accepted["username"],
                                  "name": accepted["name"], "excerpt": re.sub(r"<[^>]+>", "", accepted["cooked"])[:200]}
    return out


def _categories(topics: Counter, posts: Counter) -> dict:
    out = []
    for position, (slug, (category_id, name, color, description)) in enumerate(CATEGORIES.items()):
        out.append({"id": category_id, "name": name, "color": color, "text_color": "FFFFFF", "slug": slug,
                    "topic_count": topics[slug], "post_count": posts[slug], "position": position,
                    "description": f"<p>{html.escape(description)}</p>", "description_text": description,
                    "description_excerpt": description, "topic_url": f"/t/about-the-{slug}-category/{category_id}",
                    "read_restricted": False, "permission": 1, "notification_level": 1, "can_edit": False,
                    "topic_template": None, "has_children": False, "sort_order": None, "sort_ascending": None,
                    "show_subcategory_list": False, "num_featured_topics": 3, "default_view": None,
                    "subcategory_list_style": "rows_with_featured_topics", "default_top_period": "all",
                    "minimum_required_tags": 0, "navigate_to_first_post_after_read": False, "subcategory_ids": [],
                    "uploaded_logo": None, "uploaded_background": None})
    return {"category_list": {"can_create_category": False, "can_create_topic": True, "categories": out}}


def _latest(topics: list[dict], user) -> dict:
    page = sorted(topics, key=lambda t: (t["pinned_globally"], t["bumped_at"], t["id"]), reverse=True)[:PER_PAGE]
    users: dict[int, dict] = {}
    listed = []
    for t in page:
        posters = []
        for i, p in enumerate(t["details"]["participants"][:5]):
            users.setdefault(p["id"], {k: p[k] for k in ("id", "username", "name", "avatar_template")})
            posters.append({"extras": "latest" if i == 0 else None, "description": "Original Poster" if i == 0 else "Frequent Poster",
                            "user_id": p["id"], "primary_group_id": None, "flair_group_id": None})
        listed.append({k: t[k] for k in ("id", "title", "fancy_title", "slug", "posts_count", "reply_count",
                                          "highest_post_number", "image_url", "created_at", "last_posted_at", "bumped",
                                          "bumped_at", "archetype", "pinned", "unpinned", "visible", "closed", "archived",
                                          "bookmarked", "tags", "tags_descriptions", "views", "like_count", "has_summary",
                                          "category_id", "pinned_globally", "featured_link", "has_accepted_answer")}
                      | {"unseen": False, "liked": False, "last_poster_username": t["details"]["last_poster"]["username"],
                         "posters": posters})
    more = "/latest?no_definitions=true&page=1" if len(topics) > PER_PAGE else None
    return {"users": list(users.values()), "primary_groups": [], "flair_groups": [],
            "topic_list": {"can_create_topic": True, **({"more_topics_url": more} if more else {}), "per_page": PER_PAGE,
                           "top_tags": [], "topics": listed}}


def write_discourse(export: DiscourseExport, folder: Path) -> None:
    """`t/<slug>/<id>.json` per topic, `categories.json`, `latest.json`; stale topic files go first."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in (folder / "t").glob("*/*.json"):
        stale.unlink()
    for topic in export.topics:
        path = folder / "t" / topic["slug"] / f"{topic['id']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        _dump(path, topic)
    _dump(folder / "categories.json", export.categories)
    _dump(folder / "latest.json", export.latest)


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
