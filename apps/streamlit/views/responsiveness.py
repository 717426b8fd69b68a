"""Responsiveness: time to first response, PR closure and acceptance, the unanswered questions."""

from __future__ import annotations

import polars as pl
import streamlit as st

from apps.streamlit import charts, queries, ui


def cards(weekly: pl.DataFrame, unanswered: pl.DataFrame) -> None:
    with_ttfr = weekly.filter(pl.col("ttfr_median_hours").is_not_null())
    last = with_ttfr.row(-1, named=True) if with_ttfr.height else {}
    a, b, c, d = st.columns(4)
    a.metric(
        "Median first response (h)",
        ui.number(last.get("ttfr_median_hours"), "{:.1f}"),
        help=f"Items opened in the week from {last['week_start']:%Y-%m-%d}" if last else None,
    )
    b.metric("85th percentile (h)", ui.number(last.get("ttfr_p85_hours"), "{:.1f}"))
    c.metric(
        "Still unanswered", int(unanswered["is_still_unanswered"].sum()) if unanswered.height else 0
    )
    d.metric(
        "Answered late", int((~unanswered["is_still_unanswered"]).sum()) if unanswered.height else 0
    )


def main() -> None:
    if not ui.start_page(
        "Responsiveness", "How fast people get an answer, and who is still waiting."
    ):
        return
    data = ui.load_or_warn(queries.responsiveness.responsiveness, ui.filters())
    if data is None or ui.show_missing(data.missing):
        return
    cards(data.weekly, data.unanswered)
    ui.scope(ui.ALL_FILTERS, "With bots on, bot-opened items (dependabot PRs) count too.")
    left, right = st.columns(2)
    left.plotly_chart(charts.responsiveness.time_to_first_response(data.weekly))
    right.plotly_chart(charts.responsiveness.closure_and_acceptance(data.weekly))
    if not ui.empty_state(data.by_kind, "No issues, pull requests or questions in this range."):
        st.subheader("By kind")
        ui.table(data.by_kind, answered_share=st.column_config.NumberColumn(format="percent"))
    st.subheader("Unanswered questions")
    st.caption(
        "Questions no other human answered within 2 days: still waiting first, then "
        "answered late. Age runs to the answer, or to the latest activity."
    )
    if not ui.empty_state(data.unanswered, "No unanswered questions in this range."):
        ui.table(data.unanswered.drop("question_id"))


main()
