"""The alerts asset: skipped without a destination, posts each alert once through Slack.

The real slack_sdk client posts to the loopback fake Slack Web API; the marts are the planted
ones of tests/bots/test_alerts.py (three alerts for the community, one for maintainers).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from orchestration.assets.alerts import alerts
from orchestration.resources import CodeConveneResource
from tests.bots.test_alerts import TOKEN, build_alert_marts
from tests.fakes.slack import FakeSlack


@pytest.fixture
def alert_home(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # codeconvene.yaml is read from here
    build_alert_marts(home / "warehouse.duckdb")
    return home


def _materialize(home: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize([alerts], resources={"codeconvene": CodeConveneResource(home=str(home))})


def _metadata(result: dg.ExecuteInProcessResult) -> dict:
    [materialization] = result.asset_materializations_for_node("bots__alerts")
    return {key: value.value for key, value in materialization.metadata.items()}


def test_without_a_destination_the_asset_is_skipped_with_the_reason(alert_home):
    result = _materialize(alert_home)
    assert result.success
    assert "no destination" in _metadata(result)["skipped"]


def test_alerts_are_posted_once_across_two_runs(alert_home, tmp_path, monkeypatch):
    (tmp_path / "codeconvene.yaml").write_text(
        "alerts:\n  post: [slack:C0COMMUNITY]\n  maintainers: [slack:G0MAINT]\n", encoding="utf-8"
    )
    with FakeSlack(token=TOKEN) as slack:
        monkeypatch.setenv("SLACK_API_URL", slack.base_url)
        monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
        first = _metadata(_materialize(alert_home))
        second = _metadata(_materialize(alert_home))
        channels = sorted(message["channel"] for message in slack.posted)
    assert first == {"sent": 4}
    assert second == {"already sent": 4}
    assert channels == ["C0COMMUNITY", "C0COMMUNITY", "C0COMMUNITY", "G0MAINT"]


def test_a_missing_token_fails_the_step_with_one_line(alert_home, tmp_path):
    (tmp_path / "codeconvene.yaml").write_text("alerts:\n  post: [slack:C0COMMUNITY]\n", encoding="utf-8")
    result = dg.materialize(
        [alerts], resources={"codeconvene": CodeConveneResource(home=str(alert_home))}, raise_on_error=False
    )
    assert not result.success
    [failure] = [event for event in result.all_events if event.is_step_failure]
    assert "SLACK_BOT_TOKEN" in failure.step_failure_data.user_failure_data.description
