"""Identities and activities across GitHub, git, Slack, Discord and Discourse, on a real DuckDB file.

GIVEN a warehouse whose raw tables (ingest's own DDL, every table present) hold a small
hand-written community in the platforms' own shapes:
  alice   GitHub (GH Archive push with alice@acme.io, REST profile "Alice Archer", company
          "@acme-corp"), git commits as alice@acme.io, Slack U1 (email Alice@Acme.io), Discord
          D1 (username alice, global name "Alice Archer"), Discourse 7 (website github.com/alice)
  bob     GitHub pushes with a <digits>+bob noreply address; git commits as bob@users.noreply
          (no digits); Discord D2 "Bob B" (a different name: not linked)
  carol   maintainer; pushes a merge carrying her commit AND dan's commit (dan@gmail.com)
  dan     git commits as dan@gmail.com "Dan Diaz"; Slack U4 real name "Dan Diaz" (no email)
  erin    opens issue #5 (GH Archive AND the REST dump both report it, its close and alice's
          comment); frank stars the repo (both sources)
  junk    git author "unknown" <ci@build.example.org>, Slack U6 "Unknown": never merged
  bots    renovate[bot] (REST type Bot), codecov (known_bots seed), Discord MEE6 (isBot),
          Discourse system (-1), a dependabot[bot] git commit
WHEN `dbt build` runs staging and intermediate (with their data and unit tests)
THEN int_identities_resolved and int_activities_unioned hold the values worked out by hand.
"""

from __future__ import annotations

import gc
import hashlib
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from ingest.core.tables import RAW_TABLES

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
REPO = "acme/widget"
LOADED = datetime(2024, 7, 1)


def person_id(key: str) -> str:
    return hashlib.md5(key.encode()).hexdigest()


def raw(table: str, payload: dict, updated_at: str, **columns) -> tuple:
    """One raw row in the column order of ingest/core/tables.py."""
    spec = RAW_TABLES[table]
    values = {
        **columns,
        "updated_at": datetime.fromisoformat(updated_at),
        "payload": json.dumps(payload),
        "_source": f"test:{spec.schema}",
        "_batch_id": "test-batch",
        "_ingested_at": LOADED,
    }
    return tuple(values.get(name) for name in spec.all_columns)


def gh_event(event_id: str, event_type: str, login: str, created: str, payload: dict) -> tuple:
    event = {
        "id": event_id,
        "type": event_type,
        "actor": {"id": 1, "login": login, "display_login": login},
        "repo": {"id": 42, "name": REPO},
        "payload": payload,
        "public": True,
        "created_at": created,
    }
    return raw("raw_github.events", event, created[:-1], event_id=event_id, event_type=event_type,
               repo_name=REPO, actor_login=login)


def user(login: str, kind: str = "User") -> dict:
    return {"login": login, "id": abs(hash(login)) % 10_000, "type": kind}


ISSUE_5 = {"number": 5, "title": "Why does install fail?", "body": "pip says no", "user": user("erin"),
           "html_url": f"https://github.com/{REPO}/issues/5", "created_at": "2024-03-05T09:00:00Z",
           "closed_at": "2024-03-06T12:00:00Z", "state": "closed"}
COMMENT_9001 = {"id": 9001, "body": "Use pip>=24", "user": user("alice"),
                "html_url": f"https://github.com/{REPO}/issues/5#issuecomment-9001",
                "issue_url": f"https://api.github.com/repos/{REPO}/issues/5",
                "created_at": "2024-03-05T10:00:00Z"}


def commit(sha: str, email: str, name: str) -> dict:
    return {"sha": sha, "author": {"email": email, "name": name}, "message": f"change {sha}", "distinct": True}


def git_commit(sha: str, email: str, name: str, date: str, parents: int = 1, co_authors=()) -> tuple:
    payload = {
        "sha": sha,
        "parents": [f"p{sha}{i}" for i in range(parents)],
        "author": {"name": name, "email": email, "date": date},
        "committer": {"name": name, "email": email, "date": date},
        "message": f"{sha}: work\n\nbody",
        "files": [{"path": "src/app.py", "insertions": 3, "deletions": 1}],
        "insertions": 3, "deletions": 1, "files_changed": 1,
        "co_authors": [{"name": n, "email": e} for n, e in co_authors],
    }
    return raw("raw_git.commits", payload, "2024-03-04 00:00:00", repository=REPO, sha=sha,
               author_email=email, committer_email=email, is_merge=parents > 1)


def discord_message(message_id: str, channel_id: str, author: tuple, at: str, content: str,
                    kind: str = "Default", reference: str | None = None) -> tuple:
    author_id, name, nickname, is_bot = author
    payload = {"id": message_id, "type": kind, "timestamp": at, "timestampEdited": None,
               "content": content, "author": {"id": author_id, "name": name, "nickname": nickname, "isBot": is_bot},
               "reactions": [{"emoji": {"name": "👍"}, "count": 2}], "mentions": []}
    if reference:
        payload["reference"] = {"messageId": reference, "channelId": channel_id}
    return raw("raw_discord.messages", payload, "2024-03-05 00:00:00", message_id=message_id,
               channel_id=channel_id, author_id=author_id)


def discourse_post(post_id: int, topic_id: int, number: int, user_id: int, username: str, text: str,
                   reply_to: int | None = None, post_type: int = 1, name: str = "") -> tuple:
    payload = {"id": post_id, "topic_id": topic_id, "post_number": number, "reply_to_post_number": reply_to,
               "user_id": user_id, "username": username, "name": name, "post_type": post_type,
               "cooked": f"<p>{text}</p>", "created_at": f"2024-03-0{number}T08:00:00.000Z",
               "updated_at": "2024-03-09T08:00:00.000Z", "deleted_at": None, "hidden": False}
    return raw("raw_discourse.posts", payload, "2024-03-09 08:00:00", post_id=str(post_id),
               topic_id=str(topic_id), username=username, text=text)


ALICE_D, BOB_D, MEE6 = ("111", "alice", None, False), ("222", "bobby", "Bob B", False), ("333", "MEE6", None, True)

RAW_ROWS: dict[str, list[tuple]] = {
    "raw_github.events": [
        gh_event("e1", "PushEvent", "alice", "2024-03-04T10:00:00Z",
                 {"ref": "refs/heads/main", "head": "a1", "commits": [commit("a1", "Alice@Acme.io", "Alice Archer")]}),
        gh_event("e2", "PushEvent", "bob", "2024-03-04T11:00:00Z",
                 {"ref": "refs/heads/main", "head": "b1",
                  "commits": [commit("b1", "123+bob@users.noreply.github.com", "Bob Baker")]}),
        gh_event("e3", "PushEvent", "carol", "2024-03-04T12:00:00Z",
                 {"ref": "refs/heads/main", "head": "c2", "commits": [
                     commit("c1", "carol@initech.com", "Carol Chen"), commit("d1", "dan@gmail.com", "Dan Diaz"),
                     commit("c2", "carol@initech.com", "Carol Chen")]}),
        gh_event("e4", "IssuesEvent", "erin", "2024-03-05T09:00:00Z", {"action": "opened", "issue": ISSUE_5}),
        gh_event("e5", "IssueCommentEvent", "alice", "2024-03-05T10:00:00Z",
                 {"action": "created", "issue": ISSUE_5, "comment": COMMENT_9001}),
        gh_event("e6", "IssuesEvent", "alice", "2024-03-06T12:00:01Z", {"action": "closed", "issue": ISSUE_5}),
        gh_event("e7", "WatchEvent", "frank", "2024-03-06T13:00:00Z", {"action": "started"}),
    ],
    "raw_github.issues": [
        raw("raw_github.issues", {**ISSUE_5, "id": 5005, "closed_by": user("alice")}, "2024-03-06 12:00:00",
            issue_id="5005", repo_name=REPO, number=5, is_pull_request=False, author_login="erin"),
    ],
    "raw_github.pull_requests": [
        raw("raw_github.pull_requests",
            {"id": 6006, "number": 6, "title": "Update pip", "body": "", "user": user("renovate[bot]", "Bot"),
             "state": "open", "draft": False, "merged": False, "created_at": "2024-03-07T08:00:00Z",
             "html_url": f"https://github.com/{REPO}/pull/6"},
            "2024-03-07 08:00:00", pull_request_id="6006", repo_name=REPO, number=6, author_login="renovate[bot]"),
    ],
    "raw_github.comments": [
        raw("raw_github.comments", COMMENT_9001, "2024-03-05 10:00:00", comment_kind="issue", comment_id="9001",
            repo_name=REPO, issue_number=5, author_login="alice"),
        raw("raw_github.comments",
            {"id": 9002, "body": "Coverage 91%", "user": user("codecov"), "created_at": "2024-03-07T08:05:00Z",
             "html_url": f"https://github.com/{REPO}/pull/6#issuecomment-9002",
             "issue_url": f"https://api.github.com/repos/{REPO}/issues/6"},
            "2024-03-07 08:05:00", comment_kind="issue", comment_id="9002", repo_name=None, issue_number=None,
            author_login="codecov"),
    ],
    "raw_github.reviews": [
        raw("raw_github.reviews",
            {"id": 7001, "user": user("alice"), "body": "LGTM", "state": "APPROVED",
             "submitted_at": "2024-03-07T09:00:00Z", "html_url": f"https://github.com/{REPO}/pull/6#pullrequestreview-7001",
             "pull_request_url": f"https://api.github.com/repos/{REPO}/pulls/6"},
            "2024-03-07 09:00:00", review_id="7001", repo_name=REPO, pull_number=6, author_login="alice"),
    ],
    "raw_github.stars": [
        raw("raw_github.stars", {"starred_at": "2024-03-06T13:00:00Z", "user": user("frank")},
            "2024-03-06 13:00:00", repo_name=REPO, user_login="frank"),
    ],
    "raw_github.users": [
        raw("raw_github.users", {**user("alice"), "name": "Alice Archer", "company": "@acme-corp", "email": None},
            "2024-03-01 00:00:00", login="alice", user_type="User"),
        raw("raw_github.users", {**user("renovate[bot]", "Bot"), "name": None},
            "2024-03-01 00:00:00", login="renovate[bot]", user_type="Bot"),
    ],
    "raw_git.commits": [
        git_commit("g1", "alice@acme.io", "Alice Archer", "2024-03-04T11:00:00+01:00",
                   co_authors=[("Bo Chen", "Bo@Initech.com")]),
        git_commit("g2", "bob@users.noreply.github.com", "Bob Baker", "2024-03-04T12:00:00Z"),
        git_commit("g3", "dan@gmail.com", "Dan Diaz", "2024-03-04T13:00:00-05:00"),
        git_commit("g4", "alice@acme.io", "Alice Archer", "2024-03-04T14:00:00Z", parents=2),
        git_commit("g5", "49699333+dependabot[bot]@users.noreply.github.com", "dependabot[bot]", "2024-03-04T15:00:00Z"),
        git_commit("g6", "ci@build.example.org", "unknown", "2024-03-04T16:00:00Z"),
    ],
    "raw_slack.users": [
        raw("raw_slack.users", {"id": uid, "team_id": "T1", "name": name, "real_name": real, "is_bot": False,
                                "profile": {"real_name": real, "display_name": "", "email": email, "title": ""}},
            "2024-03-01 00:00:00", user_id=uid, team_id="T1")
        for uid, name, real, email in [("U1", "alice.a", "Alice A.", "Alice@Acme.io"),
                                       ("U4", "dand", "Dan Diaz", None), ("U6", "ops", "Unknown", None)]
    ],
    "raw_discord.guilds": [raw("raw_discord.guilds", {"id": "G1", "name": "Acme"}, "2024-03-01 00:00:00",
                               guild_id="G1", guild_name="Acme")],
    "raw_discord.channels": [
        raw("raw_discord.channels", {"id": "C1", "type": "GuildTextChat", "categoryId": "K1", "category": "Community",
                                     "name": "help", "topic": None}, "2024-03-01 00:00:00",
            channel_id="C1", guild_id="G1", channel_name="help"),
        raw("raw_discord.channels", {"id": "T1", "type": "GuildPublicThread", "categoryId": "C1", "category": "help",
                                     "name": "Deploy guide", "topic": None}, "2024-03-01 00:00:00",
            channel_id="T1", guild_id="G1", channel_name="Deploy guide"),
    ],
    "raw_discord.members": [
        raw("raw_discord.members", {"user": {"id": "111", "username": "alice", "global_name": "Alice Archer", "bot": False},
                                    "nick": None, "joined_at": "2024-01-01T00:00:00+00:00"},
            "2024-03-01 00:00:00", guild_id="G1", user_id="111", username="alice", is_bot=False),
    ],
    "raw_discord.messages": [
        discord_message("m1", "C1", ALICE_D, "2024-03-05T10:00:00.000+01:00", "How do I deploy <#999> to <@222>?"),
        discord_message("m2", "C1", BOB_D, "2024-03-05T09:30:00.000+00:00", "Run make deploy", "Reply", "m1"),
        discord_message("m3", "C1", MEE6, "2024-03-05T09:31:00.000+00:00", "alice reached level 3 <:party:777>"),
        discord_message("T1", "C1", BOB_D, "2024-03-05T11:00:00.000+00:00", "Deploy guide"),
        discord_message("m4", "T1", ALICE_D, "2024-03-05T11:05:00.000+00:00", "Thanks, works"),
        discord_message("m5", "C1", BOB_D, "2024-03-05T12:00:00.000+00:00", "Joined the server.", "GuildMemberJoin"),
    ],
    "raw_discourse.users": [
        raw("raw_discourse.users", {"id": 7, "username": "aarcher", "name": "Alice Archer",
                                    "website": "https://github.com/alice", "trust_level": 2},
            "2024-03-01 00:00:00", user_id="7", username="aarcher"),
        raw("raw_discourse.users", {"id": -1, "username": "system", "name": "system", "admin": True},
            "2024-03-01 00:00:00", user_id="-1", username="system"),
    ],
    "raw_discourse.categories": [raw("raw_discourse.categories", {"id": 5, "name": "Support", "slug": "support"},
                                     "2024-03-01 00:00:00", category_id="5", category_name="Support")],
    "raw_discourse.topics": [
        raw("raw_discourse.topics", {"id": 1, "title": "How to configure SSO?", "slug": "sso", "category_id": 5,
                                     "user_id": 7, "created_at": "2024-03-01T08:00:00.000Z"},
            "2024-03-09 08:00:00", topic_id="1", category_id="5", title="How to configure SSO?"),
        raw("raw_discourse.topics", {"id": 2, "title": "Welcome to the forum", "slug": "welcome", "category_id": 5,
                                     "user_id": -1, "created_at": "2024-03-01T08:00:00.000Z"},
            "2024-03-09 08:00:00", topic_id="2", category_id="5", title="Welcome to the forum"),
    ],
    "raw_discourse.posts": [
        discourse_post(101, 1, 1, 7, "aarcher", "I tried the docs", name="Alice Archer"),
        discourse_post(102, 1, 2, 9, "hana", "Set SSO_URL", name="Hana Ito"),
        discourse_post(103, 1, 3, 7, "aarcher", "That worked", reply_to=2, name="Alice Archer"),
        discourse_post(104, 1, 4, -1, "system", "closed the topic", post_type=3),
        discourse_post(201, 2, 1, -1, "system", "Read the guidelines"),
    ],
}


def run_dbt_build(warehouse: Path, work: Path, select: list[str]) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CODECONVENE_WAREHOUSE", str(warehouse))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        result = dbtRunner().invoke([
            "build", "--select", *select, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-use-colors", "--quiet",
        ])
    DuckDBConnectionManager.close_all_connections()  # let the tests open the file read-only
    gc.collect()
    failures = [f"{r.node.unique_id}: {r.status} {r.message}"
                for r in (getattr(result.result, "results", None) or [])
                if str(r.status) not in ("success", "pass")]
    assert result.success, f"dbt build failed: {result.exception or failures}"


def write_raw(path: Path, rows: dict[str, list[tuple]]) -> None:
    with duckdb.connect(str(path)) as con:
        for table in RAW_TABLES.values():
            con.execute(f"create schema if not exists {table.schema}")
            con.execute(table.ddl())
        for qualified, table_rows in rows.items():
            columns = RAW_TABLES[qualified].all_columns
            marks = ", ".join("?" for _ in columns)
            con.executemany(f"insert into {qualified} ({', '.join(columns)}) values ({marks})", table_rows)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("identities")
    path = work / "warehouse.duckdb"
    write_raw(path, RAW_ROWS)
    run_dbt_build(path, work, ["+int_identities_resolved", "+int_activities_unioned"])
    return path


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def identities(warehouse: Path) -> dict[str, dict]:
    columns = ["person_id", "match_reason", "matched_account_key", "is_bot", "bot_reason", "organization"]
    rows = query(warehouse, f"select account_key, {', '.join(columns)} from intermediate.int_identities_resolved")
    return {row[0]: dict(zip(columns, row[1:])) for row in rows}


@pytest.fixture(scope="module")
def activities(warehouse: Path) -> dict[str, dict]:
    columns = ["account_id", "activity_type", "occurred_at", "thread_id", "parent_id", "is_question", "origin",
               "is_coauthor", "container"]
    rows = query(warehouse, f"select activity_id, {', '.join(columns)} from intermediate.int_activities_unioned")
    assert len(rows) == len({r[0] for r in rows}), "activity ids must be unique"
    return {row[0]: dict(zip(columns, row[1:])) for row in rows}


def test_a_person_on_five_platforms_is_one_person(identities):
    alice = person_id("github:alice")
    expected = {
        "github:alice": ("github_login", None),
        "git:alice@acme.io": ("email", "github:alice"),  # the commit email pushed by alice
        "slack:U1": ("email", "github:alice"),  # Alice@Acme.io, case-insensitive
        "discord:111": ("username_and_name", "github:alice"),  # alice + "Alice Archer" on both
        "discourse:7": ("profile_link", "github:alice"),  # github.com/alice (the name agrees too)
    }
    for key, (reason, matched) in expected.items():
        got = identities[key]
        assert (got["person_id"], got["match_reason"], got["matched_account_key"]) == (alice, reason, matched), key
        assert got["organization"] == "acme-corp", key  # GitHub profile company, '@' dropped


def test_noreply_addresses_map_to_their_login(identities):
    assert identities["git:bob@users.noreply.github.com"]["match_reason"] == "noreply"
    assert identities["git:bob@users.noreply.github.com"]["person_id"] == person_id("github:bob")
    assert identities["github:bob"]["organization"] is None  # noreply is no organization
    # "Bob B" on Discord is not "Bob Baker": a different username and name, so no link
    assert identities["discord:222"]["person_id"] == person_id("discord:222")


def test_a_merged_commit_email_is_not_the_pushers(identities):
    # carol pushed dan's commit next to hers: the author name is not hers and the push has two
    # authors, so dan@gmail.com is not carol's; dan's full name links his git and Slack accounts
    assert identities["git:dan@gmail.com"]["person_id"] == person_id("slack:U4")
    assert identities["git:dan@gmail.com"]["match_reason"] == "name"
    assert identities["github:carol"]["person_id"] == person_id("github:carol")
    assert identities["github:carol"]["organization"] == "initech.com"
    assert identities["slack:U4"]["organization"] is None  # gmail.com is a personal domain


def test_junk_names_and_co_authors_stay_their_own_people(identities):
    assert identities["git:ci@build.example.org"]["person_id"] == person_id("git:ci@build.example.org")
    assert identities["slack:U6"]["person_id"] == person_id("slack:U6")  # both "unknown"
    assert identities["git:bo@initech.com"]["person_id"] == person_id("git:bo@initech.com")
    assert identities["git:bo@initech.com"]["organization"] == "initech.com"
    assert identities["discourse:9"]["match_reason"] == "discourse_account"


def test_bots_by_each_platform_rule(identities):
    bots = {key: row["bot_reason"] for key, row in identities.items() if row["is_bot"]}
    assert bots == {
        "github:renovate[bot]": "github_type_bot",
        "github:codecov": "known_bots_seed",
        "git:49699333+dependabot[bot]@users.noreply.github.com": "bot_suffix",
        "discord:333": "discord_is_bot",
        "discourse:-1": "discourse_system_user",
    }


def test_gharchive_and_rest_report_each_happening_once(activities):
    issue = f"github:{REPO}#5"
    github = {k: v for k, v in activities.items() if k.startswith("github:")}
    assert github[f"{issue}:opened"]["origin"] == "gharchive"
    assert github[f"{issue}:opened"]["is_question"] is True
    # the close: GH Archive's event at 12:00:01 carries closed_at 12:00:00, the REST issue too
    assert github[f"{issue}:closed:2024-03-06T12:00:00"]["account_id"] == "alice"
    assert github["github:issue_comment:9001"]["origin"] == "gharchive"
    assert github[f"github:star:{REPO}:frank"]["origin"] == "gharchive"
    # REST-only happenings come through: renovate's PR, codecov's comment, alice's review
    assert github[f"github:{REPO}#6:opened"]["origin"] == "github_api"
    assert github["github:issue_comment:9002"]["thread_id"] == f"{issue[:-1]}6"  # issue_url parsed
    assert github["github:pr_review:7001"]["parent_id"] == f"github:{REPO}#6"
    assert sorted(v["activity_type"] for v in github.values() if v["origin"] == "gharchive") == [
        "issue_closed", "issue_comment", "issue_opened", "push", "push", "push", "star"]
    assert len(github) == 7 + 3


def test_git_commits_credit_authors_and_co_authors_but_not_merges(activities):
    commits = {k: v for k, v in activities.items() if v["activity_type"] == "commit"}
    assert f"git:{REPO}:g4" not in commits  # a merge commit
    assert commits[f"git:{REPO}:g1"]["occurred_at"] == datetime(2024, 3, 4, 10, 0)  # +01:00 -> UTC
    assert commits[f"git:{REPO}:g3"]["occurred_at"] == datetime(2024, 3, 4, 18, 0)  # -05:00 -> UTC
    co_author = commits[f"git:{REPO}:g1:co-author:bo@initech.com"]
    assert (co_author["account_id"], co_author["is_coauthor"]) == ("bo@initech.com", True)
    assert len(commits) == 6  # g1 + co-author, g2, g3, g5, g6


def test_discord_replies_threads_and_questions(activities):
    m1, m2, t1, m4 = (activities[f"discord:{m}"] for m in ("m1", "m2", "T1", "m4"))
    assert (m1["activity_type"], m1["is_question"], m1["occurred_at"]) == ("message", True, datetime(2024, 3, 5, 9))
    assert (m2["activity_type"], m2["parent_id"], m2["thread_id"]) == ("reply", "discord:m1", "discord:m1")
    assert (t1["activity_type"], t1["thread_id"]) == ("message", "discord:T1")
    assert (m4["activity_type"], m4["parent_id"], m4["container"]) == ("reply", "discord:T1", "help")
    assert "discord:m5" not in activities  # a member-join notice


def test_discourse_topics_and_posts(activities):
    topic, answer, thanks = (activities[f"discourse:{p}"] for p in (101, 102, 103))
    assert (topic["activity_type"], topic["is_question"], topic["container"]) == ("topic", True, "Support")
    assert (answer["activity_type"], answer["parent_id"]) == ("post", "discourse:101")
    assert (thanks["parent_id"], thanks["thread_id"]) == ("discourse:102", "discourse:topic:1")
    assert "discourse:104" not in activities  # a small action
    assert activities["discourse:201"]["is_question"] is False


def test_every_activity_has_an_identity(warehouse: Path):
    orphans = query(warehouse, """
        select activities.platform, activities.account_id
        from intermediate.int_activities_unioned as activities
        left join intermediate.int_identities_resolved as identities
            on identities.platform = activities.platform and identities.account_id = activities.account_id
        where identities.account_key is null""")
    assert orphans == []
