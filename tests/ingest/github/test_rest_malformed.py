"""Malformed REST dumps: the good records land, each bad input is quarantined with where and why.

Every case writes one file holding good issues around one defect, ingests it with the
format forced (as `--format github-rest` does), and checks both halves.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.github.rest_files import rest_units

API = "https://api.github.com/repos/acme/rocket"
USER = {"login": "ada", "id": 1, "type": "User"}


def issue(n: int, **changes) -> dict:
    obj = {"url": f"{API}/issues/{n}", "repository_url": API, "id": 1000 + n, "number": n,
           "title": "Crash", "user": USER, "state": "open", "created_at": "2024-03-01T08:00:00Z",
           "updated_at": "2024-03-02T10:00:00Z", "body": "It crashes."}
    obj.update(changes)
    return {k: v for k, v in obj.items() if v is not ...}


def good(number: int) -> str:
    return json.dumps(issue(number))


def lines(*parts: str | bytes) -> bytes:
    return b"".join((p if isinstance(p, bytes) else p.encode()) + b"\n" for p in parts)


def array(*parts: str | bytes) -> bytes:
    return b"[" + b",\n".join(p if isinstance(p, bytes) else p.encode() for p in parts) + b"]"


STAR = {"starred_at": "2024-03-06T00:00:00Z", "user": USER}
RELEASE = {"url": f"{API}/releases/9", "id": 9, "tag_name": "v1", "created_at": "2024-03-04T00:00:00Z"}
FORK = {"id": 5, "full_name": "cy/rocket", "owner": USER, "fork": True, "updated_at": "2024-03-05T00:00:00Z"}
REVIEW = {"id": 80, "user": USER, "state": "PENDING", "submitted_at": None, "pull_request_url": f"{API}/pulls/1"}

# name → (file content, landed issue numbers, [(location suffix, reason fragment)])
CASES = {
    "truncated array": (array(good(1)).removesuffix(b"]") + b', {"id": 2, "numb', [1],
                        [("[1]", "invalid JSON")]),
    "array without its closing bracket": (array(good(1), good(2)).removesuffix(b"]"), [1, 2],
                                          [("[2]", "the file ends")]),
    "array missing a comma": (b"[" + good(1).encode() + b" " + good(2).encode() + b"]", [1],
                              [("[1]", "expected ',' or ']'")]),
    "content after the array": (array(good(1)) + b"\nextra", [1], [(":2", "unexpected content after")]),
    "truncated JSON line": (lines(good(1), '{"id": 3, "title": "x', good(2)), [1, 2], [(":2", "invalid JSON")]),
    "truncated last line": (lines(good(1)) + b'{"id": 3, "num', [1], [(":2", "invalid JSON")]),
    "invalid UTF-8 in a JSON line": (lines(good(1), json.dumps(issue(2, title="bad")).replace("bad", "b\udcffd")
                                           .encode("utf-8", "surrogateescape"), good(3)), [1, 3],
                                     [(":2", "invalid UTF-8")]),
    "invalid UTF-8 in an array element": (array(good(1), good(2).replace("Crash", "Cr\udcfesh")
                                                .encode("utf-8", "surrogateescape"), good(3)), [1, 3],
                                          [("[1]", "invalid UTF-8")]),
    "invalid UTF-8 outside a string": (lines(good(1), b'{"id": \xff}', good(2)), [1, 2], [(":2", "invalid UTF-8")]),
    "empty file": (b"", [], [("", "empty file")]),
    "blank file": (b"  \n\n \t", [], [("", "empty file")]),
    "API error object where an array is expected": (
        b'{"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}', [],
        [(":1", "API error response")]),
    "search result object where an array is expected": (
        json.dumps({"total_count": 1, "items": [issue(1)]}).encode(), [], [(":1", "search result")]),
    "id is a string": (array(good(1), json.dumps(issue(2, id="abc"))), [1], [("[1]", "'id' is not an integer")]),
    "id is missing": (lines(good(1), json.dumps(issue(2, id=...))), [1], [(":2", "missing field 'id'")]),
    "id is a boolean": (lines(json.dumps(issue(2, id=True)), good(1)), [1], [(":1", "'id' is not an integer")]),
    "number is a string": (lines(good(1), json.dumps(issue(2, number="2"))), [1], [(":2", "'number' is not an integer")]),
    "user is a string": (lines(good(1), json.dumps(issue(2, user="ada"))), [1], [(":2", "'user' is not a user object")]),
    "updated_at is not a timestamp": (lines(good(1), json.dumps(issue(2, updated_at="yesterday"))), [1],
                                      [(":2", "not an ISO timestamp")]),
    "updated_at is a number": (lines(good(1), json.dumps(issue(2, updated_at=1709373600))), [1],
                               [(":2", "is not a timestamp")]),
    "no time at all": (lines(good(1), json.dumps(issue(2, updated_at=..., created_at=...))), [1],
                       [(":2", "no time field")]),
    "a number in the array": (array(good(1), "42"), [1], [("[1]", "not a JSON object but a number")]),
    "null in the array": (array("null", good(1)), [1], [("[0]", "not a JSON object but null")]),
    "an array line among objects": (lines(good(1), "[1, 2]"), [1], [(":2", "not a JSON object but an array")]),
    "an unknown object": (lines(good(1), '{"foo": 1}'), [1], [(":2", "not a GitHub REST object")]),
    "a release among issues": (lines(good(1), json.dumps(RELEASE)), [1], [(":2", "a release object in a file of issue")]),
    "no repository anywhere": (lines(good(1), json.dumps(issue(2, url=..., repository_url=...))), [1],
                               [(":2", "no repository")]),
    "deeply nested array": (b"[" + b"[" * 100_000 + b"]" * 100_001, [], [("[0]", "nested too deeply")]),
    "bare users instead of star+json": (array(json.dumps(USER)), [], [("[0]", "star+json")]),
}


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def _ingest(con, path: Path, repo: str | None = None):
    return ingest_units(con, rest_units(path, repo))


def _count(con, table: str, what: str = "count(*)"):
    return con.execute(f"select {what} from raw_github.{table}").fetchone()[0]


def _quarantined(con) -> list[tuple[str, str]]:
    return con.execute("select location, reason from meta.quarantine order by location").fetchall()


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_input_is_quarantined_and_good_records_land(tmp_path, con, case):
    # GIVEN a dump with good issues around one defect
    content, landed, expected = CASES[case]
    path = tmp_path / "dump.json"
    path.write_bytes(content)
    # WHEN it is ingested with the format forced
    summary = _ingest(con, path)
    # THEN the good issues landed, and exactly the defect is quarantined at its location
    assert summary.errors == []
    assert _count(con, "issues", "coalesce(list(number order by number), [])") == landed
    got = _quarantined(con)
    assert len(got) == len(expected), got
    for (location, reason), (suffix, fragment) in zip(got, expected):
        assert location == f"{path.resolve()}{suffix}"
        assert fragment in reason, reason


@pytest.mark.parametrize(("objects", "repo", "table", "fragment"), [
    ([STAR], None, "stars", "pass --repo"),
    ([{**STAR, "user": None}], "acme/rocket", "stars", "'user' is not a user object"),
    ([FORK, {**FORK, "id": 6, "fork": False}], "acme/rocket", "forks", "not a fork"),
    ([FORK, {**FORK, "id": 7, "owner": {"id": 3, "type": "User"}}], "acme/rocket", "forks", "'login'"),
    ([RELEASE, {**RELEASE, "id": 10, "tag_name": 5}], None, "releases", "'tag_name' is not a non-empty string"),
    ([REVIEW], None, "reviews", "no time field"),
])
def test_malformed_objects_of_other_kinds_are_quarantined(tmp_path, con, objects, repo, table, fragment):
    # GIVEN a stars / forks / releases / reviews dump whose last object is defective
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(objects))
    # WHEN it is ingested
    summary = _ingest(con, path, repo)
    # THEN the objects before it land and the defect is quarantined at its index
    assert summary.errors == []
    assert _count(con, table) == len(objects) - 1
    (location, reason), = _quarantined(con)
    assert location == f"{path.resolve()}[{len(objects) - 1}]" and fragment in reason, reason


def test_a_broken_escape_lands_escaped_and_a_bad_gzip_is_one_error(tmp_path, con):
    # GIVEN an issue whose title holds a lone surrogate escape, and a .gz file that is not gzip
    broken = tmp_path / "broken.json"
    broken.write_text('[' + good(1).replace('"Crash"', '"Cr\\ud83dsh"') + ']')
    fake = tmp_path / "fake.json.gz"
    fake.write_text(good(2))
    # WHEN both are ingested
    summary = ingest_units(con, rest_units(broken) + rest_units(fake))
    # THEN the issue lands with its escape kept; the fake archive is one error naming it
    assert con.execute("select payload->>'title' from raw_github.issues").fetchone()[0] == "Cr\ufffdsh"
    assert len(summary.errors) == 1 and summary.errors[0].startswith(str(fake.resolve()))
    assert [loc for loc, _ in _quarantined(con)] == [str(fake.resolve())]
