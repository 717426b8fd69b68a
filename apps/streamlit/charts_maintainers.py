"""Maintainer charts: burnout risk (now, by component, over time), response load, factors."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from apps.streamlit.charts_common import empty, lines


def burnout_components(latest: pl.DataFrame, components: tuple[tuple[str, str], ...]) -> go.Figure:
    """Stacked bars per maintainer: each component's 0-1 score (the reasons behind the risk)."""
    title = "Burnout risk components (0-1 each)"
    if latest.is_empty():
        return empty(title)
    fig = go.Figure()
    for column, label in components:
        fig.add_trace(
            go.Bar(
                x=latest[column].fill_null(0).to_list(),
                y=latest["display_name"].to_list(),
                name=label,
                orientation="h",
            )
        )
    fig.update_layout(title=title, barmode="stack", yaxis={"autorange": "reversed"})
    return fig


def burnout_trend(trend: pl.DataFrame) -> go.Figure:
    return lines(
        trend,
        x="week_start",
        y="burnout_risk",
        group="display_name",
        title="Burnout risk per week (0-100)",
        x_title="Week",
        y_title="Risk",
    )


def response_share(trend: pl.DataFrame) -> go.Figure:
    return lines(
        trend,
        x="week_start",
        y="share_of_responses",
        group="display_name",
        title="Share of first responses (trailing 90 days)",
        x_title="Week",
        y_title="Share",
        y_format=".0%",
    )


def factors(weekly: pl.DataFrame) -> go.Figure:
    return lines(
        weekly,
        x="week_start",
        series=[("bus_factor", "Bus factor"), ("elephant_factor", "Elephant factor")],
        title="Bus factor and elephant factor (trailing 90 days)",
        x_title="Week",
        y_title="People / organizations",
    )
