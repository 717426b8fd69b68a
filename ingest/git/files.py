"""A local git repository folder → raw_git.commits, the whole history as one unit.

The unit's fingerprint is HEAD plus every branch tip (local and remote-tracking), so an
unchanged history is skipped without running `git log`, and one new commit re-reads the
history: the upsert then finds every old commit unchanged and inserts only the new one.
`repository` is the `origin` remote's owner/name when there is one (so a clone anywhere on
disk lands on the same key as the GitHub data), else the folder's name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from ingest.core.records import Record, Rejected
from ingest.core.units import Format, Unit
from ingest.git.log import GitError, git_output, stream_commits

FORMAT = "git"
LOG_VERSION = "git-log-v1"  # bump when the parsed payload changes, so histories re-ingest
_SCP_LIKE = re.compile(r"^(?:[^@/]+@)?[^/:]+:(?!//)(.+)$")


def is_git_repository(path: Path) -> bool:
    return path.is_dir() and (path / ".git").exists()


def remote_name(url: str) -> str | None:
    """owner/name from a remote URL: https, ssh://, scp-like `git@host:o/r.git`, or a path."""
    url = url.strip()
    if not url:
        return None
    if "://" in url:
        path = urlsplit(url).path
    elif match := _SCP_LIKE.match(url):
        path = match[1]
    else:
        path = url
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if len(parts) < 2:
        return None
    return f"{parts[-2]}/{parts[-1].removesuffix('.git')}"


def check_repository(root: Path) -> None:
    if not root.is_dir():
        raise GitError(f"{root}: not a folder, so not a git repository")
    if not (root / ".git").exists():
        raise GitError(f"{root}: not a git repository (no .git in it)")
    git_output(root, "rev-parse", "--git-dir")


def repository_name(root: Path) -> str:
    url = git_output(root, "config", "--get", "remote.origin.url", allow_failure=True)
    return (remote_name(url) if url else None) or root.name


def _head(root: Path) -> str | None:
    head = git_output(root, "rev-parse", "--verify", "-q", "HEAD^{commit}", allow_failure=True)
    return head.strip() if head else None


def fingerprint(root: Path) -> str:
    """HEAD and the branch tips; raises GitError for anything that is not a readable repository."""
    check_repository(root)
    refs = git_output(root, "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/remotes")
    text = f"{LOG_VERSION}\n{repository_name(root)}\nHEAD {_head(root) or '(no commits)'}\n{refs}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_commits(root: Path) -> Iterator[Record | Rejected]:
    check_repository(root)
    head = _head(root)
    revisions = ["--branches", "--remotes", *([head] if head else [])]
    yield from stream_commits(root, repository_name(root), revisions)


def git_units(path: Path) -> list[Unit]:
    """One unit per repository; a folder that is not one fails as one error when ingested."""
    root = path.resolve()
    try:
        name = repository_name(root) if is_git_repository(root) else root.name
    except GitError:
        name = root.name
    read = partial(read_commits, root)
    return [Unit(str(root), f"git:{name}", 0, partial(fingerprint, root), read, FORMAT)]


FORMATS = [Format(FORMAT, is_git_repository, git_units, folder=True)]
