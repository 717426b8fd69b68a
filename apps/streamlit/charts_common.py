"""Building blocks every chart module shares: the empty figure and "one line per group".

Pure Plotly, no streamlit: figures can go into reports and tests read their traces.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

NO_DATA = "No data yet"


def empty(title: str, note: str = NO_DATA) -> go.Figure:
    """A titled figure saying there is nothing to draw, instead of empty axes."""
    fig = go.Figure()
    fig.update_layout(title=title)
    fig.add_annotation(text=note, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return fig


def lines(
    data: pl.DataFrame,
    *,
    x: str,
    series: list[tuple[str, str]] | None = None,
    y: str | None = None,
    group: str | None = None,
    title: str,
    x_title: str = "",
    y_title: str = "",
    y_format: str | None = None,
    mode: str = "lines+markers",
) -> go.Figure:
    """Lines over `x`: either one per (column, label) in `series`, or one per `group` value of `y`.

    Null values stay gaps (a week without a figure is not zero).
    """
    if data.is_empty():
        return empty(title)
    data = data.sort(x)
    fig = go.Figure()
    if series:
        for column, label in series:
            fig.add_trace(
                go.Scatter(x=data[x].to_list(), y=data[column].to_list(), name=label, mode=mode)
            )
    else:
        for name in sorted(data[group].drop_nulls().unique().to_list()):
            rows = data.filter(pl.col(group) == name)
            fig.add_trace(
                go.Scatter(x=rows[x].to_list(), y=rows[y].to_list(), name=str(name), mode=mode)
            )
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, hovermode="x unified")
    if y_format:
        fig.update_yaxes(tickformat=y_format)
    return fig
