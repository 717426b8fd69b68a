"""The pieces under the Discord connector: detection, channel ids, dates, streaming, old HTML."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from ingest.core.records import Record, Rejected
from ingest.discord import jsonstream
from ingest.discord.channels import resolve
from ingest.discord.common import parse_date, snowflake_time
from ingest.discord.dce_csv import reactions, row_message
from ingest.discord.dce_html import read_dce_html
from ingest.discord.dce_json import read_dce_json
from ingest.formats import detect


def test_each_format_is_told_apart_by_its_first_bytes(tmp_path, dce, conversation):
    # GIVEN one file of each DCE format, a Discourse topic, a GH Archive hour and a channel map
    files = {
        "a.json": dce.export_json(conversation),
        "b.html": dce.export_html(conversation),
        "c.csv": "AuthorID,Author,Date,Content,Attachments,Reactions\n",
        "d.csv": "AuthorID;Author;Date;Content;Attachments;Reactions;\n",
        "e.json": json.dumps({"post_stream": {"posts": []}, "id": 1}),
        "f.json": json.dumps({"id": "1", "type": "WatchEvent", "actor": {}, "repo": {}, "created_at": "2024-01-01T00:00:00Z"}),
        "channels.json": json.dumps({"1": {"name": "General", "channels": {"2": "chat"}}}),
        "g.csv": "id,name\n1,ada\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    # WHEN each is detected
    found = {name: detect(tmp_path / name) for name in files}
    # THEN each DCE format is recognised and nothing else is claimed by it
    assert found["a.json"] == "discord-dce-json"
    assert found["b.html"] == "discord-dce-html"
    assert found["c.csv"] == found["d.csv"] == "discord-dce-csv"
    assert found["e.json"] == "discourse-json"
    assert found["f.json"] not in ("discord-dce-json", "discourse-json")
    assert found["channels.json"] is None and found["g.csv"] is None


def test_channel_comes_from_file_name_then_channel_map_then_folder(tmp_path):
    # GIVEN a DCE-named file, page files under a channel map, and page files without a map
    named = tmp_path / "x" / "Acme - Support - help [710000000000000002] [part 3].csv"
    mapped = tmp_path / "export" / "developer-lounge" / "dev-chat" / "7.csv"
    bare = tmp_path / "loose" / "general" / "2.csv"
    for path in (named, mapped, bare):
        path.parent.mkdir(parents=True)
        path.write_text("")
    (tmp_path / "export" / "channels.json").write_text(json.dumps({
        "41": {"name": "DEVELOPER LOUNGE", "channels": {"42": "dev-chat"}},
        "51": {"name": "Other", "channels": {"52": "dev-chat"}},
    }))
    # WHEN each is resolved
    # THEN the bracketed id wins, the map matches channel and category folder, else the folder path
    assert resolve(named).channel_id == "710000000000000002" and resolve(named).name == "help"
    assert (resolve(mapped).channel_id, resolve(mapped).category_id) == ("42", "41")
    assert resolve(bare).channel_id == "path:loose/general"


@pytest.mark.parametrize("text, expected", [
    ("05-Jun-19 07:28 AM", datetime(2019, 6, 5, 7, 28)),
    ("05-Jun-19 07:28 PM", datetime(2019, 6, 5, 19, 28)),
    ("2019-06-05T07:28:00.000+00:00", datetime(2019, 6, 5, 7, 28)),
    ("2019-06-05T09:28:00.000+02:00", datetime(2019, 6, 5, 7, 28)),
    ("05/06/2019 07:28", datetime(2019, 6, 5, 7, 28)),
    ("6/5/2019 7:28 AM", datetime(2019, 6, 5, 7, 28)),
])
def test_dce_dates_become_naive_utc(text, expected):
    # GIVEN a date as some DCE version writes it / WHEN parsed / THEN naive UTC
    assert parse_date(text) == expected


def test_csv_row_becomes_a_dce_shaped_message_with_a_stable_id():
    # GIVEN a CSV row with a discriminator, two attachments and two reactions
    row = ["800000000000000011", "ada#0420", "05-Jun-19 07:28 AM", "hi", "https://a/1.png,https://a/2.png", "👌 (8),kmd (2)", ""]
    # WHEN it is turned into a message twice, and once as the second identical row
    first, again, second = row_message(row, "42", 0), row_message(row, "42", 0), row_message(row, "42", 1)
    # THEN the id is stable, differs by occurrence, and the fields follow the JSON export
    assert first["id"] == again["id"] != second["id"] and first["id"].startswith("csv:")
    assert first["author"] == {"id": "800000000000000011", "name": "ada", "discriminator": "0420"}
    assert first["timestamp"] == "2019-06-05T07:28:00.000+00:00"
    assert [a["url"] for a in first["attachments"]] == ["https://a/1.png", "https://a/2.png"]
    assert first["reactions"] == [{"emoji": {"name": "👌"}, "count": 8}, {"emoji": {"name": "kmd"}, "count": 2}]
    assert first["csv"]["Reactions"] == "👌 (8),kmd (2)"
    assert reactions("") == []


def test_snowflake_encodes_creation_time():
    # GIVEN a Discord id from the API docs' example / WHEN decoded / THEN its documented time
    assert snowflake_time("175928847299117063") == datetime(2016, 4, 30, 11, 18, 25, 796000)


def test_streaming_json_gives_the_same_records_with_tiny_reads(tmp_path, dce, conversation, monkeypatch):
    # GIVEN an export read with the normal buffer
    path = tmp_path / "a.json"
    path.write_text(dce.export_json(conversation))
    normal = [(r.table, r.columns, r.payload) for r in read_dce_json(path)]
    # WHEN it is read again seven characters at a time (every value straddles a read)
    monkeypatch.setattr(jsonstream, "CHUNK", 7)
    tiny = [(r.table, r.columns, r.payload) for r in read_dce_json(path)]
    # THEN the records are identical, payloads equal to the source messages
    assert tiny == normal and len(normal) == 6 + 1 + 1 + 3
    assert [json.loads(p) for t, _, p in normal if t == "raw_discord.messages"] == conversation


def test_streaming_parser_reads_members_in_file_order():
    # GIVEN an object whose streamed array comes first
    text = '{"messages": [{"id": "1", "type": "Default"}, 2], "channel": {"id": "9"}, "n": 12345}'
    # WHEN iterated
    items = list(jsonstream.iter_object(io.StringIO(text), "messages", jsonstream.re.compile("x")))
    # THEN array elements come one by one with their index, other members whole
    assert [(i.key, i.index, i.value) for i in items] == [
        ("messages", 0, {"id": "1", "type": "Default"}), ("messages", 1, 2), ("channel", None, {"id": "9"}), ("n", None, 12345)]


def test_messages_before_the_channel_still_get_its_id(tmp_path):
    # GIVEN a JSON export written with messages ahead of guild and channel
    message = {"id": "1214135266684436480", "type": "Default", "timestamp": "2024-03-04T09:00:05.120+00:00",
               "content": "hi", "author": {"id": "800000000000000011", "name": "ada", "isBot": False}}
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"messages": [message], "guild": {"id": "7", "name": "g"}, "channel": {"id": "8", "name": "c"}}))
    # WHEN read
    records = [r for r in read_dce_json(path) if isinstance(r, Record)]
    # THEN the message is keyed to the channel, and the member to the guild
    assert [r.columns for r in records if r.table == "raw_discord.messages"] == [
        {"message_id": "1214135266684436480", "channel_id": "8", "author_id": "800000000000000011"}]
    assert [r.columns["guild_id"] for r in records if r.table == "raw_discord.members"] == ["7"]


LEGACY = """<!DOCTYPE html><html><head><title>g - c</title></head><body>
<div class="preamble"><div class="preamble__entries-container"><div class="preamble__entry">Acme</div>
<div class="preamble__entry">Support / help</div></div></div><div class="chatlog">
<div class="chatlog__message-group">
<div class="chatlog__author-avatar-container"><img class="chatlog__author-avatar" src="a.png" alt="Avatar"></div>
<div class="chatlog__messages">
<span class="chatlog__author-name" title="robo#0001" data-user-id="800000000000000014">Robo</span>
<span class="chatlog__bot-tag">BOT</span><span class="chatlog__timestamp">04-Mar-24 09:00 AM</span>
<div class="chatlog__message " data-message-id="1214135266684436480" id="message-1214135266684436480">
<div class="chatlog__content"><div class="markdown"><span class="preserve-whitespace">first &amp; <img class="emoji" alt="👍" src="t.svg"></span></div></div></div>
<div class="chatlog__message chatlog__message--pinned" data-message-id="1214135496888811520" id="message-1214135496888811520">
<div class="chatlog__content"><div class="markdown"><span class="preserve-whitespace">second</span></div>
<span class="chatlog__edited-timestamp" title="04-Mar-24 09:30 AM">(edited)</span></div>
<div class="chatlog__reactions"><div class="chatlog__reaction"><img class="emoji emoji--small" alt="🎉" src="t.svg">
<span class="chatlog__reaction-count">5</span></div></div></div>
</div></div>
<div class="chatlog__message-group">
<div class="chatlog__reference-symbol"></div>
<div class="chatlog__reference"><img class="chatlog__reference-avatar" src="a.png" alt="Avatar">
<span class="chatlog__reference-name" title="robo#0001">Robo</span><div class="chatlog__reference-content">
<span class="chatlog__reference-link" onclick="scrollToMessage(event, '1214135266684436480')">first</span></div></div>
<div class="chatlog__author-avatar-container"><img class="chatlog__author-avatar" src="b.png" alt="Avatar"></div>
<div class="chatlog__messages">
<span class="chatlog__author-name" title="ada" data-user-id="800000000000000011">Ada</span>
<div class="chatlog__message " data-message-id="1214136126013440000" id="message-1214136126013440000">
<div class="chatlog__content"><div class="markdown"><span class="preserve-whitespace">a reply</span></div></div></div>
</div></div></div></body></html>
"""


def test_old_dce_html_layout_is_read_too(tmp_path):
    # GIVEN a DCE 2.x-style HTML export (author once per group, `chatlog__message` elements)
    path = tmp_path / "Acme - Support - help [710000000000000002].html"
    path.write_text(LEGACY)
    # WHEN read
    items = list(read_dce_html(path, resolve(path)))
    messages = [json.loads(r.payload) for r in items if isinstance(r, Record) and r.table == "raw_discord.messages"]
    # THEN the first group's messages carry its bot author; content, edit, pin and reactions are kept
    assert not [r for r in items if isinstance(r, Rejected)]
    assert [m["author"]["id"] for m in messages] == ["800000000000000014"] * 2 + ["800000000000000011"]
    assert messages[0]["author"]["isBot"] is True and messages[0]["author"]["name"] == "robo"
    assert messages[0]["content"] == "first & 👍"
    assert messages[1]["timestampEdited"] == "2024-03-04T09:30:00.000+00:00" and messages[1]["isPinned"] is True
    assert messages[1]["reactions"] == [{"emoji": {"name": "🎉"}, "count": 5}]
    # AND the reply block written beside the second group's messages belongs to its first one
    assert messages[2]["reference"] == {"messageId": "1214135266684436480"} and messages[2]["type"] == "Reply"
    assert messages[2]["author"]["isBot"] is False and "reference" not in messages[1]
    channel = next(r for r in items if isinstance(r, Record) and r.table == "raw_discord.channels")
    assert (channel.columns["channel_id"], channel.columns["channel_name"]) == ("710000000000000002", "help")


def test_units_of_a_folder_with_a_forced_format(tmp_path, dce, conversation):
    # GIVEN a folder holding two JSON exports in sub-folders and an unrelated file
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.json").write_text(dce.export_json(conversation))
    (tmp_path / "notes.txt").write_text("hello")
    # WHEN units are listed for the folder with --format discord-dce-json
    from ingest.formats import by_name
    units = by_name("discord-dce-json").units(tmp_path)
    # THEN each export is one unit, named by its resolved path, the source by its folder
    assert [Path(u.location).parent.name for u in units] == ["one", "two"]
    assert [u.source for u in units] == ["discord:one", "discord:two"]
