"""Engagement charts: DAU / WAU / MAU, reply rate, hour-of-week heatmap."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from apps.streamlit.charts_common import empty, lines

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def active_people(active: pl.DataFrame, platform: str) -> go.Figure:
    """Daily, weekly (7-day) and monthly (28-day) active people of one platform line."""
    rows = active.filter(pl.col("platform") == platform) if not active.is_empty() else active
    return lines(
        rows,
        x="day",
        series=[("dau", "Daily"), ("wau", "Weekly (7 days)"), ("mau", "Monthly (28 days)")],
        title=f"Active people: {platform}",
        x_title="Day",
        y_title="People",
        mode="lines",
    )


def reply_rate(reply: pl.DataFrame) -> go.Figure:
    """Share of chat messages answered by another human, per week and platform."""
    return lines(
        reply,
        x="week_start",
        y="reply_rate",
        group="platform",
        title="Reply rate per week",
        x_title="Week",
        y_title="Messages answered",
        y_format=".0%",
    )


def hour_of_week(hours: pl.DataFrame, title: str = "When people contribute (UTC)") -> go.Figure:
    """7 × 24 heatmap of contributions; missing cells are 0."""
    if hours.is_empty():
        return empty(title)
    grid = [[0] * 24 for _ in range(7)]
    for row in hours.iter_rows(named=True):
        grid[int(row["day_of_week"]) - 1][int(row["hour_of_day"])] += int(row["activities"])
    fig = go.Figure(
        go.Heatmap(
            z=grid,
            x=list(range(24)),
            y=list(DAYS),
            colorscale="Blues",
            hovertemplate="%{y} %{x}:00: %{z}<extra></extra>",
        )
    )
    fig.update_layout(title=title, xaxis_title="Hour", yaxis={"autorange": "reversed"})
    return fig
