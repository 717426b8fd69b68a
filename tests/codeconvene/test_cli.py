"""The CLI surface: every DESIGN command exists with help; unbuilt ones say so and fail."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from codeconvene.cli import app

COMMANDS = ["demo", "ingest", "build", "report", "ask", "sql", "dashboard", "bot", "webhooks", "doctor"]
runner = CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output.strip().splitlines()) > 3


def test_webhooks_without_a_secret_says_what_to_set(home, monkeypatch):
    for name in ("GITHUB_WEBHOOK_SECRET", "DISCOURSE_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(app, ["webhooks"])
    assert result.exit_code == 2
    assert "no webhook secret is set" in result.output and "GITHUB_WEBHOOK_SECRET" in result.output


def test_ingest_then_sql_round_trip(home, tmp_path):
    # GIVEN an hour file with two events
    hour = tmp_path / "2026-03-02-10.json"
    hour.write_text("\n".join(json.dumps({
        "id": str(i), "type": "WatchEvent", "actor": {"login": f"user{i}"}, "repo": {"name": "a/b"},
        "payload": {"action": "started"}, "created_at": "2026-03-02T10:00:00Z"}) for i in (1, 2)))
    # WHEN it is ingested and queried through the CLI
    ingested = runner.invoke(app, ["ingest", str(hour)])
    out = tmp_path / "out.csv"
    queried = runner.invoke(app, ["sql", "select actor_login from raw_github.events order by 1", "--csv", str(out)])
    # THEN the CSV holds the two logins
    assert ingested.exit_code == 0, ingested.output
    assert queried.exit_code == 0, queried.output
    assert out.read_text().split() == ['"actor_login"', '"user1"', '"user2"']


def test_ingest_of_an_unknown_file_is_one_clear_error(home, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    result = runner.invoke(app, ["ingest", str(junk)])
    assert result.exit_code == 1
    assert "notes.txt" in result.output and "no known export format" in result.output


def test_sql_write_is_refused(home, tmp_path):
    runner.invoke(app, ["doctor"])
    from codeconvene.warehouse import connect

    connect(home / "warehouse.duckdb").close()
    result = runner.invoke(app, ["sql", "drop table meta.runs"])
    assert result.exit_code == 1
    assert "only read queries" in result.output


def test_repo_hint_reaches_rest_dumps(home, tmp_path):
    # GIVEN a stargazers dump (star+json shape), which never names its repository
    dump = tmp_path / "stargazers.json"
    dump.write_text(json.dumps([
        {"starred_at": "2026-03-02T10:00:00Z", "user": {"login": "ada", "id": 1, "type": "User"}},
        {"starred_at": "2026-03-03T10:00:00Z", "user": {"login": "bo", "id": 2, "type": "User"}},
    ]))
    # WHEN it is ingested with --repo
    result = runner.invoke(app, ["ingest", str(dump), "--repo", "acme/rocket"])
    out = tmp_path / "stars.csv"
    runner.invoke(app, ["sql", "select repo_name, user_login from raw_github.stars order by 2", "--csv", str(out)])
    # THEN both stars land on that repository
    assert result.exit_code == 0, result.output
    assert out.read_text().split() == ['"repo_name","user_login"', '"acme/rocket","ada"', '"acme/rocket","bo"']
