"""A real repository made with `git` lands in raw_git.commits with mailmap, merges, numstat, trailers.

The repository (built per test in tmp) has: a first commit under an old email that
`.mailmap` maps to a new one, a binary file, a commit with two Co-authored-by trailers and a
negative UTC offset, a feature branch merged with --no-ff (a merge commit).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import detect, discover
from ingest.git import log
from ingest.git.files import git_units, remote_name


def git(repo: Path, *args: str, who: tuple[str, str] = ("Ada Old", "ada@old.example"),
        when: str = "2024-03-01T10:00:00+02:00") -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    command = ["git", "-C", str(repo), "-c", f"user.name={who[0]}", "-c", f"user.email={who[1]}",
               "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout.strip()


BOB = ("Bob", "bob@example.org")
CAROL = ("Carol", "carol@example.org")


def make_repository(repo: Path) -> dict[str, str]:
    """Five commits; returns their shas by name."""
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("one\ntwo\nthree\n")
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Start")
    (repo / ".mailmap").write_text("Ada Lovelace <ada@new.example> <ada@old.example>\n")
    (repo / "README.md").write_text("one\n2\nthree\n")
    git(repo, "add", ".")
    message = ("Fix the count\n\nLonger text.\n\n"
               "Co-authored-by: Ada Lovelace <ada@new.example>\nCo-authored-by: Carol <carol@example.org>\n")
    git(repo, "commit", "-q", "-m", message, who=BOB, when="2024-03-02T09:00:00-05:00")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "src").mkdir()
    (repo / "src" / "x.py").write_text("a = 1\nb = 2\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Add x", who=CAROL, when="2024-03-03T08:00:00+00:00")
    git(repo, "checkout", "-q", "main")
    (repo / "README.md").write_text("one\n2\nthree\nfour\n")
    git(repo, "commit", "-q", "-am", "Add four", when="2024-03-04T08:00:00+05:30")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature", who=BOB, when="2024-03-05T12:00:00+01:00")
    names = ("merge", "four", "x", "count", "start")
    shas = git(repo, "log", "--format=%H", "--branches", "--date-order").split()
    return dict(zip(names, shas, strict=True))


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "src" / "rocket"
    return path, make_repository(path)


def commits(con) -> dict[str, dict]:
    found = con.execute("select sha, repository, author_email, committer_email, is_merge, updated_at::varchar,"
                        " payload from raw_git.commits").fetchall()
    return {sha: {"repository": r, "author_email": a, "committer_email": c, "is_merge": m, "updated_at": u,
                  "payload": json.loads(p)} for sha, r, a, c, m, u, p in found}


def test_history_lands_with_mailmap_merges_numstat_and_trailers(repo, con):
    # GIVEN the five-commit repository
    path, sha = repo
    # WHEN its folder is auto-detected and ingested
    summary = ingest_units(con, discover([path]))
    got = commits(con)
    # THEN there is one row per commit, under the folder's name
    assert summary.errors == [] and summary.quarantined == 0
    assert set(got) == set(sha.values())
    assert {c["repository"] for c in got.values()} == {"rocket"}
    # the old email is mapped by .mailmap, in the column and the payload
    start = got[sha["start"]]
    assert (start["author_email"], start["payload"]["author"]["name"]) == ("ada@new.example", "Ada Lovelace")
    # numstat: the binary file is listed without line counts, the totals count text only
    assert start["payload"]["files"] == [
        {"path": "README.md", "binary": False, "insertions": 3, "deletions": 0},
        {"path": "logo.png", "binary": True, "insertions": None, "deletions": None}]
    assert [start["payload"][k] for k in ("insertions", "deletions", "files_changed")] == [3, 0, 2]
    # trailers become co-authors; offsets stay in the payload, updated_at is UTC
    count = got[sha["count"]]
    assert count["payload"]["co_authors"] == [{"name": "Ada Lovelace", "email": "ada@new.example"},
                                              {"name": "Carol", "email": "carol@example.org"}]
    assert count["payload"]["committer"]["date"] == "2024-03-02T09:00:00-05:00"
    assert count["updated_at"] == "2024-03-02 14:00:00"
    assert got[sha["four"]]["updated_at"] == "2024-03-04 02:30:00"
    assert [count["payload"][k] for k in ("insertions", "deletions", "files_changed")] == [2, 1, 2]
    # only the merge is a merge, with both parents and no changes of its own counted
    assert [s for s, c in got.items() if c["is_merge"]] == [sha["merge"]]
    merge = got[sha["merge"]]["payload"]
    assert merge["parents"] == [sha["four"], sha["x"]] and merge["files_changed"] == 0
    assert got[sha["x"]]["payload"]["message"] == "Add x"


def test_unchanged_history_is_skipped_and_one_new_commit_adds_one_row(repo, con):
    # GIVEN the repository ingested once
    path, _ = repo
    ingest_units(con, git_units(path))
    # WHEN it is ingested again unchanged, then after one more commit
    again = ingest_units(con, git_units(path))
    (path / "NEWS.md").write_text("news\n")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "News", when="2024-03-06T00:00:00+00:00")
    after = ingest_units(con, git_units(path))
    # THEN the rerun is skipped and the new history adds exactly one row
    assert (again.skipped, again.records) == (1, 0)
    assert (after.counts.inserted, after.counts.updated, after.counts.unchanged) == (1, 0, 5)
    assert con.execute("select count(*) from raw_git.commits").fetchone()[0] == 6


def test_origin_names_the_repository(repo, con):
    # GIVEN a clone whose origin is a GitHub URL
    path, _ = repo
    git(path, "remote", "add", "origin", "git@github.com:acme/rocket.git")
    # WHEN it is ingested
    units = git_units(path)
    ingest_units(con, units)
    # THEN commits are keyed by the origin's owner/name, and so is the source
    assert units[0].source == "git:acme/rocket"
    assert con.execute("select distinct repository from raw_git.commits").fetchall() == [("acme/rocket",)]


@pytest.mark.parametrize(("url", "expected"), [
    ("https://github.com/acme/rocket.git", "acme/rocket"),
    ("https://github.com/acme/rocket", "acme/rocket"),
    ("git@github.com:acme/rocket.git", "acme/rocket"),
    ("ssh://git@github.example.com:2222/acme/rocket.git", "acme/rocket"),
    ("/srv/git/acme/rocket.git", "acme/rocket"),
    ("rocket", None),
    ("", None),
])
def test_remote_urls_give_owner_and_name(url, expected):
    # GIVEN a remote URL in one of git's spellings WHEN parsed THEN owner/name comes out
    assert remote_name(url) == expected


def test_commits_cut_across_read_chunks_come_out_whole(repo, monkeypatch):
    # GIVEN git's output read a few bytes at a time
    path, sha = repo
    whole = {r.columns["sha"]: r.payload for r in git_units(path)[0].read()}
    monkeypatch.setattr(log, "CHUNK", 5)
    # WHEN the history is read again
    cut = {r.columns["sha"]: r.payload for r in git_units(path)[0].read()}
    # THEN every commit is identical
    assert cut == whole and set(cut) == set(sha.values())


def test_a_repository_beside_rest_dumps_is_found_in_an_export_folder(repo, tmp_path):
    # GIVEN an export folder holding the repository and a REST dump side by side
    path, _ = repo
    (path.parent / "issues.json").write_text(json.dumps([{
        "url": "https://api.github.com/repos/acme/rocket/issues/1", "id": 1, "number": 1, "title": "t",
        "state": "open", "user": None, "updated_at": "2024-03-01T00:00:00Z"}]))
    # WHEN the folder is discovered
    units = discover([path.parent])
    # THEN the repository is one git unit and the dump one REST unit
    assert detect(path) == "git"
    assert sorted(u.fmt for u in units) == ["git", "github-rest"]


def test_an_inherited_git_dir_and_user_settings_do_not_change_the_history(repo, tmp_path, monkeypatch):
    # GIVEN the history read plainly, then an environment as inside another repository's hook,
    # with user settings that would hide the root commit's diff and re-encode the output
    path, _ = repo
    plain = {r.columns["sha"]: r.payload for r in git_units(path)[0].read()}
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    settings = tmp_path / "gitconfig"
    settings.write_text("[log]\n\tshowRoot = false\n[i18n]\n\tlogOutputEncoding = ISO-8859-1\n")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(settings))
    # WHEN the history is read again
    hostile = {r.columns["sha"]: r.payload for r in git_units(path)[0].read()}
    # THEN it is the same history, root commit numstat included
    assert hostile == plain and len(plain) == 5
