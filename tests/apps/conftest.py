"""Dashboard fixtures: a hand-built warehouse for the home queries (no dbt needed), and a real
one built once per session from a simulated community for the pages.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

# Weeks W45..W48 of 2026; W48 (from 2026-11-23) is still running: the last activity is on
# Wednesday 2026-11-25, so the latest *complete* week is W47.
WEEKLY_ROWS = [
    # week_start, iso_week, active, new, returning, inactive, churned, activities
    (date(2026, 11, 2), "2026-W45", 8, 8, 0, 0, 0, 40),
    (date(2026, 11, 9), "2026-W46", 10, 3, 7, 2, 2, 55),
    (date(2026, 11, 16), "2026-W47", 14, 5, 9, 1, 1, 71),
    (date(2026, 11, 23), "2026-W48", 4, 1, 3, 0, 0, 12),
]
DAILY_ROWS = [
    # activity_date, platform, active_contributors, activities, new_contributors, messages,
    # replies, reply_rate
    (date(2026, 11, 16), "github", 5, 9, 1, 0, 0, None),
    (date(2026, 11, 16), "slack", 6, 20, 2, 14, 6, 0.43),
    (date(2026, 11, 17), "github", 3, 4, 0, 0, 0, None),
    (date(2026, 11, 24), "slack", 2, 7, 1, 5, 2, 0.4),
    (date(2026, 11, 25), "github", 2, 5, 0, 0, 0, None),
]


def build_home_marts(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.mart_community_health_weekly (
            week_start date, iso_week varchar, active integer, new integer,
            "returning" integer, inactive integer, churned integer, activities integer)
        """
    )
    con.executemany(
        "insert into marts.mart_community_health_weekly values (?, ?, ?, ?, ?, ?, ?, ?)",
        WEEKLY_ROWS,
    )
    con.execute(
        """
        create table marts.mart_engagement_daily (
            activity_date date, platform varchar, active_contributors integer,
            activities integer, new_contributors integer, messages integer,
            replies integer, reply_rate double)
        """
    )
    con.executemany(
        "insert into marts.mart_engagement_daily values (?, ?, ?, ?, ?, ?, ?, ?)", DAILY_ROWS
    )
    con.close()


@pytest.fixture
def home_warehouse(home: Path) -> Path:
    """warehouse.duckdb holding the home marts, inside the test's CODECONVENE_HOME."""
    path = home / "warehouse.duckdb"
    build_home_marts(path)
    return path


# The session-built warehouse (`built_home`) lives in tests/conftest.py, shared with the bots.


@pytest.fixture
def built(built_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The built home as this test's CODECONVENE_HOME, run from an empty folder (no .env)."""
    monkeypatch.setenv("CODECONVENE_HOME", str(built_home))
    monkeypatch.chdir(tmp_path)
    return built_home / "warehouse.duckdb"
