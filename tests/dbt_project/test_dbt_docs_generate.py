"""`dbt docs generate` works on a fresh warehouse and its catalog documents every model.

GIVEN a new warehouse whose raw tables are empty (codeconvene.warehouse.connect creates every
      one of them) plus ml.sentiment, which the ML step creates before the `after_ml` models
WHEN  the seeds and models are built (`dbt seed`, `dbt run`) and `dbt docs generate` runs
THEN  it succeeds, and catalog.json holds every model of manifest.json with its columns: each
      built column is described in the model's YAML and no YAML column is missing from the
      relation, so the docs site shows what the warehouse really holds.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from codeconvene.warehouse import connect
from ml.tables import SENTIMENT, ensure_ml_table

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


def _dbt(work: Path, *args: str) -> None:
    result = dbtRunner().invoke(
        [
            *args,
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
            "--no-use-colors",
            "--quiet",
        ]
    )
    failures = [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (getattr(result.result, "results", None) or [])
        if str(r.status) not in ("success", "pass")
    ]
    assert result.success, f"dbt {args[0]} failed: {result.exception or failures}"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    work = tmp_path_factory.mktemp("dbt_docs_generate")
    path = work / "warehouse.duckdb"
    con = connect(path)
    ensure_ml_table(con, SENTIMENT)
    con.close()
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("CODECONVENE_WAREHOUSE", str(path))
            env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
            _dbt(work, "seed")
            _dbt(work, "run")
            _dbt(work, "docs", "generate")
    finally:
        # dbt-duckdb keeps its DuckDB handle for the process; release the file
        DuckDBConnectionManager.close_all_connections()
        gc.collect()
    read = lambda name: json.loads((work / "target" / name).read_text(encoding="utf-8"))
    return read("manifest.json"), read("catalog.json")


def _models(manifest: dict) -> dict[str, dict]:
    return {
        uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] == "model"
    }


def test_docs_generate_writes_a_catalog_without_errors(docs: tuple[dict, dict]) -> None:
    manifest, catalog = docs
    assert len(_models(manifest)) >= 40
    assert not catalog.get("errors"), catalog.get("errors")


def test_catalog_has_every_model_of_the_manifest_with_its_columns(docs: tuple[dict, dict]) -> None:
    manifest, catalog = docs
    missing = sorted(uid for uid in _models(manifest) if uid not in catalog["nodes"])
    assert not missing, f"models absent from catalog.json: {missing}"
    empty = sorted(uid for uid in _models(manifest) if not catalog["nodes"][uid]["columns"])
    assert not empty, f"models without columns in catalog.json: {empty}"


def test_catalog_relations_are_in_the_contract_schemas(docs: tuple[dict, dict]) -> None:
    manifest, catalog = docs
    misplaced = sorted(
        f"{uid}: {catalog['nodes'][uid]['metadata']['schema']}"
        for uid, node in _models(manifest).items()
        if catalog["nodes"][uid]["metadata"]["schema"] != node["schema"]
        or node["schema"] not in ("staging", "intermediate", "marts")
    )
    assert not misplaced, f"models outside staging/intermediate/marts: {misplaced}"


def test_every_catalog_column_is_described_in_the_manifest(docs: tuple[dict, dict]) -> None:
    manifest, catalog = docs
    undescribed = []
    for uid, node in _models(manifest).items():
        documented = {name.lower(): column for name, column in node["columns"].items()}
        for name in catalog["nodes"][uid]["columns"]:
            if not (documented.get(name.lower()) or {}).get("description", "").strip():
                undescribed.append(f"{node['name']}.{name}")
    assert not undescribed, f"built columns without a description: {sorted(undescribed)}"


def test_every_documented_column_exists_in_the_catalog(docs: tuple[dict, dict]) -> None:
    manifest, catalog = docs
    ghosts = sorted(
        f"{node['name']}.{name}"
        for uid, node in _models(manifest).items()
        for name in node["columns"]
        if name.lower() not in {c.lower() for c in catalog["nodes"][uid]["columns"]}
    )
    assert not ghosts, f"YAML documents columns the relation does not have: {ghosts}"
