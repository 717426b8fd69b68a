"""Upsert a validated batch into a raw table: one row per key, the newest `updated_at` wins.

Replaying the same rows changes nothing (not even `_batch_id`/`_ingested_at`), which is what
makes every ingest idempotent. Counts of inserted / updated / unchanged rows come back for
the run summary.

One implementation serves both kinds of batch: `upsert_staged` works on a temp table already
inside DuckDB (what a bulk loader fills), and `upsert` stages a Python-built frame first.
Within a batch, duplicates of a key are settled newest `updated_at` first, then the greatest
payload, so the outcome never depends on row order. Payloads are never sorted or copied to
settle that: only the rows of duplicated keys are ranked, by row id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from ingest.core.tables import RawTable

if TYPE_CHECKING:
    import polars as pl


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


def ensure_table(con: duckdb.DuckDBPyConnection, table: RawTable) -> None:
    con.execute(f"create schema if not exists {table.schema}")
    con.execute(table.ddl())


def upsert(con: duckdb.DuckDBPyConnection, table: RawTable, frame: pl.DataFrame) -> UpsertCounts:
    """`frame` has every column of `table.all_columns`; duplicates within it are resolved here."""
    if frame.height == 0:
        return UpsertCounts()
    # read through a replacement scan of this local: a registered view, dropped inside the
    # unit's transaction, would keep every batch alive until the commit
    _cc_batch = frame.select(table.all_columns).to_arrow()  # read by the SQL below
    con.execute("create or replace temp table _cc_frame as select * from _cc_batch")
    try:
        return upsert_staged(con, table, "_cc_frame")
    finally:
        con.execute("drop table if exists _cc_frame")


def upsert_staged(con: duckdb.DuckDBPyConnection, table: RawTable, staged: str, where: str = "true") -> UpsertCounts:
    """Upsert the rows of temp table `staged` that satisfy `where`.

    `staged` holds every column of `table.all_columns` (more are ignored); it must be a table,
    not a view, because rows are told apart by `rowid`.
    """
    ensure_table(con, table)
    keys = ", ".join(table.keys)
    cols = ", ".join(table.all_columns)
    on = " and ".join(f"t.{k} = i.{k}" for k in table.keys)
    on_existing = " and ".join(f"e.{k} = i.{k}" for k in table.keys)
    incoming = f"(select rowid as _row, * from {staged} where {where})"
    try:
        # rows that lose to another row of the same key (usually none, so usually cheap)
        con.execute(
            f"""
            create or replace temp table _cc_losers as
            select _row from {incoming} i
            semi join (select {keys} from {incoming} group by all having count(*) > 1) d using ({keys})
            qualify row_number() over (partition by {keys} order by updated_at desc, payload desc) > 1
            """
        )
        winners = f"(select * from {incoming} where _row not in (select _row from _cc_losers))"
        # the keys already in the table, and whether the incoming row is newer
        con.execute(
            f"""
            create or replace temp table _cc_existing as
            select {", ".join(f"i.{k}" for k in table.keys)}, i._row, i.updated_at > t.updated_at as newer
            from {winners} i join {table.qualified} t on {on}
            """
        )
        total, = con.execute(f"select count(*) from {winners}").fetchall()[0]
        updated, unchanged = con.execute(
            "select count(*) filter (where newer), count(*) filter (where not newer) from _cc_existing"
        ).fetchall()[0]
        con.execute(
            f"""
            insert into {table.qualified} ({cols})
            select {cols} from {winners} i
            where not exists (select 1 from _cc_existing e where {on_existing})
            """
        )
        if updated:
            updates = ", ".join(f"{c} = excluded.{c}" for c in table.all_columns if c not in table.keys)
            con.execute(
                f"""
                insert into {table.qualified} ({cols})
                select {cols} from {winners} i where _row in (select _row from _cc_existing where newer)
                on conflict ({keys}) do update set {updates}
                where excluded.updated_at > {table.qualified}.updated_at
                """
            )
    finally:
        con.execute("drop table if exists _cc_losers")
        con.execute("drop table if exists _cc_existing")
    inserted = int(total) - int(updated) - int(unchanged)
    return UpsertCounts(inserted, int(updated or 0), int(unchanged or 0))
