"""A Slack workspace export folder → raw_slack.users / channels / messages.

The export names channels by folder; messages get the channel id from channels.json (and
groups.json for private channels), so a renamed channel still lands on one key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path

from ingest.core.records import Record, Rejected
from ingest.core.timeparse import epoch_to_utc
from ingest.core.units import Format, Unit, file_sha256

CHANNEL_LISTS = ("channels.json", "groups.json")
NO_TIME = datetime(1970, 1, 1)


def is_slack_export(path: Path) -> bool:
    return path.is_dir() and (path / "users.json").is_file() and (path / "channels.json").is_file()


def _load_list(path: Path) -> list:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON array at the top level")
    return data


def _dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def read_users(path: Path) -> Iterator[Record | Rejected]:
    for index, user in enumerate(_load_list(path)):
        location = f"{path}[{index}]"
        if not isinstance(user, dict) or not user.get("id"):
            yield Rejected(location, "user without an 'id'", _dump(user) if isinstance(user, dict) else str(user))
            continue
        updated = epoch_to_utc(user["updated"]) if user.get("updated") else NO_TIME
        yield Record("raw_slack.users", {"user_id": user["id"], "team_id": user.get("team_id")},
                     updated, _dump(user), location)


def read_channels(path: Path) -> Iterator[Record | Rejected]:
    for index, channel in enumerate(_load_list(path)):
        location = f"{path}[{index}]"
        if not isinstance(channel, dict) or not channel.get("id"):
            yield Rejected(location, "channel without an 'id'", _dump(channel) if isinstance(channel, dict) else str(channel))
            continue
        created = epoch_to_utc(channel["created"]) if channel.get("created") else NO_TIME
        yield Record("raw_slack.channels", {"channel_id": channel["id"], "channel_name": channel.get("name")},
                     created, _dump(channel), location)


def message_record(message: object, channel_id: str, location: str) -> Record | Rejected:
    if not isinstance(message, dict):
        return Rejected(location, "message is not a JSON object", str(message))
    ts = message.get("ts")
    if not ts:
        return Rejected(location, "message without 'ts'", _dump(message))
    try:
        edited = (message.get("edited") or {}).get("ts") if isinstance(message.get("edited"), dict) else None
        updated = epoch_to_utc(edited or ts)
    except (TypeError, ValueError):
        return Rejected(location, f"field 'ts' is not an epoch time: {ts!r}", _dump(message))
    return Record(
        "raw_slack.messages",
        {"channel_id": channel_id, "ts": str(ts), "thread_ts": message.get("thread_ts"),
         "user_id": message.get("user") or message.get("bot_id")},
        updated,
        _dump(message),
        location,
    )


def read_day_file(path: Path, channel_id: str) -> Iterator[Record | Rejected]:
    for index, message in enumerate(_load_list(path)):
        yield message_record(message, channel_id, f"{path}[{index}]")


def _channel_ids(root: Path) -> dict[str, str]:
    ids: dict[str, str] = {}
    for name in CHANNEL_LISTS:
        if (root / name).is_file():
            for channel in _load_list(root / name):
                if isinstance(channel, dict) and channel.get("name") and channel.get("id"):
                    ids[channel["name"]] = channel["id"]
    return ids


def _unit(path: Path, source: str, read) -> Unit:
    return Unit(str(path.resolve()), source, path.stat().st_size, partial(file_sha256, path), read, "slack-export")


def slack_export_units(root: Path) -> list[Unit]:
    source = f"slack:{root.resolve().name}"
    units = [_unit(root / "users.json", source, partial(read_users, root / "users.json"))]
    for name in CHANNEL_LISTS:
        if (root / name).is_file():
            units.append(_unit(root / name, source, partial(read_channels, root / name)))
    ids = _channel_ids(root)
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        channel_id = ids.get(folder.name)
        for day in sorted(folder.glob("*.json")):
            if channel_id is None:
                units.append(_unit(day, source, partial(_unknown_channel, day, folder.name)))
            else:
                units.append(_unit(day, source, partial(read_day_file, day, channel_id)))
    return units


def _unknown_channel(path: Path, folder: str) -> Iterator[Rejected]:
    yield Rejected(str(path), f"channel folder {folder!r} is not listed in channels.json or groups.json")


FORMATS = [Format("slack-export", is_slack_export, slack_export_units, folder=True)]
