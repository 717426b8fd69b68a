"""The real GH Archive sample lands whole; expected counts are computed here from the file."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover

pytestmark = pytest.mark.real_data


def test_every_real_event_lands_once_by_type(real_data, tmp_path):
    # GIVEN the real GH Archive hour sample and counts computed directly from its lines
    sample = real_data / "github" / "gharchive" / "2021-07-21-few-hours.json"
    events = [json.loads(line) for line in sample.read_text().splitlines() if line.strip()]
    expected = Counter(e["type"] for e in events)
    # WHEN it is ingested twice
    con = connect(tmp_path / "w.duckdb")
    ingest_units(con, discover([sample]))
    ingest_units(con, discover([sample]))
    # THEN every event is there exactly once, with its type, and its payload kept whole
    got = dict(con.execute("select event_type, count(*) from raw_github.events group by 1").fetchall())
    assert got == dict(expected)
    first = events[0]
    stored = con.execute("select payload from raw_github.events where event_id = ?", [str(first["id"])]).fetchone()[0]
    assert json.loads(stored) == first
