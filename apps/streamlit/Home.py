# ruff: noqa: N999  (Streamlit names the landing page file Home.py)
"""CodeConvene home: this week's contributor KPIs and the activity trends.

Thin on purpose: `queries` asks the warehouse, `charts` draws, this page only caches and lays
out. A missing or busy warehouse shows a hint, never a stack trace.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import streamlit as st

# `streamlit run apps/streamlit/Home.py` puts only this folder on sys.path, not the repo root.
try:
    from apps.streamlit import charts, queries
except ModuleNotFoundError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from apps.streamlit import charts, queries

from codeconvene.settings import get_settings
from codeconvene.warehouse import reader

EMPTY_HINT = "No data yet: run `codeconvene demo` to build a demo community, then reload."
KPI_LABELS = {
    "active": "Active contributors",
    "new": "New contributors",
    "returning": "Returning contributors",
    "inactive": "Inactive contributors",
}


def _version(path: Path) -> tuple[int, int]:
    """mtime of the file and its WAL: the cache key that makes a rebuilt warehouse show up."""
    wal = path.with_name(path.name + ".wal")
    return path.stat().st_mtime_ns, wal.stat().st_mtime_ns if wal.exists() else 0


@st.cache_data(show_spinner=False)
def load_snapshot(path: str, version: tuple[int, int]) -> queries.HomeSnapshot:
    """Read once per warehouse version; `version` is only part of the key."""
    with reader(Path(path)) as con:
        return queries.home_snapshot(con)


def show_kpis(kpis: queries.WeekKpis) -> None:
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


def main() -> None:
    st.set_page_config(page_title="CodeConvene", layout="wide")
    st.title("CodeConvene")
    path = get_settings().warehouse_path
    if not path.exists():
        st.info(EMPTY_HINT)
        return
    try:
        snapshot = load_snapshot(str(path), _version(path))
    except (duckdb.Error, OSError) as exc:  # locked by a writer, or removed mid-read
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        st.warning(f"Could not read the warehouse (is a build running?): {first_line}")
        return
    if snapshot.missing:
        st.info(f"{EMPTY_HINT} Missing marts: {', '.join(snapshot.missing)}.")
        return
    if snapshot.kpis is None:
        st.info(EMPTY_HINT)
        return
    show_kpis(snapshot.kpis)
    st.plotly_chart(charts.weekly_contributors(snapshot.weekly))
    st.plotly_chart(charts.activity_by_platform(snapshot.daily))


main()
