"""Discord REST API objects → the DiscordChatExporter shapes raw_discord already holds.

File ingest stores messages as DCE JSON messages, and dbt staging reads that one shape
(`stg_discord__messages`). A live message is rewritten into it field by field (snake case
→ DCE's camel case, `message_reference` → `reference`, numeric type → DCE's kind name,
timestamps in DCE's `…T07:28:00.000+00:00` form), then built into a record by the same
`message_record` the DCE readers use: same key, same validation, same payload shape.
Guilds, channels and members are stored as the API gives them (`ingest.discord.common`'s
builders): staging reads both shapes.
"""

from __future__ import annotations

from datetime import datetime

from ingest.core.records import Record, Rejected
from ingest.core.timeparse import iso_to_utc
from ingest.discord.common import dump, iso, message_record

CDN = "https://cdn.discordapp.com"
# Discord's message type numbers → DiscordChatExporter's MessageKind names
KINDS = {
    0: "Default", 1: "RecipientAdd", 2: "RecipientRemove", 3: "Call", 4: "ChannelNameChange",
    5: "ChannelIconChange", 6: "ChannelPinnedMessage", 7: "GuildMemberJoin", 8: "GuildBoost",
    9: "GuildBoostTier1", 10: "GuildBoostTier2", 11: "GuildBoostTier3", 12: "ChannelFollowAdd",
    18: "ThreadCreated", 19: "Reply", 20: "ChatInputCommand", 21: "ThreadStarterMessage",
    23: "ContextMenuCommand",
}
MESSAGE_CHANNEL_TYPES = {0, 2, 5}  # text, voice text chat, announcement
THREAD_TYPES = {10, 11, 12}
THREAD_PARENT_TYPES = {0, 5, 15, 16}  # text, announcement, forum, media


def _time(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return iso(iso_to_utc(value))
    except ValueError:
        return value  # left as found: message_record says what is wrong with it


def user(obj: object) -> dict:
    """An API user → DCE's author/mention shape."""
    if not isinstance(obj, dict):
        return {}
    avatar = obj.get("avatar")
    return {
        "id": obj.get("id"),
        "name": obj.get("username"),
        "discriminator": obj.get("discriminator") or "0000",
        "nickname": obj.get("global_name") or obj.get("username"),
        "color": None,
        "isBot": bool(obj.get("bot", False)),
        "roles": [],
        "avatarUrl": f"{CDN}/avatars/{obj.get('id')}/{avatar}.png?size=512" if avatar else None,
    }


def _emoji(obj: dict) -> dict:
    emoji_id = obj.get("id")
    name = obj.get("name") or ""
    suffix = "gif" if obj.get("animated") else "png"
    return {"id": emoji_id or "", "name": name, "code": name, "isAnimated": bool(obj.get("animated")),
            "imageUrl": f"{CDN}/emojis/{emoji_id}.{suffix}" if emoji_id else None}


def to_dce(message: dict) -> dict:
    """One API message in the DCE JSON export's message shape."""
    kind = message.get("type", 0)
    out = {
        "id": message.get("id"),
        "type": KINDS.get(kind, str(kind)) if isinstance(kind, int) else kind,
        "timestamp": _time(message.get("timestamp")),
        "timestampEdited": _time(message.get("edited_timestamp")),
        "callEndedTimestamp": None,
        "isPinned": bool(message.get("pinned", False)),
        "content": message.get("content", ""),
        "author": user(message.get("author")),
        "attachments": [{"id": a.get("id"), "url": a.get("url"), "fileName": a.get("filename"),
                         "fileSizeBytes": a.get("size")} for a in message.get("attachments") or [] if isinstance(a, dict)],
        "embeds": message.get("embeds") or [],
        "stickers": [{"id": s.get("id"), "name": s.get("name")} for s in message.get("sticker_items") or []
                     if isinstance(s, dict)],
        "reactions": [{"emoji": _emoji(r.get("emoji") or {}), "count": r.get("count", 0)}
                      for r in message.get("reactions") or [] if isinstance(r, dict)],
        "mentions": [user(u) for u in message.get("mentions") or []],
        "inlineEmojis": [],
    }
    reference = message.get("message_reference")
    if isinstance(reference, dict) and reference.get("message_id"):
        out["reference"] = {"messageId": reference.get("message_id"), "channelId": reference.get("channel_id"),
                            "guildId": reference.get("guild_id")}
    thread = message.get("thread")
    if isinstance(thread, dict) and thread.get("id"):
        out["thread"] = {"id": thread["id"], "name": thread.get("name")}
    return out


def api_message_record(message: object, channel_id: str, location: str) -> Record | Rejected:
    if not isinstance(message, dict):
        return Rejected(location, f"message is a JSON {type(message).__name__}, not an object", str(message)[:4000])
    return message_record(to_dce(message), channel_id, location)


def member_record(member: dict, guild_id: str, at: datetime, location: str) -> Record | Rejected:
    account = member.get("user") if isinstance(member, dict) else None
    if not isinstance(account, dict) or not str(account.get("id", "")).isdigit():
        return Rejected(location, "guild member without a valid 'user.id'", dump(member) if isinstance(member, dict) else str(member))
    return Record("raw_discord.members",
                  {"guild_id": guild_id, "user_id": str(account["id"]), "username": account.get("username"),
                   "is_bot": bool(account.get("bot", False))},
                  at, dump(member), location)


def author_member_record(author: dict, guild_id: str, at: datetime, location: str) -> Record:
    """When the member list is not permitted: a message author as a DCE-style member (as file ingest does)."""
    return Record("raw_discord.members",
                  {"guild_id": guild_id, "user_id": author["id"], "username": author.get("name"),
                   "is_bot": author.get("isBot")},
                  at, dump(author), location)
