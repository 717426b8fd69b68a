"""Shared fixtures: an isolated CODECONVENE_HOME per test, and the real samples when present."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REAL_DATA = REPO.parent / "shared" / "data" / "real"

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder, set as CODECONVENE_HOME so every layer reads the same one."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("CODECONVENE_HOME", str(folder))
    for name in ("GROQ_API_KEY", "GITHUB_TOKEN", "SLACK_BOT_TOKEN", "DISCORD_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture(scope="session")
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"real samples not present at {REAL_DATA}")
    return REAL_DATA


@pytest.fixture
def fake_groq():
    """A loopback Groq chat-completions server (tests/fakes/groq.py) for the real SDK."""
    from tests.fakes.groq import FakeGroq

    with FakeGroq(content="Fake summary: 3 people were active.") as server:
        yield server


# --- a real warehouse, built once per session and shared by every test package ---------------

SIMULATION = {"seed": 11, "people": 60, "weeks": 16}


@pytest.fixture(scope="session")
def built_home(tmp_path_factory) -> Path:
    """A small simulated community (60 people, 16 weeks to 2026-11-22), ingested and built.

    Exports are simulated into the home's exports folder, then the whole Dagster graph runs
    (ingest, dbt, ML, report) as `codeconvene build` does: about a minute, once per session;
    dashboard, SQL explorer and bot tests only read the result (copy it before writing).
    """
    from codeconvene.settings import get_settings
    from ingest.simulate import SimulationConfig, simulate
    from orchestration.pipeline import build_all, failures

    home = tmp_path_factory.mktemp("dashboard_home")
    # settings also read ./.env and ./codeconvene.yaml: build from an empty folder
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("build_cwd"))
        settings = get_settings(home)
        settings.ensure_dirs()
        config = SimulationConfig(**SIMULATION, end=date(2026, 11, 22))
        simulate(config, settings.exports_dir / "demo")
        result = build_all(str(home), log_file=settings.logs_dir / "build.log")
    assert failures(result) == []
    return home
