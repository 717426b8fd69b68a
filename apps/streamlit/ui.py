"""Page plumbing every dashboard page shares: finding the warehouse, cached loading, empty states.

Pages stay short and alike: `start_page` → `load` a query function → draw. Loading goes
through one `st.cache_data` function keyed on the warehouse file's mtime (and its WAL's), so
a rebuild shows up on the next rerun while unchanged data is read once. A missing or busy
warehouse, a missing mart or an empty result becomes a hint, never a stack trace.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from apps.streamlit.queries_common import Filters
from codeconvene.settings import get_settings
from codeconvene.warehouse import reader

EMPTY_HINT = "No data yet: run `codeconvene demo` to build a demo community, then reload."
FILTERS_KEY = "cc_filters"
ALL_FILTERS = "date range, platform, repository/channel, bots"


def warehouse_path() -> Path:
    return get_settings().warehouse_path


def version(path: Path) -> tuple[int, ...]:
    """mtime and size of the file and its WAL: the cache key that makes a rebuilt warehouse
    show up (any write by DuckDB touches one of them), while an unchanged one is read once."""
    wal = path.with_name(path.name + ".wal")
    stamp = path.stat()
    wal_stamp = (wal.stat().st_mtime_ns, wal.stat().st_size) if wal.exists() else (0, 0)
    return (stamp.st_mtime_ns, stamp.st_size, *wal_stamp)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(
    module: str, name: str, path: str, stamp: tuple[int, ...], args: tuple, kwargs: tuple
) -> Any:
    """Call `module.name(con, *args, **kwargs)` on a read-only connection; `stamp` only keys."""
    function = getattr(importlib.import_module(module), name)
    with reader(Path(path)) as con:
        return function(con, *args, **dict(kwargs))


def load(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Cached call of a query function taking the connection first (queries_*.py)."""
    path = warehouse_path()
    return _cached(
        function.__module__,
        function.__name__,
        str(path),
        version(path),
        args,
        tuple(sorted(kwargs.items())),
    )


def load_or_warn(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any | None:
    """`load`, or None after a warning when the warehouse cannot be read right now."""
    try:
        return load(function, *args, **kwargs)
    except (duckdb.Error, OSError) as exc:  # locked by a writer, removed mid-read, old schema
        text = str(exc).strip()
        first_line = text.splitlines()[0] if text else type(exc).__name__
        st.warning(f"Could not read the warehouse (is a build running?): {first_line}")
        return None


def start_page(title: str, about: str) -> bool:
    """Title and one-line purpose; False (with the demo hint shown) when there is no warehouse."""
    st.title(title)
    st.caption(about)
    if not warehouse_path().exists():
        st.info(EMPTY_HINT)
        return False
    return True


def show_missing(missing: Iterable[str]) -> bool:
    """Hint naming the marts dbt has not built yet; True when something is missing."""
    missing = list(missing)
    if missing:
        st.info(f"{EMPTY_HINT} Missing marts: {', '.join(missing)}.")
    return bool(missing)


def filters() -> Filters:
    """The sidebar's current choices (set by Home.py before the page runs)."""
    return st.session_state.get(FILTERS_KEY) or Filters()


def scope(applies: str, note: str = "") -> None:
    """Say which sidebar filters a section honours: marts without a platform column cannot."""
    st.caption(f"Filters applied: {applies}." + (f" {note}" if note else ""))


def empty_state(data: pl.DataFrame | None, message: str) -> bool:
    """Show `message` when there is nothing to show; True when empty."""
    if data is None or data.is_empty():
        st.info(message)
        return True
    return False


def table(data: pl.DataFrame, *, links: Iterable[str] = ("url",), **column_config: Any) -> None:
    """A dataframe with link columns clickable, index hidden."""
    config = {
        name: st.column_config.LinkColumn(name, display_text="open")
        for name in links
        if name in data.columns
    }
    config.update(column_config)
    st.dataframe(data, hide_index=True, column_config=config)


def number(value: float | None, fmt: str = "{:,.0f}") -> str:
    """A card value: the number formatted, or an em dash when the mart has none."""
    return "—" if value is None else fmt.format(value)


def delta(current: float | None, previous: float | None) -> float | None:
    """Week-over-week change, or None when either side is unknown (no arrow shown)."""
    if current is None or previous is None:
        return None
    return round(float(current) - float(previous), 1)
