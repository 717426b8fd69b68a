"""`bots.github.run` with the real PyGithub against the fake GitHub REST API (127.0.0.1)."""

from __future__ import annotations

import pytest

from bots.github.apply import GitHubBotError, Pace
from bots.github.run import run as run_bot
from codeconvene.settings import get_settings
from tests.bots.github.conftest import REPO, TOKEN

NO_PAUSES = Pace(0.0, 0.0)


def run(settings, **options):
    """The bot without PyGithub's pauses (they guard GitHub's secondary rate limits)."""
    return run_bot(settings, pace=NO_PAUSES, **options)


WELCOME = "<!-- codeconvene:welcome -->"
DUPLICATE = "<!-- codeconvene:duplicate -->"


def comments_with(fake, marker: str) -> dict[int, int]:
    """{issue number: how many comments carry `marker`} for the issues that have any."""
    counts = {n: sum(marker in c["body"] for c in i.comments) for n, i in fake.repos[REPO].issues.items()}
    return {n: c for n, c in counts.items() if c}


def test_dry_run_posts_nothing_and_prints_the_plan(github_settings, fake_github):
    lines: list[str] = []
    summary = run(github_settings, apply=False, out=lines.append)
    assert fake_github.writes() == []
    assert summary == {"planned": 7, "apply": False, "posted": 0, "would_post": 6, "already_done": 1, "skipped": 0}
    text = "\n".join(lines)
    assert f"would comment on {REPO}#12 (welcome):" in text
    assert "    Welcome to acme/widgets, Gus!" in text
    assert f"would label {REPO}#12: bug, crash" in text  # the repository's spelling of "Crash"
    assert "left out: priority: high" in text
    assert f"labels on {REPO}#15 already set" in text


def test_apply_posts_each_welcome_once_labels_and_links_duplicates(github_settings, fake_github):
    # WHEN the bot runs with --apply
    first = run(github_settings, apply=True, out=lambda line: None)
    # THEN first-time contributors' first items are welcomed, nobody else's
    assert comments_with(fake_github, WELCOME) == {12: 1, 13: 1, 14: 1}
    assert comments_with(fake_github, DUPLICATE) == {12: 1}
    issues = fake_github.repos[REPO].issues
    assert "acme/widgets#3" in next(c["body"] for c in issues[12].comments if DUPLICATE in c["body"])
    # ...triage labels that exist in the repository are added, unknown ones are not
    assert issues[12].labels == ["bug", "crash"]
    assert issues[14].labels == ["documentation"]
    assert issues[15].labels == ["bug"]
    assert "priority: high" not in fake_github.repos[REPO].labels
    assert first["posted"] == 6
    # WHEN it runs again THEN it finds its markers and labels and posts nothing
    writes = len(fake_github.writes())
    second = run(github_settings, apply=True, out=lambda line: None)
    assert len(fake_github.writes()) == writes
    assert (second["posted"], second["already_done"]) == (0, 7)


def test_an_existing_welcome_comment_is_not_repeated(github_settings, fake_github):
    fake_github.add_comment(REPO, 14, f"Welcome, Ivy!\n\n{WELCOME}", login="convene-bot")
    run(github_settings, apply=True, out=lambda line: None)
    assert comments_with(fake_github, WELCOME) == {12: 1, 13: 1, 14: 1}


def test_invalid_token_is_one_clear_error_without_the_token(github_settings, fake_github, monkeypatch, capsys, caplog):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrongtoken000")
    lines: list[str] = []
    with pytest.raises(GitHubBotError) as raised:
        run(get_settings(github_settings.home), apply=True, out=lines.append)
    assert str(raised.value) == "GitHub rejected GITHUB_TOKEN (401 Bad credentials); check the token"
    assert fake_github.writes() == []
    seen = "\n".join([str(raised.value), *lines, capsys.readouterr().out, caplog.text])
    assert "ghp_wrongtoken000" not in seen and TOKEN not in seen


def test_apply_without_a_token_refuses_and_dry_run_prints_the_unchecked_plan(github_settings, fake_github, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    settings = get_settings(github_settings.home)
    with pytest.raises(GitHubBotError, match="GITHUB_TOKEN is not set"):
        run(settings, apply=True, out=lambda line: None)
    lines: list[str] = []
    summary = run(settings, apply=False, out=lines.append)
    assert fake_github.requests == []
    assert summary["would_post"] == 7
    assert "not checked against GitHub" in "\n".join(lines)
