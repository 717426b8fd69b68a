"""Saved Slack Web API responses land once, whatever overlaps between the pages."""

from __future__ import annotations

import json

from ingest.core.runner import ingest_units
from ingest.formats import detect
from ingest.slack.api_dumps import SNIFF_BYTES, api_dump_units, is_slack_api_dump


def _page(messages: list[dict], cursor: str = "") -> dict:
    """A conversations.history / conversations.replies response, as the Web API returns it."""
    return {"ok": True, "messages": messages, "has_more": bool(cursor), "pin_count": 0,
            "channel_actions_ts": None, "channel_actions_count": 0,
            "response_metadata": {"next_cursor": cursor}}


def test_history_pages_and_a_replies_page_land_each_message_once(tmp_path, kit, con):
    # GIVEN two history pages of C123ABC (newest first, as the API pages them), the second
    # overlapping the first by one message, and a replies page that repeats its parent
    m = kit.message
    parent = m("1709287200.000100", "how do I run it?", thread_ts="1709287200.000100", reply_count=2,
               latest_reply="1709287320.000300")
    page1 = _page([m("1709373600.000500", "newest"), m("1709290000.000400", "later")], cursor="bmV4dF90czox")
    page2 = _page([m("1709290000.000400", "later"), parent])
    replies = _page([parent, m("1709287260.000200", "make demo", "U02BOB", thread_ts="1709287200.000100",
                               parent_user_id="U01ADA"),
                     m("1709287320.000300", "thanks!", thread_ts="1709287200.000100", parent_user_id="U01ADA")])
    dumps = tmp_path / "dumps"
    kit.write_json(dumps / "C123ABC-history-page1.json", page1)
    kit.write_json(dumps / "C123ABC-history-page2.json", page2)
    kit.write_json(dumps / "C123ABC-replies-1709287200.000100.json", replies)
    # WHEN the folder is ingested (format auto-detected per file)
    assert detect(dumps / "C123ABC-history-page1.json") == "slack-api-dump"
    summary = kit.ingest(con, dumps)
    # THEN five distinct messages land on C123ABC, replies keep their thread
    rows = con.execute("select channel_id, ts, thread_ts, payload->>'text' from raw_slack.messages order by ts").fetchall()
    assert rows == [
        ("C123ABC", "1709287200.000100", "1709287200.000100", "how do I run it?"),
        ("C123ABC", "1709287260.000200", "1709287200.000100", "make demo"),
        ("C123ABC", "1709287320.000300", "1709287200.000100", "thanks!"),
        ("C123ABC", "1709290000.000400", None, "later"),
        ("C123ABC", "1709373600.000500", None, "newest"),
    ]
    assert (summary.files, summary.records, summary.counts.inserted) == (3, 7, 5)
    assert summary.quarantined == 0 and not summary.errors


def test_users_list_and_conversations_list_land(tmp_path, kit, con):
    # GIVEN a users.list page and a conversations.list page (with a DM, which has no name)
    members = [kit.user("U01ADA", "ada"), {**kit.user("U0BOT", "ci-bot"), "is_bot": True}]
    dm = {"id": "D01ADABOB", "created": 1_695_000_000, "is_im": True, "user": "U02BOB"}
    kit.write_json(tmp_path / "users.list.json", {"ok": True, "members": members, "cache_ts": 1709287200,
                                                  "response_metadata": {"next_cursor": ""}})
    kit.write_json(tmp_path / "conversations.list.json", {"ok": True, "channels": [kit.channel("C01GEN", "general"), dm],
                                                          "response_metadata": {"next_cursor": ""}})
    # WHEN both files are ingested
    kit.ingest(con, tmp_path / "users.list.json", tmp_path / "conversations.list.json")
    # THEN the users and both conversations land
    assert con.execute("select list(user_id order by user_id) from raw_slack.users").fetchone()[0] == ["U01ADA", "U0BOT"]
    assert con.execute("select list(channel_name order by channel_id) from raw_slack.channels").fetchone()[0] == [
        "general", "D01ADABOB"]


def test_the_channel_comes_from_the_file_then_the_name_then_the_hint(tmp_path, kit, con):
    # GIVEN a page naming its channel inside, a page named by id, and an anonymous page
    inside = kit.write_json(tmp_path / "C999ZZZ9-page.json", {**_page([kit.message("1709287200.000100", "a")]),
                                                               "channel": "C0INSIDE1"})
    named = kit.write_json(tmp_path / "history_G0PRIV42.json", _page([kit.message("1709287200.000200", "b")]))
    anonymous = kit.write_json(tmp_path / "page-3.json", _page([kit.message("1709287200.000300", "c")]))
    # WHEN they are ingested, the anonymous one with a hint
    units = api_dump_units(inside) + api_dump_units(named) + api_dump_units(anonymous, channel="C0HINT77")
    summary = ingest_units(con, units)
    # THEN the key inside wins over the file name, and the hint is the last resort
    assert con.execute("select list(channel_id order by ts) from raw_slack.messages").fetchone()[0] == [
        "C0INSIDE1", "G0PRIV42", "C0HINT77"]
    assert not summary.errors


def test_a_page_whose_channel_nobody_can_tell_is_one_clear_error(tmp_path, kit, con):
    # GIVEN a history page with no channel key, no id in its name, and no hint
    page = kit.write_json(tmp_path / "history.json", _page([kit.message("1709287200.000100", "a")]))
    # WHEN it is ingested
    summary = kit.ingest(con, page)
    # THEN one error names the file and says what is missing; nothing lands
    assert len(summary.errors) == 1
    assert "history.json" in summary.errors[0] and "cannot tell which channel" in summary.errors[0]
    assert kit.count(con, "messages") == 0


def test_an_ok_false_response_is_one_error_naming_the_file_and_slack_error(tmp_path, kit, con):
    # GIVEN a good page and a saved error response next to it
    kit.write_json(tmp_path / "C123ABC-page1.json", _page([kit.message("1709287200.000100", "a")]))
    kit.write_json(tmp_path / "C123ABC-page2.json", {"ok": False, "error": "not_in_channel",
                                                     "needed": "channels:history", "provided": "chat:write"})
    # WHEN the folder is ingested
    summary = kit.ingest(con, tmp_path)
    # THEN exactly one error, naming the file and Slack's error string; the good page lands
    assert len(summary.errors) == 1
    error = summary.errors[0]
    assert "C123ABC-page2.json" in error and "'not_in_channel'" in error and "ok=false" in error
    assert kit.count(con, "messages") == 1
    # AND the failure is on record in meta.runs and meta.quarantine
    assert con.execute("select count(*) from meta.runs where status = 'failed'").fetchone()[0] == 1
    assert "not_in_channel" in con.execute("select reason from meta.quarantine").fetchone()[0]


def test_detection_reads_top_level_keys_only(tmp_path, kit):
    # GIVEN a page saved with sorted keys ('ok' after a long list), a chat export whose message
    # quotes a Slack response, and a plain JSON object with an 'ok' flag but no Slack list
    long_page = _page([kit.message(f"1709287200.{i:06d}", "x" * 100) for i in range(1000)])
    sorted_dump = tmp_path / "C123ABC-sorted.json"
    sorted_dump.write_text(json.dumps(long_page, sort_keys=True))
    quoted = kit.write_json(tmp_path / "chat.json", {"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": [
        {"id": "3", "content": '{"ok": true, "messages": []}'}]})
    health = kit.write_json(tmp_path / "health.json", {"ok": True, "checks": ["db"]})
    # WHEN each is sniffed
    # THEN only the Slack response is claimed, even with 'ok' far past the sniffed head
    assert sorted_dump.stat().st_size > SNIFF_BYTES
    assert [is_slack_api_dump(p) for p in (sorted_dump, quoted, health)] == [True, False, False]
