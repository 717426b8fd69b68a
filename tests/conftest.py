"""Shared fixtures: an isolated CODECONVENE_HOME per test, and the real samples when present."""

from __future__ import annotations

import os
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
