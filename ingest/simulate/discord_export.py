"""Planned Discord posts → DiscordChatExporter exports of one guild.

`discord/` holds one JSON export per channel, as DCE's JsonMessageWriter writes it (guild,
channel, dateRange, exportedAt, messages, messageCount); `discord/html/` the same channels
in DCE's HTML format (same messages, same ids: ingest keeps one row per id); `discord/csv/`
the #off-topic channel, which only exists as CSV. Files carry DCE's default names,
`Guild - Category - channel [channel id].ext`, the only place CSV and HTML name the channel id.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from ingest.simulate.community import Community, DiscordAccount
from ingest.simulate.config import SimulationConfig, stream
from ingest.simulate.discord_html import EMOJI, emoji_url, render_csv, render_html
from ingest.simulate.discord_plan import CHANNELS, TOPICS, DiscordPost
from ingest.simulate.ids import discord_time, snowflake

GUILD_NAME = "CodeConvene"
CDN = "https://cdn.discordapp.com"


@dataclass
class DiscordExport:
    guild: dict
    channels: dict[str, dict]  # name → DCE channel object
    messages: dict[str, list[dict]]  # name → messages in DCE JSON shape, in id order
    exported_at: str

    def file_name(self, channel: str, suffix: str) -> str:
        c = self.channels[channel]
        return f"{self.guild['name']} - {c['category']} - {c['name']} [{c['id']}].{suffix}"

    def document(self, channel: str) -> dict:
        messages = self.messages[channel]
        return {"guild": self.guild, "channel": self.channels[channel], "dateRange": {"after": None, "before": None},
                "exportedAt": self.exported_at, "messages": messages, "messageCount": len(messages)}


def render_discord(config: SimulationConfig, community: Community, posts: list[DiscordPost]) -> DiscordExport:
    rng = stream(config, "discord-render")
    window = community.cast.window
    created = window.start_at - timedelta(days=rng.randint(500, 900))
    guild_id = snowflake(created, rng.randrange(4096))
    guild = {"id": guild_id, "name": GUILD_NAME, "iconUrl": f"{CDN}/icons/{guild_id}/{rng.getrandbits(128):032x}.png?size=512"}
    role_id = snowflake(created + timedelta(minutes=5), rng.randrange(4096))
    categories = {name: snowflake(created + timedelta(minutes=10 + i), rng.randrange(4096))
                  for i, name in enumerate(dict.fromkeys(c for c, _ in CHANNELS.values()))}
    channels = {}
    for i, (name, (category, _)) in enumerate(CHANNELS.items()):
        channels[name] = {"id": snowflake(created + timedelta(hours=1, minutes=i), rng.randrange(4096)),
                          "type": "GuildTextChat", "categoryId": categories[category], "category": category,
                          "name": name, "topic": TOPICS[name]}
    ids = _message_ids(posts)
    messages: dict[str, list[dict]] = defaultdict(list)
    for post in sorted(posts, key=lambda p: int(ids[p])):
        messages[post.channel].append(_message(post, ids, community, guild_id, channels, role_id))
    exported = discord_time(window.end_at + timedelta(minutes=rng.randint(5, 50)))
    return DiscordExport(guild, channels, {name: messages[name] for name in CHANNELS}, exported)


def _message_ids(posts: list[DiscordPost]) -> dict[DiscordPost, str]:
    """Snowflakes from each post's millisecond; posts in the same millisecond count up the sequence."""
    used: dict[str, int] = defaultdict(int)
    out = {}
    for post in sorted(posts, key=lambda p: (p.at, p.channel, p.author, p.text)):
        key = discord_time(post.at)
        out[post] = snowflake(post.at, used[key])
        used[key] += 1
    return out


def _author(account: DiscordAccount, role_id: str) -> dict:
    roles = [{"id": role_id, "name": r, "color": "#E67E22", "position": 2} for r in account.roles]
    return {"id": account.user_id, "name": account.username, "discriminator": account.discriminator,
            "nickname": account.nickname, "color": "#E67E22" if roles else None, "isBot": account.is_bot,
            "roles": roles, "avatarUrl": f"{CDN}/avatars/{account.user_id}/{account.avatar}.png?size=512"}


def _emoji(char: str) -> dict:
    return {"id": "", "name": char, "code": EMOJI[char], "isAnimated": False, "imageUrl": emoji_url(char)}


def _message(post: DiscordPost, ids: dict, community: Community, guild_id: str, channels: dict, role_id: str) -> dict:
    message = {"id": ids[post], "type": "Reply" if post.parent is not None else "Default",
               "timestamp": discord_time(post.at),
               "timestampEdited": discord_time(post.edited_at) if post.edited_at else None,
               "callEndedTimestamp": None, "isPinned": post.pinned, "content": post.text,
               "author": _author(community.discord[post.author], role_id), "attachments": [], "embeds": [],
               "stickers": [],
               "reactions": [{"emoji": _emoji(char), "count": len(keys)} for char, keys in post.reactions],
               "mentions": [], "inlineEmojis": [_emoji(c) for c in dict.fromkeys(post.text) if c in EMOJI]}
    if post.parent is not None:
        message["reference"] = {"messageId": ids[post.parent], "channelId": channels[post.channel]["id"],
                                "guildId": guild_id}
    return message


def write_discord(export: DiscordExport, folder: Path) -> None:
    """JSON exports in `folder`, HTML copies in `folder/html`, the CSV-only channel in `folder/csv`."""
    for sub, suffix in (("", "json"), ("html", "html"), ("csv", "csv")):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for stale in (folder / sub).glob(f"{GUILD_NAME} - * [*].{suffix}"):
            stale.unlink()
    for name, (_, kind) in CHANNELS.items():
        if kind == "json":
            text = json.dumps(export.document(name), ensure_ascii=False, indent=2) + "\n"
            (folder / export.file_name(name, "json")).write_text(text, encoding="utf-8")
            html = render_html(export.guild, export.channels[name], export.messages[name])
            (folder / "html" / export.file_name(name, "html")).write_text(html, encoding="utf-8")
        else:
            csv_text = render_csv(export.messages[name])
            (folder / "csv" / export.file_name(name, "csv")).write_text(csv_text, encoding="utf-8", newline="")

