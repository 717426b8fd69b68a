"""Plotly figure builders: frames in, figures out, no streamlit.

Kept pure so the same figures can go into reports (static export) and so tests can check the
traces and values a reader will see without running a browser.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

WEEKLY_SERIES = (
    ("active", "Active"),
    ("new", "New"),
    ("returning", "Returning"),
    ("inactive", "Inactive"),
)


def _empty(title: str) -> go.Figure:
    """A titled figure saying there is nothing to draw, instead of empty axes."""
    fig = go.Figure()
    fig.update_layout(title=title)
    fig.add_annotation(
        text="No data yet", showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
    )
    return fig


def activity_by_platform(daily: pl.DataFrame, value: str = "activities") -> go.Figure:
    """One line per platform of `value` per day (columns activity_date, platform, `value`)."""
    title = f"{value.replace('_', ' ').capitalize()} by platform"
    if daily.is_empty():
        return _empty(title)
    fig = go.Figure()
    for platform in sorted(daily["platform"].unique().to_list()):
        rows = daily.filter(pl.col("platform") == platform).sort("activity_date")
        fig.add_trace(
            go.Scatter(
                x=rows["activity_date"].to_list(),
                y=rows[value].to_list(),
                name=platform,
                mode="lines",
            )
        )
    fig.update_layout(title=title, xaxis_title="Day", yaxis_title=value, hovermode="x unified")
    return fig


def weekly_contributors(weekly: pl.DataFrame) -> go.Figure:
    """Active, new, returning and inactive contributors per ISO week, one line each."""
    title = "Contributors per week"
    if weekly.is_empty():
        return _empty(title)
    weekly = weekly.sort("week_start")
    fig = go.Figure()
    for column, label in WEEKLY_SERIES:
        fig.add_trace(
            go.Scatter(
                x=weekly["week_start"].to_list(),
                y=weekly[column].to_list(),
                name=label,
                mode="lines+markers",
                customdata=weekly["iso_week"].to_list(),
                hovertemplate="%{customdata}: %{y}",
            )
        )
    fig.update_layout(title=title, xaxis_title="Week", yaxis_title="People", hovermode="x unified")
    return fig
