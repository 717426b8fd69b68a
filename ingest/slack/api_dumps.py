"""Saved Slack Web API responses (one JSON response per file) → raw_slack records.

Workspaces without an export plan save what the Web API returned instead:
`conversations.history` and `conversations.replies` pages ({ok, messages, has_more,
response_metadata}), `users.list` ({ok, members}) and `conversations.list` ({ok, channels}).
Responses are told apart by their keys, never by file name. A history or replies page does
not say its channel, so the id comes from a `channel` key in the file, else a channel id in
the file name (`C123ABC-history-page1.json`), else the caller's hint (`channel=`). Pages
overlap (a replies page repeats its thread parent, pages get re-fetched): the
(channel_id, ts) key makes each message land once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from ingest.core.records import Record, Rejected
from ingest.core.units import Unit, file_sha256
from ingest.slack.records import channel_record, message_record, parse_json, records_of, user_record

FMT = "slack-api-dump"
SOURCE = "slack:api"
SNIFF_BYTES = 64 * 1024
OK = re.compile(r'"ok"\s*:\s*(true|false)')
PARSE_WHOLE_BYTES = 8 * 1024 * 1024
TAIL_BYTES = 4 * 1024
_INTERESTING = re.compile(r'["{}\[\]]')
_STRING_REST = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)
_COLON = re.compile(r"\s*:")
CHANNEL_IN_NAME = re.compile(r"(?<![A-Za-z0-9])([CGD](?=[A-Z0-9]*[0-9])[A-Z0-9]{6,})(?![A-Za-z0-9])")


class SlackApiError(ValueError):
    """A dump that holds an error response, or a page whose channel nobody can tell."""


def top_level_keys(text: str) -> set[str]:
    """Keys of the outermost JSON object in `text` (which may be cut short): a string at depth 1
    followed by a colon. Strings are skipped whole, so braces inside messages do not count."""
    keys: set[str] = set()
    depth, at = 0, 0
    while (found := _INTERESTING.search(text, at)) is not None:
        char, at = found.group(), found.end()
        if char == '"':
            closing = _STRING_REST.match(text, at)
            if closing is None:
                break
            if depth == 1 and _COLON.match(text, closing.end()):
                keys.add(text[at:closing.end() - 1])
            at = closing.end()
        else:
            depth += 1 if char in "{[" else -1
    return keys


def _is_response(keys: set[str] | dict) -> bool:
    return "ok" in keys and any(k in keys for k in ("messages", "members", "channels", "error"))


def is_slack_api_dump(path: Path) -> bool:
    """A .json object with a top-level `ok` and a known list (or an `error`) beside it.

    Top-level only, so a Discord or Discourse dump quoting `"ok": true` in a message is not
    claimed. Responses saved in key order have `ok` first, in the sniffed head; a small file
    saved with sorted keys (`ok` after a long list) is parsed whole instead.
    """
    try:
        if not (path.is_file() and path.name.lower().endswith(".json")):
            return False
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES).decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
            handle.seek(max(size - TAIL_BYTES, 0))
            tail = handle.read(TAIL_BYTES).decode("utf-8", "ignore")
        if not head.startswith("{"):
            return False
        if OK.search(head) and _is_response(top_level_keys(head)):
            return True
        if size > PARSE_WHOLE_BYTES or not OK.search(tail):
            return False
        whole, bad = parse_json(path.read_bytes(), str(path))
        return bad is None and isinstance(whole, dict) and isinstance(whole.get("ok"), bool) and _is_response(whole)
    except OSError:
        return False


def channel_from_name(path: Path) -> str | None:
    match = CHANNEL_IN_NAME.search(path.stem)
    return match.group(1) if match else None


def _channel_key(response: dict) -> str | None:
    value = response.get("channel")
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def read_api_dump(path: Path, channel: str | None = None) -> Iterator[Record | Rejected]:
    location = str(path.resolve())
    response, bad = parse_json(path.read_bytes(), location)
    if bad:
        yield bad
        return
    if not isinstance(response, dict) or not isinstance(response.get("ok"), bool):
        yield Rejected(location, "not a Slack API response: expected an object with a boolean 'ok'", None)
        return
    if response["ok"] is False:
        needed = f" (needed scope: {response['needed']})" if response.get("needed") else ""
        raise SlackApiError(f"{path.name} holds a failed Slack API call: ok=false, "
                            f"error {response.get('error', '(none given)')!r}{needed}")
    if "messages" in response:
        channel_id = _channel_key(response) or channel_from_name(path) or channel
        if channel_id is None:
            raise SlackApiError(f"{path.name}: cannot tell which channel these messages are from: no 'channel' "
                                "key, no channel id in the file name; pass the channel id as a hint")
        yield from _list_of(response, "messages", location, partial(_message, channel_id))
    elif "members" in response:
        yield from _list_of(response, "members", location, user_record)
    elif "channels" in response:
        yield from _list_of(response, "channels", location, channel_record)
    else:
        yield Rejected(location, "Slack API response without 'messages', 'members' or 'channels'", None)


def _message(channel_id: str, obj: object, location: str) -> Record | Rejected:
    return message_record(obj, channel_id, location)


def _list_of(response: dict, key: str, location: str, make) -> Iterator[Record | Rejected]:
    items = response[key]
    if not isinstance(items, list):
        yield Rejected(location, f"field {key!r} must be an array, found {type(items).__name__}", None)
        return
    yield from records_of(items, f"{location}[{key}]", make)


def api_dump_units(path: Path, channel: str | None = None) -> list[Unit]:
    """One unit per response file: `path` is a file, or a folder searched for them."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*.json") if is_slack_api_dump(p))
    return [
        Unit(str(file.resolve()), SOURCE, file.stat().st_size, partial(file_sha256, file),
             partial(read_api_dump, file, channel), FMT)
        for file in files
    ]
