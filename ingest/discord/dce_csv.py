"""DiscordChatExporter CSV: `AuthorID,Author,Date,Content,Attachments,Reactions`.

Old DCE versions wrote `;` with a trailing `;`, new ones `,`; both are read. A CSV row has no
message id, so one is derived from what identifies it — channel, author, date, content and
how many identical rows came before it in the file — which keeps replays and overlapping
re-exports idempotent. Reactions and attachments are left out of the id because their
counts change between exports of the same message. Each row becomes a message in the JSON
export's shape, with the original row kept under `csv`.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ingest.core.records import Record, Rejected
from ingest.discord.channels import ChannelRef
from ingest.discord.common import (
    NO_TIME,
    SNOWFLAKE,
    UNKNOWN_GUILD,
    Members,
    channel_record,
    first_sighting,
    has_bad_utf8,
    iso,
    message_record,
    parse_date,
    printable,
)

COLUMNS = ("AuthorID", "Author", "Date", "Content", "Attachments", "Reactions")
CSV_ID = re.compile(r"csv:[0-9a-f]{40}")
_HEADER = re.compile(r"^\ufeff?AuthorID([;,])Author\1Date\1Content\1Attachments\1Reactions\1?\r?$")
_REACTION = re.compile(r"\s*(.+?) \((\d+)\)\s*(?:,|$)")
_DISCRIMINATOR = re.compile(r"^(.*)#(\d{4})$")


def csv_header_delimiter(first_line: str) -> str | None:
    found = _HEADER.match(first_line.rstrip("\n"))
    return found.group(1) if found else None


def looks_like_dce_csv(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() != ".csv":
        return False
    try:
        with path.open("r", encoding="utf-8", errors="replace", newline="") as handle:
            return csv_header_delimiter(handle.readline(256)) is not None
    except OSError:
        return False


def message_id(channel_id: str, author_id: str, date: str, content: str, occurrence: int) -> str:
    key = "\x1f".join((channel_id, author_id, date, content, str(occurrence)))
    return "csv:" + hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()


def reactions(text: str) -> list[dict]:
    return [{"emoji": {"name": m.group(1)}, "count": int(m.group(2))} for m in _REACTION.finditer(text)]


def _author(author_id: str, full_name: str) -> dict:
    found = _DISCRIMINATOR.match(full_name)
    if found:
        return {"id": author_id, "name": found.group(1), "discriminator": found.group(2)}
    return {"id": author_id, "name": full_name}


def row_message(row: list[str], channel_id: str, occurrence: int) -> dict:
    """One CSV row as a message in the JSON export's shape (ValueError if its date is not one)."""
    author_id, author, date, content, attachments, reacts = row[:6]
    created = parse_date(date)
    return {
        "id": message_id(channel_id, author_id, date, content, occurrence),
        "timestamp": iso(created),
        "timestampEdited": None,
        "content": content,
        "author": _author(author_id, author),
        "attachments": [{"url": url} for url in attachments.split(",") if url],
        "reactions": reactions(reacts),
        "csv": dict(zip(COLUMNS, row[:6], strict=True)),
    }


def _row_item(row: list[str], ref: ChannelRef, occurrences: Counter, where: str) -> Record | Rejected:
    raw = ";".join(row)
    if has_bad_utf8(raw):
        return Rejected(where, "invalid UTF-8 in row", printable(raw))
    if len(row) not in (6, 7) or (len(row) == 7 and row[6]):
        return Rejected(where, f"expected 6 fields, found {len(row)}", raw)
    if not SNOWFLAKE.fullmatch(row[0]):
        return Rejected(where, f"AuthorID is not a Discord id: {row[0]!r}", raw)
    key = (row[0], row[2], row[3])
    try:
        message = row_message(row, ref.channel_id, occurrences[key])
    except ValueError as exc:
        return Rejected(where, str(exc), raw)
    occurrences[key] += 1
    return message_record(message, ref.channel_id, where, id_pattern=CSV_ID)


def read_dce_csv(path: Path, ref: ChannelRef) -> Iterator[Record | Rejected]:
    if path.stat().st_size == 0:
        yield Rejected(str(path), "empty file")
        return
    members = Members(UNKNOWN_GUILD, NO_TIME, str(path))
    occurrences: Counter = Counter()
    seen: dict[str, str] = {}
    with path.open("r", encoding="utf-8", errors="surrogateescape", newline="") as handle:
        delimiter = csv_header_delimiter(handle.readline())
        if delimiter is None:
            yield Rejected(f"{path}:1", "not a DiscordChatExporter CSV header")
            return
        reader = csv.reader(handle, delimiter=delimiter)
        line = 1
        while True:
            start = line + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                line = reader.line_num + 1
                yield Rejected(f"{path}:{start}", f"unreadable CSV row: {exc}")
                continue
            line = reader.line_num + 1
            if not row:
                continue
            item = first_sighting(_row_item(row, ref, occurrences, f"{path}:{start}"), seen)
            if isinstance(item, Record):
                members.add({"author": _author(row[0], row[1])})
            yield item
    yield channel_record(ref.payload(), None, NO_TIME, f"{path}[channel]")
    yield from members.records()
