"""The same channel exported as DCE JSON and as DCE HTML yields the same messages."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover


def _land(tmp_path: Path, name: str, text: str):
    folder = tmp_path / name
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    con = connect(tmp_path / f"{name}.duckdb")
    summary = ingest_units(con, discover([folder]))
    return con, summary


def _messages(con) -> dict[str, dict]:
    rows = con.execute("select message_id, channel_id, author_id, updated_at, payload from raw_discord.messages").fetchall()
    return {r[0]: {"channel_id": r[1], "author_id": r[2], "updated_at": r[3], **json.loads(r[4])} for r in rows}


def _comparable(message: dict) -> tuple:
    created = datetime.fromisoformat(message["timestamp"])
    edited = message["timestampEdited"] and datetime.fromisoformat(message["timestampEdited"]).replace(second=0)
    reactions = sorted((r["emoji"]["name"], r["count"]) for r in message["reactions"])
    reference = (message.get("reference") or {}).get("messageId")
    author = message["author"]
    return (message["channel_id"], message["author_id"], author["name"], author.get("isBot"), created, edited,
            message["content"], reactions, reference, message["isPinned"], message.get("type"))


def test_json_and_html_exports_yield_the_same_messages(tmp_path, dce, conversation):
    # GIVEN one conversation written as DCE JSON and as DCE HTML (DCE's default file names)
    json_con, json_summary = _land(tmp_path, dce.export_name("json"), dce.export_json(conversation))
    html_con, html_summary = _land(tmp_path, dce.export_name("html"), dce.export_html(conversation))
    # WHEN both are read back from their warehouses
    from_json, from_html = _messages(json_con), _messages(html_con)
    # THEN both landed every message with nothing quarantined
    assert json_summary.quarantined == html_summary.quarantined == 0
    assert set(from_json) == set(from_html) == {m["id"] for m in conversation}
    # AND ids, authors, timestamps (to the millisecond), content, reactions, reply and pin agree
    for message_id, message in from_json.items():
        assert _comparable(from_html[message_id]) == _comparable(message), message_id
    reply = next(m for m in conversation if m.get("reference"))
    assert from_html[reply["id"]]["reference"]["messageId"] == conversation[0]["id"]
    assert from_html[conversation[2]["id"]]["reactions"][1]["emoji"]["id"] == "730000000000000004"
    # AND an edit moves updated_at to the edit time in both
    edited = next(m for m in conversation if m["timestampEdited"])
    assert from_json[edited["id"]]["updated_at"] == from_html[edited["id"]]["updated_at"] == datetime(2024, 3, 4, 9, 20)


def test_json_and_html_exports_yield_the_same_guild_channel_and_members(tmp_path, dce, conversation):
    # GIVEN the same conversation as JSON and as HTML
    json_con, _ = _land(tmp_path, dce.export_name("json"), dce.export_json(conversation))
    html_con, _ = _land(tmp_path, dce.export_name("html"), dce.export_html(conversation))
    # WHEN guild, channel and members are read back
    def read(con):
        return (con.execute("select guild_id, guild_name from raw_discord.guilds").fetchall(),
                con.execute("select channel_id, guild_id, channel_name from raw_discord.channels").fetchall(),
                sorted(con.execute("select guild_id, user_id, username, is_bot from raw_discord.members").fetchall()))
    # THEN they agree: the HTML guild id comes from its icon URL, the channel id from the file name
    assert read(json_con) == read(html_con) == (
        [(dce.GUILD["id"], "Acme Guild")],
        [(dce.CHANNEL["id"], dce.GUILD["id"], "help")],
        [(dce.GUILD["id"], "800000000000000011", "ada", False), (dce.GUILD["id"], "800000000000000012", "bob", False),
         (dce.GUILD["id"], "800000000000000013", "helperbot", True)],
    )
    # AND the JSON export's snapshot time (exportedAt) outranks the HTML's unknown one
    assert json_con.execute("select updated_at from raw_discord.guilds").fetchone()[0] == datetime(2024, 3, 5, 12)
    assert html_con.execute("select updated_at from raw_discord.guilds").fetchone()[0] == datetime(1970, 1, 1)


def test_html_then_json_of_one_channel_converge_on_one_row_each(tmp_path, dce, conversation):
    # GIVEN an HTML export ingested first, then the JSON export of the same channel
    con = connect(tmp_path / "w.duckdb")
    for suffix, text in (("html", dce.export_html(conversation)), ("json", dce.export_json(conversation))):
        folder = tmp_path / suffix
        folder.mkdir()
        (folder / dce.export_name(suffix)).write_text(text, encoding="utf-8")
        ingest_units(con, discover([folder]))
    # WHEN the tables are counted
    count = lambda t: con.execute(f"select count(*) from raw_discord.{t}").fetchone()[0]
    # THEN each message, the channel and each member exist once
    assert (count("messages"), count("channels"), count("members"), count("guilds")) == (6, 1, 3, 1)
    # AND the JSON's dated snapshots replaced the HTML's undated guild, channel and member rows
    times = con.execute("select distinct updated_at from raw_discord.members union all "
                        "select updated_at from raw_discord.guilds union all "
                        "select updated_at from raw_discord.channels").fetchall()
    assert times == [(datetime(2024, 3, 5, 12),)] * 3
