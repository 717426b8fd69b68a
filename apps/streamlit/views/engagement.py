"""Engagement: daily / weekly / monthly active people per platform, reply rate, hour of week."""

from __future__ import annotations

import streamlit as st

from apps.streamlit import charts, queries, ui
from apps.streamlit.queries_engagement import ALL_PLATFORMS


def cards(active) -> None:
    """DAU / WAU / MAU of the range's last day, all platforms together, and stickiness."""
    last = active.filter(active["platform"] == ALL_PLATFORMS).sort("day").row(-1, named=True)
    mau = last["mau"]
    st.subheader(f"On {last['day']:%Y-%m-%d}")
    a, b, c, d = st.columns(4)
    a.metric("Daily active", last["dau"], help="People with a contribution that day")
    b.metric(
        "Weekly active", last["wau"], help="People with a contribution in the 7 days to that day"
    )
    c.metric("Monthly active", mau, help="People with a contribution in the 28 days to that day")
    d.metric(
        "Stickiness (WAU / MAU)",
        ui.number(last["wau"] / mau if mau else None, "{:.0%}"),
        help="How many of the month's active people were active this week",
    )


def main() -> None:
    if not ui.start_page("Engagement", "Who shows up, how often, where and when."):
        return
    data = ui.load_or_warn(queries.engagement.engagement, ui.filters())
    if data is None or ui.show_missing(data.missing):
        return
    if ui.empty_state(
        data.active, "No contributions match these filters: widen the date range or clear a filter."
    ):
        return
    cards(data.active)
    platforms = [ALL_PLATFORMS, *sorted(set(data.active["platform"].to_list()) - {ALL_PLATFORMS})]
    for tab, platform in zip(st.tabs(platforms), platforms, strict=True):
        tab.plotly_chart(
            charts.engagement.active_people(data.active, platform), key=f"active_{platform}"
        )
    ui.scope(ui.ALL_FILTERS, "A person active on two platforms counts once in 'all platforms'.")
    left, right = st.columns(2)
    left.plotly_chart(charts.engagement.reply_rate(data.reply))
    left.caption(
        "Reply rate: share of top-level chat messages answered by another human "
        "(mart_engagement_daily; date range and platform apply)."
    )
    right.plotly_chart(charts.engagement.hour_of_week(data.hours))
    right.caption("Hour of week in UTC; every filter applies.")


main()
