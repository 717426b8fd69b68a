"""The entrypoint and the Overview page, run headless through AppTest.

Numbers are checked against the marts of a warehouse built from a simulated community
(tests/apps/conftest.py); empty states against a home without a warehouse or without marts.
"""

from __future__ import annotations

import json
import os
import shutil

import duckdb
import pytest

from tests.apps.dash import mart, metrics, open_page

pytestmark = pytest.mark.slow


def test_overview_cards_show_the_last_complete_week_with_deltas_from_the_mart(built):
    # GIVEN a warehouse whose data ends on Sunday 2026-11-22 (so W47 is the last complete week)
    [(active, new, previous_active, score)] = mart(
        built,
        """
        select w.active, w.new, p.active, w.health_score
        from marts.mart_community_health_weekly as w
        join marts.mart_community_health_weekly as p on p.week_start = w.week_start - 7
        where w.iso_week = '2026-W47'
        """,
    )
    # WHEN the dashboard opens (Overview is the default page)
    app = open_page("overview")
    # THEN no exception, and the cards show W47's mart values and the change from W46
    assert not app.exception
    assert "2026-W47" in app.subheader[0].value
    cards = metrics(app)
    assert cards["Active contributors"] == str(active)
    assert cards["New contributors"] == str(new)
    assert cards["Health score"] == f"{score:.1f}"
    active_card = next(m for m in app.metric if m.label == "Active contributors")
    assert active_card.proto.delta == str(active - previous_active)


def test_health_score_parts_add_up_to_the_marts_score(built):
    # GIVEN the mart's W47 health score
    [(score,)] = mart(
        built,
        "select health_score from marts.mart_community_health_weekly where iso_week = '2026-W47'",
    )
    # WHEN the overview draws the parts chart
    app = open_page("overview")
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    parts = next(
        s for s in specs if s["layout"]["title"]["text"] == "What makes up the health score"
    )
    # THEN one bar per blended figure, whose points sum to the score
    bars = parts["data"][0]
    assert "Active contributors" in bars["y"]
    assert sum(bars["x"]) == pytest.approx(score, abs=0.06)


def test_activity_by_platform_follows_the_platform_filter(built):
    # GIVEN the overview with every platform
    app = open_page("overview")

    def platforms_drawn():
        specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
        chart = next(s for s in specs if s["layout"]["title"]["text"] == "Activities by platform")
        return {trace["name"]: sum(trace["y"]) for trace in chart["data"]}

    assert set(platforms_drawn()) == {"github", "slack"}
    # WHEN only Slack is chosen in the sidebar
    app.multiselect(key="f_platforms").set_value(["slack"]).run()
    # THEN only Slack is drawn, with its human contributions from fct_activities
    [(slack,)] = mart(
        built,
        "select count(*) from marts.fct_activities "
        "where platform = 'slack' and is_contribution and not is_bot",
    )
    assert platforms_drawn() == {"slack": slack}


def test_entrypoint_registers_every_page_and_the_filters(built):
    # GIVEN the dashboard WHEN it opens
    app = open_page("overview")
    # THEN the sidebar holds the four filters, bots off by default
    assert app.date_input(key="f_dates").value
    assert app.multiselect(key="f_platforms").value == []
    assert app.multiselect(key="f_containers").value == []
    assert app.toggle(key="f_bots").value is False
    # AND every page can be switched to
    for page in ("engagement", "sql_explorer"):
        app.switch_page(f"views/{page}.py").run()
        assert not app.exception


def test_a_rebuilt_warehouse_is_read_again(built, tmp_path, monkeypatch):
    # GIVEN a copy of the warehouse, shown once
    home = tmp_path / "copy"
    home.mkdir()
    copy = home / "warehouse.duckdb"
    shutil.copy(built, copy)
    monkeypatch.setenv("CODECONVENE_HOME", str(home))
    app = open_page("overview")
    before = metrics(app)["Active contributors"]
    # WHEN a new build changes W47's count
    con = duckdb.connect(str(copy))
    con.execute(
        "update marts.mart_community_health_weekly set active = 99 where iso_week = '2026-W47'"
    )
    con.close()
    stat = os.stat(copy)
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    app.run()
    # THEN the new value is shown, not the cached one
    assert before != "99"
    assert metrics(app)["Active contributors"] == "99"
