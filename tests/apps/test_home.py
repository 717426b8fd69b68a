"""Home.py run headless through AppTest against a hand-built CODECONVENE_HOME."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

HOME = Path(__file__).resolve().parents[2] / "apps" / "streamlit" / "Home.py"


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path, monkeypatch):
    """Settings also read ./.env and ./codeconvene.yaml; keep the developer's out of the test."""
    monkeypatch.chdir(tmp_path)


def run_home() -> AppTest:
    """Run the page once; CODECONVENE_HOME is already set by the shared `home` fixture."""
    return AppTest.from_file(str(HOME), default_timeout=30).run()


def test_kpi_cards_show_the_latest_complete_week_from_the_marts(home_warehouse):
    # GIVEN a warehouse whose latest complete week is 2026-W47 (active 14, new 5, ...)
    # WHEN the home page runs
    app = run_home()
    # THEN no exception, and the four cards show W47's values and deltas against W46
    assert not app.exception
    cards = {metric.label: metric for metric in app.metric}
    assert cards["Active contributors"].value == "14"
    assert cards["New contributors"].value == "5"
    assert cards["Returning contributors"].value == "9"
    assert cards["Inactive contributors"].value == "1"
    assert cards["Active contributors"].proto.delta == "4"
    assert cards["Inactive contributors"].proto.delta == "-1"
    assert "2026-W47" in app.subheader[0].value


def test_both_charts_are_drawn_with_mart_values(home_warehouse):
    # GIVEN the same warehouse WHEN the page runs
    app = run_home()
    # THEN two Plotly charts: weekly contributors first, then activity by platform
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    assert len(specs) == 2
    assert [trace["name"] for trace in specs[0]["data"]] == [
        "Active",
        "New",
        "Returning",
        "Inactive",
    ]
    assert specs[0]["data"][0]["y"] == [8, 10, 14, 4]
    assert sorted(trace["name"] for trace in specs[1]["data"]) == ["github", "slack"]


def test_missing_warehouse_shows_how_to_get_data(home):
    # GIVEN a home folder without a warehouse
    # WHEN the page runs
    app = run_home()
    # THEN an info box says to run the demo, and nothing crashed
    assert not app.exception
    assert "codeconvene demo" in app.info[0].value
    assert len(app.metric) == 0


def test_warehouse_without_marts_shows_the_same_hint(home):
    # GIVEN a warehouse where ingest ran but dbt did not
    duckdb.connect(str(home / "warehouse.duckdb")).execute("create schema raw_github").close()
    # WHEN the page runs
    app = run_home()
    # THEN the hint names the missing marts
    assert not app.exception
    assert "codeconvene demo" in app.info[0].value
    assert "mart_community_health_weekly" in app.info[0].value


def test_a_rebuilt_warehouse_is_read_again(home_warehouse):
    # GIVEN a page that has shown W47's active count once
    app = run_home()
    assert app.metric[0].value == "14"
    # WHEN the warehouse changes (a new build) and the page reruns
    con = duckdb.connect(str(home_warehouse))
    con.execute(
        "update marts.mart_community_health_weekly set active = 20 where iso_week = '2026-W47'"
    )
    con.close()
    os.utime(
        home_warehouse,
        ns=(os.stat(home_warehouse).st_atime_ns, os.stat(home_warehouse).st_mtime_ns + 10**9),
    )
    app.run()
    # THEN the new value is shown, not the cached one
    assert app.metric[0].value == "20"
