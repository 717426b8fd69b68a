"""`codeconvene report --post slack:…|discord:…`: the real slack_sdk and discord.py clients,
through the bots' posters, against the loopback fakes in tests/fakes/ (Slack Web API and
Discord REST shapes). The warehouse is test_report.py's small hand-built one (W10: 6 active,
4 the week before; Eve's question unanswered)."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
from typer.testing import CliRunner

from codeconvene.cli import app
from codeconvene.warehouse import connect
from tests.codeconvene.test_report import ACTIVITIES, HEALTH, MARTS_DDL, PEOPLE
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack

SLACK_TOKEN = "xoxb-report-7c1e2d"
DISCORD_TOKEN = "discord-report-token-41aa"
CHANNEL_ID = "1300000000000000042"
runner = CliRunner()


@pytest.fixture
def report_home(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no ./.env or ./codeconvene.yaml of the developer's
    con = connect(home / "warehouse.duckdb")
    con.execute(MARTS_DDL)
    con.executemany(
        "insert into marts.mart_community_health_weekly values (?, ?, ?, ?, ?, ?, ?, ?)", HEALTH
    )
    con.executemany("insert into marts.dim_contributors values (?, ?, ?, ?, ?, ?, ?, ?)", PEOPLE)
    con.executemany(
        "insert into marts.fct_activities values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ACTIVITIES,
    )
    con.execute(
        "create table ml.summaries (period varchar, kind varchar, text varchar, model varchar)"
    )
    con.execute(
        "insert into ml.summaries values "
        "('2026-W10', 'weekly', 'A calm week with one new face.\n\nMore detail.', 'offline')"
    )
    con.close()
    return home


@pytest.fixture
def slack(monkeypatch):
    with FakeSlack(token=SLACK_TOKEN) as fake:
        monkeypatch.setenv("SLACK_API_URL", fake.base_url)
        yield fake


@pytest.fixture
def fake_discord(monkeypatch):
    saved = discord.http.Route.BASE
    with FakeDiscord(token=DISCORD_TOKEN) as fake:
        monkeypatch.setenv("DISCORD_API_URL", fake.api_url)
        yield fake
    discord.http.Route.BASE = saved  # the library keeps it process-wide


def run(*args: str):
    result = runner.invoke(app, ["report", "--week", "2026-W10", *args])
    return result, result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_report_is_written_and_posted_to_slack(report_home, slack, monkeypatch):
    # GIVEN a Slack bot token and the fake Web API
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_TOKEN)
    # WHEN the report is written and posted
    result, output = run("--post", "slack:C0REPORTS")
    # THEN both files exist and one message went to the channel with the week's figures
    assert result.exit_code == 0, output
    assert (report_home / "reports" / "2026-W10.md").exists()
    assert (report_home / "reports" / "2026-W10.html").exists()
    [post] = slack.posted
    assert post["channel"] == "C0REPORTS"
    assert "Community report 2026-W10" in post["text"]
    assert "Active contributors: 6 (+2 (+50%))" in post["text"]
    assert "To welcome: 1 · unanswered questions: 1" in post["text"]
    assert "A calm week with one new face." in post["text"] and "More detail" not in post["text"]
    assert "2026-W10.html" in post["text"]
    # AND the token never reaches the output
    assert SLACK_TOKEN not in output and "posted to slack:C0REPORTS" in output


def test_report_is_posted_to_discord_with_the_bot_token(report_home, fake_discord, monkeypatch):
    monkeypatch.setenv("DISCORD_BOT_TOKEN", DISCORD_TOKEN)
    result, output = run("--format", "md", "--post", f"discord:{CHANNEL_ID}")
    assert result.exit_code == 0, output
    [message] = fake_discord.messages
    assert message["channel_id"] == CHANNEL_ID
    [embed] = message["embeds"]
    assert embed["title"].startswith("Community report 2026-W10")
    assert "Activities: 15 (+5 (+50%))" in embed["description"]
    sends = [r for r in fake_discord.requests if r["path"] == f"/channels/{CHANNEL_ID}/messages"]
    assert [r["auth"] for r in sends] == [f"Bot {DISCORD_TOKEN}"]
    # --format md wrote the Markdown only
    assert sorted(p.name for p in (report_home / "reports").iterdir()) == ["2026-W10.md"]
    assert DISCORD_TOKEN not in output


def test_a_rejected_token_is_one_line_without_the_token(report_home, slack, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong-0000")
    result, output = run("--post", "slack:C0REPORTS")
    assert result.exit_code == 1
    assert "posting the report to slack:C0REPORTS failed: invalid_auth" in output
    assert "xoxb-wrong-0000" not in output
    assert slack.posted == []


def test_missing_token_and_bad_destination_are_clear_errors(report_home, slack):
    result, output = run("--post", "slack:C0REPORTS")
    assert result.exit_code == 1 and "SLACK_BOT_TOKEN is not set" in output
    result, output = run("--post", "teams:general")
    assert result.exit_code == 1 and "expected slack:CHANNEL or discord:CHANNEL_ID" in output
