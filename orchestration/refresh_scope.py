"""Which models a refresh can leave alone: those fed only by raw tables that received nothing.

A refresh runs every hour, and most hours only one or two platforms deliver rows. A model whose
every upstream raw table is unchanged since the last successful build, and whose SQL, seeds and
vars are unchanged too (the caller checks that with the project fingerprint), would compute the
same rows again, so the refresh excludes it. A raw table's state is its row count and newest
`_ingested_at` (ingest stamps every upsert), so inserts, upserts and deletions all change it.
Sources without that column (ml.*, written by the ML assets) always count as changed.

No Dagster import: bench/build.py uses it too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb

def _state_file(target_path: Path, step: str) -> Path:
    return Path(target_path) / f"raw_state.{step}.json"


def source_tables(manifest: Mapping[str, Any]) -> dict[str, str]:
    """unique_id → `schema.table` of every dbt source."""
    return {
        unique_id: f"{source['schema']}.{source['identifier'] or source['name']}"
        for unique_id, source in manifest.get("sources", {}).items()
    }


def raw_state(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> dict[str, list | None]:
    """`schema.table` → [rows, newest _ingested_at as ISO text]; None when the table is missing
    or has no `_ingested_at` (then it always counts as changed)."""
    present = {
        f"{schema}.{table}": set()
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    for schema, table, column in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns"
    ).fetchall():
        present.setdefault(f"{schema}.{table}", set()).add(column)
    state: dict[str, list | None] = {}
    for name in sorted(set(tables)):
        if "_ingested_at" not in present.get(name, set()):
            state[name] = None
            continue
        rows, newest = con.execute(f"select count(*), max(_ingested_at) from {name}").fetchone()
        state[name] = [rows, newest.isoformat() if newest is not None else None]
    return state


def changed_tables(before: Mapping[str, Any] | None, now: Mapping[str, Any]) -> set[str]:
    """Tables whose state differs from the recorded one (all of them when nothing is recorded)."""
    if before is None:
        return set(now)
    return {name for name, state in now.items() if state is None or before.get(name) != state}


def models_to_skip(manifest: Mapping[str, Any], changed: set[str]) -> list[str]:
    """Names of the models whose upstream sources (transitively) are all unchanged tables.
    A model with no source upstream (only seeds) is skipped too: seeds change only with the
    project, which the caller's fingerprint covers."""
    tables = source_tables(manifest)
    nodes = manifest.get("nodes", {})
    upstream: dict[str, set[str]] = {}

    def sources_of(unique_id: str) -> set[str]:
        if unique_id in upstream:
            return upstream[unique_id]
        upstream[unique_id] = set()  # guards against cycles; dbt graphs have none
        found: set[str] = set()
        for parent in nodes.get(unique_id, {}).get("depends_on", {}).get("nodes", []):
            if parent in tables:
                found.add(tables[parent])
            elif parent in nodes:
                found |= sources_of(parent)
        upstream[unique_id] = found
        return found

    return sorted(
        node["name"]
        for unique_id, node in nodes.items()
        if node.get("resource_type") == "model" and not (sources_of(unique_id) & changed)
    )


def read_warehouse_state(warehouse: Path, tables: Iterable[str]) -> dict[str, list | None] | None:
    """raw_state of the warehouse file; None when it does not exist yet (a first build)."""
    from codeconvene.warehouse import connect

    if not Path(warehouse).exists():
        return None
    con = connect(Path(warehouse))
    try:
        return raw_state(con, tables)
    finally:
        con.close()


def read_recorded(target_path: Path, step: str) -> dict | None:
    path = _state_file(target_path, step)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def record(target_path: Path, step: str, state: Mapping[str, Any]) -> None:
    """Called after a successful build with the state read *before* it started, so rows that
    arrived during the build count as changed next time."""
    path = _state_file(target_path, step)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")


def forget(target_path: Path, step: str) -> None:
    """After a failed step: the next refresh treats every table as changed."""
    _state_file(target_path, step).unlink(missing_ok=True)
