"""GH Archive hour files (`.json` / `.json.gz`, one event per line) → raw_github.events.

Each line is kept verbatim (whitespace around it trimmed) as the payload, so nothing the
event carries is lost. A line lands when it is UTF-8, a JSON object with `id`, `type`,
`actor`, `repo` and `created_at` (none null or empty), `actor` and `repo` are objects and
`created_at` is a timestamp (`TIMESTAMP_PATTERN`); else it is quarantined as `path:line`
with the reason. Then the raw contract applies (`ingest.core.contracts`).

Two readers apply these rules: `read_events` yields records one by one (the generic
`Unit.read` path), and `gharchive_sql.load_events`, the unit's bulk loader, checks and upserts
whole files inside DuckDB; the runner uses the loader. Tests hold them to the same verdicts,
reasons and rows. Where the two JSON parsers themselves disagree, DuckDB's (the warehouse's
own) decides on the bulk path: it takes trailing commas (`{"a": 1,}`), refuses lone surrogate
escapes (`"\\ud800"`), and reads the first of duplicated keys where Python reads the last.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from ingest.core.lines import GZIP_MAGIC
from ingest.core.records import Record, Rejected
from ingest.core.timeparse import iso_to_utc
from ingest.core.units import Format, Unit, file_sha256

SOURCE = "github:gharchive"
TABLE = "raw_github.events"
REQUIRED = ("id", "type", "actor", "repo", "created_at")
# ISO 8601 as GH Archive writes it (`2021-07-21T06:00:00Z`), with optional fraction and offset
TIMESTAMP_PATTERN = (
    r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?"
)
REASON_UTF8 = "invalid UTF-8"
REASON_JSON = "invalid JSON"
REASON_NOT_OBJECT = "event is not a JSON object"
REASON_MISSING = "missing field(s): "
REASON_NOT_OBJECTS = "field 'actor' or 'repo' is not an object"
REASON_TIME = "field 'created_at' is not a timestamp: "
DETECT_LINE_CHARS = 8 << 20  # detection reads at most this much of a line (a minified JSON file is one line)
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)
_ESCAPED = re.compile("[\udc80-\udcff]")


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def _open_text(path: Path, errors: str = "strict"):
    # lines end at "\n" only, as the bulk loader splits them
    if _is_gzip(path):
        return gzip.open(path, "rt", encoding="utf-8", errors=errors, newline="\n")
    return path.open("r", encoding="utf-8", errors=errors, newline="\n")


def looks_like_gharchive(path: Path) -> bool:
    if not path.is_file() or not (path.name.endswith(".json") or path.name.endswith(".json.gz")):
        return False
    try:
        with _open_text(path, errors="replace") as handle:
            lines = (handle.readline(DETECT_LINE_CHARS) for _ in range(8))
            first = next((line for line in lines if line.strip()), "")
        event = json.loads(first)
    except (OSError, EOFError, ValueError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(event, dict) and all(k in event for k in ("type", "actor", "repo", "created_at"))


def as_text(value: Any) -> str | None:
    """A JSON value as text the way DuckDB's `->>` gives it: strings as they are, others as JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def blob_text(data: bytes) -> str:
    """Bytes that are not UTF-8, shown as DuckDB shows a BLOB: printable ASCII as is, the rest as \\xHH."""
    return "".join(chr(b) if 32 <= b < 127 and b not in (34, 39, 92) else f"\\x{b:02X}" for b in data)


def parse_event_line(line: str, location: str) -> Record | Rejected:
    try:
        event = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return Rejected(location, f"{REASON_JSON}: {exc}", line)
    if not isinstance(event, dict):
        return Rejected(location, REASON_NOT_OBJECT, line)
    missing = [k for k in REQUIRED if k not in event or event[k] in (None, "")]
    if missing:
        return Rejected(location, REASON_MISSING + ", ".join(missing), line)
    actor, repo = event.get("actor"), event.get("repo")
    if not isinstance(actor, dict) or not isinstance(repo, dict):
        return Rejected(location, REASON_NOT_OBJECTS, line)
    created_at = event["created_at"]
    shown = f"'{created_at}'" if isinstance(created_at, str) else as_text(created_at)
    if not isinstance(created_at, str) or not _TIMESTAMP.fullmatch(created_at):
        return Rejected(location, REASON_TIME + str(shown), line)
    try:
        created = iso_to_utc(created_at)
    except (ValueError, OverflowError):
        return Rejected(location, REASON_TIME + str(shown), line)
    return Record(
        table=TABLE,
        columns={
            "event_id": as_text(event["id"]),
            "event_type": as_text(event["type"]),
            "repo_name": as_text(repo.get("name")),
            "actor_login": as_text(actor.get("login")),
        },
        updated_at=created,
        payload=line,
        location=location,
    )


def keep(record: Record, repo: str | None, org: str | None) -> bool:
    """The repo (`owner/name`, exact) and org (owner, any case) filters; None lets all through."""
    name = record.columns["repo_name"]
    if repo and name != repo:
        return False
    return not org or (name is not None and name.split("/", 1)[0].lower() == org.lower())


def read_events(path: Path, repo: str | None = None, org: str | None = None) -> Iterator[Record | Rejected]:
    with _open_text(path, errors="surrogateescape") as handle:
        for number, raw in enumerate(handle, start=1):
            location = f"{path}:{number}"
            if _ESCAPED.search(raw):
                data = raw.encode("utf-8", "surrogateescape").removesuffix(b"\n")
                yield Rejected(location, REASON_UTF8, blob_text(data))
                continue
            line = raw.strip()
            if not line:
                continue
            item = parse_event_line(line, location)
            if isinstance(item, Record) and not keep(item, repo, org):
                continue
            yield item


def gharchive_units(path: Path, repo: str | None = None, org: str | None = None) -> list[Unit]:
    """One unit per hour file; with a repo or org filter only its events are read, and the
    filter is part of the unit's fingerprint (a filtered read does not stand for the file)."""
    from ingest.github.gharchive_sql import load_events

    files = sorted(p for p in path.rglob("*") if looks_like_gharchive(p)) if path.is_dir() else [path]
    scope = "".join(f"|{name}={value}" for name, value in (("repo", repo), ("org", org)) if value)
    source = f"github:{repo or org}" if repo or org else SOURCE
    units = []
    for file in files:
        file = file.resolve()
        units.append(Unit(
            location=str(file),
            source=source,
            size=file.stat().st_size,
            fingerprint=(lambda f=file: file_sha256(f) + scope) if scope else partial(file_sha256, file),
            read=partial(read_events, file, repo, org),
            fmt="gharchive",
            load=partial(load_events, file, repo=repo, org=org),
        ))
    return units


FORMATS = [Format("gharchive", looks_like_gharchive, gharchive_units)]
