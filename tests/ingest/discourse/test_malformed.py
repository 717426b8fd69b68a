"""Broken Discourse files: good records land, bad ones are quarantined, none vanish.

Same check as the Discord cases: landed rows + quarantined records = records in the file,
each rejection names the file and the record (`file[post_stream.posts.2]`) and says why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import by_name


@dataclass(frozen=True)
class Case:
    make: Callable  # (folder, discourse) -> bytes written to t.json
    table: str
    total: int
    landed: int
    rejects: tuple[tuple[str, str], ...]
    notes: int = 0


def _topic(mutate: Callable[[dict], None] = lambda t: None, edit: Callable[[str], str | bytes] = lambda s: s):
    def make(discourse) -> bytes:
        data = discourse.topic(discourse.conversation())
        mutate(data)
        text = edit(json.dumps(data))
        return text if isinstance(text, bytes) else text.encode()
    return make


def _post(index: int, key: str, value):
    def mutate(data):
        post = data["post_stream"]["posts"][index]
        if value is DELETE:
            del post[key]
        else:
            post[key] = value
    return mutate


def _cut_in_post(text: str, post_id: int) -> str:
    return text[: text.index(f'"id": {post_id}') + 30]


def _raw(data: object) -> Callable:
    return lambda discourse: json.dumps(data).encode()


DELETE = object()
P = r"\[post_stream\.posts\.{}\]$"
POSTS, TOPICS, USERS, CATEGORIES = (f"raw_discourse.{t}" for t in ("posts", "topics", "users", "categories"))
CASES = {
    "truncated in the third post": Case(_topic(edit=lambda s: _cut_in_post(s, 503)), POSTS, 3, 2,
                                        ((r"t\.json$", "truncated JSON"), (P.format(2), "cut off")), notes=1),
    "post without id": Case(_topic(_post(1, "id", DELETE)), POSTS, 4, 3, ((P.format(1), "valid 'id'"),)),
    "post id of the wrong type": Case(_topic(_post(1, "id", "five")), POSTS, 4, 3, ((P.format(1), "valid 'id'"),)),
    "created_at a number": Case(_topic(_post(2, "created_at", 1709542805)), POSTS, 4, 3,
                                ((P.format(2), "timestamp string"),)),
    "updated_at not a date": Case(_topic(_post(2, "updated_at", "soon")), POSTS, 4, 3, ((P.format(2), "'updated_at'"),)),
    "post without any time": Case(_topic(lambda d: [d["post_stream"]["posts"][0].pop(k) for k in ("created_at", "updated_at")]),
                                  POSTS, 4, 3, ((P.format(0), "no 'created_at'"),)),
    "cooked not a string": Case(_topic(_post(3, "cooked", ["<p>"])), POSTS, 4, 3, ((P.format(3), "'cooked' is not a string"),)),
    "post not an object": Case(_topic(lambda d: d["post_stream"]["posts"].insert(1, 42)), POSTS, 5, 4,
                               ((P.format(1), "not an object"),)),
    "invalid UTF-8 in a post": Case(_topic(edit=lambda s: s.replace("Thanks!", "Thanks\x00").encode().replace(b"\x00", b"\xff")),
                                    POSTS, 4, 3, ((P.format(2), "invalid UTF-8"),)),
    "duplicate post id": Case(_topic(_post(3, "id", 501)), POSTS, 4, 3, ((P.format(3), "duplicate raw_discourse.posts id 501"),)),
    "empty file": Case(lambda d: b"", POSTS, 0, 0, ((r"t\.json$", "empty file"),), notes=1),
    "whitespace only": Case(lambda d: b"  \n ", POSTS, 0, 0, ((r"t\.json$", "empty file"),), notes=1),
    "no Discourse content at the top level": Case(_raw({"user_badges": [], "avatar_template": "x"}), POSTS, 0, 0,
                                                  ((r"t\.json$", "no Discourse content"),), notes=1),
    "top level is an array": Case(_raw([{"id": 1}]), POSTS, 0, 0, ((r"t\.json$", "not an object"),), notes=1),
    "posts not an array": Case(_topic(lambda d: d["post_stream"].update(posts={"a": 1})), POSTS, 0, 0,
                               ((r"\[post_stream\.posts\]$", "not an array"),), notes=1),
    "topic without created_at": Case(_topic(lambda d: [d.pop(k) for k in ("created_at", "last_posted_at", "bumped_at")]),
                                     TOPICS, 1, 0, ((r"\[topic\]$", "no 'created_at'"),)),
    "topic title not a string": Case(_topic(lambda d: d.update(title=7)), TOPICS, 1, 0, ((r"\[topic\]$", "'title'"),)),
    "latest topics not an array, users fine": Case(
        _raw({"users": [{"id": 1, "username": "a"}, {"id": 2, "username": "b"}], "topic_list": {"topics": None}}), USERS, 2, 2,
        ((r"\[topic_list\.topics\]$", "not an array"),), notes=1),
    "user list entry without id": Case(_raw({"users": [{"username": "a"}, {"id": 2, "username": "b"}], "topic_list": {"topics": []}}),
                                       USERS, 2, 1, ((r"\[users\.0\]$", "valid 'id'"),)),
    "latest_posts item not an object": Case(_raw({"latest_posts": ["x", {"id": 9, "topic_id": 1, "created_at": "2024-01-01T00:00:00Z"}]}),
                                            POSTS, 2, 1, ((r"\[latest_posts\.0\]$", "not an object"),)),
    "latest_posts item without topic": Case(_raw({"latest_posts": [{"id": 9, "created_at": "2024-01-01T00:00:00Z"}]}),
                                            POSTS, 1, 0, ((r"\[latest_posts\.0\]$", "'topic_id'"),)),
    "category without id, subcategory fine": Case(
        _raw({"category_list": {"categories": [{"name": "x"}, {"id": 4, "name": "S", "subcategory_list": [{"id": 9}, {"name": "y"}]}]}}),
        CATEGORIES, 4, 2, ((r"\[category_list\.categories\.0\]$", "valid 'id'"),
                           (r"\[category_list\.categories\.1\.subcategory_list\.1\]$", "valid 'id'"))),
    "user profile with a bad last_seen_at": Case(_raw({"user": {"id": 3, "username": "c", "last_seen_at": "never",
                                                                "avatar_template": "/a"}}), USERS, 1, 0,
                                                 ((r"\[user\]$", "'last_seen_at'"),)),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_damaged_file_lands_good_records_and_quarantines_the_rest(case, tmp_path, discourse):
    # GIVEN a damaged Discourse response saved as t.json
    path = tmp_path / "t.json"
    path.write_bytes(case.make(discourse))
    # WHEN it is ingested as discourse-json
    con = connect(tmp_path / "w.duckdb")
    summary = ingest_units(con, by_name("discourse-json").units(path))
    # THEN the unit did not fail and the good records landed
    assert not summary.errors
    exists = con.execute("select count(*) from information_schema.tables where table_schema || '.' || table_name = ?",
                         [case.table]).fetchone()[0]
    landed = con.execute(f"select count(*) from {case.table}").fetchone()[0] if exists else 0
    assert landed == case.landed
    # AND each bad record is quarantined with its location and reason
    rows = con.execute("select location, reason from meta.quarantine").fetchall()
    assert len(rows) == len(case.rejects), rows
    unmatched = list(rows)
    for location, reason in case.rejects:
        hit = next((r for r in unmatched if re.search(location, r[0]) and reason in r[1]), None)
        assert hit is not None, (location, reason, rows)
        assert hit[0].startswith(str(Path(path).resolve()))
        unmatched.remove(hit)
    # AND nothing was lost
    assert landed + len(case.rejects) - case.notes == case.total


def test_a_bad_post_does_not_take_its_author_or_topic_with_it(tmp_path, discourse):
    # GIVEN a topic whose second post (bob's only one) has no id
    path = tmp_path / "t.json"
    path.write_bytes(CASES["post without id"].make(discourse))
    # WHEN ingested
    con = connect(tmp_path / "w.duckdb")
    ingest_units(con, by_name("discourse-json").units(path))
    # THEN the topic and every author of a landed post are there, and the quarantined text is the post
    assert con.execute("select count(*) from raw_discourse.topics").fetchone()[0] == 1
    assert sorted(r[0] for r in con.execute("select user_id from raw_discourse.users").fetchall()) == ["-1", "10"]
    assert json.loads(con.execute("select raw_text from meta.quarantine").fetchone()[0])["username"] == "bob"
