"""`codeconvene bot slack|discord`: a missing or rejected token is one clear line naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bots.slack.run import make_bot
from codeconvene.cli import app
from codeconvene.settings import get_settings
from tests.bots.slack.conftest import BOT_TOKEN
from tests.fakes.slack import BOT_USER_ID

runner = CliRunner()
SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_BOT_TOKEN")


@pytest.fixture
def bare(home: Path, tmp_path: Path, fake_slack, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No Slack or Discord settings at all; the Web API is the fake."""
    monkeypatch.chdir(tmp_path)
    for name in SLACK_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.base_url)
    return home


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["bot", "slack"], {}, "SLACK_APP_TOKEN is not set"),
        (["bot", "slack"], {"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN is not set"),
        (
            ["bot", "slack", "--http"],
            {"SLACK_BOT_TOKEN": BOT_TOKEN},
            "SLACK_SIGNING_SECRET is not set",
        ),
        (["bot", "slack", "--http"], {"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is not set"),
        (["bot", "discord"], {}, "DISCORD_BOT_TOKEN is not set"),
    ],
)
def test_a_missing_setting_is_named(bare, monkeypatch, args, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "hint:" in result.output
    assert "Traceback" not in result.output


def test_a_rejected_bot_token_is_one_line_and_never_printed(bare, monkeypatch, fake_slack):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong-1234567")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    result = runner.invoke(app, ["bot", "slack", "--http", "--port", "0"])
    assert result.exit_code == 1
    assert "Slack rejected SLACK_BOT_TOKEN (invalid_auth)" in result.output
    assert "xoxb-wrong-1234567" not in result.output
    assert [c["method"] for c in fake_slack.calls] == ["auth.test"]


def test_a_rejected_app_token_is_one_line(bare, monkeypatch, fake_slack):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-wrong-7654321")
    result = runner.invoke(app, ["bot", "slack"])
    assert result.exit_code == 1, result.output
    assert "Slack rejected SLACK_APP_TOKEN (invalid_auth)" in result.output
    assert "xapp-wrong-7654321" not in result.output
    assert [c["method"] for c in fake_slack.calls] == ["auth.test", "apps.connections.open"]


def test_the_bot_learns_its_own_id_and_the_configured_maintainers(bare, monkeypatch, tmp_path):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    (tmp_path / "codeconvene.yaml").write_text("slack:\n  maintainers: [U0MAE, ' U0MAX ']\n")
    bot = make_bot(get_settings())
    try:
        assert bot.bot_user_id == BOT_USER_ID
        assert bot.maintainers == ("U0MAE", "U0MAX")
    finally:
        bot.close()


def test_bot_help_lists_the_subcommands():
    result = runner.invoke(app, ["bot", "--help"])
    assert result.exit_code == 0
    for name in ("slack", "discord", "alerts"):
        assert name in result.output
