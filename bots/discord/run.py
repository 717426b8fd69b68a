"""`codeconvene bot discord`: run the gateway bot until interrupted."""

from __future__ import annotations

from bots.discord.poster import DiscordError
from codeconvene.settings import Settings


def run(settings: Settings) -> None:
    """Start the bot with DISCORD_BOT_TOKEN; a missing or rejected token is a `DiscordError`."""
    import discord

    from bots.discord.client import ConveneBot

    token = settings.secret("DISCORD_BOT_TOKEN")
    if not token:
        raise DiscordError("DISCORD_BOT_TOKEN is not set; add it to the environment or .env")
    bot = ConveneBot(settings)
    try:
        bot.run(token.get(), log_handler=None)
    except discord.LoginFailure:
        raise DiscordError("Discord rejected DISCORD_BOT_TOKEN (401 Unauthorized); check the token") from None
    except discord.PrivilegedIntentsRequired:
        raise DiscordError(
            "Discord refused the Server Members intent; enable it for the bot in the developer portal"
        ) from None
