"""GitHub REST API dumps (a JSON array, or JSON lines, of API objects) → raw_github.*.

Covers what `gh api --paginate` or a script saves from issues, pulls, issue comments,
review comments, reviews, releases, stargazers (star+json media type) and forks. A file
holds one kind, recognised from its objects' keys (`ingest.github.rest_kinds`), never from
its name. Every user object embedded in a record also lands in raw_github.users, because
the REST API has no cheap bulk user listing and identity resolution needs the `type`
('Bot'/'User') GitHub already sent us.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

from ingest.core.records import Record, Rejected
from ingest.core.units import Format, Unit, file_sha256
from ingest.github.rest_kinds import (
    Bad,
    build,
    classify,
    dump,
    embedded_users,
    repo_of,
    unknown_reason,
)
from ingest.github.rest_stream import Value, iter_values, readable

FORMAT = "github-rest"
SUFFIXES = (".json", ".jsonl", ".ndjson")
SNIFF_BYTES = 256 * 1024
_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean",
               type(None): "null"}


def _has_suffix(path: Path) -> bool:
    name = path.name.lower().removesuffix(".gz")
    return name.endswith(SUFFIXES)


def _open(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def sniff(path: Path) -> tuple[str, str | None] | None:
    """(kind, owner/name) of the dump's first object, from its first bytes; None if not a dump."""
    if not path.is_file() or not _has_suffix(path):
        return None
    try:
        with _open(path) as handle:
            head = handle.read(SNIFF_BYTES)
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
        if text.startswith("["):
            text = text[1:].lstrip()
        first, _ = json.JSONDecoder().raw_decode(text)
    except (OSError, EOFError, ValueError, RecursionError, zlib.error):
        return None
    kind = classify(first) if isinstance(first, dict) else None
    return (kind, repo_of(kind, first)) if kind else None


def looks_like_rest_dump(path: Path) -> bool:
    return sniff(path) is not None


def _users(obj: dict, at: datetime, location: str, seen: dict[str, datetime]) -> Iterator[Record]:
    """Users embedded in `obj`, each once per file unless a later record is newer."""
    for user in embedded_users(obj):
        login = user["login"]
        if login in seen and seen[login] >= at:
            continue
        seen[login] = at
        columns = {"login": login, "user_type": user["type"]}
        yield Record("raw_github.users", columns, at, dump(user), location)


def _record(item: Value, kind: str | None, hint: str | None) -> tuple[str | None, Record | Rejected]:
    """The file's kind (set by its first recognised object) and what `item` becomes."""
    obj = item.value
    if not isinstance(obj, dict):
        reason = f"not a JSON object but {_JSON_TYPES.get(type(obj), 'a value')}"
    elif (found := classify(obj)) is None:
        reason = unknown_reason(obj)
    elif kind is not None and found != kind:
        reason = f"a {found} object in a file of {kind} objects"
    else:
        try:
            return found, build(found, obj, item.location, hint)
        except Bad as bad:
            return found, Rejected(item.location, f"{found}: {bad}", readable(item.raw))
    return kind, Rejected(item.location, reason, readable(item.raw))


def read_rest_dump(path: Path, repo: str | None = None) -> Iterator[Record | Rejected]:
    kind: str | None = None
    seen: dict[str, datetime] = {}
    with _open(path) as handle:
        for item in iter_values(handle, str(path)):
            if isinstance(item, Rejected):
                yield item
                continue
            kind, result = _record(item, kind, repo)
            yield result
            if isinstance(result, Record):
                yield from _users(item.value, result.updated_at, item.location, seen)


def rest_units(path: Path, repo: str | None = None) -> list[Unit]:
    """A file as given (so a forced `--format` quarantines what it cannot read), or a folder's dumps."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if looks_like_rest_dump(p))
    else:
        files = [path]
    units = []
    for file in files:
        sniffed = sniff(file)
        name = repo or (sniffed[1] if sniffed else None) or "rest"
        units.append(Unit(str(file.resolve()), f"github:{name}", file.stat().st_size,
                          partial(file_sha256, file), partial(read_rest_dump, file, repo), FORMAT))
    return units


FORMATS = [Format(FORMAT, looks_like_rest_dump, rest_units)]
