"""Slack JSON objects → raw_slack records, or a Rejected that says exactly what is wrong.

Shared by workspace exports and Web API dumps: both carry the same user, conversation and
message objects. A record is kept whole (re-serialised compactly); only the key and helper
columns are checked here, strictly, because a wrong type in a key would either crash the
batch or land a row that later joins to nothing. Everything else in the object is the
platform's business and passes through untouched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime

from ingest.core.records import Record, Rejected
from ingest.core.timeparse import epoch_to_utc

TS = re.compile(r"\d{1,12}(\.\d{1,9})?")
NO_TIME = datetime(1970, 1, 1)


class Bad(ValueError):
    """One field that makes an object unusable; the message is the quarantine reason."""


def dump(obj: object) -> str:
    """Compact JSON; refuses what DuckDB's JSON type would refuse later (NaN, lone surrogates)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text.encode("utf-8")
    return text


def _raw(obj: object) -> str:
    try:
        return json.dumps(obj, ensure_ascii=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return repr(obj)


def parse_json(data: bytes, location: str) -> tuple[object, Rejected | None]:
    """The parsed document, or why the bytes are not one (bad UTF-8, empty, invalid JSON)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, Rejected(location, f"not UTF-8 text: {exc}", data.decode("utf-8", "replace"))
    if not text.strip():
        return None, Rejected(location, "empty file: expected a JSON document", text)
    try:
        return json.loads(text), None
    except RecursionError:
        return None, Rejected(location, "JSON nested too deeply to read", text)
    except ValueError as exc:
        return None, Rejected(location, f"invalid JSON: {exc}", text)


def parse_list(data: bytes, location: str) -> list | Rejected:
    value, bad = parse_json(data, location)
    if bad:
        return bad
    if not isinstance(value, list):
        return Rejected(location, f"expected a JSON array at the top level, found {type(value).__name__}", _raw(value))
    return value


def text_field(obj: dict, name: str, required: bool = False) -> str | None:
    value = obj.get(name)
    if value is None or (value == "" and not required):
        if required:
            raise Bad(f"missing field {name!r}")
        return None
    if not isinstance(value, str) or not value:
        raise Bad(f"field {name!r} must be a non-empty string, found {type(value).__name__} {value!r:.60}")
    return value


def epoch_field(obj: dict, name: str) -> datetime | None:
    """Slack epoch seconds, as a number or a string ("1709388309.000100")."""
    value = obj.get(name)
    if value is None or value == "" or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Bad(f"field {name!r} must be epoch seconds, found {type(value).__name__}")
    if isinstance(value, str) and not TS.fullmatch(value):
        raise Bad(f"field {name!r} is not epoch seconds: {value!r:.60}")
    try:
        return epoch_to_utc(value)
    except (ValueError, OverflowError, OSError) as exc:
        raise Bad(f"field {name!r} is out of range: {value!r:.60} ({exc})") from None


def ts_field(obj: dict, name: str, required: bool = False) -> str | None:
    """A message timestamp: a string like "1709388309.000100", which is also a key."""
    value = obj.get(name)
    if value is None:
        if required:
            raise Bad(f"message without {name!r}")
        return None
    if not isinstance(value, str):
        raise Bad(f"field {name!r} must be a string like '1709388309.000100', found {type(value).__name__} {value!r:.60}")
    if not TS.fullmatch(value):
        raise Bad(f"field {name!r} is not a Slack timestamp: {value!r:.60}")
    return value


def _record(table: str, columns: dict, updated: datetime, obj: dict, location: str) -> Record | Rejected:
    try:
        payload = dump(obj)
    except (ValueError, UnicodeEncodeError) as exc:
        return Rejected(location, f"not representable as standard JSON (NaN, Infinity or a lone surrogate): {exc}", _raw(obj))
    return Record(table, columns, updated, payload, location)


def user_record(obj: object, location: str) -> Record | Rejected:
    if not isinstance(obj, dict):
        return Rejected(location, f"user is not a JSON object (found {type(obj).__name__})", _raw(obj))
    try:
        columns = {"user_id": text_field(obj, "id", required=True), "team_id": text_field(obj, "team_id")}
        updated = epoch_field(obj, "updated") or NO_TIME
    except Bad as exc:
        return Rejected(location, f"user: {exc}", _raw(obj))
    return _record("raw_slack.users", columns, updated, obj, location)


def _last_set(obj: dict, name: str) -> datetime | None:
    part = obj.get(name)
    return epoch_field(part, "last_set") if isinstance(part, dict) else None


def channel_record(obj: object, location: str) -> Record | Rejected:
    """Channels, private channels, DMs and group DMs alike; a DM has no name, so its id is one.

    `updated_at` is the latest time the record itself states (created, topic or purpose
    set), so a later export with a new topic replaces the older row.
    """
    if not isinstance(obj, dict):
        return Rejected(location, f"conversation is not a JSON object (found {type(obj).__name__})", _raw(obj))
    try:
        channel_id = text_field(obj, "id", required=True)
        name = text_field(obj, "name")
        times = [epoch_field(obj, "created"), _last_set(obj, "topic"), _last_set(obj, "purpose")]
    except Bad as exc:
        return Rejected(location, f"conversation: {exc}", _raw(obj))
    updated = max((t for t in times if t is not None), default=NO_TIME)
    return _record("raw_slack.channels", {"channel_id": channel_id, "channel_name": name or channel_id},
                   updated, obj, location)


def message_record(obj: object, channel_id: str, location: str) -> Record | Rejected:
    """`updated_at` is the edit time when there is one, so the newer edit wins on upsert."""
    if not isinstance(obj, dict):
        return Rejected(location, f"message is not a JSON object (found {type(obj).__name__})", _raw(obj))
    try:
        ts = ts_field(obj, "ts", required=True)
        thread_ts = ts_field(obj, "thread_ts")
        user_id = text_field(obj, "user") or text_field(obj, "bot_id")
        edited = obj.get("edited")
        if edited is not None and not isinstance(edited, dict):
            raise Bad(f"field 'edited' must be an object, found {type(edited).__name__}")
        updated = epoch_field(edited or {}, "ts") or epoch_field(obj, "ts")
    except Bad as exc:
        return Rejected(location, f"message: {exc}", _raw(obj))
    return _record("raw_slack.messages", {"channel_id": channel_id, "ts": ts, "thread_ts": thread_ts, "user_id": user_id},
                   updated, obj, location)


def records_of(items: list, location: str, make) -> Iterator[Record | Rejected]:
    """`make(obj, location)` for each element, addressed as `location[index]`."""
    for index, obj in enumerate(items):
        yield make(obj, f"{location}[{index}]")
