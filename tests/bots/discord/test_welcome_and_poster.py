"""Welcomes on GUILD_MEMBER_ADD and the alert/report poster, through discord.py's HTTP layer
against the fake Discord REST API."""

from __future__ import annotations

import asyncio

import pytest

from bots.discord.client import ConveneBot
from bots.discord.poster import DiscordError, DiscordPoster
from bots.poster import Notice, Poster
from tests.bots.discord.conftest import TOKEN
from tests.fakes.discord import GUILD_ID, user_object

WELCOME_CHANNEL = "1300000000000000099"  # DISCORD_WELCOME_CHANNEL_ID in the fixture


def guild_payload() -> dict:
    """A GUILD_CREATE payload, as the gateway sends it when the bot connects."""
    return {
        "id": str(GUILD_ID), "name": "Convene Town", "icon": None, "owner_id": "1000000000000000001",
        "roles": [], "emojis": [], "stickers": [], "features": [], "member_count": 1,
        "members": [], "channels": [], "threads": [], "voice_states": [], "presences": [],
        "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
        "large": False, "unavailable": False, "system_channel_id": None, "premium_tier": 0,
        "verification_level": 0, "explicit_content_filter": 0, "default_message_notifications": 0,
        "mfa_level": 0, "nsfw_level": 0, "preferred_locale": "en-US", "afk_timeout": 300,
    }


def member_add_payload(user_id: int, username: str, bot: bool = False) -> dict:
    return {"guild_id": str(GUILD_ID), "user": user_object(user_id, username, bot=bot), "roles": [],
            "joined_at": "2026-11-24T10:00:00+00:00", "deaf": False, "mute": False, "flags": 0,
            "pending": False, "nick": None, "avatar": None}


def join(settings, *members: dict) -> None:
    """Log in, receive GUILD_CREATE then each GUILD_MEMBER_ADD, and let the handlers finish."""

    async def main() -> None:
        bot = ConveneBot(settings, sync_commands=False)
        await bot.login(TOKEN)
        try:
            bot._connection._add_guild_from_data(guild_payload())
            for member in members:
                bot._connection.parse_guild_member_add(member)
            pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            await asyncio.wait_for(asyncio.gather(*pending), timeout=10)
        finally:
            await bot.close()

    asyncio.run(main())


def test_a_new_member_is_welcomed_in_the_welcome_channel(discord_settings, fake_discord):
    # WHEN a person and a bot join the guild
    join(discord_settings, member_add_payload(1800000000000000001, "grace"),
         member_add_payload(1800000000000000002, "otherbot", bot=True))
    # THEN exactly one welcome, for the person, in the configured channel, mentioning only them
    [welcome] = fake_discord.in_channel(WELCOME_CHANNEL)
    assert welcome["content"].startswith("Welcome to Convene Town, <@1800000000000000001>!")
    assert "/ask" in welcome["content"]
    [post] = fake_discord.calls("POST", f"/channels/{WELCOME_CHANNEL}/messages")
    assert [str(u) for u in post["json"]["allowed_mentions"]["users"]] == ["1800000000000000001"]
    assert len(fake_discord.messages) == 1


def test_poster_posts_a_notice_as_an_embed(discord_settings, fake_discord):
    poster = DiscordPoster(discord_settings)
    assert isinstance(poster, Poster)
    notice = Notice("Unanswered questions", "2 questions waited over 48 hours.",
                    links=(("the first", "https://example.org/q/1"),), footnote="marts.mart_unanswered_questions")
    message_id = poster.post("1300000000000000007", notice)
    [message] = fake_discord.in_channel("1300000000000000007")
    assert message["id"] == message_id
    [embed] = message["embeds"]
    assert (embed["title"], embed["description"]) == ("Unanswered questions", "2 questions waited over 48 hours.")
    assert "[the first](https://example.org/q/1)" in embed["fields"][0]["value"]
    assert embed["footer"]["text"] == "marts.mart_unanswered_questions"
    assert all(r["auth"] == f"Bot {TOKEN}" for r in fake_discord.requests)


def test_poster_sends_a_direct_message_to_user_ids(discord_settings, fake_discord):
    DiscordPoster(discord_settings).post("user:1800000000000000005", Notice("Burnout risk", "Bo: 82"))
    [(dm_channel, recipient)] = fake_discord.dm_channels.items()
    assert recipient == "1800000000000000005"
    [message] = fake_discord.in_channel(dm_channel)
    assert message["embeds"][0]["description"] == "Bo: 82"


def test_poster_with_a_bad_token_fails_in_one_line_without_the_token(
    discord_settings, fake_discord, monkeypatch, capsys, caplog
):
    from codeconvene.settings import get_settings

    monkeypatch.setenv("DISCORD_BOT_TOKEN", "wrong-token-0000")
    poster = DiscordPoster(get_settings(discord_settings.home))
    with pytest.raises(DiscordError) as raised:
        poster.post("1300000000000000007", Notice("t", "x"))
    assert str(raised.value) == "Discord rejected DISCORD_BOT_TOKEN (401 Unauthorized); check the token"
    assert fake_discord.messages == []
    seen = str(raised.value) + capsys.readouterr().out + caplog.text
    assert "wrong-token-0000" not in seen and TOKEN not in seen


def test_poster_rejects_a_channel_that_is_not_an_id(discord_settings):
    with pytest.raises(DiscordError, match="expected a channel id"):
        DiscordPoster(discord_settings).post("#general", Notice("t", "x"))


def test_bot_run_with_a_rejected_token_is_one_line_without_the_token(
    discord_settings, fake_discord, monkeypatch, capsys, caplog
):
    from bots.discord.run import run
    from codeconvene.settings import get_settings

    monkeypatch.setenv("DISCORD_BOT_TOKEN", "wrong-token-0000")
    with pytest.raises(DiscordError) as raised:
        run(get_settings(discord_settings.home))
    assert str(raised.value) == "Discord rejected DISCORD_BOT_TOKEN (401 Unauthorized); check the token"
    assert [r["path"] for r in fake_discord.requests] == ["/users/@me"]  # never reached the gateway
    seen = str(raised.value) + capsys.readouterr().out + caplog.text
    assert "wrong-token-0000" not in seen
