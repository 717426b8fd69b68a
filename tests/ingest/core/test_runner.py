"""The raw contract end to end: idempotent upsert, newest edit wins, quarantine loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover


def _event(event_id: int, created: str = "2026-03-02T10:00:00Z", login: str = "ada") -> str:
    return json.dumps({
        "id": str(event_id), "type": "IssuesEvent", "actor": {"id": 1, "login": login},
        "repo": {"id": 2, "name": "acme/rocket"}, "payload": {"action": "opened"},
        "public": True, "created_at": created,
    })


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def _ingest(con, *paths: Path):
    return ingest_units(con, discover(list(paths)))


def test_replaying_a_file_changes_nothing(tmp_path, con):
    # GIVEN an hour file of three events
    hour = tmp_path / "2026-03-02-10.json"
    hour.write_text("\n".join(_event(i) for i in (1, 2, 3)) + "\n")
    # WHEN it is ingested twice, the second time as a copy at another path
    first = _ingest(con, hour)
    copy = tmp_path / "copy" / "2026-03-02-10.json"
    copy.parent.mkdir()
    copy.write_bytes(hour.read_bytes())
    snapshot = con.execute("select event_id, _batch_id, _ingested_at from raw_github.events order by 1").fetchall()
    second = _ingest(con, hour)
    third = _ingest(con, copy)
    # THEN the first lands 3 rows, the replay is skipped, the copy finds every row unchanged
    assert first.as_dict()["inserted"] == 3
    assert (second.skipped, second.records) == (1, 0)
    assert (third.counts.inserted, third.counts.updated, third.counts.unchanged) == (0, 0, 3)
    assert con.execute("select event_id, _batch_id, _ingested_at from raw_github.events order by 1").fetchall() == snapshot


def test_newer_edit_wins_and_older_does_not_overwrite(tmp_path, con):
    # GIVEN a Slack export whose message was edited later, exported twice
    def export(folder: Path, text: str, edited: str | None) -> Path:
        (folder / "general").mkdir(parents=True)
        (folder / "users.json").write_text(json.dumps([{"id": "U1", "name": "ada"}]))
        (folder / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general", "created": 1700000000}]))
        message = {"type": "message", "user": "U1", "text": text, "ts": "1709388309.000100"}
        if edited:
            message["edited"] = {"user": "U1", "ts": edited}
        (folder / "general" / "2024-03-02.json").write_text(json.dumps([message]))
        return folder

    newer = export(tmp_path / "newer", "fixed typo", "1709390000.000000")
    older = export(tmp_path / "older", "fixd typo", None)
    # WHEN the newer export lands first and the older one after it
    _ingest(con, newer)
    summary = _ingest(con, older)
    # THEN the edited text stays
    text = con.execute("select payload->>'text' from raw_slack.messages where channel_id = 'C1'").fetchone()[0]
    assert text == "fixed typo"
    assert summary.counts.unchanged >= 1 and summary.counts.updated == 0


def test_bad_lines_are_quarantined_and_good_ones_land(tmp_path, con):
    # GIVEN a file with two good events, truncated JSON, a non-object and a missing field
    hour = tmp_path / "2026-03-02-11.json"
    lines = [_event(10), '{"id": "11", "type": "Pu', "[1, 2]", json.dumps({"id": "12", "type": "X"}), _event(13)]
    hour.write_text("\n".join(lines) + "\n")
    # WHEN it is ingested
    summary = _ingest(con, hour)
    # THEN both good events land and each bad line is quarantined with its line number and reason
    assert con.execute("select list(event_id order by event_id) from raw_github.events").fetchone()[0] == ["10", "13"]
    rows = con.execute("select location, reason, raw_text from meta.quarantine order by location").fetchall()
    assert [r[0].rsplit(":", 1)[1] for r in rows] == ["2", "3", "4"]
    assert "invalid JSON" in rows[0][1] and "not a JSON object" in rows[1][1] and "missing field" in rows[2][1]
    assert rows[0][2] == lines[1]
    assert summary.quarantined == 3


def test_contract_rejects_rows_that_parsed_but_are_unusable(tmp_path, con):
    # GIVEN an event dated before 1970 (parses, but breaks the contract's time range)
    hour = tmp_path / "2026-03-02-12.json"
    hour.write_text(_event(20) + "\n" + _event(21, created="1960-01-01T00:00:00Z") + "\n")
    # WHEN it is ingested
    _ingest(con, hour)
    # THEN only the valid event lands, the other is quarantined naming the field
    assert con.execute("select list(event_id) from raw_github.events").fetchone()[0] == ["20"]
    reason = con.execute("select reason from meta.quarantine").fetchone()[0]
    assert "updated_at" in reason


def test_an_unreadable_file_is_one_error_and_the_others_go_on(tmp_path, con):
    # GIVEN a gzip file that is corrupt after its first line, and a good file
    import gzip

    good = tmp_path / "2026-03-02-13.json"
    good.write_text(_event(30) + "\n")
    broken = tmp_path / "2026-03-02-14.json.gz"
    payload = gzip.compress((_event(31) + "\n" + _event(32) + "\n").encode())
    broken.write_bytes(payload[: len(payload) - 12])
    # WHEN both are ingested
    summary = _ingest(con, tmp_path)
    # THEN the good file lands, the broken one is one error naming it, and nothing of it half-lands
    assert con.execute("select list(event_id) from raw_github.events").fetchone()[0] == ["30"]
    assert len(summary.errors) == 1 and broken.name in summary.errors[0]
    assert con.execute("select count(*) from meta.files").fetchone()[0] == 1
    # AND once the file is repaired, a rerun lands it without redoing the good one
    broken.write_bytes(payload)
    rerun = _ingest(con, tmp_path)
    assert (rerun.files, rerun.skipped) == (1, 1)
    assert con.execute("select count(*) from raw_github.events").fetchone()[0] == 3
