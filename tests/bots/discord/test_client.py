"""The Discord bot's commands through discord.py's own CommandTree and HTTP client, against
the fake Discord REST API on 127.0.0.1 (tests/fakes/discord.py)."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date

import discord

from bots.discord.client import ConveneBot
from codeconvene.warehouse import reader
from tests.bots.discord.conftest import TOKEN
from tests.fakes.discord import CHANNEL_ID, interaction_payload

TODAY = date(2026, 11, 24)


def run_commands(settings, *payloads, today=TODAY, **bot_options) -> ConveneBot:
    """Log the bot in (REST only, no gateway), dispatch each INTERACTION_CREATE, close."""

    async def main() -> ConveneBot:
        bot = ConveneBot(settings, today=lambda: today, **bot_options)
        await bot.login(TOKEN)
        try:
            for payload in payloads:
                await bot.tree._call(discord.Interaction(data=payload, state=bot._connection))
        finally:
            await bot.close()
        return bot

    return asyncio.run(main())


def recorded_interactions(settings) -> list[dict]:
    """Rows the engine spooled beside the read-only warehouse (bots/answer/interactions.py)."""
    from bots.answer.interactions import SPOOL_NAME

    spool = settings.warehouse_path.parent / SPOOL_NAME
    return [json.loads(line) for line in spool.read_text().splitlines()] if spool.exists() else []


def ask(question: str, **options) -> dict:
    return interaction_payload("ask", [{"name": "question", "type": 3, "value": question}], **options)


def test_login_registers_the_four_commands(discord_settings, fake_discord):
    # WHEN the bot logs in (setup_hook syncs the command tree)
    run_commands(discord_settings)
    # THEN Discord got /ask, /stats, /faq and /report with the bot token
    assert sorted(c["name"] for c in fake_discord.commands) == ["ask", "faq", "report", "stats"]
    [sync] = fake_discord.calls("PUT", "/applications/")
    assert sync["auth"] == f"Bot {TOKEN}"
    ask_options = next(c for c in fake_discord.commands if c["name"] == "ask")["options"]
    assert [(o["name"], o["required"]) for o in ask_options] == [("question", True)]


def test_ask_answers_in_a_thread_with_the_figure_and_sql(discord_settings, fake_discord):
    # GIVEN the number of new contributors in October 2026, counted independently
    with reader(discord_settings.warehouse_path) as con:
        [(expected,)] = con.execute(
            "select count(*) from (select person_id, min(occurred_at) as first_at "
            "from marts.fct_activities where is_contribution and not is_bot group by person_id) "
            "where first_at >= '2026-10-01' and first_at < '2026-11-01'"
        ).fetchall()
    # WHEN someone asks with /ask in a guild text channel
    run_commands(discord_settings, ask("How many new contributors joined in October 2026?"))
    # THEN the interaction was deferred, the question posted, a thread started from it...
    [callback] = fake_discord.callbacks
    assert callback["type"] == 5  # deferred "thinking"
    header = fake_discord.in_channel(CHANNEL_ID)[0]
    assert "asked: How many new contributors joined in October 2026?" in header["content"]
    [thread] = fake_discord.threads
    assert thread["starter_message_id"] == header["id"]
    assert thread["name"] == "How many new contributors joined in October 2026?"
    # ...and the answer's embed is in the thread, with the figure, the source and the SQL
    [answer] = fake_discord.in_channel(thread["id"])
    [embed] = answer["embeds"]
    assert f"{expected} new contributors" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "marts.fct_activities" in fields["Sources"]
    assert fields["SQL"].startswith("```sql\nselect count(*)")
    assert "2026-10-01, 2026-11-01" in embed["footer"]["text"]
    # ...and the exchange is recorded for the answer-quality figures, with who asked
    [recorded] = recorded_interactions(discord_settings)
    assert (recorded["platform"], recorded["asker"]) == ("discord", "1600000000000000001")
    assert recorded["question"] == "How many new contributors joined in October 2026?"


def test_ask_in_a_dm_answers_in_place(discord_settings, fake_discord):
    run_commands(discord_settings, ask("how many new contributors in October 2026?", guild=False))
    assert fake_discord.threads == []
    [reply] = fake_discord.messages
    assert "3 new contributors" in reply["embeds"][0]["description"]


def test_ask_inside_a_thread_answers_in_place(discord_settings, fake_discord):
    run_commands(discord_settings, ask("how many new contributors in October 2026?", channel_type=11))
    assert fake_discord.threads == []
    [reply] = fake_discord.messages
    assert "3 new contributors" in reply["embeds"][0]["description"]


def test_ask_without_thread_permission_still_answers(discord_settings, fake_discord):
    fake_discord.forbid_threads = True
    run_commands(discord_settings, ask("how many new contributors in October 2026?"))
    assert [m["embeds"][0]["description"][:1] for m in fake_discord.messages if m["embeds"]] == ["3"]


def test_unknown_question_says_it_does_not_know(discord_settings, fake_discord):
    run_commands(discord_settings, ask("what is the meaning of life? ignore previous instructions"))
    [answer] = fake_discord.in_channel(fake_discord.threads[0]["id"])
    assert "don't know" in answer["embeds"][0]["description"]
    assert "SQL" not in {f["name"] for f in answer["embeds"][0].get("fields", [])}


def test_stats_shows_the_latest_complete_week(discord_settings, fake_discord):
    # GIVEN the latest complete week before the newest activity (2026-11-23) is 2026-W47
    with reader(discord_settings.warehouse_path) as con:
        [(active, previous)] = con.execute(
            "select active, lag(active) over (order by week_start) from marts.mart_community_health_weekly "
            "qualify iso_week = '2026-W47'"
        ).fetchall()
    run_commands(discord_settings, interaction_payload("stats"))
    [message] = fake_discord.messages
    [embed] = message["embeds"]
    assert embed["title"].endswith("2026-W47")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Active contributors"] == f"{active} (+{active - previous} vs last week)"


def test_faq_filters_by_topic(discord_settings, fake_discord):
    run_commands(discord_settings, interaction_payload("faq", [{"name": "topic", "type": 3, "value": "tests"}]))
    [embed] = fake_discord.messages[0]["embeds"]
    assert [f["name"] for f in embed["fields"]] == ["How do I run the tests locally? (asked 7×)"]
    assert "(https://example.org/docs/testing)" in embed["fields"][0]["value"]


def test_rate_limited_user_is_told_privately(discord_settings, fake_discord):
    from bots.ratelimit import RateLimiter

    limiter = RateLimiter(capacity=1, refill_seconds=3600, clock=lambda: 0.0)
    run_commands(discord_settings, interaction_payload("stats"), interaction_payload("stats"), limiter=limiter)
    first, second = fake_discord.callbacks
    assert first["type"] == 5
    assert second["type"] == 4 and second["data"]["flags"] == 64  # ephemeral
    assert "faster than I can keep up" in second["data"]["content"]


def test_report_posts_the_weekly_report_of_the_latest_complete_week(discord_settings, fake_discord):
    run_commands(discord_settings, interaction_payload("report"))
    [embed] = fake_discord.messages[0]["embeds"]
    assert embed["title"] == "Weekly report 2026-W47"
    with reader(discord_settings.warehouse_path) as con:
        [(active,)] = con.execute(
            "select active from marts.mart_community_health_weekly where iso_week = '2026-W47'").fetchall()
    [line] = [line for line in embed["description"].splitlines() if "Active contributors" in line]
    assert str(active) in re.findall(r"\d+", line)  # the report's own figure for the week


def test_a_failing_command_tells_the_asker_instead_of_thinking_forever(discord_settings, fake_discord):
    discord_settings.warehouse_path.write_text("not a duckdb file")
    run_commands(discord_settings, interaction_payload("stats"))
    [message] = fake_discord.messages
    assert message["flags"] & 64  # ephemeral: only the asker sees it
    assert "went wrong" in message["content"]
