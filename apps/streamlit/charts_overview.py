"""Overview charts: the health score's parts and its trend."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from apps.streamlit.charts_common import empty, lines


def health_parts(parts: pl.DataFrame) -> go.Figure:
    """Horizontal bars: the points each figure adds to the week's health score.

    Without weights (no `points`), the bars show each figure's 0-1 scaled standing instead.
    """
    title = "What makes up the health score"
    if parts.is_empty():
        return empty(title)
    use_points = parts["points"].null_count() < parts.height
    column = "points" if use_points else "scaled"
    rows = parts.sort(column, descending=False, nulls_last=False)
    fig = go.Figure(
        go.Bar(
            x=rows[column].to_list(),
            y=rows["label"].to_list(),
            orientation="h",
            customdata=list(zip(rows["value"].to_list(), rows["scaled"].to_list(), strict=True)),
            hovertemplate="%{y}: %{x:.1f}<br>value %{customdata[0]:.3g}, "
            "scaled %{customdata[1]:.2f} (1 = best of 12 weeks)<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        xaxis_title="Points of the 0-100 score"
        if use_points
        else "Scaled 0-1 (1 = best of 12 weeks)",
        margin={"l": 10},
    )
    return fig


def health_trend(weekly: pl.DataFrame) -> go.Figure:
    """The 0-100 health score per ISO week."""
    fig = lines(
        weekly,
        x="week_start",
        series=[("health_score", "Health score")],
        title="Health score per week",
        x_title="Week",
        y_title="0-100",
    )
    if not weekly.is_empty():
        fig.update_yaxes(range=[0, 100])
    return fig
