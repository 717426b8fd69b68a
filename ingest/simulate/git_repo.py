"""A planned history → a real git repository, with the same commit shas on every run.

One `git fast-import` writes every commit (hundreds of `git commit` calls would take
seconds); then `git reset --hard` checks main out, so `.mailmap` is in the work tree where
`git log` reads it. A sha depends only on the tree, parents, author, committer, their dates
and the message, all given explicitly; git runs with a fixed, minimal environment (no system
or global config, HOME in a temporary folder, no templates, no signing), so nothing on the
machine can change them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from ingest.simulate.git_history import GitCommit, GitHistory
from ingest.simulate.ids import epoch

TIMEOUT_SECONDS = 60
NULL_SHA = "0" * 40
_CONFIG = ("-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false",
           "-c", "user.name=CodeConvene simulator", "-c", "user.email=simulator@convene-labs.io")


def _offset(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    return f"{sign}{abs(seconds) // 3600:02d}{abs(seconds) % 3600 // 60:02d}"


def _person(name_email: tuple[str, str], at: datetime, tz: int) -> bytes:
    name, email = name_email
    return f"{name} <{email}> {epoch(at)} {_offset(tz)}".encode()


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def fast_import_stream(history: GitHistory) -> bytes:
    marks = {id(c): n for n, c in enumerate(history.commits, start=1)}
    out = []
    for commit in history.commits:
        committer = commit.committer or commit.author
        committer_tz = commit.tz if commit.committer is None else 0
        out.append(b"commit " + commit.ref.encode() + b"\nmark :%d\n" % marks[id(commit)])
        out.append(b"author " + _person(commit.author, commit.at, commit.tz) + b"\n")
        out.append(b"committer " + _person(committer, commit.at, committer_tz) + b"\n")
        out.append(_data(commit.message))
        for k, parent in enumerate(commit.parents):
            out.append(b"%s :%d\n" % (b"from" if k == 0 else b"merge", marks[id(parent)]))
        for path, text in sorted(commit.files.items()):
            out.append(b"M 100644 inline " + path.encode() + b"\n" + _data(text))
        out.append(b"\n")
    for ref in sorted({c.ref for c in history.commits if c.ref != "refs/heads/main"}):
        out.append(b"reset " + ref.encode() + b"\nfrom " + NULL_SHA.encode() + b"\n\n")  # merged: delete it
    out.append(b"done\n")
    return b"".join(out)


def _run(args: list[str], cwd: Path, env: dict[str, str], stdin: bytes | None = None) -> str:
    result = subprocess.run(["git", *_CONFIG, *args], cwd=cwd, env=env, input=stdin, capture_output=True,
                            timeout=TIMEOUT_SECONDS, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"git {args[0]} failed in {cwd}: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8")


def write_git_repo(history: GitHistory, folder: Path, remote: str) -> dict[str, str]:
    """(Re)create the repository at `folder`; returns mark → sha and sets each commit's `sha`."""
    if shutil.which("git") is None:
        raise RuntimeError("git is not installed or not on PATH; the git export needs it")
    if folder.exists():
        shutil.rmtree(folder)  # a repository this generator wrote; it is rebuilt whole
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="codeconvene-git-") as home:
        env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C", "TZ": "UTC", "GIT_TERMINAL_PROMPT": "0"}
        marks = Path(home) / "marks"
        _run(["init", "-q", "--template=", "."], folder, env)
        _run(["remote", "add", "origin", remote], folder, env)
        _run(["fast-import", "--quiet", "--done", "--date-format=raw", f"--export-marks={marks}"], folder, env,
             fast_import_stream(history))
        _run(["reset", "-q", "--hard", "main"], folder, env)
        shas = dict(line.split(" ", 1) for line in marks.read_text().split("\n") if line)
    for n, commit in enumerate(history.commits, start=1):
        commit.sha = shas[f":{n}"]
    return {mark: sha for mark, sha in shas.items()}


def describe(commit: GitCommit, mailmap: dict[str, str]) -> dict:
    """What `git log` shows for a commit once `.mailmap` applies, for the ground truth."""
    email = mailmap.get(commit.author[1], commit.author[1])
    return {"sha": commit.sha, "author_email": email, "raw_author_email": commit.author[1],
            "author_at": commit.at.isoformat() + "Z", "is_merge": len(commit.parents) > 1,
            "parents": [p.sha for p in commit.parents], "person_key": commit.person,
            "co_author_person_keys": commit.co_authors}
