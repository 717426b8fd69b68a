"""Run `git` and turn a streamed `git log` into raw_git.commits records.

We shell out to the `git` command line rather than binding libgit2: it is on every machine
that has a repository, and it applies `.mailmap` (through `%aN`/`%aE`/`%cN`/`%cE`) and parses
trailers exactly as git itself does. Output is read in chunks and parsed one commit at a
time, so a history of any length never sits in memory.

Each commit starts with \\x1e and its fields are NUL-separated (`-z` also NUL-terminates
numstat paths, so unusual file names need no unquoting). Merge commits carry no numstat (git
log shows no diff for them by default), so their changes are not counted twice.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ingest.core.records import Record, Rejected
from ingest.core.timeparse import iso_to_utc

CHUNK = 1 << 16
TIMEOUT_SECONDS = 120
FIELDS = ("%H", "%P", "%aN", "%aE", "%aI", "%cN", "%cE", "%cI",
          "%(trailers:key=Co-authored-by,valueonly,separator=%x1f)", "%B")
LOG_FORMAT = "%x1e" + "%x00".join(FIELDS) + "%x00"
_RECORD_START = re.compile(rb"\x1e(?=[0-9a-f]{40}(?:[0-9a-f]{24})?\x00)")
_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
_REPOSITORY_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                   "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE")
# user settings that would change what `git log` prints
_PINNED_CONFIG = ("-c", "log.showSignature=false", "-c", "log.showRoot=true",
                  "-c", "i18n.logOutputEncoding=UTF-8")
_PERSON = re.compile(r"^\s*(.*?)\s*<([^<>]*)>\s*$")


class GitError(RuntimeError):
    """The folder cannot be read as a git repository (or git is missing); one clear line."""


def _command(root: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed or not on PATH; install git to ingest repository history")
    # read this folder's repository only: ignore a GIT_DIR inherited from a hook, and never
    # climb to an enclosing repository when this folder's .git is broken
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_ENV}
    env.update(GIT_CEILING_DIRECTORIES=str(root.parent), GIT_TERMINAL_PROMPT="0")
    return [exe, "-C", str(root), *_PINNED_CONFIG, *args], env


def git_output(root: Path, *args: str, allow_failure: bool = False) -> str | None:
    """Stdout of a short git command; None (allow_failure) or GitError when it fails."""
    command, env = _command(root, *args)
    result = subprocess.run(command, env=env, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    if result.returncode != 0:
        if allow_failure:
            return None
        raise GitError(f"{root}: git {args[0]} failed: {_last_line(result.stderr)}")
    return result.stdout.decode("utf-8", "replace")


def _last_line(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no message"


def _person(value: str) -> dict[str, str | None]:
    match = _PERSON.match(value)
    return {"name": match[1], "email": match[2]} if match else {"name": value.strip(), "email": None}


def parse_numstat(text: str) -> list[dict]:
    """`-z --numstat` output: "ins\\tdel\\tpath\\0", or "ins\\tdel\\t\\0old\\0new\\0" for a rename."""
    tokens = text.split("\0")
    files: list[dict] = []
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if not token:
            continue
        added, deleted, path = token.split("\t", 2)
        entry: dict = {}
        if not path:
            if index + 1 >= len(tokens):
                raise ValueError("rename without its two paths")
            entry["old_path"], path = tokens[index], tokens[index + 1]
            index += 2
        binary = added == "-" and deleted == "-"
        entry = {"path": path, **entry, "binary": binary,
                 "insertions": None if binary else int(added), "deletions": None if binary else int(deleted)}
        files.append(entry)
    return files


def parse_commit(body: bytes, root: Path, repository: str, index: int) -> Record | Rejected:
    """One commit's bytes (after its \\x1e) → a raw_git.commits record."""
    text = body.decode("utf-8", "replace")
    parts = text.split("\0", len(FIELDS))
    sha = parts[0] if _SHA.fullmatch(parts[0]) else None
    location = f"{root}@{sha}" if sha else f"{root}[{index}]"
    if sha is None or len(parts) < len(FIELDS):
        return Rejected(location, f"git log record has {len(parts)} of {len(FIELDS)} fields", text[:4000])
    _, parents, a_name, a_email, a_date, c_name, c_email, c_date, trailers, message = parts[:len(FIELDS)]
    try:
        updated = iso_to_utc(c_date)
        iso_to_utc(a_date)
        files = parse_numstat(parts[len(FIELDS)] if len(parts) > len(FIELDS) else "")
    except ValueError as exc:
        return Rejected(location, f"unreadable git log record: {exc}", text[:4000])
    parent_shas = parents.split()
    payload = {
        "sha": sha,
        "parents": parent_shas,
        "author": {"name": a_name, "email": a_email, "date": a_date},
        "committer": {"name": c_name, "email": c_email, "date": c_date},
        "message": message.rstrip("\n"),
        "files": files,
        "insertions": sum(f["insertions"] or 0 for f in files),
        "deletions": sum(f["deletions"] or 0 for f in files),
        "files_changed": len(files),
        "co_authors": [_person(v) for v in trailers.split("\x1f") if v.strip()],
    }
    columns = {"repository": repository, "sha": sha, "author_email": a_email or None,
               "committer_email": c_email or None, "is_merge": len(parent_shas) > 1}
    return Record("raw_git.commits", columns, updated, json.dumps(payload, ensure_ascii=False), location)


def stream_commits(root: Path, repository: str, revisions: list[str]) -> Iterator[Record | Rejected]:
    """Every commit reachable from `revisions`, parsed while git is still writing."""
    command, env = _command(root, "log", "-z", "--numstat", "--find-renames", "--no-color",
                            f"--format={LOG_FORMAT}", *revisions, "--")
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=errors)
        try:
            yield from _split(process.stdout, root, repository)
            process.wait(timeout=TIMEOUT_SECONDS)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
        if process.returncode != 0:
            errors.seek(0)
            raise GitError(f"{root}: git log failed: {_last_line(errors.read())}")


def _split(stream, root: Path, repository: str) -> Iterator[Record | Rejected]:
    pending = b""
    scanned = index = 0
    while chunk := stream.read(CHUNK):
        pending += chunk
        starts = [m.start() for m in _RECORD_START.finditer(pending, max(scanned - 70, 1))]
        begin = 0
        for start in starts:  # everything before the last start is whole commits
            yield _piece(pending[begin:start], root, repository, index)
            index += 1
            begin = start
        pending = pending[begin:]
        scanned = len(pending)
    if pending:
        yield _piece(pending, root, repository, index)


def _piece(raw: bytes, root: Path, repository: str, index: int) -> Record | Rejected:
    if not raw.startswith(b"\x1e"):
        return Rejected(f"{root}[{index}]", "git log output without a commit header",
                        raw[:4000].decode("utf-8", "replace"))
    return parse_commit(raw[1:], root, repository, index)
