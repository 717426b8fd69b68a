"""Plotly figure builders: frames in, figures out, no streamlit.

Kept pure so the same figures can go into reports (static export) and so tests can check the
traces and values a reader will see without running a browser. This module keeps the home
figures and is the entry point to the per-page modules (charts_<page>.py), imported below so
one import checks them all for purity.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

# The per-page modules, re-exported: pages call charts.<page>.<figure>.
from apps.streamlit import charts_contributors as contributors
from apps.streamlit import charts_engagement as engagement
from apps.streamlit import charts_maintainers as maintainers
from apps.streamlit import charts_overview as overview
from apps.streamlit import charts_responsiveness as responsiveness
from apps.streamlit import charts_retention as retention
from apps.streamlit import charts_sentiment as sentiment
from apps.streamlit.charts_common import empty

__all__ = [
    "activity_by_platform",
    "contributors",
    "empty",
    "engagement",
    "maintainers",
    "overview",
    "responsiveness",
    "retention",
    "sentiment",
    "weekly_contributors",
]

WEEKLY_SERIES = (
    ("active", "Active"),
    ("new", "New"),
    ("returning", "Returning"),
    ("inactive", "Inactive"),
)


_empty = empty


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
