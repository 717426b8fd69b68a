"""Where the Discord REST API lives and which channel greets newcomers, read from settings.

discord.py builds every URL (bot calls, interaction callbacks, webhook follow-ups) from one
class attribute, `discord.http.Route.BASE`; `DISCORD_API_URL` (the versioned base, e.g.
`https://discord.com/api/v10`) replaces it so tests can point the real library at a
loopback fake.
"""

from __future__ import annotations

import discord.http

from codeconvene.settings import Settings

DEFAULT_API_URL = "https://discord.com/api/v10"


def api_url(settings: Settings) -> str:
    return (settings.value("DISCORD_API_URL") or DEFAULT_API_URL).rstrip("/")


def set_api_base(settings: Settings) -> str:
    """Point discord.py at `DISCORD_API_URL` (process-wide, as the library allows); returns it."""
    url = api_url(settings)
    discord.http.Route.BASE = url
    return url


def welcome_channel_id(settings: Settings) -> int | None:
    """`discord: {welcome_channel: ID}` in codeconvene.yaml, else DISCORD_WELCOME_CHANNEL_ID."""
    section = settings.config.get("discord") or {}
    raw = section.get("welcome_channel") if isinstance(section, dict) else None
    raw = raw or settings.value("DISCORD_WELCOME_CHANNEL_ID")
    if raw in (None, ""):
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        raise ValueError(f"discord welcome channel: expected a channel id (digits), got {raw!r}") from None


def discord_maintainers(settings: Settings) -> tuple[str, ...]:
    """Discord user ids allowed one person's wellbeing figures: `discord: {maintainers: [...]}`."""
    section = settings.config.get("discord") or {}
    ids = section.get("maintainers") if isinstance(section, dict) else None
    return tuple(str(i).strip() for i in (ids or []) if str(i).strip())
