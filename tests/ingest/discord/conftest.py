"""Hand-made DiscordChatExporter exports: JSON as DCE's JsonMessageWriter writes it, and HTML
following its MessageGroupTemplate (groups by author, header only on a group's first message,
replies start a group, dates in the en-US "g" format), so both render the same messages.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

DISCORD_EPOCH_MS = 1_420_070_400_000
GUILD = {"id": "700000000000000001", "name": "Acme Guild", "iconUrl": "https://cdn.discordapp.com/icons/700000000000000001/a1b2.png"}
CHANNEL = {"id": "710000000000000002", "type": "GuildTextChat", "categoryId": "720000000000000003",
           "category": "Support", "name": "help", "topic": None}
TWEMOJI = "https://cdn.jsdelivr.net/gh/twitter/twemoji@latest/assets/svg/{}.svg"


def snowflake(at: datetime, sequence: int = 0) -> str:
    ms = int(at.replace(tzinfo=UTC).timestamp() * 1000) - DISCORD_EPOCH_MS
    return str((ms << 22) | sequence)


def user(user_id: str, name: str, *, bot: bool = False, nickname: str | None = None) -> dict:
    return {"id": user_id, "name": name, "discriminator": "0000", "nickname": nickname or name,
            "color": None, "isBot": bot, "roles": [], "avatarUrl": "https://cdn.discordapp.com/embed/avatars/0.png"}


def message(at: datetime, author: dict, content: str, *, sequence: int = 0, edited: datetime | None = None,
            reactions: list[tuple[str, str, int]] = (), reply_to: str | None = None, pinned: bool = False) -> dict:
    """A message as DCE JSON writes it; reactions are (name, code, count), custom emoji names start with ':'."""
    out = {
        "id": snowflake(at, sequence), "type": "Reply" if reply_to else "Default",
        "timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}+00:00",
        "timestampEdited": edited.strftime("%Y-%m-%dT%H:%M:%S.000+00:00") if edited else None,
        "callEndedTimestamp": None, "isPinned": pinned, "content": content, "author": author,
        "attachments": [], "embeds": [], "stickers": [],
        "reactions": [_reaction(*r) for r in reactions], "mentions": [], "inlineEmojis": [],
    }
    if reply_to:
        out["reference"] = {"messageId": reply_to, "channelId": CHANNEL["id"], "guildId": GUILD["id"]}
    return out


def _reaction(name: str, code: str, count: int) -> dict:
    custom = name.startswith(":")
    emoji_id = "730000000000000004" if custom else ""
    url = f"https://cdn.discordapp.com/emojis/{emoji_id}.png" if custom else TWEMOJI.format(f"{ord(name[0]):x}")
    return {"emoji": {"id": emoji_id, "name": name.strip(":"), "code": code, "isAnimated": False, "imageUrl": url},
            "count": count, "users": []}


def export_json(messages: list[dict], guild: dict = GUILD, channel: dict = CHANNEL) -> str:
    document = {"guild": guild, "channel": channel, "dateRange": {"after": None, "before": None},
                "exportedAt": "2024-03-05T12:00:00.000+00:00", "messages": messages, "messageCount": len(messages)}
    return json.dumps(document, ensure_ascii=False, indent=2)


def _g(moment: datetime) -> str:
    return f"{moment.month}/{moment.day}/{moment.year} {moment.strftime('%I:%M %p').lstrip('0')}"


def _content_html(text: str) -> str:
    """DCE's markdown → HTML for the bits the tests use: emoji become images, links anchors."""
    out = html.escape(text, quote=False)
    out = out.replace("😀", f'<img loading="lazy" class="chatlog__emoji " alt="😀" title="grinning" src="{TWEMOJI.format("1f600")}">')
    return out.replace("https://example.org/docs", '<a href="https://example.org/docs">https://example.org/docs</a>')


def _container(m: dict, first: bool, by_id: dict) -> str:
    at = datetime.fromisoformat(m["timestamp"]).replace(tzinfo=None)
    author = m["author"]
    pinned = " chatlog__message-container--pinned" if m["isPinned"] else ""
    aside = ('<div class="chatlog__reply-symbol"></div>' if first and m.get("reference") else "") + (
        '<img class="chatlog__avatar" src="https://cdn.discordapp.com/embed/avatars/0.png" alt="Avatar" loading="lazy">'
        if first else f'<div class="chatlog__short-timestamp" title="{_g(at)}">{at.strftime("%I:%M %p")}</div>')
    primary = ""
    if first and m.get("reference"):
        ref = by_id[m["reference"]["messageId"]]
        primary += (
            '<div class="chatlog__reply"><img class="chatlog__reply-avatar" src="x.png" alt="Avatar" loading="lazy">'
            f'<div class="chatlog__reply-author" title="{html.escape(ref["author"]["name"])}">{html.escape(ref["author"]["nickname"])}</div>'
            f'<div class="chatlog__reply-content"><span class="chatlog__reply-link" onclick="scrollToMessage(event, \'{ref["id"]}\')">'
            f'<!--wmm:ignore-->{_content_html(ref["content"])}<!--/wmm:ignore--></span></div></div>\n')
    if first:
        tag = '<span class="chatlog__author-tag">BOT</span>' if author["isBot"] else ""
        primary += (
            f'<div class="chatlog__header"><span class="chatlog__author" title="{html.escape(author["name"])}" '
            f'data-user-id="{author["id"]}">{html.escape(author["nickname"])}</span>{tag}'
            f'<span class="chatlog__timestamp"><a href="#chatlog__message-container-{m["id"]}">{_g(at)}</a></span></div>\n')
    edited = ""
    if m["timestampEdited"]:
        edited_at = datetime.fromisoformat(m["timestampEdited"]).replace(tzinfo=None)
        edited = f'<span class="chatlog__edited-timestamp" title="{_g(edited_at)}">(edited)</span>'
    primary += ('<div class="chatlog__content chatlog__markdown"><span class="chatlog__markdown-preserve">'
                f'<!--wmm:ignore-->{_content_html(m["content"])}<!--/wmm:ignore--></span>{edited}</div>\n')
    if m["reactions"]:
        primary += '<div class="chatlog__reactions">' + "".join(
            f'<div class="chatlog__reaction" title="{r["emoji"]["code"]}"><img class="chatlog__emoji chatlog__emoji--small" '
            f'alt="{r["emoji"]["name"]}" src="{r["emoji"]["imageUrl"]}" loading="lazy">'
            f'<span class="chatlog__reaction-count">{r["count"]}</span></div>' for r in m["reactions"]) + "</div>\n"
    return (f'<div id="chatlog__message-container-{m["id"]}" class="chatlog__message-container{pinned}" '
            f'data-message-id="{m["id"]}">\n<div class="chatlog__message">\n'
            f'<div class="chatlog__message-aside">{aside}</div>\n<div class="chatlog__message-primary">\n{primary}</div>\n</div>\n</div>\n')


def export_html(messages: list[dict], guild: dict = GUILD, channel: dict = CHANNEL) -> str:
    by_id = {m["id"]: m for m in messages}
    groups: list[list[dict]] = []
    for m in messages:
        if groups and groups[-1][-1]["author"]["id"] == m["author"]["id"] and not m.get("reference"):
            groups[-1].append(m)
        else:
            groups.append([m])
    body = "".join(
        '<div class="chatlog__message-group">\n' + "".join(_container(m, i == 0, by_id) for i, m in enumerate(g)) + "</div>\n"
        for g in groups)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        f'<title>{html.escape(guild["name"])} - {html.escape(channel["name"])}</title>\n<meta charset="utf-8">\n'
        "<style>.chatlog__message-group { margin-bottom: 1rem; }</style>\n</head>\n<body>\n"
        '<div class="preamble">\n<div class="preamble__guild-icon-container">'
        f'<img class="preamble__guild-icon" src="{guild["iconUrl"]}" alt="Guild icon" loading="lazy"></div>\n'
        f'<div class="preamble__entries-container">\n<div class="preamble__entry">{html.escape(guild["name"])}</div>\n'
        f'<div class="preamble__entry">{html.escape(channel["category"])} / {html.escape(channel["name"])}</div>\n</div>\n</div>\n'
        f'<!--wmm:ignore-->\n<div class="chatlog">\n<!--/wmm:ignore-->\n{body}'
        '<!--wmm:ignore-->\n</div>\n<!--/wmm:ignore-->\n'
        f'<div class="postamble">\n<div class="postamble__entry">Exported {len(messages)} message(s)</div>\n</div>\n'
        "</body>\n</html>\n")


def export_name(suffix: str, channel: dict = CHANNEL, guild: dict = GUILD) -> str:
    """DCE's default file name: `Guild - Category - Channel [id].ext`."""
    return f"{guild['name']} - {channel['category']} - {channel['name']} [{channel['id']}].{suffix}"


@pytest.fixture
def dce() -> SimpleNamespace:
    return SimpleNamespace(snowflake=snowflake, user=user, message=message, export_json=export_json,
                           export_html=export_html, export_name=export_name, GUILD=GUILD, CHANNEL=CHANNEL)


@pytest.fixture
def conversation() -> list[dict]:
    """Six messages: a group of two, a bot with reactions, a reply, an edit, a pin."""
    ada, bob = user("800000000000000011", "ada"), user("800000000000000012", "bob", nickname="Bobby")
    helper = user("800000000000000013", "helperbot", bot=True)
    t = lambda h, m, s=0, ms=0: datetime(2024, 3, 4, h, m, s, ms * 1000)
    first = message(t(9, 0, 5, 120), ada, "How do I rotate the API key?")
    return [
        first,
        message(t(9, 1, 0, 5), ada, "Tried the docs at https://example.org/docs\nno luck 😀", pinned=True),
        message(t(9, 3, 30), helper, "Automated: see the FAQ", reactions=[("👍", "thumbsup", 3), (":acme:", "acme", 1)]),
        message(t(9, 5, 0, 999), bob, "Use `rotate --force` & <restart>", reply_to=first["id"]),
        message(t(9, 6, 0), bob, "(fixed a typo)", edited=t(9, 20)),
        message(t(10, 0, 0), ada, "Thanks, that worked!", reactions=[("🎉", "tada", 2)]),
    ]
