"""The live Slack connector: the real slack_sdk WebClient against a loopback Slack (tests/fakes/slack_api.py).

Each test states the workspace the fake serves and checks what reached raw_slack and
meta.cursors, and what the connector asked Slack for.
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from codeconvene.settings import get_settings
from codeconvene.warehouse import connect
from ingest.core.cursors import get_cursor
from ingest.core.live import LiveError
from ingest.slack import api
from ingest.slack.records import dump
from tests.fakes.slack_api import GOOD_TOKEN, FakeSlackApi

FAST = {"page_size": 5, "backoff_s": 0.01, "timeout_s": 2.0, "thread_lookback_days": 0}


@pytest.fixture
def slack(tmp_path, monkeypatch):
    """A workspace: 3 people; #general (12 posts, two threads), #help (3 posts), #private-ops (bot not in it)."""
    monkeypatch.chdir(tmp_path)  # settings read ./.env and ./codeconvene.yaml: none here
    with FakeSlackApi() as fake:
        for uid, name in (("U0FAKE0001", "ada"), ("U0FAKE0002", "grace"), ("U0FAKE0003", "linus")):
            fake.add_user(uid, name)
        fake.add_channel("C0GENERAL1", "general")
        fake.add_channel("C0HELP0001", "help")
        fake.add_channel("C0PRIVATE1", "private-ops", is_member=False)
        for i in range(12):
            fake.post("C0GENERAL1", f"U0FAKE000{i % 3 + 1}", f"general post {i}")
        parents = [m["ts"] for m in fake.messages["C0GENERAL1"]]
        for i in range(7):  # a thread longer than one page of replies
            fake.post("C0GENERAL1", "U0FAKE0002", f"reply {i}", thread_ts=parents[3])
        fake.post("C0GENERAL1", "U0FAKE0003", "short reply", thread_ts=parents[10])
        for i in range(3):
            fake.post("C0HELP0001", "U0FAKE0001", f"help {i}?")
        fake.post("C0PRIVATE1", "U0FAKE0001", "secret plans")
        monkeypatch.setenv("SLACK_BOT_TOKEN", GOOD_TOKEN)
        monkeypatch.setenv("SLACK_API_URL", fake.base_url)
        monkeypatch.setenv("CODECONVENE_HOME", str(tmp_path / "home"))
        yield fake


@pytest.fixture
def con(slack, tmp_path):
    connection = connect(tmp_path / "home" / "warehouse.duckdb")
    yield connection
    connection.close()


def settings():
    return get_settings()


def expected_rows(fake: FakeSlackApi, channels=("C0GENERAL1", "C0HELP0001")) -> set[tuple[str, str]]:
    return {(cid, m["ts"]) for cid in channels for m in fake.messages[cid]}


def landed(con) -> list[tuple[str, str]]:
    return con.execute("select channel_id, ts from raw_slack.messages").fetchall()


def newest_parent(fake: FakeSlackApi, cid: str) -> str:
    return max((m["ts"] for m in fake.messages[cid] if "thread_ts" not in m), key=Decimal)


def test_first_sync_lands_every_record_exactly_once(slack, con):
    # WHEN the workspace is pulled for the first time, in pages of 5
    summary = api.sync(settings(), con, **FAST)
    # THEN every message of the channels the bot is in is there once, and nothing from the others
    rows = landed(con)
    assert len(rows) == len(set(rows)) == len(expected_rows(slack))
    assert set(rows) == expected_rows(slack)
    assert con.execute("select count(*) from raw_slack.users").fetchone()[0] == 3
    assert con.execute("select count(*) from raw_slack.channels").fetchone()[0] == 3
    # AND each history cursor is the newest message of its channel
    for cid in ("C0GENERAL1", "C0HELP0001"):
        assert get_cursor(con, "slack", f"history:{cid}") == newest_parent(slack, cid)
        assert get_cursor(con, "slack", f"history:{cid}:pass") is None
    # AND the replies cursor of the long thread is its last reply, fetched over two pages
    thread = slack.messages["C0GENERAL1"][3]["ts"]
    assert get_cursor(con, "slack", f"replies:C0GENERAL1:{thread}") == slack.messages["C0GENERAL1"][18]["ts"]
    assert len([c for c in slack.calls("conversations.replies") if c["ts"] == thread]) == 2
    assert summary.streams == {"users": 3, "channels": 3, "messages": len(expected_rows(slack))}
    assert con.execute("select status from meta.runs where source = 'slack:live'").fetchall() == [("succeeded",)]


def test_live_rows_have_the_file_ingest_key_and_payload(slack, con):
    # GIVEN a reply as Slack serves it
    reply = slack.messages["C0GENERAL1"][12]
    # WHEN it is pulled live
    api.sync(settings(), con, **FAST)
    # THEN its row is what the export / API-dump readers would write for the same object
    row = con.execute("select thread_ts, user_id, payload::varchar, _source from raw_slack.messages"
                      " where channel_id = 'C0GENERAL1' and ts = ?", [reply["ts"]]).fetchone()
    assert row[:2] == (reply["thread_ts"], reply["user"])
    assert json.loads(row[2]) == json.loads(dump(reply))
    assert row[3] == "slack:live"


def test_second_sync_asks_only_for_what_is_new(slack, con):
    # GIVEN a finished first pull
    api.sync(settings(), con, **FAST)
    first_newest = get_cursor(con, "slack", "history:C0GENERAL1")
    before = len(slack.calls("conversations.history"))
    # WHEN two posts arrive in #general and the pull runs again
    new = [slack.post("C0GENERAL1", "U0FAKE0001", "new one"), slack.post("C0GENERAL1", "U0FAKE0002", "new two")]
    summary = api.sync(settings(), con, **FAST)
    # THEN history was asked only for messages after the cursor: one page per channel
    asked = slack.calls("conversations.history")[before:]
    assert {(c["channel"], c.get("oldest")) for c in asked} == {
        ("C0GENERAL1", first_newest), ("C0HELP0001", newest_parent(slack, "C0HELP0001"))}
    assert len(asked) == 2
    assert summary.streams["messages"] == 2
    assert len(slack.calls("users.list")) == 1  # the directory is re-read daily, not hourly
    assert get_cursor(con, "slack", "history:C0GENERAL1") == new[-1]
    assert set(landed(con)) == expected_rows(slack) and len(landed(con)) == len(expected_rows(slack))


def test_new_reply_in_an_older_thread_is_found_within_the_lookback(slack, con):
    # GIVEN a first pull, then a new reply in the short thread (its parent is older than the cursor)
    options = {**FAST, "thread_lookback_days": 1}
    api.sync(settings(), con, **options)
    parent = slack.messages["C0GENERAL1"][10]["ts"]
    replies_before = len(slack.calls("conversations.replies"))
    late = slack.post("C0GENERAL1", "U0FAKE0001", "late answer", thread_ts=parent)
    # WHEN the pull runs again
    api.sync(settings(), con, **options)
    # THEN only that thread's replies were asked for, and only those after its cursor
    asked = slack.calls("conversations.replies")[replies_before:]
    assert [(c["ts"], c.get("oldest")) for c in asked] == [(parent, slack.messages["C0GENERAL1"][19]["ts"])]
    assert ("C0GENERAL1", late) in landed(con)
    assert len(landed(con)) == len(set(landed(con))) == len(expected_rows(slack))


def test_rate_limits_gateway_errors_and_timeouts_are_retried(slack, con):
    # GIVEN Slack answers 429 (Retry-After: 1) once, 502 twice, and is too slow once
    slack.fault("conversations.history", 429, retry_after="1")
    slack.fault("users.list", 502, times=2)
    slack.fault("conversations.replies", 200, delay_s=1.5)  # longer than the client's 0.5 s timeout
    # WHEN the pull runs
    api.sync(settings(), con, **{**FAST, "timeout_s": 0.5})
    # THEN every record still arrived exactly once, after the retries
    assert set(landed(con)) == expected_rows(slack) and len(landed(con)) == len(expected_rows(slack))
    assert [f.served for f in slack.faults] == [1, 2, 1]
    assert len(slack.calls("users.list")) == 3  # one page, asked three times
    first_history = slack.calls("conversations.history")[:2]
    assert first_history[0] == first_history[1]  # the rate-limited page was asked again, unchanged


def _history_cursor(fake: FakeSlackApi, cid: str, after_items: int) -> str:
    parents = sorted((m["ts"] for m in fake.messages[cid] if "thread_ts" not in m), key=Decimal, reverse=True)
    return base64.b64encode(f"next_ts:{parents[after_items - 1]}".encode()).decode()


def test_a_run_that_dies_midway_resumes_at_the_page_it_died_on(slack, con):
    # GIVEN Slack fails page 3 of #general's history for good (an error no retry fixes)
    page3 = _history_cursor(slack, "C0GENERAL1", after_items=10)
    slack.fault("conversations.history", 200, body={"ok": False, "error": "internal_error"}, times=None,
                when=lambda p: p.get("cursor") == page3)
    # WHEN the pull runs, it stops with one clear line
    with pytest.raises(LiveError, match=r"^slack: conversations.history failed: internal_error$"):
        api.sync(settings(), con, **FAST)
    # THEN pages 1-2 landed with a cursor pointing at page 3
    assert len(landed(con)) == 10 + 7 + 1  # ten posts and both threads' replies
    assert json.loads(get_cursor(con, "slack", "history:C0GENERAL1:pass"))["next"] == page3
    assert con.execute("select status from meta.runs").fetchall() == [("failed",)]
    # WHEN Slack recovers and the pull runs again
    slack.faults.clear()
    asked_before = len(slack.calls("conversations.history"))
    api.sync(settings(), con, **FAST)
    # THEN it started at page 3, and everything is there exactly once
    resumed = [c for c in slack.calls("conversations.history")[asked_before:] if c["channel"] == "C0GENERAL1"]
    assert resumed[0].get("cursor") == page3
    assert len(resumed) == 1  # page 3 was the last one
    assert set(landed(con)) == expected_rows(slack) and len(landed(con)) == len(expected_rows(slack))
    assert get_cursor(con, "slack", "history:C0GENERAL1") == newest_parent(slack, "C0GENERAL1")


def test_invalid_token_is_one_clear_line_without_the_token(slack, con, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong-secret-value")
    with pytest.raises(LiveError) as caught:
        api.sync(settings(), con, **FAST)
    assert str(caught.value) == "slack: the token in SLACK_BOT_TOKEN was refused (invalid_auth)"
    check = api.check(settings())
    assert (check.status, check.reason) == ("failing", str(caught.value))
    assert slack.requests[-1]["token"] == "xoxb-wrong-secret-value"  # it was really sent...
    assert "wrong-secret" not in check.reason + caught.value.hint  # ...and never echoed


def test_check_reports_configured_and_missing(slack, monkeypatch):
    assert api.check(settings()) == api.CheckResult("slack", "configured", "workspace Fake Community as codeconvene")
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert api.check(settings()).status == "missing"


def test_a_channel_the_bot_is_not_in_is_skipped_unless_asked_for(slack, con):
    # GIVEN codeconvene.yaml names no channels: channels the bot is not in are left out quietly
    api.sync(settings(), con, **FAST)
    assert not [c for c in slack.calls("conversations.history") if c["channel"] == "C0PRIVATE1"]
    # WHEN that channel is asked for by name, the reason is said
    with pytest.raises(LiveError, match="cannot read channel C0PRIVATE1: not_in_channel"):
        api.sync(settings(), con, channel="C0PRIVATE1", **FAST)


def test_cli_ingest_live_slack(slack, tmp_path):
    from codeconvene.cli import app

    result = CliRunner().invoke(app, ["ingest", "slack", "--live", "--channel", "C0HELP0001"])
    assert result.exit_code == 0, result.output
    with connect(tmp_path / "home" / "warehouse.duckdb") as check_con:
        rows = check_con.execute("select channel_id, ts from raw_slack.messages").fetchall()
    assert set(rows) == expected_rows(slack, ("C0HELP0001",))
    assert "messages" in result.output


def test_cli_ingest_live_slack_with_a_bad_token_fails_in_one_line(slack, monkeypatch):
    from codeconvene.cli import app

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong-secret-value")
    result = CliRunner().invoke(app, ["ingest", "slack", "--live"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == ["error: slack: the token in SLACK_BOT_TOKEN was refused (invalid_auth)"]
    assert "wrong-secret" not in result.output


@pytest.mark.real_data
def test_real_workspace_pulled_live_lands_exactly_as_its_export(real_data, tmp_path, monkeypatch):
    """The real OLake export served through the fake API: live rows == file-ingest rows."""
    from ingest.core.runner import ingest_units
    from ingest.formats import discover

    root = real_data / "slack" / "olake"
    channels = json.loads((root / "channels.json").read_text())
    days = {c["id"]: [m for day in sorted((root / c["name"]).glob("*.json")) for m in json.loads(day.read_text())]
            for c in channels}
    # replies whose parent predates the export: the API reaches replies only through their parent
    orphans = {(cid, m["ts"]) for cid, items in days.items() for m in items
               if m.get("thread_ts") not in (None, m["ts"]) and m["thread_ts"] not in {x["ts"] for x in items}}
    # GIVEN the same workspace as files and as a (verbatim) Web API, all channels named in codeconvene.yaml
    monkeypatch.chdir(tmp_path)
    (tmp_path / "codeconvene.yaml").write_text("slack:\n  channels: [" + ", ".join(c["id"] for c in channels) + "]\n")
    with FakeSlackApi() as fake:
        fake.load_verbatim(json.loads((root / "users.json").read_text()), channels, days)
        monkeypatch.setenv("SLACK_BOT_TOKEN", GOOD_TOKEN)
        monkeypatch.setenv("SLACK_API_URL", fake.base_url)
        live = connect(tmp_path / "live.duckdb")
        api.sync(get_settings(), live, page_size=50, backoff_s=0.01)
    files = connect(tmp_path / "files.duckdb")
    ingest_units(files, discover([root]))
    # THEN every table holds the same keys and the same payloads either way
    def rows(con, table: str, keys: str) -> set:
        return set(con.execute(f"select {keys}, payload::varchar from raw_slack.{table}").fetchall())

    assert rows(live, "users", "user_id, team_id") == rows(files, "users", "user_id, team_id")
    assert rows(live, "channels", "channel_id, channel_name") == rows(files, "channels", "channel_id, channel_name")
    file_messages = {r for r in rows(files, "messages", "channel_id, ts, thread_ts, user_id") if r[:2] not in orphans}
    assert rows(live, "messages", "channel_id, ts, thread_ts, user_id") == file_messages
    assert len(file_messages) > 200
    live.close()
    files.close()


def test_debug_logs_never_hold_the_token(slack, con, caplog):
    slack.fault("conversations.history", 429, retry_after="0")
    slack.fault("users.list", 502)
    with caplog.at_level("DEBUG"):
        api.sync(settings(), con, **FAST)
    assert "conversations.history" in caplog.text  # the SDK did log its requests and retries
    assert GOOD_TOKEN not in caplog.text


def test_cli_ingest_live_names_what_an_unconfigured_source_lacks(slack, monkeypatch):
    from codeconvene.cli import app

    monkeypatch.delenv("SLACK_BOT_TOKEN")
    result = CliRunner().invoke(app, ["ingest", "slack", "--live"])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("error:")] == [
        "error: slack is not configured: SLACK_BOT_TOKEN is not set"]
    assert not slack.requests


def test_a_run_that_dies_inside_a_thread_resumes_inside_it(slack, con):
    # GIVEN the long thread's second page of replies fails for good
    parent = slack.messages["C0GENERAL1"][3]["ts"]
    slack.fault("conversations.replies", 200, body={"ok": False, "error": "internal_error"}, times=None,
                when=lambda p: p.get("ts") == parent and bool(p.get("cursor")))
    with pytest.raises(LiveError):
        api.sync(settings(), con, **FAST)
    # THEN the thread's first four replies landed with their cursor, and its history page did not
    fourth = slack.messages["C0GENERAL1"][15]["ts"]
    assert get_cursor(con, "slack", f"replies:C0GENERAL1:{parent}") == fourth
    assert ("C0GENERAL1", parent) not in landed(con)
    # WHEN the pull runs again, the thread is asked only for replies after the fourth
    slack.faults.clear()
    asked_before = len(slack.calls("conversations.replies"))
    api.sync(settings(), con, **FAST)
    again = [c for c in slack.calls("conversations.replies")[asked_before:] if c["ts"] == parent]
    assert [c.get("oldest") for c in again] == [fourth]
    assert set(landed(con)) == expected_rows(slack) and len(landed(con)) == len(expected_rows(slack))


def test_a_malformed_setting_is_one_line_naming_it(slack, con, tmp_path):
    (tmp_path / "codeconvene.yaml").write_text("slack:\n  page_size: lots\n")
    with pytest.raises(ValueError, match=r"^codeconvene.yaml `slack.page_size`: expected a number, got 'lots'$"):
        api.sync(settings(), con)


def test_without_groups_read_private_channels_are_left_out(slack, con):
    slack.fault("conversations.list", 200, body={"ok": False, "error": "missing_scope", "needed": "groups:read"},
                when=lambda p: "private_channel" in p.get("types", ""))
    api.sync(settings(), con, **FAST)
    assert [c["types"] for c in slack.calls("conversations.list")] == ["public_channel,private_channel", "public_channel"]
    assert set(landed(con)) == expected_rows(slack)


def test_a_broken_record_from_the_api_is_quarantined_with_where_and_why(slack, con):
    slack.fault("conversations.history", 200, when=lambda p: p.get("channel") == "C0HELP0001",
                body={"ok": True, "messages": [{"type": "message", "text": "no timestamp"}], "has_more": False})
    api.sync(settings(), con, **FAST)
    assert con.execute("select source, location, reason from meta.quarantine").fetchall() == [
        ("slack:live", "slack:conversations.history[C0HELP0001, page 1][0]", "message: message without 'ts'")]
    assert set(landed(con)) == expected_rows(slack, ("C0GENERAL1",))
