"""Retention: monthly cohorts, and new / returning / inactive / episodic contributors per week."""

from __future__ import annotations

import streamlit as st

from apps.streamlit import charts, queries, ui


def main() -> None:
    if not ui.start_page("Retention", "Do people who come once come back?"):
        return
    data = ui.load_or_warn(queries.retention.retention, ui.filters())
    if data is None or ui.show_missing(data.missing):
        return
    ui.scope("date range", "These marts count human contributions across all platforms together.")
    if not ui.empty_state(data.weekly, "No weeks in this date range."):
        last = data.weekly.row(-1, named=True)
        st.subheader(f"Week {last['iso_week']}")
        a, b, c, d = st.columns(4)
        a.metric("New", last["new"])
        b.metric("Returning", last["returning"])
        c.metric("Turned inactive", last["inactive"], help="Last contribution 90 days ago")
        d.metric(
            "Episodic",
            last["episodic"],
            help="Back after 3+ quiet months, ≤ 12 contributions before",
        )
        st.plotly_chart(charts.retention.contributor_kinds(data.weekly))
    left, right = st.columns(2)
    left.plotly_chart(charts.retention.cohort_heatmap(data.cohorts))
    left.caption(
        "Cohort = month of a person's first contribution; a cell is the share of the "
        "cohort contributing that many months later."
    )
    right.plotly_chart(charts.retention.period_retention(data.weekly))


main()
