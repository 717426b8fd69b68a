"""Each Discourse response kind lands in its tables; cooked HTML becomes readable text."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.discourse.cooked import cooked_to_text
from ingest.formats import discover


def _ingest(tmp_path, files: dict[str, object]):
    folder = tmp_path / "forum"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_text(json.dumps(data))
    con = connect(tmp_path / "w.duckdb")
    return con, ingest_units(con, discover([folder]))


def _rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_topic_file_gives_topic_posts_and_authors(tmp_path, discourse):
    # GIVEN a /t/<slug>/<id>.json response with four posts by three users
    con, summary = _ingest(tmp_path, {"rotating-keys.77.json": discourse.topic(discourse.conversation())})
    # WHEN its tables are read
    # THEN one topic with its category and last-activity time, without the posts in its payload
    assert _rows(con, "select topic_id, category_id, title, updated_at from raw_discourse.topics") == [
        ("77", "4", "Rotating keys?", datetime(2024, 3, 5, 11))]
    payload = json.loads(_rows(con, "select payload from raw_discourse.topics")[0][0])
    assert payload["post_stream"] == {"stream": [501, 502, 503, 504]} and payload["tags"] == ["api"]
    # AND four posts, each timed by its edit (else creation), reply target kept
    assert _rows(con, "select post_id, topic_id, username, updated_at, payload->>'$.reply_to_post_number' "
                      "from raw_discourse.posts order by 1") == [
        ("501", "77", "ada", datetime(2024, 3, 4, 9), None), ("502", "77", "bob", datetime(2024, 3, 4, 12, 30), "1"),
        ("503", "77", "ada", datetime(2024, 3, 5, 10), None), ("504", "77", "system", datetime(2024, 3, 5, 11), None)]
    # AND each author once, with the fields the post carried
    users = {r[0]: json.loads(r[2]) for r in _rows(con, "select user_id, username, payload from raw_discourse.users")}
    assert sorted(users) == ["-1", "10", "11"]
    assert users["11"] == {"id": 11, "username": "bob", "name": "Bob",
                           "avatar_template": "/user_avatar/forum.example.org/bob/{size}/1_2.png"}
    assert summary.quarantined == 0


def test_cooked_html_becomes_readable_text(discourse):
    # GIVEN bob's post: a quote, a paragraph, a code block, a link and an emoji
    cooked = discourse.conversation()[1]["cooked"]
    # WHEN turned into text
    text = cooked_to_text(cooked)
    # THEN the quote is marked with its author, the code keeps its fence, language and indentation
    assert text == ("> ada:\n> How do I rotate the key?\n\nRun this:\n\n```bash\nrotate --force\n  --all\n```\n\n"
                    "See the docs :+1:")


@pytest.mark.parametrize("cooked, expected", [
    ("<p>a<br>\nb</p><p>c</p>", "a\nb\n\nc"),
    ("<ul><li>one</li><li>two <code>x()</code></li></ul>", "- one\n- two `x()`"),
    (('<div class="lightbox-wrapper"><a class="lightbox" href="i.png"><img src="i.png" alt="i">'
      '<div class="meta"><span class="filename">i.png</span></div></a></div>'), "[image]"),
    ('<aside class="onebox" data-onebox-src="https://github.com/o/r/pull/1"><article><pre>noise</pre></article></aside>',
     "https://github.com/o/r/pull/1"),
    ('<p><a class="mention" href="/u/ada">@ada</a> look</p>', "@ada look"),
    ("", ""),
])
def test_cooked_pieces(cooked, expected):
    # GIVEN a piece of cooked HTML / WHEN converted / THEN the reader's text
    assert cooked_to_text(cooked) == expected


def test_latest_posts_categories_and_user_files(tmp_path, discourse):
    # GIVEN /latest.json, /posts.json, /categories.json and /u/<name>.json responses
    latest = {"users": [{"id": 10, "username": "ada", "name": "Ada", "avatar_template": "/a/{size}.png"}],
              "topic_list": {"topics": [{"id": 77, "title": "Rotating keys?", "category_id": 4,
                                         "created_at": "2024-03-04T09:00:00.000Z",
                                         "last_posted_at": "2024-03-05T10:00:00.000Z"}]}}
    posts = {"latest_posts": [discourse.post(601, 1, 12, "cy", "<p>new</p>", topic_id=78)]}
    categories = {"category_list": {"categories": [
        {"id": 4, "name": "Support", "slug": "support", "subcategory_list": [{"id": 9, "name": "Keys"}]},
        {"id": 5, "name": "Meta"}]}}
    user = {"user_badges": [], "user": {"id": 10, "username": "ada", "name": "Ada L.", "avatar_template": "/a/{size}.png",
                                        "created_at": "2020-01-01T00:00:00.000Z", "last_seen_at": "2024-03-06T08:00:00.000Z",
                                        "website": "https://github.com/ada"}}
    # WHEN the folder is ingested
    con, summary = _ingest(tmp_path, {"latest.json": latest, "posts.json": posts, "categories.json": categories,
                                      "ada.json": user})
    # THEN each kind lands where it belongs
    assert summary.quarantined == 0 and not summary.errors
    assert _rows(con, "select topic_id, updated_at from raw_discourse.topics") == [("77", datetime(2024, 3, 5, 10))]
    assert _rows(con, "select post_id, topic_id, username, text from raw_discourse.posts") == [("601", "78", "cy", "new")]
    assert sorted(_rows(con, "select category_id, category_name from raw_discourse.categories")) == [
        ("4", "Support"), ("5", "Meta"), ("9", "Keys")]
    # AND the full profile (dated by last_seen_at) outranks the undated user list entry, whatever the order
    assert _rows(con, "select user_id, updated_at, payload->>'$.website' from raw_discourse.users order by 1") == [
        ("10", datetime(2024, 3, 6, 8), "https://github.com/ada"), ("12", datetime(1970, 1, 1), None)]


def test_a_later_edit_replaces_the_post_and_an_older_copy_does_not(tmp_path, discourse):
    # GIVEN a topic, then the same topic after bob edited his post, then the original again
    original = discourse.conversation()
    edited = discourse.conversation()
    edited[1].update(cooked="<p>Edited answer</p>", updated_at="2024-03-06T09:00:00.000Z")
    con = connect(tmp_path / "w.duckdb")
    for name, posts in (("v1", original), ("v2", edited), ("v3", original)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "t.json").write_text(json.dumps(discourse.topic(posts)))
        ingest_units(con, discover([tmp_path / name]))
    # WHEN the post is read / THEN the edit won and the older replay did not undo it
    assert _rows(con, "select text, updated_at from raw_discourse.posts where post_id = '502'") == [
        ("Edited answer", datetime(2024, 3, 6, 9))]
