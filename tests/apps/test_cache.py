"""Dashboard query caching: an unchanged warehouse is read once, a changed one is read again.

`ui.load` keys `st.cache_data` on the warehouse file's version (mtime and size of the file
and its WAL). The query module's function is swapped for a counting one after the first
load: a cache hit never looks it up again, a miss has to.
"""

from __future__ import annotations

import duckdb
import pytest
import streamlit as st

from apps.streamlit import queries, ui
from tests.apps.conftest import WEEKLY_ROWS


@pytest.fixture
def counted(home_warehouse, monkeypatch):
    """weekly_health through ui.load, with a counter on the function the cache would call."""
    st.cache_data.clear()
    original = queries.weekly_health
    calls = []

    def counting(con):
        calls.append(1)
        return original(con)

    yield original, calls, lambda: monkeypatch.setattr(queries, "weekly_health", counting)
    st.cache_data.clear()


def test_an_unchanged_warehouse_is_read_once(counted, home_warehouse):
    original, calls, install_counter = counted
    # GIVEN one load of the weekly figures
    first = ui.load(original)
    assert first["active"].to_list() == [row[2] for row in WEEKLY_ROWS]
    install_counter()
    # WHEN the same query is asked again with nothing changed
    again = ui.load(original)
    # THEN it comes from the cache: the query function was not called
    assert calls == []
    assert again.equals(first)


def test_a_changed_warehouse_is_read_again(counted, home_warehouse):
    original, calls, install_counter = counted
    before = ui.version(home_warehouse)
    first = ui.load(original)
    install_counter()
    # WHEN a build writes the warehouse
    con = duckdb.connect(str(home_warehouse))
    con.execute("update marts.mart_community_health_weekly set active = 99")
    con.execute("checkpoint")
    con.close()
    # THEN its version changed, and the next load runs the query and sees the new value
    assert ui.version(home_warehouse) != before
    fresh = ui.load(original)
    assert calls == [1]
    assert fresh["active"].to_list() == [99] * len(WEEKLY_ROWS)
    assert first["active"].to_list() != fresh["active"].to_list()
