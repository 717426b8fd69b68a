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


def test_hour_of_week_heatmap_fills_missing_cells_with_zero():
    # GIVEN activity on Monday 09:00 (3) and Sunday 23:00 (1) only
    hours = pl.DataFrame({"day_of_week": [1, 7], "hour_of_day": [9, 23], "activities": [3, 1]})
    # WHEN the heatmap is built
    fig = charts.engagement.hour_of_week(hours)
    # THEN a 7 × 24 grid, Monday first, with zeros elsewhere
    z = [list(row) for row in fig.data[0].z]
    assert len(z) == 7 and all(len(row) == 24 for row in z)
    assert z[0][9] == 3 and z[6][23] == 1
    assert sum(map(sum, z)) == 4
    assert tuple(fig.data[0].y)[:1] == ("Mon",)


def test_cohort_heatmap_puts_each_cohort_on_a_row_with_its_size():
    cohorts = pl.DataFrame(
        {
            "cohort_month": [date(2026, 9, 1), date(2026, 9, 1), date(2026, 10, 1)],
            "months_since": [0, 1, 0],
            "retained": [4, 1, 2],
            "cohort_size": [4, 4, 2],
            "retention_rate": [1.0, 0.25, 1.0],
        }
    )
    fig = charts.retention.cohort_heatmap(cohorts)
    heat = fig.data[0]
    assert list(heat.y) == ["2026-09 (4)", "2026-10 (2)"]
    assert [list(row) for row in heat.z] == [[1.0, 0.25], [1.0, None]]
    assert heat.text[0][1] == "1/4"


def test_health_parts_shows_points_or_scaled_standing_without_weights():
    parts = pl.DataFrame(
        {
            "label": ["Active contributors", "Bus factor"],
            "value": [8.0, 2.0],
            "scaled": [0.5, 1.0],
            "points": [20.0, 10.0],
        }
    )
    fig = charts.overview.health_parts(parts)
    assert sorted(fig.data[0].x) == [10.0, 20.0]
    assert "Points" in fig.layout.xaxis.title.text
    unweighted = charts.overview.health_parts(parts.with_columns(points=pl.lit(None, pl.Float64)))
    assert sorted(unweighted.data[0].x) == [0.5, 1.0]


def test_lines_keep_missing_weeks_as_gaps():
    weekly = pl.DataFrame(
        {
            "week_start": [date(2026, 11, 9), date(2026, 11, 2)],
            "closure_ratio": [None, 0.8],
            "acceptance_ratio": [1.0, 0.75],
        }
    )
    fig = charts.responsiveness.closure_and_acceptance(weekly)
    assert list(fig.data[0].y) == [0.8, None]


def test_tier_split_counts_people_and_contributions_per_tier():
    tiers = pl.DataFrame(
        {"tier": ["core", "core", "regular", "casual"], "contributions": [50, 30, 15, 5]}
    )
    fig = charts.contributors.tier_split(tiers)
    people, contributions = fig.data
    assert list(people.x) == ["core", "regular", "casual"]
    assert list(people.y) == [2, 1, 1]
    assert list(contributions.y) == [80, 15, 5]


def test_timeline_draws_one_series_per_activity_type_across_platforms():
    timeline = pl.DataFrame(
        {
            "occurred_at": [date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)],
            "platform": ["github", "slack", "github"],
            "activity_type": ["push", "message", "push"],
            "text": ["fix", "hi", "docs"],
        }
    )
    fig = charts.contributors.timeline(timeline, "ann")
    by_name = {trace.name: list(trace.y) for trace in fig.data}
    assert by_name == {"message": ["slack"], "push": ["github", "github"]}


def test_every_page_chart_has_an_empty_state():
    empty = pl.DataFrame()
    figures = [
        charts.overview.health_parts(empty),
        charts.overview.health_trend(empty),
        charts.engagement.active_people(empty, "all platforms"),
        charts.engagement.reply_rate(empty),
        charts.engagement.hour_of_week(empty),
        charts.retention.cohort_heatmap(empty),
        charts.retention.contributor_kinds(empty),
        charts.responsiveness.time_to_first_response(empty),
        charts.maintainers.burnout_trend(empty),
        charts.maintainers.factors(empty),
        charts.sentiment.mood_by_channel(empty),
        charts.contributors.tier_split(empty),
        charts.contributors.timeline(empty, "ann"),
    ]
    for fig in figures:
        assert len(fig.data) == 0
        assert fig.layout.annotations[0].text == "No data yet"
