"""Pure logic never imports a framework: DESIGN §2 (tested in a fresh interpreter per package)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FRAMEWORKS = ("dagster", "streamlit", "slack_sdk", "slack_bolt", "discord")
PURE = ["ingest", "ml", "bots/answer", "apps/streamlit/queries.py", "apps/streamlit/charts.py", "codeconvene/report.py",
        "bots/alerts.py", "bots/alerts_run.py", "bots/ratelimit.py", "bots/poster.py",
        "bots/slack/commands.py", "bots/slack/blocks.py", "bots/slack/dedupe.py",
        "bots/discord/format.py", "bots/discord/commands.py", "bots/github/plan.py"]


def _modules(entry: str) -> list[str]:
    path = REPO / entry
    files = [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
    names = []
    for file in files:
        if file.name == "__main__.py":
            continue
        parts = list(file.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


@pytest.mark.parametrize("entry", PURE)
def test_pure_modules_import_no_framework(entry):
    modules = _modules(entry)
    assert modules, f"nothing found under {entry}"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(','.join(sorted(m for m in {FRAMEWORKS!r} if m in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "", f"{entry} pulls in {result.stdout.strip()}"
