"""`codeconvene bot slack --http` as a real process: signed event in, answer posted to the fake."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb

from tests.bots.slack.conftest import (
    BOT_TOKEN,
    SIGNING_SECRET,
    build_slack_warehouse,
    mention,
    sign,
)

REPO = Path(__file__).resolve().parents[3]


def active_in_november(home: Path) -> int:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            "select count(distinct person_id) from marts.fct_activities where is_contribution "
            "and not is_bot and occurred_at >= '2026-11-01' and occurred_at < '2026-12-01'"
        ).fetchone()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the bot exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the bot never became healthy")


def stopped(process: subprocess.Popen) -> bytes:
    """Stop the bot and return what it logged. SIGTERM ends it at once; on a loaded CI machine
    the pipes can take longer than a few seconds to drain, so wait, and kill only as a last
    resort (shutdown speed is not what this test checks)."""
    process.terminate()
    try:
        return process.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[1]


def test_the_cli_serves_signed_events_and_logs_no_secret(tmp_path, fake_slack):
    home = tmp_path / "home"
    home.mkdir()
    build_slack_warehouse(home / "warehouse.duckdb")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CODECONVENE_"))},
        "CODECONVENE_HOME": str(home),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.base_url,
        "PYTHONPATH": str(REPO),
    }
    command = [
        sys.executable,
        "-m",
        "codeconvene.cli",
        "bot",
        "slack",
        "--http",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, process)
        question = "<@UBOT0001> how many active contributors in November 2026?"
        body = json.dumps(mention(question)).encode()
        request = urllib.request.Request(
            url + "/slack/events",
            data=body,
            headers={"Content-Type": "application/json", **sign(body)},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        [post] = fake_slack.wait_for_posts(1, timeout=30)
    finally:
        stderr = stopped(process)
    assert post["thread_ts"] == "1763900000.000100"
    assert post["text"].startswith(f"{active_in_november(home)} contributors were active")
    logged = stderr.decode()
    assert "serving Slack events" in logged
    assert BOT_TOKEN not in logged and SIGNING_SECRET not in logged
