"""SlackBot without HTTP: honest replies when the warehouse cannot answer."""

from __future__ import annotations

from pathlib import Path

from slack_sdk import WebClient

from bots.slack.bot import SlackBot, question_text
from codeconvene.warehouse import reader
from tests.bots.slack.conftest import BOT_TOKEN, mention
from tests.fakes.slack import BOT_USER_ID


def bot_for(fake_slack, open_warehouse) -> SlackBot:
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url)
    return SlackBot(client, open_warehouse, bot_user_id=BOT_USER_ID)


def test_a_missing_warehouse_is_said_plainly(fake_slack, tmp_path: Path):
    bot = bot_for(fake_slack, lambda: reader(tmp_path / "nothing.duckdb"))
    bot.handle_envelope(mention("<@UBOT0001> how many messages last week?"))
    bot.drain(timeout=10)
    bot.close()
    [post] = fake_slack.posted
    assert post["text"].startswith("The warehouse is not built yet")


def test_an_unexpected_failure_still_gets_a_reply_and_a_log_line(fake_slack, caplog):
    def broken():
        raise RuntimeError("boom xoxb-should-not-leak")

    bot = bot_for(fake_slack, broken)
    bot.handle_envelope(mention("<@UBOT0001> how many messages last week?"))
    bot.drain(timeout=10)
    bot.close()
    [post] = fake_slack.posted
    assert post["text"].startswith("Sorry, something went wrong")
    assert "answering failed: RuntimeError" in caplog.text
    assert "xoxb-should-not-leak" not in caplog.text


def test_an_empty_mention_gets_the_help(fake_slack, tmp_path: Path):
    bot = bot_for(fake_slack, lambda: reader(tmp_path / "nothing.duckdb"))
    bot.handle_envelope(mention("<@UBOT0001>   "))
    bot.drain(timeout=10)
    bot.close()
    [post] = fake_slack.posted
    assert "/convene ask" in post["text"]


def test_mentions_are_stripped_from_the_question():
    assert question_text("<@UBOT0001> how many <@U2|bo> people?") == "how many people?"
