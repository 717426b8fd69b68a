"""Sentiment charts: weekly mood and negative share per channel."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from apps.streamlit.charts_common import lines


def _labelled(weekly: pl.DataFrame) -> pl.DataFrame:
    if weekly.is_empty():
        return weekly
    return weekly.with_columns(
        channel=pl.col("platform") + pl.lit(" · ") + pl.col("container").fill_null("?")
    )


def mood_by_channel(weekly: pl.DataFrame) -> go.Figure:
    return lines(
        _labelled(weekly),
        x="week_start",
        y="avg_compound",
        group="channel",
        title="Mean sentiment per channel (-1 to 1)",
        x_title="Week",
        y_title="Mean compound",
    )


def negative_share_by_channel(weekly: pl.DataFrame) -> go.Figure:
    return lines(
        _labelled(weekly),
        x="week_start",
        y="share_negative",
        group="channel",
        title="Share of negative messages per channel",
        x_title="Week",
        y_title="Negative",
        y_format=".0%",
    )
