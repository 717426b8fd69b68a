"""Every export the simulator writes goes through its real connector and lands whole.

Each folder is ingested with `ingest.formats.discover` + `ingest_units` into its own temp
warehouse; the counts must equal the ground truth's, nothing may be quarantined, and the
copies of one thing (a Discord channel as JSON and as HTML; GitHub as GH Archive events and
as REST objects) must describe the same records.
"""

from __future__ import annotations

import json
import re
import subprocess
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.discord.common import snowflake_time
from ingest.formats import discover


def _land(tmp_path: Path, name: str, paths: list[Path], **kwargs):
    con = connect(tmp_path / f"{name}.duckdb")
    summary = ingest_units(con, discover(paths, **kwargs))
    assert summary.errors == [], summary.errors
    assert summary.quarantined == 0, con.execute("select location, reason from meta.quarantine limit 5").fetchall()
    return con, summary


def _count(con, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchone()[0]


def _messages(con) -> dict[str, tuple]:
    rows = con.execute("select message_id, channel_id, author_id, updated_at, payload from raw_discord.messages").fetchall()
    out = {}
    for message_id, channel_id, author_id, updated_at, payload in rows:
        m = json.loads(payload)
        out[message_id] = (channel_id, author_id, m["author"]["name"], m["author"].get("isBot"),
                           datetime.fromisoformat(m["timestamp"]).replace(tzinfo=None), updated_at, m["content"],
                           sorted((r["emoji"]["name"], r["count"]) for r in m["reactions"]),
                           (m.get("reference") or {}).get("messageId"), m["isPinned"], m.get("type"))
    return out


def test_discord_folder_lands_every_message_once(tmp_path, all_dir, all_truth):
    # GIVEN the discord folder: JSON exports, their HTML copies and a CSV-only channel
    # WHEN all of it is ingested together
    with closing(_land(tmp_path, "discord", [all_dir / "discord"])[0]) as con:
        # THEN each message is one row (JSON and HTML copies share ids), the CSV channel's rows included
        counts = all_truth["platform_counts"]
        assert _count(con, "raw_discord.messages") == sum(counts["discord_messages_by_channel"].values())
        by_channel = dict(con.execute("select c.channel_name, count(*) from raw_discord.messages m "
                                      "join raw_discord.channels c using (channel_id) group by 1").fetchall())
        assert by_channel == counts["discord_messages_by_channel"]
        assert con.execute("select guild_id from raw_discord.guilds where guild_id <> 'unknown'").fetchall() == \
            [(all_truth["discord"]["guild_id"],)]


def test_discord_json_and_html_exports_give_identical_message_rows(tmp_path, all_dir, all_truth, discord_json):
    # GIVEN the same channels as DCE JSON and as DCE HTML, each ingested into its own warehouse
    json_con, _ = _land(tmp_path, "json", [all_dir / "discord"], fmt="discord-dce-json")
    html_con, _ = _land(tmp_path, "html", [all_dir / "discord" / "html"])
    with closing(json_con), closing(html_con):
        from_json, from_html = _messages(json_con), _messages(html_con)
    # THEN both hold every message of the JSON exports, with equal ids, authors, times and content
    expected = {m["id"] for doc in discord_json.values() for m in doc["messages"]}
    assert set(from_json) == set(from_html) == expected
    assert len(expected) == all_truth["platform_counts"]["discord_messages_by_format"]["html"]
    assert all(from_html[k] == from_json[k] for k in expected), next(k for k in expected if from_html[k] != from_json[k])
    # AND the planted variety is there: replies, reactions, an edit, a pin and a bot
    rows = list(from_json.values())
    assert any(r[8] for r in rows) and any(r[7] for r in rows) and any(r[9] for r in rows) and any(r[3] for r in rows)
    assert any(r[5] > r[4] for r in rows), "an edited message moves updated_at past its creation"


def test_discord_csv_channel_lands_with_its_authors(tmp_path, all_dir, all_truth, people_by_discord_id):
    # GIVEN the CSV-only channel WHEN ingested THEN every row lands, by a known author, in the window
    with closing(_land(tmp_path, "csv", [all_dir / "discord" / "csv"])[0]) as con:
        rows = con.execute("select author_id, updated_at from raw_discord.messages").fetchall()
        (channel_id, name), = con.execute("select channel_id, channel_name from raw_discord.channels").fetchall()
    assert len(rows) == all_truth["platform_counts"]["discord_messages_by_channel"]["off-topic"] > 0
    assert (channel_id, name) == (all_truth["discord"]["channels"]["off-topic"]["id"], "off-topic")
    start, last = (datetime.fromisoformat(all_truth["window"][k]) for k in ("start", "end"))
    assert all(a in people_by_discord_id and start <= t < last + timedelta(days=1) for a, t in rows)


def test_discord_ids_are_snowflakes_of_their_own_timestamps(discord_json):
    for doc in discord_json.values():
        # GIVEN one channel's messages, in export order
        messages = doc["messages"]
        assert doc["messageCount"] == len(messages)
        assert [int(m["id"]) for m in messages] == sorted(int(m["id"]) for m in messages)
        by_id = {m["id"]: m for m in messages}
        for m in messages:
            # THEN the id encodes the timestamp to the millisecond, and a reply follows its parent
            assert snowflake_time(m["id"]) == datetime.fromisoformat(m["timestamp"]).replace(tzinfo=None)
            if "reference" in m:
                assert m["type"] == "Reply" and m["reference"]["messageId"] in by_id
                assert int(m["reference"]["messageId"]) < int(m["id"])
                assert m["reference"]["channelId"] == doc["channel"]["id"]


def test_discourse_folder_lands_topics_posts_categories_and_users(tmp_path, all_dir, all_truth):
    # GIVEN the topic files, categories.json and latest.json WHEN ingested together
    with closing(_land(tmp_path, "discourse", [all_dir / "discourse"])[0]) as con:
        counts = all_truth["platform_counts"]
        # THEN topics (also listed in latest.json) and posts land once each
        assert _count(con, "raw_discourse.topics") == counts["discourse_topics"]
        assert _count(con, "raw_discourse.posts") == counts["discourse_posts"]
        assert _count(con, "raw_discourse.categories") == counts["discourse_categories"]
        assert _count(con, "raw_discourse.users") == counts["discourse_users"]
        # AND unanswered questions are topics whose only posts are by their asker
        for topic_id in all_truth["discourse"]["unanswered_topic_ids"]:
            authors = con.execute("select distinct payload->>'user_id' from raw_discourse.posts where topic_id = ?",
                                  [str(topic_id)]).fetchall()
            assert len(authors) == 1


def _git_log(repo: Path) -> dict[str, tuple]:
    out = subprocess.run(["git", "-C", str(repo), "log", "--all", "--format=%H%x00%P%x00%aE%x00%aI"],
                         capture_output=True, text=True, check=True).stdout
    rows = [line.split("\x00") for line in out.splitlines()]
    return {sha: (parents.split(), email, datetime.fromisoformat(at)) for sha, parents, email, at in rows}


def test_git_repository_lands_every_commit_with_mailmapped_authors(tmp_path, all_dir, all_truth, all_config):
    git = all_truth["git"]
    # GIVEN the repository WHEN ingested
    with closing(_land(tmp_path, "git", [all_dir / "git"])[0]) as con:
        rows = con.execute("select repository, sha, author_email, is_merge, payload from raw_git.commits").fetchall()
    # THEN every commit lands under the GitHub repository's name (from the origin remote)
    planted = {c["sha"]: c for c in git["commits"]}
    assert {r[1] for r in rows} == set(planted) and len(rows) == all_truth["platform_counts"]["git_commits"]
    assert {r[0] for r in rows} == {all_config.repo}
    # AND emails are the ones after .mailmap, merges are flagged, co-authors come from trailers
    for _, sha, email, is_merge, payload in rows:
        assert email == planted[sha]["author_email"] and is_merge == planted[sha]["is_merge"], sha
        co_authors = json.loads(payload)["co_authors"]
        assert bool(co_authors) == (sha in git["co_authored_shas"])
    assert git["mailmap"] and any(c["raw_author_email"] != c["author_email"] for c in git["commits"])
    assert sum(c["is_merge"] for c in git["commits"]) == all_truth["platform_counts"]["git_merge_commits"] > 0
    # AND git itself agrees: the head, the parents and the author times
    log = _git_log(all_dir / "git" / all_config.repo.split("/")[1])
    assert set(log) == set(planted)
    for sha, (parents, email, at) in log.items():
        assert parents == planted[sha]["parents"] and email == planted[sha]["author_email"]
        assert at.astimezone(UTC).replace(tzinfo=None) == datetime.fromisoformat(planted[sha]["author_at"].rstrip("Z"))


def test_git_authors_use_the_emails_github_saw_pushed(all_truth, gh_events):
    # GIVEN the emails of every commit in a PushEvent
    pushed = {c["author"]["email"] for _, e in gh_events if e["type"] == "PushEvent" for c in e["payload"]["commits"]}
    # THEN every human git author email (after .mailmap) is one of them; only dependabot's is not
    emails = {c["author_email"] for c in all_truth["git"]["commits"]}
    assert emails - pushed <= {"49699333+dependabot[bot]@users.noreply.github.com"}


def test_rest_dumps_land_the_gharchive_objects_again(tmp_path, all_dir, all_truth, all_config, gh_events):
    # GIVEN the REST dumps WHEN ingested (stargazer objects do not name their repository: --repo)
    with closing(_land(tmp_path, "rest", [all_dir / "github-rest"], repo=all_config.repo)[0]) as con:
        for table, n in all_truth["platform_counts"]["github_rest_rows"].items():
            assert _count(con, table) == n, table
        issues = {r[0]: r[1:] for r in con.execute(
            "select number, issue_id, is_pull_request, payload->>'created_at' from raw_github.issues").fetchall()}
        pulls = dict(con.execute("select number, pull_request_id from raw_github.pull_requests").fetchall())
        comments = {r[0] for r in con.execute("select comment_id from raw_github.comments").fetchall()}
        stars = {r[0] for r in con.execute("select user_login from raw_github.stars").fetchall()}
    # THEN issue and PR numbers, ids, kinds and creation times are GH Archive's
    opened = {}
    for _, e in gh_events:
        thing = e["payload"].get("issue") or e["payload"].get("pull_request")
        if thing is not None:
            opened.setdefault(thing["number"], (str(thing["id"]), "pull_request" in thing or e["type"].startswith("PullRequest"),
                                                 thing["created_at"]))
    assert issues == opened
    assert pulls == {n: i for n, (i, is_pr, _) in opened.items() if is_pr}
    # AND every comment and star is one GH Archive recorded
    assert comments == {str(e["payload"]["comment"]["id"]) for _, e in gh_events if "comment" in e["payload"]}
    assert stars == {e["actor"]["login"] for _, e in gh_events if e["type"] == "WatchEvent"}


@pytest.fixture(scope="session")
def people_by_discord_id(all_truth) -> dict[str, dict]:
    return {p["discord_user_id"]: p for p in all_truth["platform_people"] if p["discord_user_id"]}


def test_rest_dumps_are_json_arrays_of_one_kind_each(all_dir):
    # GIVEN each dump WHEN read as JSON THEN it is an array, one object per line
    for path in sorted((all_dir / "github-rest").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert isinstance(json.loads(text), list), path.name
        assert re.match(r"^\[\n(\{.*\},?\n)*\]\n$", text), path.name
