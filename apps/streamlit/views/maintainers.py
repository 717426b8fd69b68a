"""Maintainers: burnout risk with reasons and trend, response load, bus and elephant factor."""

from __future__ import annotations

import streamlit as st

from apps.streamlit import charts, queries, ui
from apps.streamlit.queries_maintainers import COMPONENTS


def main() -> None:
    if not ui.start_page("Maintainers", "Who carries the load, and who may be burning out."):
        return
    data = ui.load_or_warn(queries.maintainers.maintainers, ui.filters())
    if data is None or ui.show_missing(data.missing):
        return
    ui.scope("date range", "These marts cover every platform; risk looks at the trailing 90 days.")
    if ui.empty_state(
        data.latest, "No maintainer was active in the 90 days before this range's end."
    ):
        st.plotly_chart(charts.maintainers.factors(data.factors))
        return
    st.subheader(f"Burnout risk, week {data.latest['iso_week'][0]}")
    top = data.latest.row(0, named=True)
    a, b, c = st.columns(3)
    a.metric("Highest risk", ui.number(top["burnout_risk"], "{:.0f}"), help=top["display_name"])
    b.metric("Flagged maintainers", int((data.latest["risk_reasons"].fill_null("") != "").sum()))
    last = data.factors.row(-1, named=True) if data.factors.height else {}
    c.metric("Bus factor", ui.number(last.get("bus_factor")))
    ui.table(
        data.latest.select(
            "display_name",
            "burnout_risk",
            "risk_reasons",
            "share_of_responses",
            "off_hours_share",
            "weekend_share",
            "active_day_streak",
            "activities",
        ),
        burnout_risk=st.column_config.ProgressColumn(
            "burnout_risk", min_value=0, max_value=100, format="%.0f"
        ),
        share_of_responses=st.column_config.NumberColumn(format="percent"),
        off_hours_share=st.column_config.NumberColumn(format="percent"),
        weekend_share=st.column_config.NumberColumn(format="percent"),
    )
    left, right = st.columns(2)
    left.plotly_chart(charts.maintainers.burnout_components(data.latest, COMPONENTS))
    right.plotly_chart(charts.maintainers.burnout_trend(data.trend))
    left.plotly_chart(charts.maintainers.response_share(data.trend))
    right.plotly_chart(charts.maintainers.factors(data.factors))


main()
