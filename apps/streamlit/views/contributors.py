"""Contributors: leaderboard, core / regular / casual split, and one person's timeline."""

from __future__ import annotations

import polars as pl
import streamlit as st

from apps.streamlit import charts, queries, ui

PERSON = "person"


def leaderboard(data) -> None:
    tiers = data.tiers
    counts = dict(tiers.group_by("tier").len().iter_rows()) if tiers.height else {}
    a, b, c, d = st.columns(4)
    a.metric("Contributors in range", data.leaderboard.height)
    b.metric(
        "Core",
        counts.get("core", 0),
        help="The fewest people making > 50% of the last 90 days' contributions (bus factor)",
    )
    c.metric("Regular", counts.get("regular", 0), help="The next people up to 80% of contributions")
    d.metric("Casual", counts.get("casual", 0), help="Everyone else active in the last 90 days")
    st.plotly_chart(charts.contributors.tier_split(tiers))
    st.caption(f"Tiers over the 90 days ending {data.window_end:%Y-%m-%d}.")
    ui.table(data.leaderboard.drop("person_id"), links=())


def person_section(board: pl.DataFrame) -> None:
    ids = board["person_id"].to_list()
    names = dict(zip(ids, board["display_name"].to_list(), strict=True))
    if st.session_state.get(PERSON) not in ids:
        st.session_state.pop(PERSON, None)
    chosen = st.selectbox("Person", ids, format_func=lambda pid: names.get(pid, pid), key=PERSON)
    if chosen is None:
        return
    person = ui.load_or_warn(queries.contributors.person, chosen, ui.filters())
    if person is None:
        return
    facts = person.facts
    a, b, c, d = st.columns(4)
    a.metric("Activities in range", person.timeline.height)
    b.metric("Platforms", facts.get("platforms") or "—")
    c.metric(
        "First seen", f"{facts['first_seen_at']:%Y-%m-%d}" if facts.get("first_seen_at") else "—"
    )
    d.metric("Maintainer", "yes" if facts.get("is_maintainer") else "no")
    st.plotly_chart(charts.contributors.timeline(person.timeline, names.get(chosen, chosen)))
    ui.table(person.timeline.drop("activity_id"))
    ui.scope("date range, platform, repository/channel")


def main() -> None:
    if not ui.start_page("Contributors", "Who contributes, how much, and where."):
        return
    data = ui.load_or_warn(queries.contributors.contributors, ui.filters())
    if data is None or ui.show_missing(data.missing):
        return
    if ui.empty_state(data.leaderboard, "No contributions match these filters."):
        return
    board, one = st.tabs(["Leaderboard", "Person"])
    with board:
        leaderboard(data)
        ui.scope(ui.ALL_FILTERS)
    with one:
        person_section(data.leaderboard)


main()
