"""The real DiscordChatExporter CSV sample lands whole; expected counts come from its files.

One row of the sample appears in two page files (same author, minute and text), so
messages are counted as the connector identifies them: channel, author, date, content and
the row's occurrence among identical rows of its own file.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter

import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover

pytestmark = pytest.mark.real_data


def _expected(root):
    """Rows per channel folder, distinct message identities, distinct authors — via csv + json."""
    channel_ids = {
        name: channel_id
        for category in json.loads((root / "channels.json").read_text()).values()
        for channel_id, name in category["channels"].items()
    }
    rows, identities, authors, reacted = Counter(), set(), set(), 0
    for path in sorted(root.rglob("*.csv")):
        channel = channel_ids[path.parent.name]
        with path.open(encoding="utf-8", newline="") as handle:
            body = list(csv.reader(handle, delimiter=";"))[1:]
        seen = Counter()
        for author_id, _, date, content, _, reactions, _ in body:
            rows[channel] += 1
            identities.add((channel, author_id, date, content, seen[(author_id, date, content)]))
            seen[(author_id, date, content)] += 1
            authors.add(author_id)
            reacted += bool(reactions)
    return rows, identities, authors, reacted


def test_real_dce_csv_counts_and_replay(real_data, tmp_path):
    # GIVEN the real CSV export and counts read straight from its files
    root = real_data / "discord" / "komodo-dce-csv"
    rows, identities, authors, reacted = _expected(root)
    # WHEN the folder is ingested with the format auto-detected
    con = connect(tmp_path / "w.duckdb")
    summary = ingest_units(con, discover([root]))
    # THEN every row was read, and the warehouse holds one row per message identity
    assert summary.by_table["raw_discord.messages"] == sum(rows.values()) == 15_143
    assert summary.quarantined == 0 and not summary.errors
    per_channel = dict(con.execute("select channel_id, count(*) from raw_discord.messages group by 1").fetchall())
    assert per_channel == dict(Counter(identity[0] for identity in identities))
    assert sum(per_channel.values()) == len(identities) == 15_142
    # AND channels carry their real ids and names from the channel map, members every author once
    channels = dict(con.execute("select channel_id, channel_name from raw_discord.channels").fetchall())
    assert channels == {"594906735467036682": "dev-nspv", "455851625915875338": "ask-jl777"}
    members = con.execute("select count(*), count(distinct user_id) from raw_discord.members").fetchone()
    assert members == (len(authors), len(authors))
    # AND reactions survive in the payload as DCE-shaped objects
    with_reactions = con.execute(
        "select count(*) from raw_discord.messages where json_array_length(payload->'$.reactions') > 0").fetchone()[0]
    assert with_reactions == reacted
    # WHEN the same folder is ingested again, and then a copy of it
    snapshot = con.execute("select message_id, _batch_id from raw_discord.messages order by 1").fetchall()
    again = ingest_units(con, discover([root]))
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    copied = ingest_units(con, discover([copy]))
    # THEN the replay skips every file and the copy changes no row
    assert (again.skipped, again.records) == (152, 0)
    assert (copied.counts.inserted, copied.counts.updated) == (0, 0)
    assert copied.counts.unchanged == copied.records > 0
    assert con.execute("select message_id, _batch_id from raw_discord.messages order by 1").fetchall() == snapshot
