"""The live Discourse connector: real `requests`/urllib3 against a loopback forum
(tests/fakes/discourse.py) with 3 topics a page and 4 posts a topic chunk."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from codeconvene.settings import Settings
from codeconvene.warehouse import connect
from ingest.core.cursors import get_cursor
from ingest.core.live import LiveError
from ingest.discourse.api import check, sync
from ingest.discourse.api_client import ClientOptions
from tests.fakes.discourse import FakeDiscourse, stamp


@pytest.fixture
def forum():
    with FakeDiscourse() as server:
        yield server


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def seed(forum: FakeDiscourse) -> None:
    """7 topics (one pinned, one with 9 posts: a chunk of 4 and 5 more) over 3 listing pages."""
    forum.add_topic(1, 0, posts=2, pinned=True)
    for topic_id in range(2, 8):
        forum.add_topic(topic_id, topic_id * 10, posts=9 if topic_id == 3 else 2)


def settings_for(forum: FakeDiscourse, tmp_path: Path, **env: str) -> Settings:
    return Settings(home=tmp_path, env={"DISCOURSE_URL": forum.base_url, "DISCOURSE_API_KEY": "good-key",
                                        "DISCOURSE_API_USER": "system", **env})


def options(sleeps: list[float] | None = None, **overrides) -> ClientOptions:
    record = sleeps.append if sleeps is not None else (lambda seconds: None)
    return ClientOptions(**{"backoff_s": 0.01, "sleep": record, **overrides})


def landed(con) -> dict[str, list[str]]:
    return {"topics": sorted(r[0] for r in con.execute("select topic_id from raw_discourse.topics").fetchall()),
            "posts": sorted(r[0] for r in con.execute("select post_id from raw_discourse.posts").fetchall())}


def expected(forum: FakeDiscourse) -> dict[str, list[str]]:
    return {"topics": sorted(str(t) for t in forum.topics),
            "posts": sorted(str(p["id"]) for t in forum.topics.values() for p in t.posts)}


def cursor(con, forum: FakeDiscourse) -> dict:
    host = forum.base_url.split("//")[1]
    return json.loads(get_cursor(con, "discourse", f"{host}:topics"))


def test_every_topic_and_post_lands_once(forum, con, tmp_path):
    seed(forum)
    summary = sync(settings_for(forum, tmp_path), con, options=options())
    assert landed(con) == expected(forum)
    assert summary.streams["topics"] == 7 and summary.streams["posts"] == 2 * 6 + 9
    # the 5 posts beyond topic 3's first chunk came in one posts.json request, by id
    extra = forum.seen("/t/3/posts.json")
    assert len(extra) == 1
    assert extra[0].query["post_ids[]"] == [str(p["id"]) for p in forum.topics[3].posts[4:]]
    authors = {r[0] for r in con.execute("select username from raw_discourse.users").fetchall()}
    assert authors == set(forum.users.values())
    assert con.execute("select count(*) from raw_discourse.categories").fetchone()[0] == 2
    assert cursor(con, forum) == {"done": stamp(71)[:19], "page": 0, "skip": 0, "high": None}  # topic 7
    assert con.execute("select count(*) from meta.quarantine").fetchone()[0] == 0
    text = con.execute("select text from raw_discourse.posts where post_id = ?",
                       [str(forum.topics[3].posts[8]["id"])]).fetchone()[0]
    assert text == f"Post {forum.topics[3].posts[8]['id']} in topic 3"


def test_second_run_fetches_only_bumped_topics_and_new_posts(forum, con, tmp_path):
    seed(forum)
    settings = settings_for(forum, tmp_path)
    sync(settings, con, options=options())
    before = len(forum.requests)
    # GIVEN two new posts in topic 3 (beyond its first chunk) and a new topic
    new_posts = [forum.add_post(3, 200), forum.add_post(3, 201)]
    forum.add_topic(8, 210)
    # WHEN synced again
    summary = sync(settings, con, options=options())
    # THEN only those two topics are fetched, and only the new posts asked for by id
    topic_views = sorted(r.path for r in forum.requests[before:] if r.path.startswith("/t/"))
    assert topic_views == ["/t/3.json", "/t/3/posts.json", "/t/8.json"]
    asked = next(r for r in forum.requests[before:] if r.path == "/t/3/posts.json").query["post_ids[]"]
    assert asked == [str(p["id"]) for p in new_posts]
    assert summary.streams["topics"] == 2
    assert landed(con) == expected(forum)
    assert cursor(con, forum)["done"] == stamp(210)[:19]


def test_429_and_502_are_waited_out_and_timeouts_retried(forum, con, tmp_path):
    seed(forum)
    forum.fail("/latest.json", 429, retry_after="1")
    forum.fail("/t/3.json", 502, times=2)
    forum.fail("/t/5.json", 200, delay_s=1.3)
    sleeps: list[float] = []
    sync(settings_for(forum, tmp_path), con, options=options(sleeps, timeout_s=1.0))
    assert 1 in sleeps
    assert len(forum.seen("/t/3.json")) == 3 and len(forum.seen("/t/5.json")) == 2
    assert landed(con) == expected(forum)


def test_a_wait_over_the_cap_stops_with_one_line_and_keeps_progress(forum, con, tmp_path):
    seed(forum)
    forum.fail("/t/4.json", 429, retry_after="5000")
    sleeps: list[float] = []
    with pytest.raises(LiveError) as caught:
        sync(settings_for(forum, tmp_path), con, options=options(sleeps, max_wait_s=60))
    assert str(caught.value) == "Discourse asks to wait 5000 s (429 Retry-After), over the 60 s cap"
    assert sleeps == [] and landed(con)["topics"] == ["1", "5", "6", "7"]


def test_invalid_key_is_one_clear_error(forum, con, tmp_path):
    seed(forum)
    settings = settings_for(forum, tmp_path, DISCOURSE_API_KEY="secret-wrong-key")
    with pytest.raises(LiveError) as caught:
        sync(settings, con, options=options())
    message = str(caught.value)
    assert message == "Discourse rejected DISCOURSE_API_KEY/DISCOURSE_API_USER (403 invalid_access)"
    assert "secret-wrong-key" not in message + caught.value.hint
    assert caught.value.__context__ is None  # no chained traceback to print
    assert con.execute("select status from meta.runs").fetchall() == [("failed",)]
    result = check(settings)
    assert result.status == "failing" and "DISCOURSE_API_KEY" in result.reason


def test_check_reports_configured_and_missing(forum, tmp_path):
    assert check(settings_for(forum, tmp_path)).status == "configured"
    assert check(Settings(home=tmp_path, env={})).status == "missing"


def test_run_dying_midway_resumes_at_the_topic_it_stopped(forum, con, tmp_path):
    # GIVEN a sync that dies on topic 4 (the 2nd topic of page 1), after 1, 7, 6 and 5 landed
    seed(forum)
    forum.fail("/t/4.json", 500, times=3)  # every attempt of a run with retries=2
    settings = settings_for(forum, tmp_path)
    with pytest.raises(LiveError):
        sync(settings, con, options=options(retries=2))
    assert landed(con)["topics"] == ["1", "5", "6", "7"]
    assert cursor(con, forum) == {"done": None, "page": 1, "skip": 1, "high": stamp(71)[:19]}
    # WHEN it runs again
    before = len(forum.requests)
    sync(settings, con, options=options())
    # THEN it starts on page 1 at topic 4, fetches no landed topic again, and nothing is missing
    again = [r.path for r in forum.requests[before:] if r.path.startswith("/t/") and r.path.endswith(".json")]
    assert sorted(again) == ["/t/2.json", "/t/3.json", "/t/3/posts.json", "/t/4.json"]
    assert [r.query["page"] for r in forum.requests[before:] if r.path == "/latest.json"] == [["1"], ["2"]]
    assert landed(con) == expected(forum)
    assert cursor(con, forum)["done"] == stamp(71)[:19]


def test_topic_gone_since_listed_is_quarantined_not_fatal(forum, con, tmp_path):
    seed(forum)
    forum.fail("/t/6.json", 404, times=1)
    sync(settings_for(forum, tmp_path), con, options=options())
    assert landed(con)["topics"] == [t for t in expected(forum)["topics"] if t != "6"]
    reasons = con.execute("select location, reason from meta.quarantine").fetchall()
    assert reasons == [(f"{forum.base_url}/t/6.json",
                        "topic listed but not readable now (403/404: deleted, moved or hidden since)")]


def test_live_topics_equal_saved_topic_json(forum, con, tmp_path):
    """A topic pulled live and the same /t/{id}.json saved to a file land as the same row."""
    from ingest.core.runner import ingest_units
    from ingest.discourse.files import discourse_units

    seed(forum)
    sync(settings_for(forum, tmp_path), con, options=options())
    saved = tmp_path / "saved"
    saved.mkdir()
    request = urllib.request.Request(f"{forum.base_url}/t/5.json", headers={"Api-Key": "good-key", "Api-Username": "x"})
    (saved / "topic-5.5.json").write_bytes(urllib.request.urlopen(request).read())
    other = connect(tmp_path / "files.duckdb")
    ingest_units(other, discourse_units(saved))
    sql = ("select * exclude (_batch_id, _ingested_at, _source) from raw_discourse.{} where {} order by all")
    for table, where in (("topics", "topic_id = '5'"), ("posts", "topic_id = '5'")):
        assert con.execute(sql.format(table, where)).fetchall() == other.execute(sql.format(table, where)).fetchall()
    other.close()
