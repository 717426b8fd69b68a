"""The Slack bot over HTTP, wired to a fake Slack Web API and a small hand-built warehouse.

Marts: the answer engine's (tests/bots/answer/conftest.py) plus weekly health rows, good
first issues and the FAQ; no dbt, no Dagster. Requests are signed here exactly as Slack
signs them (v0 HMAC-SHA256 of `v0:<timestamp>:<body>`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pytest
from slack_sdk import WebClient

from bots.ratelimit import RateLimiter
from bots.slack.bot import SlackBot
from bots.slack.server import SlackHttpServer
from codeconvene.settings import Secret
from codeconvene.warehouse import reader
from tests.bots.answer.conftest import build_answer_marts
from tests.fakes.slack import BOT_USER_ID, FakeSlack

TODAY = date(2026, 11, 24)
BOT_TOKEN = "xoxb-test-7c1d2e3f4a5b"
SIGNING_SECRET = "signing-secret-0a1b2c3d"
WEEKLY_ROWS = [
    # week_start, iso_week, active, new, returning, ttfr_median_hours, unanswered, health_score
    (date(2026, 11, 9), "2026-W46", 6, 1, 5, 5.5, 2, 61.0),
    (date(2026, 11, 16), "2026-W47", 4, 1, 3, 3.25, 1, 70.4),
    (date(2026, 11, 23), "2026-W48", 2, 1, 1, None, 0, None),
]
GOOD_FIRST = [
    ("i1", "org/repo", "Fix a typo in the README", "https://github.com/org/repo/issues/1", 3),
    ("i2", "org/repo", "Add a <script> test", "https://github.com/org/repo/issues/2", 9),
]
FAQ_ROWS = [
    ("f1", "How do I run the tests?", "Run `make test`.", "https://example.org/docs/testing", 7),
    ("f2", "Where is the release checklist?", "In docs/releasing.md.", None, 3),
]


def build_slack_warehouse(path: Path) -> None:
    build_answer_marts(path)
    con = duckdb.connect(str(path))
    con.execute(
        """
        create table marts.mart_community_health_weekly (
            week_start date, iso_week varchar, active integer, new integer, "returning" integer,
            ttfr_median_hours double, unanswered_questions integer, health_score double)
        """
    )
    con.executemany(
        "insert into marts.mart_community_health_weekly values (?, ?, ?, ?, ?, ?, ?, ?)",
        WEEKLY_ROWS,
    )
    con.execute(
        "create table marts.mart_good_first_issues (issue_id varchar, container varchar, "
        "title varchar, url varchar, age_days integer)"
    )
    con.executemany("insert into marts.mart_good_first_issues values (?, ?, ?, ?, ?)", GOOD_FIRST)
    con.execute("create schema ml")
    con.execute(
        "create table ml.faq (faq_id varchar primary key, question varchar not null, answer varchar, "
        "answer_url varchar, source_activity_ids json not null, frequency integer not null, "
        "updated_at timestamp not null, model varchar)"
    )
    con.executemany(
        "insert into ml.faq values (?, ?, ?, ?, '[]', ?, ?, 'offline')",
        [(*row, datetime(2026, 11, 20)) for row in FAQ_ROWS],
    )
    con.close()


@pytest.fixture
def slack_warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    build_slack_warehouse(path)
    return path


@pytest.fixture
def fake_slack():
    with FakeSlack(token=BOT_TOKEN) as server:
        yield server


class FrozenClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Running:
    server: SlackHttpServer
    bot: SlackBot
    fake: FakeSlack
    clock: FrozenClock

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.server.url + path, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def event(
        self,
        envelope: dict,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        extra: dict[str, str] | None = None,
        signed: bool = True,
    ) -> tuple[int, bytes]:
        body = json.dumps(envelope).encode()
        headers = {"Content-Type": "application/json", **(extra or {})}
        if signed:
            headers.update(sign(body, timestamp, secret))
        return self.post("/slack/events", body, headers)

    def command(self, form: dict[str, str], *, timestamp: int | None = None) -> tuple[int, bytes]:
        body = urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, timestamp)}
        return self.post("/slack/commands", body, headers)

    def settle(self) -> None:
        """Wait until every queued answer has been posted (the bot answers off-thread)."""
        self.bot.drain(timeout=10)


def sign(body: bytes, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


@pytest.fixture
def slack_bot(slack_warehouse: Path, fake_slack: FakeSlack):
    """The HTTP server + bot; 2 questions per user, refilled by hand (`clock.now += …`)."""
    clock = FrozenClock()
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url)
    bot = SlackBot(
        client,
        lambda: reader(slack_warehouse),
        limiter=RateLimiter(capacity=2, refill_seconds=60, clock=clock),
        today=lambda: TODAY,
        bot_user_id=BOT_USER_ID,
    )
    server = SlackHttpServer(bot, Secret(SIGNING_SECRET), port=0).start()
    try:
        yield Running(server, bot, fake_slack, clock)
    finally:
        server.close()
        bot.close()


def mention(
    text: str,
    *,
    user: str = "U0ASKER1",
    ts: str = "1763900000.000100",
    event_id: str = "Ev001",
    thread_ts: str | None = None,
    channel: str = "C0GENERAL",
) -> dict:
    event = {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {
        "token": "legacy",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1763900000,
        "event": event,
    }
