"""Overview: the latest complete week's health score and its parts, KPIs, activity by platform."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from apps.streamlit import charts, queries, ui

KPI_LABELS = {
    "active": "Active contributors",
    "new": "New contributors",
    "returning": "Returning contributors",
    "inactive": "Inactive contributors",
}


def kpi_cards(kpis: queries.WeekKpis) -> None:
    status = "" if kpis.is_complete else " (week in progress)"
    st.subheader(f"Week {kpis.iso_week}, from {kpis.week_start:%Y-%m-%d}{status}")
    for column, name in zip(st.columns(len(KPI_LABELS)), KPI_LABELS, strict=True):
        column.metric(
            KPI_LABELS[name],
            kpis.current[name],
            delta=kpis.delta(name),
            delta_color="inverse" if name == "inactive" else "normal",
            help="Change from the week before" if kpis.previous else "No previous week to compare",
        )


def extra_cards(data: queries.overview.Overview) -> None:
    previous = data.extra_previous or {}
    formats = {"health_score": "{:.1f}", "ttfr_median_hours": "{:.1f}"}
    kpis = queries.overview.EXTRA_KPIS
    for column, (name, label, lower_is_better) in zip(st.columns(len(kpis)), kpis, strict=True):
        value = data.extra.get(name)
        column.metric(
            label,
            ui.number(value, formats.get(name, "{:,.0f}")),
            delta=ui.delta(value, previous.get(name)),
            delta_color="inverse" if lower_is_better else "normal",
        )


def main() -> None:
    if not ui.start_page("Overview", "How the community is doing this week, and why."):
        return
    filters = ui.filters()
    gone = ui.load_or_warn(queries.missing_marts)
    if gone is None or ui.show_missing(gone):
        return
    # the KPI week is the last complete one before the range ends (or the data does)
    horizon = ui.load_or_warn(queries.data_horizon)
    ends = [d for d in (horizon, filters.end + timedelta(days=1) if filters.end else None) if d]
    kpis = ui.load_or_warn(queries.latest_week_kpis, today=min(ends) if ends else None)
    if kpis is None:
        st.info(ui.EMPTY_HINT)
        return
    data = ui.load_or_warn(queries.overview.overview, filters, kpis.week_start)
    if data is None or ui.show_missing(data.missing):
        return
    kpi_cards(kpis)
    extra_cards(data)
    ui.scope("the range's last complete week", "Weekly figures count humans on every platform.")
    left, right = st.columns(2)
    left.plotly_chart(charts.overview.health_parts(data.parts))
    right.plotly_chart(charts.overview.health_trend(data.weekly))
    st.plotly_chart(charts.weekly_contributors(data.weekly))
    st.plotly_chart(charts.activity_by_platform(data.daily))
    ui.scope(ui.ALL_FILTERS, "Contributions per day (stars and forks are not contributions).")


main()
