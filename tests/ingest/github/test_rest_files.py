"""GitHub REST API dumps land in raw_github.*: each kind, its users, replay, newest edit wins.

The objects below are hand-made in the shapes the REST API returns (trimmed of URL fields
we do not read, never of the keys that tell the kinds apart).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest

from codeconvene.warehouse import connect
from ingest.core.records import Rejected
from ingest.core.runner import ingest_units
from ingest.formats import detect, discover
from ingest.github import rest_stream
from ingest.github.rest_files import read_rest_dump, rest_units, sniff

API = "https://api.github.com/repos/acme/rocket"


def user(login: str, user_id: int, kind: str = "User") -> dict:
    return {"login": login, "id": user_id, "node_id": f"U_{user_id}", "url": f"https://api.github.com/users/{login}",
            "html_url": f"https://github.com/{login}", "type": kind, "site_admin": False}


ADA, BOB, BOT = user("ada", 1), user("bob", 2), user("dependabot[bot]", 49699333, "Bot")
ACME = user("acme", 900, "Organization")


def issue(number: int, updated: str = "2024-03-02T10:00:00Z", pr: bool = False, title: str = "Crash") -> dict:
    obj = {"url": f"{API}/issues/{number}", "repository_url": API, "id": 1000 + number, "node_id": f"I_{number}",
           "number": number, "title": title, "user": ADA, "labels": [{"id": 5, "name": "bug"}], "state": "open",
           "locked": False, "assignee": BOB, "assignees": [BOB], "comments": 1, "created_at": "2024-03-01T08:00:00Z",
           "updated_at": updated, "closed_at": None, "author_association": "CONTRIBUTOR", "body": "It crashes."}
    if pr:
        obj["pull_request"] = {"url": f"{API}/pulls/{number}", "merged_at": None}
    return obj


def pull(number: int) -> dict:
    repo = {"id": 77, "name": "rocket", "full_name": "acme/rocket", "owner": ACME, "fork": False, "url": API}
    return {"url": f"{API}/pulls/{number}", "id": 2000 + number, "number": number, "state": "open", "title": "Fix crash",
            "user": BOT, "body": "Bumps x.", "created_at": "2024-03-01T09:00:00Z", "updated_at": "2024-03-03T09:00:00Z",
            "merged_at": None, "requested_reviewers": [BOB], "draft": False,
            "head": {"label": "acme:deps", "ref": "deps", "sha": "a" * 40, "user": ACME, "repo": repo},
            "base": {"label": "acme:main", "ref": "main", "sha": "b" * 40, "user": ACME, "repo": repo}}


def issue_comment(comment_id: int, number: int) -> dict:
    return {"url": f"{API}/issues/comments/{comment_id}", "html_url": f"https://github.com/acme/rocket/issues/{number}",
            "issue_url": f"{API}/issues/{number}", "id": comment_id, "user": BOB, "created_at": "2024-03-02T11:00:00Z",
            "updated_at": "2024-03-02T11:30:00Z", "author_association": "MEMBER", "body": "Thanks!"}


def review_comment(comment_id: int, number: int) -> dict:
    return {"url": f"{API}/pulls/comments/{comment_id}", "pull_request_review_id": 80, "id": comment_id,
            "diff_hunk": "@@ -1,3 +1,4 @@", "path": "src/x.py", "commit_id": "c" * 40, "user": BOB, "body": "nit",
            "created_at": "2024-03-03T10:00:00Z", "updated_at": "2024-03-03T10:05:00Z",
            "pull_request_url": f"{API}/pulls/{number}", "author_association": "MEMBER", "line": 2, "side": "RIGHT"}


def review(review_id: int, number: int, state: str = "APPROVED") -> dict:
    return {"id": review_id, "node_id": f"R_{review_id}", "user": BOB, "body": "", "state": state,
            "html_url": f"https://github.com/acme/rocket/pull/{number}#pullrequestreview-{review_id}",
            "pull_request_url": f"{API}/pulls/{number}", "author_association": "MEMBER",
            "submitted_at": "2024-03-03T12:00:00Z", "commit_id": "c" * 40}


def release(release_id: int, tag: str) -> dict:
    return {"url": f"{API}/releases/{release_id}", "html_url": f"https://github.com/acme/rocket/releases/tag/{tag}",
            "id": release_id, "tag_name": tag, "target_commitish": "main", "name": tag, "draft": False,
            "prerelease": False, "created_at": "2024-03-04T00:00:00Z", "published_at": "2024-03-04T01:00:00Z",
            "author": ADA, "assets": []}


def star(login: str, user_id: int, at: str) -> dict:
    return {"starred_at": at, "user": user(login, user_id)}


def fork(fork_id: int, owner: dict) -> dict:
    return {"id": fork_id, "name": "rocket", "full_name": f"{owner['login']}/rocket", "owner": owner,
            "private": False, "html_url": f"https://github.com/{owner['login']}/rocket", "fork": True,
            "url": f"https://api.github.com/repos/{owner['login']}/rocket", "created_at": "2024-03-05T00:00:00Z",
            "updated_at": "2024-03-05T00:00:00Z", "pushed_at": "2024-03-05T00:00:00Z"}


def write_array(path: Path, objects: list[dict]) -> Path:
    path.write_text(json.dumps(objects, indent=2))
    return path


def write_lines(path: Path, objects: list[dict]) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objects))
    return path


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_every_kind_lands_in_its_table_from_arrays_and_json_lines(tmp_path, con):
    # GIVEN one dump per kind, arrays and JSON lines mixed, under names that say nothing
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    write_array(dumps / "a.json", [issue(7), issue(12, pr=True), issue(13)])
    write_lines(dumps / "b.jsonl", [pull(12)])
    write_array(dumps / "c.json", [issue_comment(501, 7), issue_comment(502, 12)])
    write_lines(dumps / "d.ndjson", [review_comment(601, 12)])
    write_array(dumps / "e.json", [review(80, 12), review(81, 12, "CHANGES_REQUESTED")])
    write_lines(dumps / "f.json", [release(9, "v1.0.0"), release(10, "v1.1.0")])
    stars = write_array(tmp_path / "s.json", [star("cy", 3, "2024-03-06T00:00:00Z"), star("di", 4, "2024-03-07T00:00:00Z")])
    forks = write_lines(tmp_path / "k.json", [fork(3001, user("cy", 3))])
    # WHEN the folder is auto-detected and the repo-less kinds get a --repo hint
    units = discover([dumps]) + rest_units(stars, "acme/rocket") + rest_units(forks, "acme/rocket")
    summary = ingest_units(con, units)
    # THEN every object is in its table with its helper columns, and nothing is quarantined
    assert summary.errors == [] and summary.quarantined == 0
    assert rows(con, "select number, is_pull_request, author_login, repo_name from raw_github.issues order by 1") == [
        (7, False, "ada", "acme/rocket"), (12, True, "ada", "acme/rocket"), (13, False, "ada", "acme/rocket")]
    assert rows(con, "select pull_request_id, number, author_login from raw_github.pull_requests") == [
        ("2012", 12, "dependabot[bot]")]
    assert rows(con, "select comment_kind, comment_id, issue_number, author_login from raw_github.comments order by 2") == [
        ("issue", "501", 7, "bob"), ("issue", "502", 12, "bob"), ("review", "601", 12, "bob")]
    assert rows(con, "select review_id, pull_number, payload->>'state' from raw_github.reviews order by 1") == [
        ("80", 12, "APPROVED"), ("81", 12, "CHANGES_REQUESTED")]
    assert rows(con, "select tag_name, updated_at::varchar from raw_github.releases order by 1") == [
        ("v1.0.0", "2024-03-04 00:00:00"), ("v1.1.0", "2024-03-04 00:00:00")]
    assert rows(con, "select repo_name, user_login, updated_at::varchar from raw_github.stars order by 2") == [
        ("acme/rocket", "cy", "2024-03-06 00:00:00"), ("acme/rocket", "di", "2024-03-07 00:00:00")]
    assert rows(con, "select fork_id, repo_name, owner_login from raw_github.forks") == [("3001", "acme/rocket", "cy")]


def test_embedded_users_land_once_with_their_type(tmp_path, con):
    # GIVEN a pull request (author a bot, reviewers, org-owned head/base repos) and issues by ada
    write_lines(tmp_path / "p.json", [pull(12)])
    write_array(tmp_path / "i.json", [issue(7), issue(8)])
    # WHEN both are ingested
    ingest_units(con, discover([tmp_path / "p.json", tmp_path / "i.json"]))
    # THEN every user object became one raw_github.users row with GitHub's type, payload whole
    assert rows(con, "select login, user_type from raw_github.users order by 1") == [
        ("acme", "Organization"), ("ada", "User"), ("bob", "User"), ("dependabot[bot]", "Bot")]
    stored = rows(con, "select payload from raw_github.users where login = 'dependabot[bot]'")[0][0]
    assert json.loads(stored) == BOT


def test_payload_is_the_object_whole(tmp_path, con):
    # GIVEN an issue that is a pull request
    obj = issue(12, pr=True)
    write_lines(tmp_path / "i.json", [obj])
    # WHEN it is ingested
    ingest_units(con, discover([tmp_path / "i.json"]))
    # THEN the stored payload is exactly the API object
    assert json.loads(rows(con, "select payload from raw_github.issues")[0][0]) == obj


@pytest.mark.parametrize(("obj", "kind"), [
    (issue(1), "issue"), (issue(2, pr=True), "issue"), (pull(3), "pull"), (issue_comment(4, 1), "issue_comment"),
    (review_comment(5, 3), "review_comment"), (review(6, 3), "review"), (release(7, "v1"), "release"),
    (star("cy", 3, "2024-03-06T00:00:00Z"), "star"), (fork(8, ADA), "fork"),
])
def test_kind_comes_from_the_keys_not_the_file_name(tmp_path, obj, kind):
    # GIVEN the object in a file whose name suggests another kind
    path = write_array(tmp_path / "stargazers.json" if kind != "star" else tmp_path / "issues.json", [obj])
    # WHEN the file is sniffed
    found = sniff(path)
    # THEN the kind is the object's, and the format is detected as a REST dump
    assert found is not None and found[0] == kind
    assert detect(path) == "github-rest"


def test_gh_archive_hour_files_are_not_claimed(tmp_path):
    # GIVEN a GH Archive event line (also a JSON object per line)
    event = {"id": "1", "type": "IssuesEvent", "actor": ADA, "repo": {"id": 2, "name": "acme/rocket"},
             "payload": {"action": "opened", "issue": issue(7)}, "public": True, "created_at": "2024-03-02T10:00:00Z"}
    path = write_lines(tmp_path / "2024-03-02-10.json", [event])
    # WHEN it is detected THEN the GH Archive connector gets it
    assert sniff(path) is None and detect(path) == "gharchive"


def test_replay_is_skipped_and_a_copy_changes_nothing(tmp_path, con):
    # GIVEN an issues dump ingested once
    path = write_array(tmp_path / "i.json", [issue(7), issue(12, pr=True)])
    ingest_units(con, discover([path]))
    snapshot = rows(con, "select issue_id, _batch_id, _ingested_at from raw_github.issues order by 1")
    # WHEN the same file and then a copy of it elsewhere are ingested
    again = ingest_units(con, discover([path]))
    (tmp_path / "copy").mkdir()
    copy = tmp_path / "copy" / "i.json"
    copy.write_bytes(path.read_bytes())
    from_copy = ingest_units(con, discover([copy]))
    # THEN the replay is skipped, the copy finds every row unchanged, and no row moved
    assert (again.skipped, again.records) == (1, 0)
    assert (from_copy.counts.inserted, from_copy.counts.updated) == (0, 0)
    assert from_copy.counts.unchanged == 2 + 2  # two issues, two users (ada, bob)
    assert rows(con, "select issue_id, _batch_id, _ingested_at from raw_github.issues order by 1") == snapshot


def test_newer_updated_at_wins_whatever_the_order(tmp_path, con):
    # GIVEN two dumps of issue 7: edited later in one of them
    older = write_lines(tmp_path / "older.json", [issue(7, "2024-03-02T10:00:00Z", title="Crsh")])
    newer = write_lines(tmp_path / "newer.json", [issue(7, "2024-03-05T10:00:00Z", title="Crash on start")])
    # WHEN the newer lands first, then the older, then the newer again as a copy
    ingest_units(con, discover([newer]))
    late_old = ingest_units(con, discover([older]))
    # THEN the newer title stays and the older dump updated nothing
    assert rows(con, "select payload->>'title', updated_at::varchar from raw_github.issues") == [
        ("Crash on start", "2024-03-05 10:00:00")]
    assert late_old.counts.updated == 0 and late_old.counts.unchanged >= 1


def test_older_then_newer_updates_the_row(tmp_path, con):
    # GIVEN an issue ingested at its first version
    ingest_units(con, discover([write_lines(tmp_path / "v1.json", [issue(7, "2024-03-02T10:00:00Z", title="a")])]))
    # WHEN its edited version arrives
    summary = ingest_units(con, discover([write_lines(tmp_path / "v2.json", [issue(7, "2024-03-02T10:00:01Z", title="b")])]))
    # THEN the row is updated in place
    assert summary.counts.updated >= 1
    assert rows(con, "select count(*), max(payload->>'title') from raw_github.issues") == [(1, "b")]


def test_paginated_arrays_gzip_and_a_byte_order_mark_are_read(tmp_path):
    # GIVEN `gh api --paginate` output (two arrays back to back), gzipped, with a BOM
    text = "\ufeff" + json.dumps([issue(1), issue(2)]) + "\n" + json.dumps([issue(3)])
    path = tmp_path / "issues.json.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    # WHEN it is read
    items = list(read_rest_dump(path))
    # THEN all three issues come out, indexed across the pages, with their users
    issues = [i for i in items if i.table == "raw_github.issues"]
    assert [(i.columns["number"], i.location.rsplit("/", 1)[1]) for i in issues] == [
        (1, "issues.json.gz[0]"), (2, "issues.json.gz[1]"), (3, "issues.json.gz[2]")]
    assert detect(path) == "github-rest"


@pytest.mark.parametrize("layout", ["array", "lines"])
def test_records_cut_across_read_chunks_come_out_whole(tmp_path, monkeypatch, layout):
    # GIVEN a reader whose window grows a few characters at a time
    monkeypatch.setattr(rest_stream, "CHUNK", 7)
    objects = [issue(n) for n in range(1, 6)]
    path = (write_array if layout == "array" else write_lines)(tmp_path / "i.json", objects)
    # WHEN the dump is read
    issues = [i for i in read_rest_dump(path) if i.table == "raw_github.issues"]
    # THEN every issue is whole and in order
    assert [json.loads(i.payload) for i in issues] == objects


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8])
def test_a_number_cut_by_the_window_is_read_whole(tmp_path, monkeypatch, chunk):
    # GIVEN an array whose first element is a long number, read in tiny chunks
    monkeypatch.setattr(rest_stream, "CHUNK", chunk)
    path = tmp_path / "i.json"
    path.write_text("[123456789, " + json.dumps(issue(7)) + "]")
    # WHEN it is read
    items = list(read_rest_dump(path))
    # THEN the number is one rejected element (not several) and the issue is element 1
    assert [(i.location.rsplit("/", 1)[1], i.reason if isinstance(i, Rejected) else i.table) for i in items[:2]] == [
        ("i.json[0]", "not a JSON object but a number"), ("i.json[1]", "raw_github.issues")]
