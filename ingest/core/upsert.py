"""Upsert a validated batch into a raw table: one row per key, the newest `updated_at` wins.

Replaying the same rows changes nothing (not even `_batch_id`/`_ingested_at`), which is what
makes every ingest idempotent. Counts of inserted / updated / unchanged rows come back for
the run summary.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from ingest.core.tables import RawTable


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "UpsertCounts") -> None:
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
    ensure_table(con, table)
    keys = ", ".join(table.keys)
    cols = ", ".join(table.all_columns)
    join = " and ".join(f"t.{k} = i.{k}" for k in table.keys)
    con.register("_cc_batch", frame.select(table.all_columns).to_arrow())
    try:
        con.execute(
            f"""
            create or replace temp table _cc_incoming as
            select {cols} from _cc_batch
            qualify row_number() over (partition by {keys} order by updated_at desc, payload desc) = 1
            """
        )
        inserted, updated, unchanged = con.execute(
            f"""
            select
                count(*) filter (where t.{table.keys[0]} is null),
                count(*) filter (where t.{table.keys[0]} is not null and i.updated_at > t.updated_at),
                count(*) filter (where t.{table.keys[0]} is not null and i.updated_at <= t.updated_at)
            from _cc_incoming i left join {table.qualified} t on {join}
            """
        ).fetchone()
        updates = ", ".join(
            f"{c} = excluded.{c}" for c in table.all_columns if c not in table.keys
        )
        con.execute(
            f"""
            insert into {table.qualified} ({cols}) select {cols} from _cc_incoming
            on conflict ({keys}) do update set {updates}
            where excluded.updated_at > {table.qualified}.updated_at
            """
        )
        con.execute("drop table _cc_incoming")
    finally:
        con.unregister("_cc_batch")
    return UpsertCounts(int(inserted), int(updated), int(unchanged))
