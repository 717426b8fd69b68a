"""queries.py against a hand-built warehouse: the numbers the home page will show."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from apps.streamlit import queries
from codeconvene.warehouse import reader


def test_latest_complete_week_skips_the_running_week_and_has_wow_deltas(home_warehouse):
    # GIVEN weeks W45..W48 where data ends on Wednesday of W48
    with reader(home_warehouse) as con:
        # WHEN the KPIs are asked with the data horizon as "today"
        kpis = queries.latest_week_kpis(con)
    # THEN W47 is reported, compared with W46
    assert kpis.iso_week == "2026-W47"
    assert kpis.week_start == date(2026, 11, 16)
    assert kpis.is_complete is True
    assert kpis.current == {"active": 14, "new": 5, "returning": 9, "inactive": 1}
    assert [kpis.delta(n) for n in queries.KPI_NAMES] == [4, 2, 2, -1]


def test_an_explicit_today_after_the_running_week_makes_it_complete(home_warehouse):
    # GIVEN the same warehouse
    with reader(home_warehouse) as con:
        # WHEN today is the Monday after W48
        kpis = queries.latest_week_kpis(con, today=date(2026, 11, 30))
    # THEN W48 counts as complete and is compared with W47
    assert kpis.iso_week == "2026-W48"
    assert kpis.current["active"] == 4
    assert kpis.delta("active") == -10


def test_first_week_has_no_delta_and_is_marked_in_progress(home_warehouse):
    # GIVEN a "today" inside the first week of data
    with reader(home_warehouse) as con:
        # WHEN the KPIs are asked
        kpis = queries.latest_week_kpis(con, today=date(2026, 11, 4))
    # THEN the first week is shown as in progress, without deltas
    assert kpis.iso_week == "2026-W45"
    assert kpis.is_complete is False
    assert kpis.previous is None
    assert kpis.delta("new") is None


def test_weekly_health_is_ordered_by_week(home_warehouse):
    # GIVEN the weekly mart
    with reader(home_warehouse) as con:
        # WHEN the series is read
        weekly = queries.weekly_health(con)
    # THEN one row per week, oldest first, with the mart's values
    assert weekly["iso_week"].to_list() == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert weekly["returning"].to_list() == [0, 7, 9, 3]


def test_daily_activity_filters_by_start_day(home_warehouse):
    # GIVEN the daily mart
    with reader(home_warehouse) as con:
        # WHEN only days from 2026-11-17 are asked, and then all days
        recent = queries.daily_activity(con, since=date(2026, 11, 17))
        everything = queries.daily_activity(con)
    # THEN the filter applies and rows come out ordered by day and platform
    assert recent["activity_date"].to_list() == [
        date(2026, 11, 17),
        date(2026, 11, 24),
        date(2026, 11, 25),
    ]
    assert everything.height == 5
    assert everything.row(1, named=True)["platform"] == "slack"
    assert everything["activities"].sum() == 45


def test_home_snapshot_lists_missing_marts(tmp_path):
    # GIVEN a warehouse with a marts schema but no marts
    path = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(path)).execute("create schema marts").close()
    with reader(path) as con:
        # WHEN the home snapshot is read
        snapshot = queries.home_snapshot(con)
    # THEN it names both missing marts and holds no KPIs
    assert snapshot.missing == ("mart_community_health_weekly", "mart_engagement_daily")
    assert snapshot.kpis is None


def test_latest_week_kpis_is_none_for_an_empty_mart(home_warehouse):
    # GIVEN a weekly mart with no rows
    con = duckdb.connect(str(home_warehouse))
    con.execute("delete from marts.mart_community_health_weekly")
    # WHEN the KPIs are asked
    kpis = queries.latest_week_kpis(con)
    con.close()
    # THEN there is nothing to report
    assert kpis is None


@pytest.mark.parametrize("name", queries.HOME_MARTS)
def test_home_snapshot_reports_each_single_missing_mart(home_warehouse, name):
    # GIVEN a warehouse where one home mart is missing
    con = duckdb.connect(str(home_warehouse))
    con.execute(f"drop table marts.{name}")
    con.close()
    with reader(home_warehouse) as con:
        # WHEN the snapshot is read
        snapshot = queries.home_snapshot(con)
    # THEN exactly that mart is named
    assert snapshot.missing == (name,)
