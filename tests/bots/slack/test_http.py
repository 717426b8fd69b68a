"""The Events API end to end: signed request in, `chat.postMessage` (real slack_sdk) out."""

from __future__ import annotations

import json
import logging
import time

import duckdb
import pytest

from tests.bots.slack.conftest import BOT_TOKEN, SIGNING_SECRET, mention


def active_last_week(warehouse) -> int:
    """Independent count: humans with a contribution in W47 (2026-11-16 .. 2026-11-22)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        [(count,)] = con.execute(
            "select count(distinct person_id) from marts.fct_activities where is_contribution "
            "and not is_bot and occurred_at >= '2026-11-16' and occurred_at < '2026-11-23'"
        ).fetchall()
    finally:
        con.close()
    return count


def section_texts(post: dict) -> str:
    parts = []
    for block in post["blocks"]:
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts.extend(e["text"] for e in block["elements"])
    return "\n".join(parts)


def test_a_signed_mention_is_answered_in_its_thread_with_figure_sources_and_sql(
    slack_bot, slack_warehouse
):
    # GIVEN a mention in a channel thread asking a metric question
    envelope = mention(
        "<@UBOT0001> how many active contributors last week?",
        ts="1763900000.000200",
        thread_ts="1763899999.000100",
    )
    expected = active_last_week(slack_warehouse)
    # WHEN Slack delivers it, signed
    status, body = slack_bot.event(envelope)
    # THEN it is acknowledged at once and one answer is posted in that thread
    assert (status, body) == (200, b"")
    [post] = slack_bot.fake.wait_for_posts(1)
    assert expected == 4
    assert post["channel"] == "C0GENERAL"
    assert post["thread_ts"] == "1763899999.000100"
    assert post["text"].startswith(f"{expected} contributors were active")
    assert "2026-11-16 – 2026-11-22" in post["text"]
    # AND the blocks carry the answer, the mart it came from and the SQL with its parameters
    [answer_block, sources, sql] = post["blocks"]
    assert answer_block["text"]["text"].startswith(f"{expected} contributors were active")
    assert (
        sources["type"] == "context" and "`marts.fct_activities`" in sources["elements"][0]["text"]
    )
    assert "select count(distinct" in sql["elements"][0]["text"].lower()
    assert "2026-11-16, 2026-11-23" in sql["elements"][0]["text"]
    # AND the real client sent the bot token
    [call] = [c for c in slack_bot.fake.calls if c["method"] == "chat.postMessage"]
    assert call["auth"] == f"Bearer {BOT_TOKEN}"


def test_a_top_level_mention_is_answered_in_a_new_thread_under_it(slack_bot):
    slack_bot.event(
        mention("<@UBOT0001> how many new contributors in October?", ts="1763900001.000300")
    )
    [post] = slack_bot.fake.wait_for_posts(1)
    assert post["thread_ts"] == "1763900001.000300"
    assert post["text"].startswith("3 new contributors")


@pytest.mark.parametrize(
    "case",
    ["missing", "wrong_secret", "tampered", "replayed", "future", "not_a_number"],
)
def test_bad_missing_and_replayed_signatures_get_401_and_nothing_is_posted(slack_bot, case):
    # GIVEN a mention whose signature is wrong in one way
    envelope = mention("<@UBOT0001> how many messages last week?")
    now = int(time.time())
    kwargs = {
        "missing": {"signed": False},
        "wrong_secret": {"secret": "not-the-secret"},
        "replayed": {"timestamp": now - 5 * 60 - 30},  # a captured request sent again later
        "future": {"timestamp": now + 5 * 60 + 30},
    }.get(case, {})
    if case == "tampered":
        from tests.bots.slack.conftest import sign

        signed_body = json.dumps(envelope).encode()
        headers = {"Content-Type": "application/json", **sign(signed_body)}
        envelope["event"]["text"] = "<@UBOT0001> how many activities last week?"
        status, _ = slack_bot.post("/slack/events", json.dumps(envelope).encode(), headers)
    elif case == "not_a_number":
        body = json.dumps(envelope).encode()
        headers = {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=00"}
        status, _ = slack_bot.post("/slack/events", body, headers)
    else:
        status, _ = slack_bot.event(envelope, **kwargs)
    # THEN it is refused and nothing reaches Slack
    slack_bot.settle()
    assert status == 401
    assert slack_bot.fake.calls == []


def test_slash_commands_are_refused_without_a_valid_signature(slack_bot):
    status, _ = slack_bot.command(
        {"command": "/convene", "text": "stats"}, timestamp=int(time.time()) - 3600
    )
    slack_bot.settle()
    assert status == 401
    assert slack_bot.fake.calls == []


def test_url_verification_echoes_the_challenge(slack_bot):
    status, body = slack_bot.event(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    assert status == 200
    assert json.loads(body) == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    assert slack_bot.fake.calls == []


def test_a_retried_delivery_is_answered_once(slack_bot):
    # GIVEN Slack retries the same event (the first ack was "late")
    envelope = mention("<@UBOT0001> how many messages last week?", event_id="EvRETRY")
    first, _ = slack_bot.event(envelope)
    again, _ = slack_bot.event(
        envelope, extra={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    # AND the same message arrives again under a second event id (message + app_mention)
    other, _ = slack_bot.event({**envelope, "event_id": "EvOTHER"})
    slack_bot.settle()
    # THEN every delivery is acknowledged and exactly one answer is posted
    assert (first, again, other) == (200, 200, 200)
    assert len(slack_bot.fake.posted) == 1


def test_direct_messages_are_answered_and_bot_messages_ignored(slack_bot):
    dm = {
        "type": "message",
        "channel_type": "im",
        "user": "U0ASKER1",
        "channel": "D0DM",
        "text": "how many activities last week?",
        "ts": "1763900005.000100",
    }
    own = {**dm, "user": "UBOT0001", "ts": "1763900006.000100"}
    other_bot = {**dm, "bot_id": "B0999", "ts": "1763900007.000100"}
    edit = {**dm, "subtype": "message_changed", "ts": "1763900008.000100"}
    for n, event in enumerate([dm, own, other_bot, edit]):
        slack_bot.event({"type": "event_callback", "event_id": f"EvDM{n}", "event": event})
    slack_bot.settle()
    [post] = slack_bot.fake.posted
    assert post["channel"] == "D0DM"
    assert post.get("thread_ts") is None  # a DM is answered inline
    assert post["text"].startswith("7 activities")


def test_a_newcomer_joining_a_channel_is_welcomed_with_good_first_issues(slack_bot):
    event = {
        "type": "member_joined_channel",
        "user": "U0NEWBIE",
        "channel": "C0GENERAL",
        "channel_type": "C",
        "team": "T0001",
    }
    slack_bot.event({"type": "event_callback", "event_id": "EvJOIN", "event": event})
    slack_bot.event(
        {"type": "event_callback", "event_id": "EvJOIN2", "event": {**event, "user": "UBOT0001"}}
    )
    slack_bot.settle()
    [post] = slack_bot.fake.posted
    assert post["channel"] == "C0GENERAL"
    text = section_texts(post)
    assert text.startswith("<@U0NEWBIE> Welcome!")
    assert "<https://github.com/org/repo/issues/1|Fix a typo in the README>" in text
    assert "Add a &lt;script&gt; test" in text  # titles are escaped, never markup


def test_slash_stats_posts_the_latest_complete_week(slack_bot, slack_warehouse):
    # GIVEN weekly health rows; the newest activity (2026-11-23) makes W47 the latest complete week
    con = duckdb.connect(str(slack_warehouse), read_only=True)
    [(active, new, ttfr)] = con.execute(
        "select active, new, ttfr_median_hours from marts.mart_community_health_weekly where iso_week = '2026-W47'"
    ).fetchall()
    con.close()
    # WHEN someone runs /convene stats
    status, body = slack_bot.command(
        {
            "command": "/convene",
            "text": "stats",
            "user_id": "U0ASKER1",
            "channel_id": "C0GENERAL",
            "response_url": slack_bot.fake.response_url(),
        }
    )
    # THEN Slack gets an immediate ephemeral ack and the channel gets the figures
    assert status == 200
    assert json.loads(body)["response_type"] == "ephemeral"
    [post] = slack_bot.fake.wait_for_posts(1)
    assert post["channel"] == "C0GENERAL"
    assert post["text"].startswith(f"Week 2026-W47: {active} active contributors ({new} new,")
    assert f"median time to first response {ttfr:.1f} h" in post["text"]
    assert "`marts.mart_community_health_weekly`" in section_texts(post)
    # AND others in the channel see who asked (slash commands themselves are invisible)
    assert post["blocks"][0]["elements"][0]["text"] == "<@U0ASKER1> asked: /convene stats"


def test_slash_ask_and_faq_and_help(slack_bot):
    base = {"command": "/convene", "user_id": "U0ASKER1", "channel_id": "C0GENERAL"}
    slack_bot.command({**base, "text": "ask how many newcomers in September?"})
    slack_bot.settle()
    slack_bot.clock.now += 120
    slack_bot.command({**base, "text": "faq tests"})
    slack_bot.settle()
    status, body = slack_bot.command({**base, "text": "dance"})
    slack_bot.settle()
    ask_post, faq_post = slack_bot.fake.posted
    assert ask_post["text"].startswith("1 new contributor ")
    assert faq_post["text"].startswith("• How do I run the tests? (asked 7×)")
    assert "<https://example.org/docs/testing|How do I run the tests?>" in section_texts(faq_post)
    assert status == 200 and "/convene ask" in json.loads(body)["text"]


def test_a_command_in_a_channel_the_bot_is_not_in_is_answered_through_response_url(slack_bot):
    slack_bot.fake.not_in_channel.add("C0PRIVATE")
    slack_bot.command(
        {
            "command": "/convene",
            "text": "stats",
            "user_id": "U0ASKER1",
            "channel_id": "C0PRIVATE",
            "response_url": slack_bot.fake.response_url("r1"),
        }
    )
    slack_bot.settle()
    [reply] = [c for c in slack_bot.fake.calls if c["method"] == "response_url"]
    assert reply["body"]["response_type"] == "in_channel"
    assert reply["body"]["text"].startswith("Week 2026-W47:")


def test_rate_limiting_answers_politely_once_then_stays_quiet(slack_bot):
    # GIVEN 2 questions per user per refill
    for n in range(4):
        slack_bot.event(
            mention(
                "<@UBOT0001> how many messages last week?",
                ts=f"17639001{n:02d}.000100",
                event_id=f"EvRL{n}",
            )
        )
    slack_bot.event(
        mention(
            "<@UBOT0001> how many messages last week?",
            ts="1763900200.000100",
            event_id="EvRLother",
            user="U0SOMEONE",
        )
    )
    slack_bot.settle()
    posts = slack_bot.fake.posted
    # THEN the third mention gets one polite refusal, the fourth nothing; others are unaffected
    texts = sorted(p["text"][:25] for p in posts)
    assert len(posts) == 4
    assert sum(p["text"].startswith("You're asking faster") for p in posts) == 1
    assert sum(p["text"].startswith("4 chat") for p in posts) == 3
    # AND after a refill the user is answered again
    slack_bot.clock.now += 60
    slack_bot.event(
        mention(
            "<@UBOT0001> how many messages last week?", ts="1763900300.000100", event_id="EvRL9"
        )
    )
    slack_bot.settle()
    assert slack_bot.fake.posted[-1]["text"].startswith("4 chat"), texts


def test_tokens_never_reach_the_logs(slack_bot, caplog, capsys):
    # GIVEN debug logging everywhere (slack_sdk logs its requests at debug)
    caplog.set_level(logging.DEBUG)
    slack_bot.event(mention("<@UBOT0001> how many messages last week?", event_id="EvLOG"))
    slack_bot.event(mention("x", event_id="EvBAD"), secret="wrong")
    slack_bot.settle()
    captured = capsys.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert "rejected a request" in logged  # the logs did record the traffic
    assert BOT_TOKEN not in logged
    assert SIGNING_SECRET not in logged
