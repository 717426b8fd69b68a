"""GH Archive hour files (`.json` / `.json.gz`, one event per line) → raw_github.events.

Each line is kept verbatim as the payload, so nothing the event carries is lost.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from ingest.core.records import Record, Rejected
from ingest.core.timeparse import iso_to_utc
from ingest.core.units import Format, Unit, file_sha256

SOURCE = "github:gharchive"
REQUIRED = ("id", "type", "actor", "repo", "created_at")


def _open_text(path: Path):
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", errors="strict")
    return path.open("r", encoding="utf-8", errors="strict")


def looks_like_gharchive(path: Path) -> bool:
    if not path.is_file() or not (path.name.endswith(".json") or path.name.endswith(".json.gz")):
        return False
    try:
        with _open_text(path) as handle:
            first = handle.readline()
        event = json.loads(first)
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return isinstance(event, dict) and all(k in event for k in ("type", "actor", "repo", "created_at"))


def parse_event_line(line: str, location: str) -> Record | Rejected:
    try:
        event = json.loads(line)
    except ValueError as exc:
        return Rejected(location, f"invalid JSON: {exc}", line)
    if not isinstance(event, dict):
        return Rejected(location, "event is not a JSON object", line)
    missing = [k for k in REQUIRED if k not in event or event[k] in (None, "")]
    if missing:
        return Rejected(location, f"missing field(s): {', '.join(missing)}", line)
    actor, repo = event.get("actor"), event.get("repo")
    if not isinstance(actor, dict) or not isinstance(repo, dict):
        return Rejected(location, "field 'actor' or 'repo' is not an object", line)
    try:
        created = iso_to_utc(str(event["created_at"]))
    except ValueError:
        return Rejected(location, f"field 'created_at' is not a timestamp: {event['created_at']!r}", line)
    return Record(
        table="raw_github.events",
        columns={
            "event_id": str(event["id"]),
            "event_type": str(event["type"]),
            "repo_name": repo.get("name"),
            "actor_login": actor.get("login"),
        },
        updated_at=created,
        payload=line,
        location=location,
    )


def read_events(path: Path, repo: str | None = None) -> Iterator[Record | Rejected]:
    with _open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if not line:
                continue
            item = parse_event_line(line, f"{path}:{number}")
            if repo and isinstance(item, Record) and item.columns["repo_name"] != repo:
                continue
            yield item


def gharchive_units(path: Path, repo: str | None = None) -> list[Unit]:
    files = sorted(p for p in path.rglob("*") if looks_like_gharchive(p)) if path.is_dir() else [path]
    return [
        Unit(
            location=str(f.resolve()),
            source=SOURCE if not repo else f"github:{repo}",
            size=f.stat().st_size,
            fingerprint=partial(file_sha256, f),
            read=partial(read_events, f, repo),
            fmt="gharchive",
        )
        for f in files
    ]


FORMATS = [Format("gharchive", looks_like_gharchive, gharchive_units)]
