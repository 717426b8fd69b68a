"""The dbt project builds on a real DuckDB file and its marts hold the numbers we expect.

GIVEN a warehouse whose raw tables (ingest's own DDL) hold a small hand-written community:
  GitHub (GH Archive event lines, repo acme/widget)
    2024-03-04 alice pushes (commit email Alice@Example.com)
    2024-03-05 bob opens issue #1 "How do I install widget?"; alice comments
    2024-03-06 alice closes bob's issue; dependabot[bot] opens PR #2
    2024-03-07 alice merges PR #2; carol stars the repo (not a contribution)
    2024-03-08 alice creates a branch (CreateEvent: not an activity)
    2024-06-12 frank pushes (a new contributor 14 weeks later)
  Slack (export elements)
    U1 alice (same email as alice's commits), U2 dana (title links github.com/Bob),
    U3 erin (no link), UB deploy bot
    2024-03-05 erin asks in #help, alice replies in the thread, erin joins #general (notice)
    2024-03-06 the deploy bot posts in #general
    2024-03-13 dana (= bob) thanks alice in #general
WHEN `dbt build` runs (once for the module, through dbt's programmatic API)
THEN it succeeds and the marts hold the values worked out by hand below.
"""

from __future__ import annotations

import gc
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from ingest.core.tables import RAW_TABLES
from ml.tables import SENTIMENT

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
REPO = "acme/widget"
BATCH = "test-batch"


def person_id(key: str) -> str:
    return hashlib.md5(key.encode()).hexdigest()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def slack_ts(text: str, micros: int = 100) -> str:
    epoch = int(at(text).replace(tzinfo=UTC).timestamp())
    return f"{epoch}.{micros:06d}"


def gh_event(event_id: str, event_type: str, login: str, created: str, payload: dict) -> dict:
    return {
        "id": event_id,
        "type": event_type,
        "actor": {"id": abs(hash(login)) % 10_000, "login": login, "display_login": login},
        "repo": {"id": 42, "name": REPO},
        "payload": payload,
        "public": True,
        "created_at": created.replace(" ", "T") + "Z",
        "org": {"id": 7, "login": "acme"},
    }


def issue(number: int, title: str, author: str, **extra) -> dict:
    url = f"https://github.com/{REPO}/issues/{number}"
    return {
        "number": number,
        "title": title,
        "body": extra.pop("body", None),
        "html_url": url,
        "user": {"login": author},
        **extra,
    }


def pull(number: int, title: str, author: str, merged: bool) -> dict:
    url = f"https://github.com/{REPO}/pull/{number}"
    return {
        "number": number,
        "title": title,
        "body": "",
        "html_url": url,
        "user": {"login": author},
        "merged": merged,
    }


def commit(sha: str, email: str, name: str, message: str) -> dict:
    return {
        "sha": sha,
        "author": {"email": email, "name": name},
        "message": message,
        "distinct": True,
        "url": f"https://api.github.com/repos/{REPO}/commits/{sha}",
    }


GITHUB_EVENTS = [
    gh_event(
        "1001",
        "PushEvent",
        "alice",
        "2024-03-04 10:00:00",
        {
            "push_id": 1,
            "size": 1,
            "ref": "refs/heads/main",
            "head": "a1",
            "before": "a0",
            "commits": [commit("a1", "Alice@Example.com", "Alice Archer", "Initial commit")],
        },
    ),
    gh_event(
        "1002",
        "IssuesEvent",
        "bob",
        "2024-03-05 11:00:00",
        {
            "action": "opened",
            "issue": issue(1, "How do I install widget?", "bob", body="pip fails"),
        },
    ),
    gh_event(
        "1003",
        "IssueCommentEvent",
        "alice",
        "2024-03-05 12:00:00",
        {
            "action": "created",
            "issue": issue(1, "How do I install widget?", "bob"),
            "comment": {
                "id": 9001,
                "body": "Try pip install widget",
                "html_url": f"https://github.com/{REPO}/issues/1#issuecomment-9001",
                "user": {"login": "alice"},
            },
        },
    ),
    gh_event(
        "1004",
        "IssuesEvent",
        "alice",
        "2024-03-06 09:00:00",
        {"action": "closed", "issue": issue(1, "How do I install widget?", "bob", state="closed")},
    ),
    gh_event(
        "1005",
        "PullRequestEvent",
        "dependabot[bot]",
        "2024-03-06 10:00:00",
        {
            "action": "opened",
            "number": 2,
            "pull_request": pull(2, "Bump x", "dependabot[bot]", False),
        },
    ),
    gh_event(
        "1006",
        "PullRequestEvent",
        "alice",
        "2024-03-07 10:00:00",
        {
            "action": "closed",
            "number": 2,
            "pull_request": pull(2, "Bump x", "dependabot[bot]", True),
        },
    ),
    gh_event("1007", "WatchEvent", "carol", "2024-03-07 11:00:00", {"action": "started"}),
    gh_event(
        "1008",
        "CreateEvent",
        "alice",
        "2024-03-08 09:00:00",
        {"ref": "feature", "ref_type": "branch", "master_branch": "main"},
    ),
    gh_event(
        "1009",
        "PushEvent",
        "frank",
        "2024-06-12 10:00:00",
        {
            "push_id": 2,
            "size": 1,
            "ref": "refs/heads/main",
            "head": "f1",
            "before": "a1",
            "commits": [commit("f1", "frank@example.net", "Frank", "Fix typo")],
        },
    ),
]

SLACK_USERS = [
    {
        "id": "U1",
        "team_id": "T1",
        "name": "alice",
        "real_name": "Alice Archer",
        "deleted": False,
        "is_bot": False,
        "is_app_user": False,
        "tz": "Europe/Berlin",
        "tz_offset": 3600,
        "profile": {
            "real_name": "Alice Archer",
            "display_name": "Alice",
            "email": "alice@example.com",
            "title": "Maintainer",
        },
    },
    {
        "id": "U2",
        "team_id": "T1",
        "name": "dana",
        "real_name": "Dana Bob",
        "deleted": False,
        "is_bot": False,
        "is_app_user": False,
        "tz": "UTC",
        "tz_offset": 0,
        "profile": {
            "real_name": "Dana Bob",
            "display_name": "dana",
            "title": "Developer | github.com/Bob",
        },
    },
    {
        "id": "U3",
        "team_id": "T1",
        "name": "erin",
        "real_name": "Erin",
        "deleted": False,
        "is_bot": False,
        "is_app_user": False,
        "tz": "UTC",
        "tz_offset": 0,
        "profile": {
            "real_name": "Erin",
            "display_name": "",
            "email": "erin@example.org",
            "title": "",
        },
    },
    {
        "id": "UB",
        "team_id": "T1",
        "name": "deploybot",
        "real_name": "Deploy Bot",
        "deleted": False,
        "is_bot": True,
        "is_app_user": False,
        "profile": {"real_name": "Deploy Bot", "display_name": ""},
    },
]

SLACK_CHANNELS = [
    {
        "id": "C1",
        "name": "general",
        "created": 1704067200,
        "creator": "U1",
        "is_archived": False,
        "is_general": True,
        "members": ["U1", "U2", "U3"],
        "topic": {"value": "Everything"},
        "purpose": {"value": "General talk"},
    },
    {
        "id": "C2",
        "name": "help",
        "created": 1704067200,
        "creator": "U1",
        "is_archived": False,
        "is_general": False,
        "members": ["U1", "U3"],
        "topic": {"value": ""},
        "purpose": {"value": ""},
    },
]

HELP_ROOT = slack_ts("2024-03-05 09:00:00")
SLACK_MESSAGES = [  # (channel_id, message)
    (
        "C2",
        {
            "type": "message",
            "ts": HELP_ROOT,
            "user": "U3",
            "thread_ts": HELP_ROOT,
            "reply_count": 1,
            "text": "How do I configure <#C1|general> notifications",
            "reactions": [{"name": "eyes", "users": ["U1", "U2"], "count": 2}],
        },
    ),
    (
        "C2",
        {
            "type": "message",
            "ts": slack_ts("2024-03-05 09:30:00"),
            "user": "U1",
            "thread_ts": HELP_ROOT,
            "text": "See <https://docs.example.com/notify|the docs> &amp; ping me",
        },
    ),
    (
        "C1",
        {
            "type": "message",
            "subtype": "channel_join",
            "ts": slack_ts("2024-03-05 10:00:00"),
            "user": "U3",
            "text": "<@U3> has joined the channel",
        },
    ),
    (
        "C1",
        {
            "type": "message",
            "subtype": "bot_message",
            "ts": slack_ts("2024-03-06 08:00:00"),
            "bot_id": "B1",
            "user": "UB",
            "username": "deploybot",
            "text": "Deploy finished",
        },
    ),
    (
        "C1",
        {
            "type": "message",
            "ts": slack_ts("2024-03-13 15:00:00"),
            "user": "U2",
            "text": "Thanks <@U1>!",
        },
    ),
]


def _raw_rows() -> dict[str, list[tuple]]:
    loaded = datetime(2024, 7, 1)
    def meta(source):
        return (source, BATCH, loaded)
    return {
        "raw_github.events": [
            (
                e["id"],
                e["type"],
                e["repo"]["name"],
                e["actor"]["login"],
                at(e["created_at"][:-1]),
                json.dumps(e),
                *meta(f"gharchive:{REPO}"),
            )
            for e in GITHUB_EVENTS
        ],
        "raw_slack.users": [
            (u["id"], u["team_id"], loaded, json.dumps(u), *meta("slack:export"))
            for u in SLACK_USERS
        ],
        "raw_slack.channels": [
            (c["id"], c["name"], loaded, json.dumps(c), *meta("slack:export"))
            for c in SLACK_CHANNELS
        ],
        "raw_slack.messages": [
            (
                channel,
                m["ts"],
                m.get("thread_ts"),
                m.get("user"),
                datetime.fromtimestamp(float(m["ts"]), UTC).replace(tzinfo=None),
                json.dumps(m),
                *meta("slack:export"),
            )
            for channel, m in SLACK_MESSAGES
        ],
    }


def write_raw_warehouse(path: Path) -> None:
    """Every raw table exists (as codeconvene.warehouse creates them), empty unless given rows."""
    with duckdb.connect(str(path)) as con:
        for table in RAW_TABLES.values():
            con.execute(f"create schema if not exists {table.schema}")
            con.execute(table.ddl())
        # ml/sentiment.py writes ml.sentiment between the two dbt steps; this build runs both
        # at once, so the after_ml marts read it empty
        con.execute("create schema if not exists ml")
        con.execute(SENTIMENT)
        for qualified, rows in _raw_rows().items():
            table = RAW_TABLES[qualified]
            marks = ", ".join("?" for _ in table.all_columns)
            con.executemany(
                f"insert into {qualified} ({', '.join(table.all_columns)}) values ({marks})", rows
            )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("dbt_build")
    path = tmp / "warehouse.duckdb"
    write_raw_warehouse(path)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CODECONVENE_WAREHOUSE", str(path))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        result = dbtRunner().invoke(
            [
                "build",
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                str(tmp / "target"),
                "--log-path",
                str(tmp / "logs"),
                "--no-use-colors",
                "--quiet",
            ]
        )
    # dbt-duckdb keeps its DuckDB handle open for the process; release it so the tests can
    # open the file read-only, like the apps do.
    DuckDBConnectionManager.close_all_connections()
    gc.collect()
    failures = [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (getattr(result.result, "results", None) or [])
        if str(r.status) not in ("success", "pass")
    ]
    assert result.success, f"dbt build failed: {result.exception or failures}"
    return path


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_build_creates_every_contract_relation_in_its_schema(warehouse: Path) -> None:
    relations = set(
        query(warehouse, "select table_schema, table_name from information_schema.tables")
    )
    assert {
        ("staging", "stg_github__events"),
        ("staging", "stg_slack__users"),
        ("staging", "stg_slack__channels"),
        ("staging", "stg_slack__messages"),
        ("intermediate", "int_identities_resolved"),
        ("intermediate", "int_activities_unioned"),
        ("marts", "fct_activities"),
        ("marts", "dim_contributors"),
        ("marts", "mart_engagement_daily"),
        ("marts", "mart_community_health_weekly"),
        ("seeds", "known_bots"),
        ("seeds", "identity_overrides"),
        ("seeds", "maintainers"),
    } <= relations


def test_mart_columns_follow_the_contract(warehouse: Path) -> None:
    def columns(table: str) -> list[str]:
        return [
            r[0]
            for r in query(
                warehouse,
                f"""
            select column_name from information_schema.columns
            where table_schema = 'marts' and table_name = '{table}' order by ordinal_position""",
            )
        ]

    assert columns("fct_activities") == [
        "activity_id",
        "person_id",
        "platform",
        "activity_type",
        "occurred_at",
        "container",
        "thread_id",
        "parent_id",
        "is_question",
        "is_contribution",
        "is_bot",
        "text",
        "url",
        "changed_at",  # the refresh's change stamps (docs/CONTRACTS.md): facts changed at
        "revised_at",  # and row rewritten at
    ]
    assert columns("dim_contributors") == [
        "person_id",
        "display_name",
        "platforms",
        "first_seen_at",
        "last_seen_at",
        "is_bot",
        "is_maintainer",
        "activity_count",
    ]
    assert columns("mart_engagement_daily") == [
        "activity_date",
        "platform",
        "active_contributors",
        "activities",
        "new_contributors",
        "messages",
        "replies",
        "reply_rate",
    ]
    weekly = columns("mart_community_health_weekly")
    assert weekly[:8] == [
        "week_start",
        "iso_week",
        "active",
        "new",
        "returning",
        "inactive",
        "churned",
        "activities",
    ]
    assert {"ttfr_median_hours", "closure_ratio", "bus_factor", "elephant_factor", "sentiment_avg",
            "unanswered_questions", "health_score"} <= set(weekly)  # DESIGN §4


def test_slack_staging_types_ts_and_makes_text_readable(warehouse: Path) -> None:
    rows = dict(
        query(
            warehouse,
            "select message_ts, (posted_at, text, reaction_count) from staging.stg_slack__messages",
        )
    )
    posted_at, text, reactions = rows[HELP_ROOT]
    assert posted_at == datetime(2024, 3, 5, 9, 0, 0, 100)
    assert text == "How do I configure #general notifications"
    assert reactions == 2
    assert rows[slack_ts("2024-03-05 09:30:00")][1] == "See the docs & ping me"
    assert rows[slack_ts("2024-03-13 15:00:00")][1] == "Thanks @U1!"


def test_accounts_linked_by_email_and_profile_title_are_one_person(warehouse: Path) -> None:
    identities = {
        key: (pid, reason)
        for key, pid, reason in query(
            warehouse,
            "select account_key, person_id, match_reason from intermediate.int_identities_resolved",
        )
    }
    assert identities["slack:U1"] == (person_id("github:alice"), "email")
    assert identities["slack:U2"] == (person_id("github:bob"), "profile_link")
    assert identities["slack:U3"] == (person_id("slack:U3"), "slack_account")
    assert identities["github:alice"][0] == identities["slack:U1"][0]


def test_fct_activities_types_and_flags(warehouse: Path) -> None:
    rows = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
        select activity_id, activity_type, person_id, is_bot, is_contribution, is_question
        from marts.fct_activities""",
        )
    }
    assert len(rows) == 12  # 9 events - 1 CreateEvent, 5 messages - 1 channel_join
    # GitHub activity ids name the object, so GH Archive and REST dumps build the same id
    assert rows[f"github:{REPO}#1:opened"] == ("issue_opened", person_id("github:bob"), False, True, True)
    assert rows[f"github:{REPO}#2:closed:2024-03-07T10:00:00"][0] == "pr_merged"
    assert rows[f"github:star:{REPO}:carol"][0] == "star" and rows[f"github:star:{REPO}:carol"][3] is False
    assert rows[f"github:{REPO}#2:opened"][2] is True  # dependabot[bot]
    assert rows[f"slack:C2:{HELP_ROOT}"] == ("message", person_id("slack:U3"), False, True, True)
    assert rows[f"slack:C2:{slack_ts('2024-03-05 09:30:00')}"][:2] == (
        "reply",
        person_id("github:alice"),
    )
    assert rows[f"slack:C1:{slack_ts('2024-03-06 08:00:00')}"][2] is True  # bot_message


def test_dim_contributors_merges_persons_and_finds_the_maintainer(warehouse: Path) -> None:
    people = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
        select person_id, display_name, platforms, is_bot, is_maintainer, activity_count
        from marts.dim_contributors""",
        )
    }
    assert len(people) == 7  # alice, bob, erin, carol, frank, dependabot, deploy bot
    assert people[person_id("github:alice")] == ("Alice", "github,slack", False, True, 5)
    assert people[person_id("github:bob")] == ("dana", "github,slack", False, False, 2)
    assert people[person_id("github:dependabot[bot]")][2:4] == (True, False)
    assert people[person_id("github:carol")][1:5] == ("github", False, False, 1)


def test_weekly_health_counts_new_returning_and_inactive_humans(warehouse: Path) -> None:
    weeks = {
        r[0]: r[1:]
        for r in query(
            warehouse,
            """
        select iso_week, week_start, active, new, "returning", inactive, churned, activities
        from marts.mart_community_health_weekly order by week_start""",
        )
    }
    assert len(weeks) == 15  # every week from 2024-03-04 to 2024-06-10, empty ones included
    # alice (GitHub + Slack, once), bob, erin; carol only starred; bots excluded
    assert weeks["2024-W10"] == (at("2024-03-04").date(), 3, 3, 0, 0, 0, 7)
    assert weeks["2024-W11"] == (at("2024-03-11").date(), 1, 0, 1, 0, 0, 1)  # dana is bob
    assert weeks["2024-W15"] == (at("2024-04-08").date(), 0, 0, 0, 0, 0, 0)
    # last contributions + 90 d: erin 03-05 and alice 03-07 -> week of 06-03; bots don't count
    assert weeks["2024-W23"] == (at("2024-06-03").date(), 0, 0, 0, 2, 2, 0)
    assert weeks["2024-W24"] == (at("2024-06-10").date(), 1, 1, 0, 1, 1, 1)  # frank new, bob lapses


def test_engagement_daily_per_platform(warehouse: Path) -> None:
    days = {
        (r[0].isoformat(), r[1]): r[2:]
        for r in query(
            warehouse,
            """
        select activity_date, platform, active_contributors, activities, new_contributors,
               messages, replies, reply_rate
        from marts.mart_engagement_daily""",
        )
    }
    assert len(days) == 101 * 2  # 2024-03-04 .. 2024-06-12, github and slack
    assert days[("2024-03-05", "slack")] == (2, 2, 1, 1, 1, 1.0)  # erin asks (new), alice answers
    assert days[("2024-03-05", "github")] == (
        2,
        2,
        1,
        0,
        0,
        None,
    )  # bob opens (new), alice comments
    assert days[("2024-03-06", "slack")] == (0, 0, 0, 0, 0, None)  # only the deploy bot
    assert days[("2024-03-13", "slack")] == (1, 1, 0, 1, 0, 0.0)  # dana = bob, not new


def test_every_built_column_is_documented(warehouse: Path, model_docs: dict[str, dict]) -> None:
    documented = {
        name: {c["name"] for c in doc.get("columns") or []} for name, doc in model_docs.items()
    }
    built = query(
        warehouse,
        """
        select table_name, column_name from information_schema.columns
        where table_schema in ('staging', 'intermediate', 'marts')""",
    )
    missing = sorted(f"{t}.{c}" for t, c in built if c not in documented.get(t, set()))
    assert not missing, f"columns without a YAML description: {missing}"
