"""The real Slack export lands whole; expected counts are computed here from its files."""

from __future__ import annotations

import json

import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover

pytestmark = pytest.mark.real_data


def test_real_slack_export_counts(real_data, tmp_path):
    # GIVEN the real export and counts read straight from its JSON files
    root = real_data / "slack" / "olake"
    users = json.loads((root / "users.json").read_text())
    channels = json.loads((root / "channels.json").read_text())
    messages = {
        (channel["id"], message["ts"])
        for channel in channels
        for day in (root / channel["name"]).glob("*.json")
        for message in json.loads(day.read_text())
    }
    # WHEN the export folder is ingested (format auto-detected)
    con = connect(tmp_path / "w.duckdb")
    summary = ingest_units(con, discover([root]))
    # THEN users, channels and messages match and nothing was quarantined
    def count(table: str) -> int:
        return con.execute(f"select count(*) from raw_slack.{table}").fetchone()[0]

    assert (count("users"), count("channels"), count("messages")) == (len(users), len(channels), len(messages))
    assert summary.quarantined == 0 and not summary.errors
    # AND thread replies keep their thread_ts
    replies = con.execute("select count(*) from raw_slack.messages where thread_ts is not null and thread_ts <> ts").fetchone()[0]
    expected_replies = sum(
        1 for channel in channels for day in (root / channel["name"]).glob("*.json")
        for m in json.loads(day.read_text()) if m.get("thread_ts") and m["thread_ts"] != m["ts"]
    )
    assert replies == expected_replies
