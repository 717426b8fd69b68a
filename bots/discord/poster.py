"""Post a `Notice` (alerts, reports) to a Discord channel without running the gateway bot.

Implements `bots.poster.Poster`: one `POST /channels/{id}/messages` through discord.py's own
`HTTPClient` (its rate-limit handling and error classes included), logged in with the bot
token for that one call. The token is never part of a message or an error.
"""

from __future__ import annotations

import asyncio

import discord
from discord.http import HTTPClient, handle_message_parameters

from bots.discord import format as fmt
from bots.discord.api import set_api_base
from bots.poster import Notice
from codeconvene.settings import Settings


class DiscordError(RuntimeError):
    """One clear line about what Discord refused (never containing the token)."""


class DiscordPoster:
    platform = "discord"

    def __init__(self, settings: Settings) -> None:
        token = settings.secret("DISCORD_BOT_TOKEN")
        if not token:
            raise DiscordError("DISCORD_BOT_TOKEN is not set; add it to the environment or .env")
        self._token = token
        self._settings = settings

    def post(self, channel: str, notice: Notice, thread: str | None = None) -> str:
        """Post to `thread` when given (a thread is a channel on Discord), else to `channel`;
        `user:ID` sends a direct message (Discord ids alone do not say user or channel)."""
        target = str(thread or channel).strip()
        is_user = target.startswith("user:")
        snowflake = target.removeprefix("user:")
        if not snowflake.isdigit():
            raise DiscordError(f"Discord channel {target!r}: expected a channel id or user:ID (digits)")
        return asyncio.run(self._post(int(snowflake), notice, is_user))

    async def _post(self, channel_id: int, notice: Notice, is_user: bool = False) -> str:
        set_api_base(self._settings)
        http = HTTPClient(asyncio.get_running_loop())
        try:
            try:
                await http.static_login(self._token.get())
            except discord.LoginFailure:
                raise DiscordError("Discord rejected DISCORD_BOT_TOKEN (401 Unauthorized); check the token") from None
            if is_user:
                channel_id = int((await http.start_private_message(channel_id))["id"])
            params = handle_message_parameters(
                content=fmt.cut(notice.title, fmt.MESSAGE_MAX),
                embed=discord.Embed.from_dict(fmt.notice_embed_from(notice)),
                allowed_mentions=discord.AllowedMentions.none(),
            )
            with params:
                try:
                    message = await http.send_message(channel_id, params=params)
                except discord.HTTPException as error:
                    raise DiscordError(
                        f"Discord refused the message to channel {channel_id}: {error.status} {error.text or ''}".strip()
                    ) from None
            return str(message["id"])
        finally:
            await http.close()
