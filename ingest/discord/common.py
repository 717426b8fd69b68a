"""What the three DiscordChatExporter formats share: DCE-shaped messages → raw_discord records.

CSV and HTML rows are first rebuilt into the JSON export's message shape, so one validator
and one record builder serve all three, and dbt staging reads a single payload shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ingest.core.records import Record, Rejected
from ingest.core.timeparse import iso_to_utc

NO_TIME = datetime(1970, 1, 1)  # "time unknown": any record with a real time supersedes it
UNKNOWN_GUILD = "unknown"  # CSV and some HTML exports do not name their guild's id
DISCORD_EPOCH_MS = 1_420_070_400_000
SNOWFLAKE = re.compile(r"\d{1,20}")
_BAD_UTF8 = re.compile(r"[\udc80-\udcff]")

# DCE writes dates with a user-chosen .NET format; these are its defaults over the years and
# the usual "g" patterns of common locales. Naive times are taken as UTC (DCE writes the
# exporting machine's local time unless --utc was given; the file does not say which).
DATE_FORMATS = (
    "%d-%b-%y %I:%M %p",
    "%d-%b-%y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%A, %B %d, %Y %I:%M %p",
)


def dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def has_bad_utf8(text: str) -> bool:
    """Text read with errors='surrogateescape' carries invalid UTF-8 bytes as lone surrogates."""
    return bool(_BAD_UTF8.search(text))


def printable(text: str) -> str:
    """Quarantine-safe text: invalid bytes shown as U+FFFD instead of failing the insert."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def parse_date(text: str) -> datetime:
    """A DCE date (ISO 8601 or one of DATE_FORMATS) → naive UTC; ValueError if none fits."""
    text = text.strip()
    try:
        return iso_to_utc(text)
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"not a date DiscordChatExporter writes: {text!r}")


def iso(moment: datetime) -> str:
    """The JSON export's timestamp shape, e.g. 2019-06-05T07:28:00.000+00:00."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"


def snowflake_time(snowflake: str) -> datetime:
    """Creation time encoded in a Discord id: exact to the millisecond, always UTC."""
    ms = (int(snowflake) >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, UTC).replace(tzinfo=None)


def _time(message: dict, key: str) -> datetime | None:
    value = message.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise TypeError(f"field {key!r} is not a timestamp string: {value!r}")
    try:
        return iso_to_utc(value)
    except ValueError:
        raise ValueError(f"field {key!r} is not a timestamp: {value!r}") from None


def message_record(message: object, channel_id: str, location: str, raw: str | None = None,
                   id_pattern: re.Pattern[str] = SNOWFLAKE) -> Record | Rejected:
    """Validate a DCE-shaped message and key it by id; updated_at = edit time else creation."""
    if not isinstance(message, dict):
        return Rejected(location, f"message is a JSON {type(message).__name__}, not an object", raw or str(message))
    text = raw if raw is not None else dump(message)
    message_id = message.get("id")
    if isinstance(message_id, int) and not isinstance(message_id, bool):
        message_id = str(message_id)
    if not isinstance(message_id, str) or not id_pattern.fullmatch(message_id):
        return Rejected(location, f"message without a valid 'id': {message_id!r}", text)
    author = message.get("author")
    if not isinstance(author, dict):
        return Rejected(location, f"message {message_id}: field 'author' is missing or not an object", text)
    author_id = author.get("id")
    if not isinstance(author_id, str) or not SNOWFLAKE.fullmatch(author_id):
        return Rejected(location, f"message {message_id}: author without a valid 'id': {author_id!r}", text)
    if not isinstance(message.get("content", ""), str):
        return Rejected(location, f"message {message_id}: field 'content' is not a string", text)
    try:
        created = _time(message, "timestamp")
        edited = _time(message, "timestampEdited")
    except (TypeError, ValueError) as exc:
        return Rejected(location, f"message {message_id}: {exc}", text)
    if created is None:
        return Rejected(location, f"message {message_id}: field 'timestamp' is missing", text)
    return Record(
        "raw_discord.messages",
        {"message_id": message_id, "channel_id": channel_id, "author_id": author_id},
        max(created, edited or created),
        dump(message),
        location,
    )


def guild_record(guild: dict, at: datetime, location: str) -> Record:
    return Record("raw_discord.guilds", {"guild_id": str(guild["id"]), "guild_name": guild.get("name")},
                  at, dump(guild), location)


def channel_record(channel: dict, guild_id: str | None, at: datetime, location: str) -> Record:
    return Record("raw_discord.channels",
                  {"channel_id": str(channel["id"]), "guild_id": guild_id, "channel_name": channel.get("name")},
                  at, dump(channel), location)


@dataclass
class Members:
    """Distinct message authors of one file, emitted once each as raw_discord.members."""

    guild_id: str
    at: datetime
    location: str
    authors: dict[str, dict] = field(default_factory=dict)

    def add(self, message: dict) -> None:
        author = message.get("author")
        if isinstance(author, dict) and isinstance(author.get("id"), str):
            self.authors[author["id"]] = author

    def records(self) -> list[Record]:
        out = []
        for user_id, author in self.authors.items():
            is_bot = author.get("isBot")
            out.append(Record(
                "raw_discord.members",
                {"guild_id": self.guild_id, "user_id": user_id, "username": author.get("name"),
                 "is_bot": is_bot if isinstance(is_bot, bool) else None},
                self.at, dump(author), f"{self.location}[author {user_id}]",
            ))
        return out


def first_sighting(record: Record | Rejected, seen: dict[str, str]) -> Record | Rejected:
    """The second sighting of a message id in one file is quarantined, never silently merged."""
    if isinstance(record, Rejected):
        return record
    message_id = record.columns["message_id"]
    first = seen.setdefault(message_id, record.location)
    if first != record.location:
        return Rejected(record.location, f"duplicate message id {message_id} (first at {first})", record.payload)
    return record


def quarantine_safe(items: Iterator[Record | Rejected]) -> Iterator[Record | Rejected]:
    """Invalid bytes in a rejected text are shown as U+FFFD, so the quarantine insert cannot fail."""
    for item in items:
        if isinstance(item, Rejected) and (has_bad_utf8(item.raw_text or "") or has_bad_utf8(item.reason)):
            item = Rejected(printable(item.location), printable(item.reason), printable(item.raw_text or ""))
        yield item
