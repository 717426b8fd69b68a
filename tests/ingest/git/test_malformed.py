"""Folders that are not readable repositories fail as one clear error; odd log records are quarantined."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from codeconvene.warehouse import connect
from ingest.core.records import Record, Rejected
from ingest.core.runner import ingest_units
from ingest.formats import by_name, detect
from ingest.git import log
from ingest.git.files import is_git_repository

SHA = "a" * 40


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Ada", "-c", "user.email=ada@example.org",
                    "-c", "commit.gpgsign=false", *args], env=env, check=True, capture_output=True)


def small_repository(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    (path / "a.txt").write_text("a\n")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "one")
    return path


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


def _ingest_forced(con, path: Path):
    return ingest_units(con, by_name("git").units(path))


def _one_error(con, summary, path: Path, fragment: str) -> None:
    assert len(summary.errors) == 1 and fragment in summary.errors[0], summary.errors
    rows = con.execute("select location, reason from meta.quarantine").fetchall()
    assert len(rows) == 1 and rows[0][0] == str(path.resolve()) and fragment in rows[0][1]
    assert con.execute("select count(*) from raw_git.commits").fetchone()[0] == 0


def test_a_plain_folder_is_one_clear_error(tmp_path, con):
    # GIVEN a folder with files but no .git
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    # WHEN it is ingested as a git repository
    summary = _ingest_forced(con, folder)
    # THEN it is not detected, and forcing it gives one error naming the folder
    assert not is_git_repository(folder) and detect(folder) is None
    _one_error(con, summary, folder, "not a git repository (no .git in it)")


def test_a_broken_git_folder_inside_another_repository_does_not_read_the_outer_one(tmp_path, con):
    # GIVEN an empty .git folder nested inside a real repository
    outer = small_repository(tmp_path / "outer")
    inner = outer / "inner"
    (inner / ".git").mkdir(parents=True)
    # WHEN the inner folder is ingested
    summary = _ingest_forced(con, inner)
    # THEN git refuses it instead of reading the outer repository's history
    _one_error(con, summary, inner, "not a git repository")


def test_a_git_file_pointing_nowhere_is_one_error(tmp_path, con):
    # GIVEN a worktree-style .git file naming a missing git dir
    folder = tmp_path / "wt"
    folder.mkdir()
    (folder / ".git").write_text("gitdir: /nonexistent/place/.git/worktrees/wt\n")
    # WHEN it is ingested THEN one error names the folder
    _one_error(con, _ingest_forced(con, folder), folder, "git rev-parse failed")


def test_a_file_is_not_a_repository(tmp_path, con):
    # GIVEN a regular file passed with --format git
    file = tmp_path / "history.txt"
    file.write_text("commit 123")
    # WHEN it is ingested THEN one error says it is not a folder
    _one_error(con, _ingest_forced(con, file), file, "not a folder")


def test_missing_git_is_one_clear_error(tmp_path, con, monkeypatch):
    # GIVEN a real repository but no git on PATH
    path = small_repository(tmp_path / "rocket")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    # WHEN it is ingested THEN the error says git is missing
    _one_error(con, _ingest_forced(con, path), path, "git is not installed or not on PATH")


def test_a_corrupt_repository_lands_nothing(tmp_path, con):
    # GIVEN a repository whose blob was deleted (git log --numstat cannot diff it)
    path = small_repository(tmp_path / "rocket")
    blob = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD:a.txt"], capture_output=True, text=True,
                          check=True).stdout.strip()
    (path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    # WHEN it is ingested THEN git's failure is one error and the unit rolls back whole
    _one_error(con, _ingest_forced(con, path), path, "git log failed")


ROOT = Path("/repo")
GOOD_FIELDS = (SHA, "", "Ada", "ada@example.org", "2024-03-01T10:00:00+02:00", "Ada", "ada@example.org",
               "2024-03-01T10:00:00+02:00", "", "msg\n", "\n1\t2\ta.txt\0")
GOOD = "\0".join(GOOD_FIELDS)


@pytest.mark.parametrize(("raw", "location", "fragment"), [
    (GOOD.split("\0", 4)[0] + "\0only", f"{ROOT}@{SHA}", "2 of 10 fields"),
    ("not-a-sha\0" + GOOD.split("\0", 1)[1], f"{ROOT}[0]", "fields"),
    (GOOD.replace("2024-03-01T10:00:00+02:00\0\0", "yesterday\0\0"), f"{ROOT}@{SHA}", "unreadable git log record"),
    (GOOD.replace("1\t2\ta.txt", "x\ty\ta.txt"), f"{ROOT}@{SHA}", "unreadable git log record"),
    (GOOD.replace("1\t2\ta.txt", "1 2 a.txt"), f"{ROOT}@{SHA}", "unreadable git log record"),
    (GOOD.replace("1\t2\ta.txt\0", "1\t2\t\0old.txt"), f"{ROOT}@{SHA}", "rename without its two paths"),
])
def test_odd_log_records_are_rejected_with_where_and_why(raw, location, fragment):
    # GIVEN a commit record git would not write
    # WHEN it is parsed
    result = log.parse_commit(raw.encode(), ROOT, "acme/rocket", 0)
    # THEN it is rejected with its location and the reason
    assert isinstance(result, Rejected) and result.location == location and fragment in result.reason


def test_a_well_formed_record_parses_and_output_without_a_header_is_rejected():
    # GIVEN the good record, and output that starts without the record separator
    stream = io.BytesIO(b"garbage\0" + b"\x1e" + GOOD.encode())
    # WHEN the stream is split
    items = list(log._split(stream, ROOT, "acme/rocket"))
    # THEN the garbage is rejected and the commit comes out whole
    assert isinstance(items[0], Rejected) and "without a commit header" in items[0].reason
    assert isinstance(items[1], Record) and items[1].columns["sha"] == SHA
    assert '"insertions": 1, "deletions": 2, "files_changed": 1' in items[1].payload
