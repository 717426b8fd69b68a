"""DiscordChatExporter HTML (its default format) → messages in the JSON export's shape.

Follows DCE's own templates (`MessageGroupTemplate.cshtml`, 2.x to current): a
`.chatlog__message-group` holds `[data-message-id]` containers; the author
(`.chatlog__author`/`.chatlog__author-name` with `data-user-id`, full name in `title`) and a
BOT tag are written only on a group's first message, so later ones inherit them. Shown
dates are in the exporter's locale and time zone, so the creation time is taken from the
message id instead (a snowflake encodes it to the millisecond, in UTC). The file is cut at
group boundaries and each group parsed alone: memory stays small and a damaged group
cannot spoil the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ingest.core.records import Record, Rejected
from ingest.discord.channels import ChannelRef
from ingest.discord.common import (
    NO_TIME,
    SNOWFLAKE,
    UNKNOWN_GUILD,
    Members,
    channel_record,
    first_sighting,
    guild_record,
    has_bad_utf8,
    iso,
    message_record,
    parse_date,
    printable,
    snowflake_time,
)

GROUP = '<div class="chatlog__message-group">'
CHUNK = 1 << 20
SNIFF_BYTES = 16 * 1024
AUTHOR = ".chatlog__author, .chatlog__author-name, .chatlog__system-notification-author"
BOT_TAG = ".chatlog__author-tag, .chatlog__bot-tag, .chatlog__bot-label"
REPLY = ".chatlog__reply, .chatlog__reference"
REPLY_LINK = ".chatlog__reply-link, .chatlog__reference-link"
_REF_ID = re.compile(r"'(\d{5,20})'|#(?:chatlog__message-container-|message-)(\d{5,20})")
_ICON_GUILD = re.compile(r"/icons/(\d{5,20})/")
_EMOJI_ID = re.compile(r"/emojis/(\d{5,20})")
_DISCRIMINATOR = re.compile(r"^(.*)#(\d{4})$")
_EXPORTED = re.compile(r"Exported\s+([\d,. \u00a0]+)\s+message")


def looks_like_dce_html(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return b"<html" in head.lower() and (b"chatlog" in head or b"preamble__" in head)


def _segments(path: Path) -> Iterator[tuple[int, str]]:
    """(first line number, text) of the preamble, then of each message group."""
    line, pending, first = 1, "", True
    with path.open("r", encoding="utf-8", errors="surrogateescape") as handle:
        while True:
            chunk = handle.read(CHUNK)
            parts = (pending + chunk).split(GROUP)
            pending = parts.pop() if chunk else ""
            for part in parts:
                yield line, part if first else GROUP + part
                first = False
                line += part.count("\n")
            if not chunk:
                return


def text_of(node: Tag) -> str:
    """Message text as the JSON export writes it: emoji become their name, <br> a newline."""
    out: list[str] = []
    for piece in node.descendants:
        if isinstance(piece, Comment):
            continue
        if isinstance(piece, NavigableString):
            out.append(str(piece))
        elif piece.name == "img":
            name = piece.get("alt") or ""
            out.append(f":{name}:" if _EMOJI_ID.search(piece.get("src") or "") else name)
        elif piece.name == "br":
            out.append("\n")
    return "".join(out)


def _author(element: Tag | None, group_author: dict | None) -> dict | None:
    if element is None or not element.get("data-user-id"):
        return group_author
    full = element.get("title") or element.get_text(strip=True)
    author = {"id": element["data-user-id"], "name": full}
    found = _DISCRIMINATOR.match(full)
    if found:
        author.update(name=found.group(1), discriminator=found.group(2))
    author["nickname"] = element.get_text(strip=True)
    header = element.parent
    author["isBot"] = bool(header and header.select_one(BOT_TAG))
    return author


def _reactions(container: Tag) -> list[dict]:
    out = []
    for reaction in container.select(".chatlog__reaction"):
        image = reaction.find("img")
        count = reaction.select_one(".chatlog__reaction-count")
        emoji: dict = {"name": image.get("alt") if image else None}
        if reaction.get("title"):
            emoji["code"] = reaction["title"]
        if image is not None and (found := _EMOJI_ID.search(image.get("src") or "")):
            emoji["id"] = found.group(1)
        text = count.get_text(strip=True) if count else ""
        out.append({"emoji": emoji, "count": int(text) if text.isdigit() else None})
    return out


def _attachments(container: Tag) -> list[dict]:
    out = []
    for attachment in container.select(".chatlog__attachment"):
        link = attachment.find("a", href=True) or attachment.find(src=True)
        url = (link.get("href") or link.get("src")) if link else None
        name = attachment.select_one(".chatlog__attachment-generic-name")
        item = {"url": url}
        if name:
            item["fileName"] = name.get_text(strip=True)
        out.append(item)
    return out


def container_message(container: Tag, group_author: dict | None, group_reply: Tag | None = None) -> dict:
    """One `[data-message-id]` element → a message in the JSON export's shape.

    `group_reply`: older templates put a group's reply block beside its messages, not in one.
    """
    message_id = container["data-message-id"]
    message: dict = {"id": message_id}
    is_system = container.select_one(".chatlog__system-notification-content") is not None
    reply = container.select_one(REPLY) or group_reply
    if not is_system:
        message["type"] = "Reply" if reply is not None else "Default"
    if SNOWFLAKE.fullmatch(message_id):
        message["timestamp"] = iso(snowflake_time(message_id))
    edited = container.select_one(".chatlog__edited-timestamp")
    message["timestampEdited"] = None
    if edited is not None and edited.get("title"):
        try:
            message["timestampEdited"] = iso(max(parse_date(edited["title"]), snowflake_time(message_id)))
        except ValueError:
            pass
    message["isPinned"] = any(c.endswith("--pinned") for c in container.get("class") or [])
    box = container.select_one(".chatlog__content")
    body = box.select_one(".chatlog__markdown-preserve, .preserve-whitespace") if box else None
    if body is None and box is not None:
        for tag in box.select(".chatlog__edited-timestamp"):
            tag.decompose()
        body = box
    message["content"] = text_of(body) if body is not None else ""
    message["author"] = _author(container.select_one(AUTHOR), group_author)
    message["attachments"] = _attachments(container)
    message["reactions"] = _reactions(container)
    link = reply.select_one(REPLY_LINK) if reply is not None else None
    found = _REF_ID.search((link.get("onclick") or link.get("href") or "") if link else "")
    if found:
        message["reference"] = {"messageId": found.group(1) or found.group(2)}
    shown = container.select_one(".chatlog__timestamp, .chatlog__short-timestamp")
    if shown is not None:
        message["html"] = {"timestamp": shown.get("title") or shown.get_text(strip=True)}
    return message


def _preamble(text: str, ref: ChannelRef) -> tuple[dict | None, dict]:
    soup = BeautifulSoup(printable(text), "html.parser")
    entries = [e.get_text(" ", strip=True) for e in soup.select(".preamble__entry")]
    icon = soup.select_one(".preamble__guild-icon")
    found = _ICON_GUILD.search(icon.get("src", "")) if icon else None
    guild = {"id": found.group(1), "name": entries[0] if entries else None,
             "iconUrl": icon.get("src")} if found else None
    channel = ref.payload()
    if len(entries) > 1 and " / " in entries[1]:
        channel["category"], _, channel["name"] = entries[1].rpartition(" / ")
    return guild, channel


def read_dce_html(path: Path, ref: ChannelRef) -> Iterator[Record | Rejected]:
    if path.stat().st_size == 0:
        yield Rejected(str(path), "empty file")
        return
    guild, channel = None, ref.payload()
    members = Members(UNKNOWN_GUILD, NO_TIME, str(path))
    seen: dict[str, str] = {}
    read, last_text, last_line = 0, "", 1
    held: tuple[Record | Rejected, dict | None] | None = None  # the last message awaits the truncation check

    def release() -> Iterator[Record | Rejected]:
        if held is not None:
            if isinstance(held[0], Record):
                members.add(held[1])
            yield held[0]

    for line, text in _segments(path):
        last_text, last_line = text, line
        if not text.startswith(GROUP):
            guild, channel = _preamble(text, ref)
            continue
        soup = BeautifulSoup(text, "html.parser")
        group_author, group_reply = _author(soup.select_one(AUTHOR), None), soup.select_one(REPLY)
        for index, container in enumerate(soup.select("[data-message-id]")):
            yield from release()
            read += 1
            where = f"{path}:{line + (container.sourceline or 1) - 1}"
            raw = str(container)
            if has_bad_utf8(raw):
                held = (Rejected(where, "invalid UTF-8 in message", printable(raw)), None)
                continue
            message = container_message(container, group_author, group_reply if index == 0 else None)
            group_author = message["author"] or group_author
            held = (first_sighting(message_record(message, channel["id"], where), seen), message)
    if "</html>" not in last_text[-4096:].lower():
        if held is not None and isinstance(held[0], Record):
            held = (Rejected(held[0].location, "the file is truncated; its last message may be incomplete",
                             held[0].payload), None)
        yield Rejected(f"{path}:{last_line}", "truncated HTML: the file does not end with </html>")
    yield from release()
    if guild:
        members.guild_id = guild["id"]
        yield guild_record(guild, NO_TIME, f"{path}[guild]")
    yield channel_record(channel, guild["id"] if guild else None, NO_TIME, f"{path}[channel]")
    yield from members.records()
    found = _EXPORTED.search(last_text)
    expected = int(re.sub(r"\D", "", found.group(1))) if found else None
    if expected is not None and expected != read:
        yield Rejected(f"{path}[postamble]", f"the export says {expected} messages; {read} were found")
