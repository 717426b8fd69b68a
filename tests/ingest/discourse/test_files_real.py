"""The real Discourse topic sample lands whole; expected counts come from its JSON files."""

from __future__ import annotations

import json
import shutil

import pytest
from bs4 import BeautifulSoup

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover

pytestmark = pytest.mark.real_data


def _own_code_block(cooked: str) -> bool:
    """A code block the author wrote, not one inside a link preview (those become the URL)."""
    soup = BeautifulSoup(cooked, "html.parser")
    return any(pre.find_parent("aside", class_="onebox") is None for pre in soup.find_all("pre"))


def test_real_discourse_topics_counts_and_replay(real_data, tmp_path):
    # GIVEN the real topic files and counts read straight from them
    root = real_data / "discourse" / "urho3d"
    topics = [json.loads(path.read_text()) for path in sorted(root.glob("*.json"))]
    posts = [post for topic in topics for post in topic["post_stream"]["posts"]]
    user_ids = {str(post["user_id"]) for post in posts}
    replies = sum(1 for post in posts if post.get("reply_to_post_number"))
    # WHEN the folder is ingested with the format auto-detected
    con = connect(tmp_path / "w.duckdb")
    summary = ingest_units(con, discover([root]))
    count = lambda sql: con.execute(sql).fetchone()[0]
    # THEN topics, posts and users match the files (349 topics, 2,813 posts per the manifest)
    assert summary.quarantined == 0 and not summary.errors
    assert count("select count(*) from raw_discourse.topics") == len(topics) == 349
    assert count("select count(*) from raw_discourse.posts") == len(posts) == 2_813
    assert {r[0] for r in con.execute("select user_id from raw_discourse.users").fetchall()} == user_ids
    # AND posts keep their topic, reply target and a readable text
    assert count("select count(*) from raw_discourse.posts where payload->>'$.reply_to_post_number' is not null") == replies
    by_topic = dict(con.execute("select topic_id, count(*) from raw_discourse.posts group by 1").fetchall())
    assert by_topic == {str(t["id"]): len(t["post_stream"]["posts"]) for t in topics}
    assert count("select count(*) from raw_discourse.posts where text like '%<p>%' or text like '%<aside%'") == 0
    with_code = sum(1 for post in posts if _own_code_block(post["cooked"]))
    assert count("select count(*) from raw_discourse.posts where text like '%```%'") == with_code
    # AND a post's time is its edit time, a topic's its last activity
    latest = max(topics, key=lambda t: t["last_posted_at"])
    assert str(count(f"select updated_at from raw_discourse.topics where topic_id = '{latest['id']}'"))[:19] == \
        latest["last_posted_at"][:19].replace("T", " ")
    # WHEN the folder is ingested again, and then a copy of it
    again = ingest_units(con, discover([root]))
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    copied = ingest_units(con, discover([copy]))
    # THEN the replay skips every file and the copy finds every row unchanged
    assert (again.skipped, again.records) == (349, 0)
    assert (copied.counts.inserted, copied.counts.updated, copied.counts.unchanged) == (0, 0, copied.records)
