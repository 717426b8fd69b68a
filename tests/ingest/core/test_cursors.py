"""Cursors advance with the page they follow, or not at all."""

from __future__ import annotations

from codeconvene.warehouse import connect
from ingest.core.cursors import all_cursors, get_cursor, set_cursor


def test_cursor_upserts_and_rolls_back_with_its_transaction(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    # GIVEN no cursor, then one set
    assert get_cursor(con, "github:a/b", "issues") is None
    set_cursor(con, "github:a/b", "issues", "2026-03-01T00:00:00Z")
    # WHEN a later page's transaction fails after moving the cursor
    con.execute("begin transaction")
    set_cursor(con, "github:a/b", "issues", "2026-03-02T00:00:00Z")
    con.execute("rollback")
    set_cursor(con, "slack:T1", "C1", "1709388309.000100")
    # THEN the cursor stays where the last committed page left it
    assert get_cursor(con, "github:a/b", "issues") == "2026-03-01T00:00:00Z"
    assert all_cursors(con) == {
        ("github:a/b", "issues"): "2026-03-01T00:00:00Z",
        ("slack:T1", "C1"): "1709388309.000100",
    }
    assert all_cursors(con, "slack:T1") == {("slack:T1", "C1"): "1709388309.000100"}
