"""The sidebar filters every page shares: date range, platform, repository/channel, bots.

Drawn once by the entrypoint (Home.py) before the page runs, so a choice survives switching
pages; pages read the result with `ui.filters()`. Widget values live in session state under
fixed keys, seeded here rather than through `value=` so a rebuilt warehouse with other days,
platforms or channels can correct stale choices without Streamlit complaining.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from apps.streamlit import ui
from apps.streamlit.queries_common import FilterOptions, Filters, filter_options

DATES, PLATFORMS, CONTAINERS, BOTS = "f_dates", "f_platforms", "f_containers", "f_bots"
DEFAULT_DAYS = 365  # a long history opens on its last year


def _dates(options: FilterOptions) -> tuple[date, date]:
    first, last = options.first_day, options.last_day
    default = (max(first, last - timedelta(days=DEFAULT_DAYS - 1)), last)
    chosen = st.session_state.get(DATES)
    if not chosen or any(d < first or d > last for d in chosen):
        st.session_state[DATES] = default
    picked = st.sidebar.date_input(
        "Date range",
        min_value=first,
        max_value=last,
        key=DATES,
        help="Days are UTC. Weekly figures show the ISO weeks overlapping the range.",
    )
    # while a range is being picked the widget holds only its first day
    picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
    start = picked[0] if picked else default[0]
    end = picked[1] if len(picked) > 1 else last
    return start, end


def _keep_valid(key: str, allowed: list[str]) -> None:
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]


def render() -> Filters:
    """Draw the filters (when there is data) and store the resulting Filters for the page."""
    filters = Filters()
    if ui.warehouse_path().exists():
        options = ui.load_or_warn(filter_options)
        if options is not None and options.first_day is not None:
            filters = _render(options)
    st.session_state[ui.FILTERS_KEY] = filters
    return filters


def _render(options: FilterOptions) -> Filters:
    st.sidebar.header("Filters")
    start, end = _dates(options)
    _keep_valid(PLATFORMS, list(options.platforms))
    platforms = st.sidebar.multiselect(
        "Platform", list(options.platforms), key=PLATFORMS, placeholder="All platforms"
    )
    containers = sorted({c for p, c in options.containers if not platforms or p in platforms})
    _keep_valid(CONTAINERS, containers)
    chosen = st.sidebar.multiselect(
        "Repository / channel",
        containers,
        key=CONTAINERS,
        placeholder="All repositories and channels",
    )
    bots = st.sidebar.toggle(
        "Include bots", key=BOTS, help="Bots are left out of every human metric by default."
    )
    return Filters(
        start=start,
        end=end,
        platforms=tuple(platforms),
        containers=tuple(chosen),
        include_bots=bool(bots),
    )
