"""The raw contract, stated once, gives the same verdicts in pandera and in SQL."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from ingest.core.contracts import MAX_KEY_CHARS, MAX_PAYLOAD_BYTES, split_valid, sql_violation
from ingest.core.tables import table_for


def test_sql_and_pandera_reject_the_same_rows_for_the_same_reasons():
    # GIVEN rows on both sides of every limit of a two-key table (multi-byte characters count once)
    table = table_for("raw_slack.messages")
    ok, long_key, wide_key = "C1", "k" * (MAX_KEY_CHARS + 1), "é" * MAX_KEY_CHARS
    rows = [
        (ok, "1.0", datetime(2026, 1, 1), "{}"),
        (None, "1.0", datetime(2026, 1, 1), "{}"),
        (ok, "", datetime(2026, 1, 1), "{}"),
        (long_key, "1.0", datetime(2026, 1, 1), "{}"),
        (wide_key, "é", datetime(2026, 1, 1), "{}"),
        (ok, "1.0", datetime(1969, 12, 31, 23, 59, 59), "{}"),
        (ok, "1.0", datetime(1970, 1, 1), "{}"),
        (ok, "1.0", datetime(2100, 1, 1), "{}"),
        (ok, "1.0", datetime(2100, 1, 1, 0, 0, 1), "{}"),
        (ok, "1.0", None, "{}"),
        (ok, "1.0", datetime(2026, 1, 1), "[]"),
        (ok, "1.0", datetime(2026, 1, 1), "{"),
        (ok, "1.0", datetime(2026, 1, 1), "{" + "é" * (MAX_PAYLOAD_BYTES - 2) + "}"),
        (ok, "1.0", datetime(2026, 1, 1), "{" + "x" * (MAX_PAYLOAD_BYTES - 1) + "}"),
        (long_key, "1.0", datetime(1960, 1, 1), "[]"),
    ]
    frame = pl.DataFrame(rows, schema={"channel_id": pl.Utf8, "ts": pl.Utf8, "updated_at": pl.Datetime("us"),
                                       "payload": pl.Utf8}, orient="row")
    # WHEN pandera and the SQL expression judge them
    _, pandera_reasons = split_valid(table, frame)
    con = duckdb.connect()
    con.register("rows", frame.to_arrow())
    sql_reasons = {i: reason for i, reason in enumerate(
        r[0] for r in con.execute(f"select {sql_violation(table)} from rows").fetchall()) if reason}
    # THEN they agree row by row, reasons included
    assert sql_reasons == pandera_reasons
    assert sorted(pandera_reasons) == [1, 2, 3, 5, 8, 9, 10, 11, 13, 14]
