"""Staging views type the raw payloads of every source, and everything builds on empty raw tables.

GIVEN warehouses made with ingest's own DDL (every raw table exists, as codeconvene.warehouse
creates them): one with no rows at all, one with a few records in the less obvious shapes
the platforms send (offsets in timestamps, API-shaped Discord members, a DiscordChatExporter
thread channel, raw Discord markup, Discourse's empty `name`, a stargazer without starred_at,
a REST comment whose helper columns are empty)
WHEN `dbt build` runs (staging + intermediate on the empty one, staging on the other)
THEN the build succeeds and the staging columns hold the typed values below.
"""

from __future__ import annotations

import gc
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from ingest.core.tables import RAW_TABLES

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


def raw(table: str, payload: dict, **columns) -> tuple:
    values = {**columns, "updated_at": datetime(2024, 3, 1), "payload": json.dumps(payload),
              "_source": "test", "_batch_id": "b1", "_ingested_at": datetime(2024, 7, 1)}
    return tuple(values.get(name) for name in RAW_TABLES[table].all_columns)


ROWS = {
    "raw_git.commits": [raw("raw_git.commits", {
        "sha": "abc", "parents": ["p1", "p2"],
        "author": {"name": " Ana Lima ", "email": "Ana@Acme.IO ", "date": "2024-03-04T11:30:00+02:00"},
        "committer": {"name": "GitHub", "email": "noreply@github.com", "date": "2024-03-04T09:31:00Z"},
        "message": "Merge pull request #7\n\nfrom ana/feature",
        "files": [{"path": "a.py", "insertions": 2, "deletions": 1}, {"path": "b.py", "insertions": 1, "deletions": 0}],
        "insertions": 3, "deletions": 1, "files_changed": 2,
    }, repository="acme/widget", sha="abc", author_email=None, committer_email=None, is_merge=None)],
    "raw_discord.channels": [raw("raw_discord.channels", {
        "id": "T1", "type": "GuildPublicThread", "categoryId": "C1", "category": "help", "name": "Deploy", "topic": ""},
        channel_id="T1", guild_id="G1", channel_name="Deploy")],
    "raw_discord.members": [raw("raw_discord.members", {
        "user": {"id": "111", "username": "ana", "global_name": "Ana Lima", "bot": False},
        "nick": None, "joined_at": "2024-01-02T03:04:05.678000+00:00"},
        guild_id="G1", user_id="111", username=None, is_bot=None)],
    "raw_discord.messages": [raw("raw_discord.messages", {
        "id": "m1", "type": "Reply", "timestamp": "2024-03-05T10:00:00.123+01:00", "timestampEdited": None,
        "content": "hey <@!222> see <#333>, <:party:444> <t:1709632800:R> <https://docs.example.com>",
        "author": {"id": "111", "name": "ana", "nickname": "Ana", "isBot": False},
        "reactions": [{"emoji": {"name": "👍"}, "count": 2}, {"emoji": {"name": "🎉"}, "count": 1}],
        "mentions": [{"id": "222"}], "reference": {"messageId": "m0", "channelId": "C1"}},
        message_id="m1", channel_id="C1", author_id=None)],
    "raw_discourse.posts": [raw("raw_discourse.posts", {
        "id": 5937, "name": "", "username": "practicing01", "user_id": 140, "post_number": 2,
        "reply_to_post_number": 1, "post_type": 1, "created_at": "2015-04-29T20:09:03.000Z",
        "updated_at": "2017-01-02T01:04:54.126Z", "topic_id": 1025, "deleted_at": None, "hidden": False,
        "accepted_answer": True, "cooked": "<p>Fixed</p>"},
        post_id="5937", topic_id="1025", username="practicing01", text="Fixed")],
    "raw_github.stars": [raw("raw_github.stars", {"login": "Frank", "id": 9, "type": "User"},
                             repo_name="acme/widget", user_login="Frank")],
    "raw_github.comments": [raw("raw_github.comments", {
        "id": 9002, "body": "nit", "user": {"login": "Ben", "type": "User"}, "created_at": "2024-03-07T08:05:00Z",
        "pull_request_review_id": 77, "html_url": "https://github.com/acme/widget/pull/6#discussion_r9002",
        "pull_request_url": "https://api.github.com/repos/acme/widget/pulls/6"},
        comment_kind="review", comment_id="9002", repo_name=None, issue_number=None, author_login=None)],
    "raw_github.issues": [raw("raw_github.issues", {
        "id": 5005, "number": 5, "title": "Bug", "user": {"login": "Erin", "type": "User"},
        "labels": [{"name": "bug"}, {"name": "good first issue"}], "comments": 3, "state": "open",
        "created_at": "2024-03-05T09:00:00Z", "closed_at": None,
        "repository_url": "https://api.github.com/repos/acme/widget",
        "pull_request": {"url": "https://api.github.com/repos/acme/widget/pulls/5", "merged_at": None}},
        issue_id="5005", repo_name=None, number=None, is_pull_request=None, author_login=None)],
}


def write_raw(path: Path, rows: dict[str, list[tuple]]) -> None:
    with duckdb.connect(str(path)) as con:
        for table in RAW_TABLES.values():
            con.execute(f"create schema if not exists {table.schema}")
            con.execute(table.ddl())
        for qualified, table_rows in rows.items():
            columns = RAW_TABLES[qualified].all_columns
            con.executemany(f"insert into {qualified} ({', '.join(columns)}) "
                            f"values ({', '.join('?' for _ in columns)})", table_rows)


def build(path: Path, work: Path, select: list[str]) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CODECONVENE_WAREHOUSE", str(path))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        result = dbtRunner().invoke([
            "build", "--select", *select, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-use-colors", "--quiet",
        ])
    DuckDBConnectionManager.close_all_connections()
    gc.collect()
    failures = [f"{r.node.unique_id}: {r.status} {r.message}"
                for r in (getattr(result.result, "results", None) or [])
                if str(r.status) not in ("success", "pass")]
    assert result.success, f"dbt build failed: {result.exception or failures}"


def one(path: Path, sql: str) -> tuple:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(sql).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("staging")
    path = work / "warehouse.duckdb"
    write_raw(path, ROWS)
    build(path, work, ["staging"])
    return path


def test_staging_and_intermediate_build_on_empty_raw_tables(tmp_path: Path):
    path = tmp_path / "warehouse.duckdb"
    write_raw(path, {})
    build(path, tmp_path, ["staging", "+intermediate"])  # + : the seeds they read
    with duckdb.connect(str(path), read_only=True) as con:
        built = con.execute("""
            select table_schema || '.' || table_name from information_schema.tables
            where table_schema in ('staging', 'intermediate')""").fetchall()
        counts = {name: con.execute(f"select count(*) from {name}").fetchone()[0] for (name,) in built}
    # one staging view per raw table, and every model empty
    assert {n.split(".")[1] for n in counts if n.startswith("staging.")} == {
        f"stg_{t.schema.removeprefix('raw_')}__{t.name}" for t in RAW_TABLES.values()}
    assert set(counts.values()) == {0}


def test_git_commit_times_are_utc_and_emails_normalized(staged: Path):
    row = one(staged, """select author_name, author_email, authored_at, committed_at, is_merge, subject,
                                files_changed, files[2].path, co_authors from staging.stg_git__commits""")
    assert row == ("Ana Lima", "ana@acme.io", datetime(2024, 3, 4, 9, 30), datetime(2024, 3, 4, 9, 31), True,
                   "Merge pull request #7", 2, "b.py", None)


def test_discord_messages_are_typed_and_readable(staged: Path):
    row = one(staged, """select author_id, author_nickname, posted_at, text, reaction_count, mention_count,
                                reference_message_id, message_type from staging.stg_discord__messages""")
    assert row == ("111", "Ana", datetime(2024, 3, 5, 9, 0, 0, 123000),
                   "hey @222 see #333, :party: 1709632800 https://docs.example.com", 3, 1, "m0", "Reply")


def test_discord_threads_and_api_members(staged: Path):
    assert one(staged, "select is_thread, parent_channel_id, category_id, topic from staging.stg_discord__channels") \
        == (True, "C1", None, None)
    assert one(staged, "select username, display_name, is_bot, joined_at from staging.stg_discord__members") \
        == ("ana", "Ana Lima", False, datetime(2024, 1, 2, 3, 4, 5, 678000))


def test_discourse_post_with_an_empty_name(staged: Path):
    row = one(staged, """select post_id, topic_id, post_number, reply_to_post_number, user_id, author_name,
                                text, is_accepted_answer, is_deleted, created_at from staging.stg_discourse__posts""")
    assert row == (5937, 1025, 2, 1, 140, None, "Fixed", True, False, datetime(2015, 4, 29, 20, 9, 3))


def test_github_rest_objects_fill_empty_helper_columns_from_the_payload(staged: Path):
    assert one(staged, "select user_login, starred_at from staging.stg_github__stars") \
        == ("frank", datetime(2024, 3, 1))  # no starred_at: the raw record time
    assert one(staged, """select comment_key, repo_name, issue_number, is_review_comment, is_pull_request,
                                 author_login, review_id from staging.stg_github__comments""") \
        == ("review:9002", "acme/widget", 6, True, True, "ben", 77)
    assert one(staged, """select repo_name, issue_number, is_pull_request, author_login, label_names,
                                 comment_count, closed_at from staging.stg_github__issues""") \
        == ("acme/widget", 5, True, "erin", ["bug", "good first issue"], 3, None)
