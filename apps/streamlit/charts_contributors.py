"""Contributor charts: the core / regular / casual split and one person's timeline."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from apps.streamlit.charts_common import empty

TIER_ORDER = ("core", "regular", "casual")


def tier_split(tiers: pl.DataFrame) -> go.Figure:
    """People and contributions per tier, side by side (the split is about both)."""
    title = "Core, regular and casual contributors (trailing 90 days)"
    if tiers.is_empty():
        return empty(title)
    summary = tiers.group_by("tier").agg(
        people=pl.len(), contributions=pl.col("contributions").sum()
    )
    by_tier = {row["tier"]: row for row in summary.iter_rows(named=True)}
    names = [t for t in TIER_ORDER if t in by_tier]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=[by_tier[t]["people"] for t in names], name="People"))
    fig.add_trace(
        go.Bar(x=names, y=[by_tier[t]["contributions"] for t in names], name="Contributions")
    )
    fig.update_layout(title=title, barmode="group")
    return fig


def timeline(activities: pl.DataFrame, name: str) -> go.Figure:
    """Every activity as a dot: time across, platform down, one colour per activity type."""
    title = f"{name}: activity across platforms"
    if activities.is_empty():
        return empty(title)
    fig = go.Figure()
    for kind in sorted(activities["activity_type"].unique().to_list()):
        rows = activities.filter(pl.col("activity_type") == kind)
        fig.add_trace(
            go.Scatter(
                x=rows["occurred_at"].to_list(),
                y=rows["platform"].to_list(),
                name=kind,
                mode="markers",
                text=rows["text"].to_list(),
                hovertemplate="%{x}<br>%{text}<extra>" + kind + "</extra>",
            )
        )
    fig.update_layout(title=title, xaxis_title="When (UTC)", yaxis_title="Platform")
    return fig
