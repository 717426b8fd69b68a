"""Every conversation kind of a workspace export lands, and overlapping exports merge."""

from __future__ import annotations

import json

import pytest


def _conversations(kit):
    private = {**kit.channel("G01PRIV", "core-team"), "is_private": True}
    dm = {"id": "D01ADABOB", "created": 1_695_000_000, "user": "U02BOB", "is_im": True, "members": ["U01ADA", "U02BOB"]}
    mpim = {"id": "G02MPIM", "name": "mpdm-ada--bob--cy-1", "created": 1_696_000_000, "creator": "U01ADA",
            "is_archived": False, "members": ["U01ADA", "U02BOB", "U03CY"]}
    return private, dm, mpim


def test_groups_dms_and_mpims_land_with_their_messages(tmp_path, kit, con):
    # GIVEN an export with a public channel, a private channel, a DM (foldered by id) and a
    # group DM foldered by name (Slack) plus a day of it foldered by id (slackdump)
    private, dm, mpim = _conversations(kit)
    users = [kit.user("U01ADA", "ada"), kit.user("U02BOB", "bob"), kit.user("U03CY", "cy")]
    root = kit.write_export(tmp_path / "export", users=users, channels=[kit.channel("C01GEN", "general")],
                            groups=[private], dms=[dm], mpims=[mpim], days={
        "general/2024-03-01": [kit.message("1709287200.000100", "hello")],
        "core-team/2024-03-01": [kit.message("1709287300.000100", "release plan")],
        "D01ADABOB/2024-03-02": [kit.message("1709373600.000100", "psst", "U02BOB")],
        "mpdm-ada--bob--cy-1/2024-03-02": [kit.message("1709373700.000100", "trio")],
        "G02MPIM/2024-03-03": [kit.message("1709460000.000100", "trio again", "U03CY")],
    })
    # WHEN it is ingested
    summary = kit.ingest(con, root)
    # THEN all four conversations land whole, named by name (the DM by its id)
    rows = con.execute("select channel_id, channel_name, payload from raw_slack.channels order by 1").fetchall()
    assert [(r[0], r[1]) for r in rows] == [("C01GEN", "general"), ("D01ADABOB", "D01ADABOB"),
                                           ("G01PRIV", "core-team"), ("G02MPIM", "mpdm-ada--bob--cy-1")]
    assert json.loads(rows[1][2]) == dm and json.loads(rows[3][2]) == mpim
    # AND each message lands on its conversation's id, whichever way its folder was named
    messages = con.execute("select channel_id, payload->>'text' from raw_slack.messages order by ts").fetchall()
    assert messages == [("C01GEN", "hello"), ("G01PRIV", "release plan"), ("D01ADABOB", "psst"),
                        ("G02MPIM", "trio"), ("G02MPIM", "trio again")]
    assert summary.quarantined == 0 and not summary.errors and kit.count(con, "users") == 3


def test_threads_reactions_files_bots_and_joins_are_kept_whole(tmp_path, kit, con):
    # GIVEN a day with a thread parent, a reply, a reaction, a file, a bot post and a join
    parent = kit.message("1709287200.000100", "how do I run it?", thread_ts="1709287200.000100", reply_count=1,
                         reply_users=["U02BOB"], replies=[{"user": "U02BOB", "ts": "1709287260.000200"}],
                         reactions=[{"name": "eyes", "users": ["U02BOB"], "count": 1}])
    reply = kit.message("1709287260.000200", "make demo", "U02BOB", thread_ts="1709287200.000100",
                        parent_user_id="U01ADA", files=[{"id": "F01", "name": "log.txt", "mimetype": "text/plain"}])
    bot = {"type": "message", "subtype": "bot_message", "bot_id": "B01CI", "username": "ci", "text": "build green",
           "ts": "1709287300.000300"}
    join = {"type": "message", "subtype": "channel_join", "user": "U03CY", "text": "<@U03CY> has joined", "ts": "1709287400.000400"}
    leave = {"type": "message", "subtype": "channel_leave", "user": "U03CY", "text": "<@U03CY> has left", "ts": "1709287500.000500"}
    day = [parent, reply, bot, join, leave]
    root = kit.write_export(tmp_path / "export", users=[kit.user("U01ADA", "ada")],
                            channels=[kit.channel("C01GEN", "general")], days={"general/2024-03-01": day})
    # WHEN it is ingested
    kit.ingest(con, root)
    # THEN every message lands with its thread and author (a bot's id when it has no user)
    rows = con.execute("select ts, thread_ts, user_id, payload from raw_slack.messages order by ts").fetchall()
    assert [(r[1], r[2]) for r in rows] == [("1709287200.000100", "U01ADA"), ("1709287200.000100", "U02BOB"),
                                           (None, "B01CI"), (None, "U03CY"), (None, "U03CY")]
    # AND payloads are the platform's objects, whole
    assert [json.loads(r[3]) for r in rows] == day


@pytest.mark.parametrize("order", ["older-first", "newer-first"])
def test_overlapping_exports_merge_and_the_newer_edit_wins(tmp_path, kit, con, order):
    # GIVEN two exports sharing 2024-03-02; the later one has that day's message edited
    original = kit.message("1709373600.000100", "teh release is out")
    edited = {**original, "text": "the release is out", "edited": {"user": "U01ADA", "ts": "1709380000.000000"}}
    common = {"users": [kit.user("U01ADA", "ada")], "channels": [kit.channel("C01GEN", "general")]}
    first = kit.write_export(tmp_path / "march-1-2", **common, days={
        "general/2024-03-01": [kit.message("1709287200.000100", "hello")],
        "general/2024-03-02": [original]})
    second = kit.write_export(tmp_path / "march-2-3", **common, days={
        "general/2024-03-02": [edited],
        "general/2024-03-03": [kit.message("1709460000.000100", "thanks")]})
    # WHEN both are ingested, in either order
    for root in ([first, second] if order == "older-first" else [second, first]):
        kit.ingest(con, root)
    # THEN each message is there once, and the shared one carries the edit and its time
    rows = con.execute("select ts, payload->>'text', updated_at from raw_slack.messages order by ts").fetchall()
    assert [(r[0], r[1]) for r in rows] == [("1709287200.000100", "hello"), ("1709373600.000100", "the release is out"),
                                           ("1709460000.000100", "thanks")]
    assert rows[1][2].isoformat() == "2024-03-02T11:46:40"
    assert kit.count(con, "users") == 1 and kit.count(con, "channels") == 1


def test_a_later_export_with_a_new_topic_replaces_the_channel_row(tmp_path, kit, con):
    # GIVEN a channel whose topic was set after the first export was taken
    before = kit.channel("C01GEN", "general")
    after = {**before, "topic": {"value": "v2 is out", "creator": "U01ADA", "last_set": 1_710_000_000}}
    days = {"general/2024-03-01": [kit.message("1709287200.000100", "hello")]}
    old = kit.write_export(tmp_path / "old", users=[kit.user("U01ADA", "ada")], channels=[before], days=days)
    new = kit.write_export(tmp_path / "new", users=[kit.user("U01ADA", "ada")], channels=[after], days=days)
    # WHEN the newer export lands first, then the older one
    kit.ingest(con, new)
    kit.ingest(con, old)
    # THEN the newer topic stays
    assert con.execute("select payload->'topic'->>'value' from raw_slack.channels").fetchone()[0] == "v2 is out"


def test_a_folder_no_list_names_is_quarantined_and_other_files_are_ignored(tmp_path, kit, con):
    # GIVEN an export with a day folder no conversation list names, and non-day files around
    root = kit.small_export(tmp_path / "export")
    kit.write_json(root / "ghost-channel" / "2024-03-01.json", [kit.message("1709287200.000900", "boo")])
    kit.write_json(root / "general" / "canvas_in_the_conversation.json", {"title": "notes"})
    kit.write_json(root / "integration_logs.json", {"logs": []})
    # WHEN it is ingested
    summary = kit.ingest(con, root)
    # THEN the ghost day is quarantined naming its folder, the rest lands, the extras are ignored
    reason = ("conversation folder 'ghost-channel' is not listed by id or name in "
              "channels.json, groups.json, mpims.json, dms.json")
    assert kit.quarantine(con) == [(str((root / "ghost-channel" / "2024-03-01.json").resolve()), reason)]
    assert kit.count(con, "messages") == 1 and summary.files == 7 and not summary.errors
