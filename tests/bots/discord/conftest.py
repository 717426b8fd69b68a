"""A small warehouse for the Discord commands, the fake Discord API and settings aimed at it.

The marts are the answer engine's hand-built ones (tests/bots/answer/conftest.py) plus the
dashboards' weekly rows (tests/apps/conftest.py) and two FAQ entries; no dbt, no Dagster.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import discord.http
import duckdb
import pytest

from tests.apps.conftest import WEEKLY_ROWS
from tests.bots.answer.conftest import build_answer_marts
from tests.fakes.discord import FakeDiscord

TOKEN = "discord-test-token-5f9c"
FAQ_ROWS = [
    ("f1", "How do I run the tests locally?", "Run `make test` from the repo root.",
     "https://example.org/docs/testing", "[]", 7, datetime(2026, 11, 20), "offline"),
    ("f2", "Where is the release checklist?", "In docs/releasing.md.", None, "[]", 3,
     datetime(2026, 11, 20), "offline"),
]


def build_discord_warehouse(path: Path) -> None:
    build_answer_marts(path)
    con = duckdb.connect(str(path))
    con.execute(
        """
        create table marts.mart_community_health_weekly (
            week_start date, iso_week varchar, active integer, new integer,
            "returning" integer, inactive integer, churned integer, activities integer)
        """
    )
    con.executemany("insert into marts.mart_community_health_weekly values (?, ?, ?, ?, ?, ?, ?, ?)",
                    WEEKLY_ROWS)
    con.execute("create schema ml")
    con.execute(
        "create table ml.faq (faq_id varchar primary key, question varchar not null, answer varchar, "
        "answer_url varchar, source_activity_ids json not null, frequency integer not null, "
        "updated_at timestamp not null, model varchar)"
    )
    con.executemany("insert into ml.faq values (?, ?, ?, ?, ?, ?, ?, ?)", FAQ_ROWS)
    con.close()


@pytest.fixture
def fake_discord():
    saved = discord.http.Route.BASE
    with FakeDiscord(token=TOKEN) as server:
        yield server
    discord.http.Route.BASE = saved  # the library keeps it process-wide


@pytest.fixture
def discord_settings(home: Path, fake_discord: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings for a home holding the small warehouse, with Discord aimed at the fake."""
    from codeconvene.settings import get_settings

    monkeypatch.chdir(tmp_path)  # no ./.env or ./codeconvene.yaml of the developer's
    monkeypatch.setenv("DISCORD_API_URL", fake_discord.api_url)
    monkeypatch.setenv("DISCORD_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DISCORD_WELCOME_CHANNEL_ID", "1300000000000000099")
    build_discord_warehouse(home / "warehouse.duckdb")
    return get_settings(home)
