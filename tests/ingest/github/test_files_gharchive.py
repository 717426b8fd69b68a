"""GH Archive files through the bulk loader: exact line numbers, bad bytes, duplicates, replay,
filters, and the same verdicts as the record-by-record reader."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import duckdb
import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover
from ingest.github.files import gharchive_units


def _event(event_id, created: str = "2026-03-02T10:00:00Z", repo: str = "acme/rocket", **extra) -> str:
    event = {"id": event_id, "type": "IssuesEvent", "actor": {"id": 1, "login": "ada"},
             "repo": {"id": 2, "name": repo}, "payload": {"action": "opened"}, "public": True,
             "created_at": created, **extra}
    return json.dumps(event)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def _write(path: Path, lines: list[str | bytes], newline: bytes = b"\n") -> Path:
    data = newline.join(line.encode() if isinstance(line, str) else line for line in lines) + newline
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def _quarantine(con) -> list[tuple[str, str, str]]:
    rows = con.execute("select location, reason, raw_text from meta.quarantine").fetchall()
    return sorted(((loc.rsplit(":", 1)[1], reason, raw) for loc, reason, raw in rows), key=lambda r: int(r[0]))


def _events(con) -> list[tuple]:
    return con.execute(
        "select event_id, event_type, repo_name, actor_login, updated_at, payload::varchar from raw_github.events"
        " order by event_id"
    ).fetchall()


def test_quarantine_names_the_exact_line_of_each_bad_one(tmp_path, con):
    # GIVEN a gzip hour file with blank lines, CRLF endings and bad lines scattered among good ones
    lines = ["", _event("1"), "   ", '{"id": "2", "type": "Pu', _event("3") + "\r", "", "[1, 2]",
             json.dumps({"id": "4", "type": "X"}), _event("5"), '"just a string"', _event("6", created="yesterday")]
    hour = _write(tmp_path / "2026-03-02-10.json.gz", lines)
    # WHEN it is ingested
    summary = _ingest(con, hour)
    # THEN the good events land and each bad line is quarantined under its own 1-based line number
    assert [r[0] for r in _events(con)] == ["1", "3", "5"]
    got = _quarantine(con)
    assert [(n, reason.split(":")[0]) for n, reason, _ in got] == [
        ("4", "invalid JSON"), ("7", "event is not a JSON object"), ("8", "missing field(s)"),
        ("10", "event is not a JSON object"), ("11", "field 'created_at' is not a timestamp"),
    ]
    assert got[0][2] == lines[3] and got[2][1] == "missing field(s): actor, repo, created_at"
    assert got[4][1] == "field 'created_at' is not a timestamp: 'yesterday'"
    assert (summary.records, summary.quarantined, summary.files) == (3, 5, 1)


def test_a_line_of_invalid_utf8_is_quarantined_and_the_rest_of_the_file_lands(tmp_path, con):
    # GIVEN a valid gzip file whose third line holds bytes that are not UTF-8
    bad = b'{"id": "2", "type": "PushEvent", "actor": "\xff\xfe"}'
    hour = _write(tmp_path / "2026-03-02-11.json.gz", [_event("1"), _event("é-3"), bad, _event("4")])
    # WHEN it is ingested
    summary = _ingest(con, hour)
    # THEN only that line is quarantined, by number, with its bytes shown escaped; the others land
    assert [r[0] for r in _events(con)] == ["1", "4", "é-3"]
    shown = r"{\x22id\x22: \x222\x22, \x22type\x22: \x22PushEvent\x22, \x22actor\x22: \x22\xFF\xFE\x22}"
    assert _quarantine(con) == [("3", "invalid UTF-8", shown)]
    assert summary.errors == [] and summary.quarantined == 1


def test_duplicate_ids_within_and_across_files_keep_the_newest(tmp_path, con):
    # GIVEN two files where event 1 appears three times (the newest in the middle), event 2 twice
    # with the same time but different payloads, and event 3 is newer in the second file
    first = _write(tmp_path / "a" / "2026-03-02-10.json", [
        _event("1", "2026-03-02T10:00:00Z"), _event("1", "2026-03-02T12:00:00Z", note="newest"),
        _event("2", "2026-03-02T10:00:00Z", note="a"), _event("2", "2026-03-02T10:00:00Z", note="b"),
        _event("3", "2026-03-02T10:00:00Z"),
    ])
    second = _write(tmp_path / "b" / "2026-03-02-11.json", [
        _event("1", "2026-03-02T11:00:00Z"), _event("3", "2026-03-02T11:30:00Z", note="later"),
    ])
    # WHEN the files land one after the other
    one = _ingest(con, first)
    two = _ingest(con, second)
    # THEN one row per id: the newest edit, and for a tie the greatest payload
    rows = {r[0]: json.loads(r[5]) for r in _events(con)}
    assert rows["1"]["note"] == "newest" and rows["2"]["note"] == "b" and rows["3"]["note"] == "later"
    assert (one.counts.inserted, one.counts.updated, one.counts.unchanged) == (3, 0, 0)
    assert (two.counts.inserted, two.counts.updated, two.counts.unchanged) == (0, 1, 1)
    assert one.by_table["raw_github.events"] == 5


def test_replaying_files_changes_no_row_not_even_batch_ids(tmp_path, con):
    # GIVEN a folder of hour files, ingested once
    for hour in range(3):
        _write(tmp_path / "in" / f"2026-03-02-{hour}.json.gz",
               [_event(str(hour * 10 + i), f"2026-03-02T{hour:02d}:0{i}:00Z") for i in range(5)] + ["oops"])
    _ingest(con, tmp_path / "in")
    checksum = ("select md5(string_agg(event_id || payload::varchar || _batch_id || _ingested_at::varchar, '|'"
                " order by event_id)), count(*) from raw_github.events")
    before = con.execute(checksum).fetchall()
    # WHEN the same files are ingested again, and a copy of them from another folder
    again = _ingest(con, tmp_path / "in")
    copy = tmp_path / "copy"
    copy.mkdir()
    for file in (tmp_path / "in").iterdir():
        (copy / file.name).write_bytes(file.read_bytes())
    from_copy = _ingest(con, copy)
    # THEN the replay is skipped, the copy finds every row unchanged, and nothing moved
    assert (again.files, again.skipped) == (0, 3)
    assert (from_copy.counts.inserted, from_copy.counts.updated, from_copy.counts.unchanged) == (0, 0, 15)
    assert con.execute(checksum).fetchall() == before and before[0][1] == 15


def test_repo_and_org_filters_keep_only_their_events_and_do_not_stand_for_the_file(tmp_path, con):
    # GIVEN a file with events of three repositories (two owned by acme) and a bad line
    hour = _write(tmp_path / "2026-03-02-12.json", [
        _event("1", repo="acme/rocket"), _event("2", repo="ACME/docs"), _event("3", repo="other/x"), "{bad",
    ])
    # WHEN it is ingested for one repository, then for the org, then whole
    by_repo = ingest_units(con, gharchive_units(hour, repo="acme/rocket"))
    landed_repo = [r[0] for r in _events(con)]
    by_org = ingest_units(con, gharchive_units(hour, org="acme"))
    landed_org = [r[0] for r in _events(con)]
    whole = ingest_units(con, gharchive_units(hour))
    # THEN each filter lands only its events (bad lines are still quarantined), and no filtered
    # read makes a later, wider read skip the file
    assert landed_repo == ["1"] and by_repo.records == 1 and by_repo.quarantined == 1
    assert landed_org == ["1", "2"] and by_org.skipped == 0
    assert [r[0] for r in _events(con)] == ["1", "2", "3"] and whole.skipped == 0
    assert con.execute("select count(*) from meta.files").fetchall()[0][0] == 3


def test_the_bulk_loader_and_the_record_reader_reach_the_same_warehouse(tmp_path):
    # GIVEN one file of edge cases: whitespace, offsets, fractions, numeric and boolean ids,
    # bad times, a key too long, a date before 1970, non-UTF-8 bytes, NUL, duplicates
    lines: list[str | bytes] = [
        _event("1"), "", " \t ", "\u00a0" + _event("2") + "\u2003", _event("3") + "\r",
        _event(17244207336), _event(True, created="2026-03-02T10:00:00.5Z"),
        _event("4", created="2026-03-02T12:30:00+02:00"), _event("5", created="2026-03-02T01:00:00-05:30"),
        _event("6", created="2026-03-02 10:00:00.123456"), _event("7", created="2026-03-02"),
        _event("8", created="2026-03-02T24:00:00Z"), _event("9", created=1772445600),
        _event("10", created="1960-01-01T00:00:00Z"), _event("x" * 600), _event(""),
        json.dumps({"id": "11", "type": None, "actor": "ada", "repo": {}, "created_at": "2026-03-02T10:00:00Z"}),
        json.dumps({"id": "12", "type": "X", "actor": [], "repo": {}, "created_at": "2026-03-02T10:00:00Z"}),
        b'{"id": "13", "type": "X", "actor": {}, "repo": {"name": "\xc3("}, "created_at": "2026-03-02T10:00:00Z"}',
        '{"id": "14", "type": "X"\u0000}', "[]", "null", "{", _event("1", created="2026-03-02T11:00:00Z"),
        _event("3", created="2026-03-02T09:00:00Z"), _event("15", repo=None), "  {}  ",
    ]
    hour = _write(tmp_path / "2026-03-02-13.json.gz", lines)
    results = {}
    for path_name in ("bulk", "records"):
        con = connect(tmp_path / f"{path_name}.duckdb")
        units = gharchive_units(hour)
        if path_name == "records":
            units = [dataclasses.replace(u, load=None) for u in units]
        # WHEN the file is ingested through each path into its own warehouse
        summary = ingest_units(con, units)
        results[path_name] = (summary.as_dict(), _events(con), _quarantine(con))
        con.close()
    # THEN rows, quarantine (line, reason, raw text) and counts are the same
    bulk, records = results["bulk"], results["records"]
    assert bulk[0] == records[0]
    assert bulk[1] == records[1]
    normalise = [(n, reason if not reason.startswith("invalid JSON") else "invalid JSON", raw)
                 for n, reason, raw in records[2]]
    assert bulk[2] == normalise
    assert len(bulk[1]) == 9 and len(bulk[2]) == 14
    times = {r[0]: r[4].isoformat() for r in bulk[1]}
    assert times["4"] == "2026-03-02T10:30:00" and times["5"] == "2026-03-02T06:30:00"


def test_a_truncated_gzip_is_one_error_and_lands_nothing(tmp_path, con):
    # GIVEN a gzip hour file cut short, next to a good one
    good = _write(tmp_path / "2026-03-02-14.json.gz", [_event("1")])
    payload = gzip.compress("\n".join(_event(str(i)) for i in range(2, 2000)).encode())
    broken = tmp_path / "2026-03-02-15.json.gz"
    broken.write_bytes(payload[: len(payload) // 2])
    # WHEN both are ingested
    summary = _ingest(con, good, broken)
    # THEN the good one lands, the broken one is one error naming it, none of its lines landed
    assert [r[0] for r in _events(con)] == ["1"]
    assert len(summary.errors) == 1 and broken.name in summary.errors[0]
    assert con.execute("select count(*) from meta.quarantine where location like '%:%'").fetchall()[0][0] == 0


def _ingest(con, *paths: Path):
    return ingest_units(con, discover(list(paths)))
