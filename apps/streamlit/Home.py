# ruff: noqa: N999  (Streamlit names the landing page file Home.py)
"""CodeConvene dashboard entrypoint: the page list and the shared sidebar filters.

`streamlit run apps/streamlit/Home.py` runs this file on every rerun: it registers the pages
(st.navigation), draws the filters once so they survive page switches, then runs the chosen
page from views/. Pages read marts only, through queries*.py, and draw with charts*.py.

The folder is deliberately not called `pages/`: Streamlit treats a `pages/` folder next to
the entrypoint as the legacy multipage mode, in which another page runs *without* this file
(AppTest always, a server until its first st.navigation call), losing the shared filters.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

# `streamlit run apps/streamlit/Home.py` puts only this folder on sys.path, not the repo root.
try:
    from apps.streamlit import sidebar
except ModuleNotFoundError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from apps.streamlit import sidebar

PAGES = {
    "Community": [
        st.Page(
            "views/overview.py", title="Overview", icon=":material/monitor_heart:", default=True
        ),
        st.Page("views/engagement.py", title="Engagement", icon=":material/forum:"),
        st.Page("views/retention.py", title="Retention", icon=":material/group:"),
        st.Page("views/responsiveness.py", title="Responsiveness", icon=":material/timer:"),
        st.Page("views/maintainers.py", title="Maintainers", icon=":material/health_and_safety:"),
        st.Page("views/sentiment.py", title="Sentiment", icon=":material/mood:"),
        st.Page("views/contributors.py", title="Contributors", icon=":material/person:"),
    ],
    "Content": [
        st.Page("views/knowledge.py", title="Knowledge & content", icon=":material/menu_book:"),
    ],
    "Data": [
        st.Page("views/sql_explorer.py", title="SQL explorer", icon=":material/database:"),
    ],
}

st.set_page_config(page_title="CodeConvene", layout="wide")
page = st.navigation(PAGES)
sidebar.render()
page.run()
