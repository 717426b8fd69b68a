"""Socket Mode end to end: the real SocketModeClient over a loopback websocket."""

from __future__ import annotations

import threading

from slack_sdk import WebClient

from bots.slack.bot import SlackBot
from bots.slack.socket_mode import serve_socket_mode
from codeconvene.settings import Secret
from codeconvene.warehouse import reader
from tests.bots.slack.conftest import BOT_TOKEN, TODAY, mention
from tests.fakes.slack import BOT_USER_ID, FakeSlack, FakeSocketMode

APP_TOKEN = "xapp-1-test-4b5c6d"


def test_socket_mode_acks_every_envelope_and_answers_in_the_thread(slack_warehouse):
    with (
        FakeSocketMode() as socket,
        FakeSlack(token=BOT_TOKEN, app_token=APP_TOKEN, socket=socket) as slack,
    ):
        bot = SlackBot(
            WebClient(token=BOT_TOKEN, base_url=slack.base_url),
            lambda: reader(slack_warehouse),
            today=lambda: TODAY,
            bot_user_id=BOT_USER_ID,
        )
        stop = threading.Event()
        runner = threading.Thread(
            target=serve_socket_mode, args=(bot, Secret(APP_TOKEN), stop), daemon=True
        )
        runner.start()
        try:
            # WHEN Slack pushes a mention and a slash command over the socket
            socket.send(
                {
                    "envelope_id": "env-1",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "payload": mention(
                        "<@UBOT0001> how many activities last week?", ts="1763900400.000100"
                    ),
                }
            )
            socket.send(
                {
                    "envelope_id": "env-2",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": {
                        "command": "/convene",
                        "text": "stats",
                        "user_id": "U0ASKER2",
                        "channel_id": "C0GENERAL",
                    },
                }
            )
            acks = socket.wait_for_acks(2)
            posts = slack.wait_for_posts(2)
            bot.drain(timeout=10)
        finally:
            stop.set()
            runner.join(timeout=10)
            bot.close()
    # THEN both envelopes are acknowledged (the command with its ephemeral reply)
    by_id = {ack["envelope_id"]: ack for ack in acks}
    assert set(by_id) == {"env-1", "env-2"}
    assert by_id["env-2"]["payload"]["response_type"] == "ephemeral"
    # AND the answers were posted with the bot token; the mention's in its thread
    answer = next(p for p in posts if p.get("thread_ts"))
    assert answer["thread_ts"] == "1763900400.000100" and answer["text"].startswith("7 activities")
    assert any(p["text"].startswith("Week 2026-W47:") for p in posts)
    # AND the websocket was opened with the app-level token, not the bot token
    [opened] = [c for c in slack.calls if c["method"] == "apps.connections.open"]
    assert opened["auth"] == f"Bearer {APP_TOKEN}"
