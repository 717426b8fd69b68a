"""DiscordChatExporter JSON (`{guild, channel, dateRange, exportedAt, messages[], messageCount}`).

Messages are streamed one at a time (`jsonstream`), so a multi-gigabyte channel export never
sits in memory. Guild, channel and one member per distinct author land too; those are
snapshots taken at `exportedAt`, which is therefore their `updated_at`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ingest.core.records import Record, Rejected
from ingest.core.timeparse import iso_to_utc
from ingest.discord.common import (
    NO_TIME,
    SNOWFLAKE,
    UNKNOWN_GUILD,
    Members,
    channel_record,
    first_sighting,
    guild_record,
    has_bad_utf8,
    message_record,
    printable,
)
from ingest.discord.jsonstream import Broken, JsonStreamError, Member, iter_object

# a message object starts with its id then its type; nested users and emoji do not
MESSAGE_START = re.compile(r'\{\s*"id"\s*:\s*"\d+"\s*,\s*"type"\s*:')
SNIFF_BYTES = 64 * 1024
_HEAD = re.compile(rb'^(\xef\xbb\xbf)?\s*\{\s*"guild"\s*:\s*\{')


def looks_like_dce_json(path: Path) -> bool:
    """The JSON export always opens with the guild object, and names the channel right after."""
    if not path.is_file() or path.suffix.lower() != ".json":
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return bool(_HEAD.match(head)) and b'"channel"' in head


class _State:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.guild: dict | None = None
        self.channel: dict | None = None
        self.exported_at = NO_TIME
        self.message_count: object = None
        self.countable = True
        self.seen: dict[str, str] = {}
        self.read = 0
        self.waiting: list[Member] = []  # messages that came before the channel object
        self.authors = Members(UNKNOWN_GUILD, NO_TIME, str(path))

    def where(self, part: str) -> str:
        return f"{self.path}[{part}]"

    @property
    def guild_id(self) -> str:
        return str(self.guild["id"]) if self.guild else UNKNOWN_GUILD


def _header(state: _State, member: Member) -> Iterator[Record | Rejected]:
    where = state.where(member.key)
    if has_bad_utf8(member.raw):
        yield Rejected(where, "invalid UTF-8 in the export's header", printable(member.raw))
    elif member.key in ("guild", "channel"):
        value = member.value
        if not isinstance(value, dict) or not SNOWFLAKE.fullmatch(str(value.get("id", ""))):
            yield Rejected(where, f"'{member.key}' is not an object with a numeric 'id'", member.raw)
        else:
            setattr(state, member.key, value)
    elif member.key == "exportedAt" and isinstance(member.value, str):
        try:
            state.exported_at = iso_to_utc(member.value)
        except ValueError:
            yield Rejected(where, f"'exportedAt' is not a timestamp: {member.value!r}", member.raw)
    elif member.key == "messageCount":
        state.message_count = member.value
    elif member.key == "messages":
        state.countable = False  # no array to count against messageCount
        yield Rejected(where, "'messages' is not an array", member.raw[:4000])


def _message(state: _State, member: Member) -> Record | Rejected:
    where = state.where(f"messages.{member.index}")
    if has_bad_utf8(member.raw):
        return Rejected(where, "invalid UTF-8 in message", printable(member.raw))
    channel_id = str(state.channel["id"]) if state.channel else None
    if channel_id is None:
        return Rejected(where, "the export has no valid 'channel' object, so the message has no channel", member.raw)
    return first_sighting(message_record(member.value, channel_id, where, member.raw), state.seen)


def _emit(state: _State, member: Member) -> Iterator[Record | Rejected]:
    """Messages wait in memory only in the unusual file where they precede the channel."""
    if state.channel is None:
        state.waiting.append(member)
        return
    for pending in (*state.waiting, member):
        item = _message(state, pending)
        if isinstance(item, Record):
            state.authors.add(pending.value)
        yield item
    state.waiting.clear()


def _flush_waiting(state: _State) -> Iterator[Record | Rejected]:
    for pending in state.waiting:
        item = _message(state, pending)
        if isinstance(item, Record):
            state.authors.add(pending.value)
        yield item
    state.waiting.clear()


def read_dce_json(path: Path) -> Iterator[Record | Rejected]:
    state = _State(path)
    if path.stat().st_size == 0:
        yield Rejected(str(path), "empty file")
        return
    with path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        try:
            for item in iter_object(handle, "messages", MESSAGE_START):
                if isinstance(item, Broken):
                    state.read += item.is_element
                    yield Rejected(state.where(f"messages.{item.index}"), item.reason, printable(item.raw))
                elif item.index is None:
                    yield from _header(state, item)
                else:
                    state.read += 1
                    yield from _emit(state, item)
        except JsonStreamError as exc:
            if not exc.reported:
                kind = "truncated" if exc.truncated else "invalid"
                reason = "empty file" if exc.at == 0 and exc.truncated else f"{kind} JSON: {exc} (offset {exc.at})"
                yield Rejected(str(path), reason)
    yield from _flush_waiting(state)
    yield from _finish(state)


def _finish(state: _State) -> Iterator[Record | Rejected]:
    if state.guild:
        yield guild_record(state.guild, state.exported_at, state.where("guild"))
    if state.channel:
        yield channel_record(state.channel, state.guild_id if state.guild else None, state.exported_at,
                             state.where("channel"))
    state.authors.guild_id = state.guild_id
    state.authors.at = state.exported_at
    yield from state.authors.records()
    count = state.message_count
    if state.countable and isinstance(count, int) and not isinstance(count, bool) and count != state.read:
        yield Rejected(state.where("messageCount"), f"the export says {count} messages; {state.read} were found")
