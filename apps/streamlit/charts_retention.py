"""Retention charts: the monthly cohort heatmap and the weekly contributor kinds."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from apps.streamlit.charts_common import empty, lines

KINDS = (
    ("new", "New"),
    ("returning", "Returning"),
    ("inactive", "Turned inactive"),
    ("episodic", "Episodic"),
)


def cohort_heatmap(cohorts: pl.DataFrame) -> go.Figure:
    """Rows = cohort month (size in the label), columns = months since, cells = retention."""
    title = "Monthly cohort retention"
    if cohorts.is_empty():
        return empty(title)
    months = sorted(cohorts["cohort_month"].unique().to_list())
    width = int(cohorts["months_since"].max()) + 1
    sizes = dict(cohorts.select("cohort_month", "cohort_size").unique().iter_rows())
    z = [[None] * width for _ in months]
    text = [[""] * width for _ in months]
    for row in cohorts.iter_rows(named=True):
        i, j = months.index(row["cohort_month"]), int(row["months_since"])
        z[i][j] = row["retention_rate"]
        text[i][j] = f"{row['retained']}/{row['cohort_size']}"
    labels = [f"{m:%Y-%m} ({sizes[m]})" for m in months]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(width)),
            y=labels,
            text=text,
            texttemplate="%{z:.0%}",
            colorscale="Greens",
            zmin=0,
            zmax=1,
            hovertemplate="cohort %{y}, month +%{x}: %{z:.0%} (%{text})<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        xaxis_title="Months since first contribution",
        yaxis={"autorange": "reversed", "title": "Cohort (size)"},
    )
    return fig


def contributor_kinds(weekly: pl.DataFrame) -> go.Figure:
    """New, returning, turned-inactive and episodic contributors per ISO week."""
    return lines(
        weekly,
        x="week_start",
        series=list(KINDS),
        title="New, returning, inactive and episodic contributors",
        x_title="Week",
        y_title="People",
    )


def period_retention(weekly: pl.DataFrame) -> go.Figure:
    """Share of last week's active people active again this week."""
    return lines(
        weekly,
        x="week_start",
        series=[("retention", "Week-to-week retention")],
        title="Week-to-week retention",
        x_title="Week",
        y_title="Retained",
        y_format=".0%",
    )
