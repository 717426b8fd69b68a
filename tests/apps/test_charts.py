"""charts.py: the traces a reader sees, with the values from the frames given."""

from __future__ import annotations

from datetime import date

import polars as pl

from apps.streamlit import charts


def test_activity_by_platform_has_one_trace_per_platform_with_its_values():
    # GIVEN two platforms over two days
    daily = pl.DataFrame(
        {
            "activity_date": [date(2026, 11, 2), date(2026, 11, 1), date(2026, 11, 1)],
            "platform": ["slack", "slack", "github"],
            "activities": [7, 3, 5],
        }
    )
    # WHEN the figure is built
    fig = charts.activity_by_platform(daily)
    # THEN each platform is a line with its own days (sorted) and counts
    by_name = {trace.name: trace for trace in fig.data}
    assert sorted(by_name) == ["github", "slack"]
    assert list(by_name["slack"].y) == [3, 7]
    assert list(by_name["slack"].x) == [date(2026, 11, 1), date(2026, 11, 2)]
    assert list(by_name["github"].y) == [5]


def test_weekly_contributors_draws_active_new_returning_inactive():
    # GIVEN two weeks of health figures
    weekly = pl.DataFrame(
        {
            "week_start": [date(2026, 11, 9), date(2026, 11, 2)],
            "iso_week": ["2026-W46", "2026-W45"],
            "active": [10, 8],
            "new": [3, 8],
            "returning": [7, 0],
            "inactive": [2, 0],
        }
    )
    # WHEN the figure is built
    fig = charts.weekly_contributors(weekly)
    # THEN four named series, oldest week first, with the frame's values
    assert [trace.name for trace in fig.data] == ["Active", "New", "Returning", "Inactive"]
    assert list(fig.data[0].y) == [8, 10]
    assert list(fig.data[3].y) == [0, 2]
    assert list(fig.data[1].customdata) == ["2026-W45", "2026-W46"]


def test_empty_frames_give_a_titled_figure_without_traces():
    # GIVEN empty frames WHEN figures are built THEN they carry a "No data yet" note, no traces
    for fig in (
        charts.activity_by_platform(pl.DataFrame()),
        charts.weekly_contributors(pl.DataFrame()),
    ):
        assert len(fig.data) == 0
        assert fig.layout.annotations[0].text == "No data yet"
