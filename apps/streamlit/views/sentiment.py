"""Sentiment: weekly mood per channel and the most negative threads, with links."""

from __future__ import annotations

import streamlit as st

from apps.streamlit import charts, queries, ui


def main() -> None:
    if not ui.start_page("Sentiment", "How conversations feel, channel by channel."):
        return
    data = ui.load_or_warn(queries.sentiment.sentiment, ui.filters())
    if data is None or ui.show_missing(data.missing):
        return
    if not data.weekly.is_empty():
        total = int(data.weekly["messages"].sum())
        mean = (
            (data.weekly["avg_compound"] * data.weekly["messages"]).sum() / total if total else None
        )
        negative = (
            (data.weekly["share_negative"] * data.weekly["messages"]).sum() / total
            if total
            else None
        )
        a, b, c = st.columns(3)
        a.metric("Scored messages", total)
        b.metric("Mean sentiment", ui.number(mean, "{:+.2f}"), help="VADER compound, -1 to 1")
        c.metric("Negative share", ui.number(negative, "{:.0%}"), help="Compound below -0.3")
    ui.scope("date range, platform, repository/channel", "Bots are never scored here.")
    left, right = st.columns(2)
    left.plotly_chart(charts.sentiment.mood_by_channel(data.weekly))
    right.plotly_chart(charts.sentiment.negative_share_by_channel(data.weekly))
    st.subheader("Most negative threads")
    if not data.has_scores:
        st.info("No sentiment scores yet (ml.sentiment is missing): run `codeconvene build`.")
    elif not ui.empty_state(data.threads, "No scored messages match these filters."):
        ui.table(
            data.threads.drop("thread_id"),
            avg_compound=st.column_config.NumberColumn(format="%.2f"),
            min_compound=st.column_config.NumberColumn(format="%.2f"),
            share_negative=st.column_config.NumberColumn(format="percent"),
        )
        ui.scope(ui.ALL_FILTERS)


main()
