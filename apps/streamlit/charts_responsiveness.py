"""Responsiveness charts: time to first response and pull-request closure / acceptance."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from apps.streamlit.charts_common import lines


def time_to_first_response(weekly: pl.DataFrame) -> go.Figure:
    """Median and 85th percentile hours to first response of the items opened each week."""
    return lines(
        weekly,
        x="week_start",
        series=[("ttfr_median_hours", "Median"), ("ttfr_p85_hours", "85th percentile")],
        title="Time to first response",
        x_title="Week opened",
        y_title="Hours",
    )


def closure_and_acceptance(weekly: pl.DataFrame) -> go.Figure:
    """PRs closed / opened and merged / closed per week (weeks without PRs are gaps)."""
    return lines(
        weekly,
        x="week_start",
        series=[("closure_ratio", "Closure ratio"), ("acceptance_ratio", "Acceptance ratio")],
        title="Pull request closure and acceptance",
        x_title="Week",
        y_title="Ratio",
    )
