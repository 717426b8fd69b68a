"""`codeconvene doctor`: each source configured / missing / failing (and why), against loopback fakes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from codeconvene.cli import app
from codeconvene.doctor import diagnose, healthy
from codeconvene.settings import get_settings
from codeconvene.warehouse import connect
from tests.fakes.discord_api import FakeDiscordApi
from tests.fakes.slack_api import GOOD_TOKEN, FakeSlackApi

runner = CliRunner()


@pytest.fixture
def fakes(home, tmp_path, monkeypatch):
    """Slack with a good token, Discord with a token it refuses, GitHub and Discourse not set up."""
    monkeypatch.chdir(tmp_path)
    for name in ("DISCOURSE_URL", "DISCOURSE_API_KEY", "GITHUB_TOKENS", "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY"):
        monkeypatch.delenv(name, raising=False)
    with FakeSlackApi() as slack, FakeDiscordApi() as discord:
        monkeypatch.setenv("SLACK_BOT_TOKEN", GOOD_TOKEN)
        monkeypatch.setenv("SLACK_API_URL", slack.base_url)
        monkeypatch.setenv("DISCORD_BOT_TOKEN", "MTAwrong.secret-token")
        monkeypatch.setenv("DISCORD_API_URL", discord.base_url)
        yield slack, discord


def by_item(findings) -> dict[str, tuple[str, str]]:
    return {f.item: (f.status, f.detail) for f in findings}


def test_each_source_is_configured_missing_or_failing_with_the_reason(fakes):
    slack, discord = fakes
    found = by_item(diagnose(get_settings()))
    assert found["slack"] == ("configured", "workspace Fake Community as codeconvene")
    assert found["discord"] == ("failing", "discord: the token in DISCORD_BOT_TOKEN was refused (401 Unauthorized)")
    assert found["github"][0] == "missing" and "GITHUB_TOKEN" in found["github"][1]
    assert found["discourse"][0] == "missing" and "DISCOURSE_URL" in found["discourse"][1]
    assert found["groq"][0] == "offline"
    assert found["warehouse"][0] == "missing"
    # each source was asked exactly once, with one cheap call
    assert [r["method"] for r in slack.requests] == ["auth.test"]
    assert [r["path"] for r in discord.requests] == ["/users/@me"]


def test_cli_reports_and_exits_zero_when_sources_are_missing(fakes):
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "401 Unauthorized" in result.output and "DISCORD_BOT_TOKEN" in result.output
    assert "secret-token" not in result.output


def test_a_usable_warehouse_is_ok(fakes, home):
    connect(home / "warehouse.duckdb").close()
    found = by_item(diagnose(get_settings()))
    assert found["warehouse"][0] == "ok" and "raw tables" in found["warehouse"][1]


def test_an_unusable_warehouse_fails_the_doctor(fakes, home):
    (home / "warehouse.duckdb").write_bytes(b"this is not a duckdb file" * 100)
    findings = diagnose(get_settings())
    assert by_item(findings)["warehouse"][0] == "failing"
    assert not healthy(findings)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "error: the warehouse cannot be used" in result.output


def test_groq_configured_and_the_embedding_model(fakes, monkeypatch):
    monkeypatch.setenv("GROQ_API_KEY", "gsk_fake")
    found = by_item(diagnose(get_settings()))
    assert found["groq"][0] == "configured"
    assert found["embedding model"][0] == "ok"


def test_an_unreachable_host_is_failing_with_the_setting_to_check(fakes, monkeypatch):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{port}/api/")
    monkeypatch.setenv("DISCORD_API_URL", f"http://127.0.0.1:{port}/api/v10")
    found = by_item(diagnose(get_settings()))
    assert found["slack"][0] == "failing" and found["slack"][1].startswith("slack: auth.test failed: URLError")
    assert found["discord"][0] == "failing" and found["discord"][1].startswith("discord: GET /users/@me failed")
