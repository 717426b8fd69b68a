"""The dbt project as assets: staging → intermediate → marts, keyed by schema and name.

Two groups, because sentiment is scored in Python between them: `warehouse_models` builds
everything not tagged `after_ml`; `sentiment_marts` builds the `after_ml` models, which read
ml.sentiment, once the ML asset has run.
"""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.dbt_manifest import dbt_executable, ensure_manifest
from orchestration.resources import CodeConveneResource

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT_TARGET_DIR = DBT_PROJECT_DIR / "target"
AFTER_ML = "tag:after_ml"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target_path=DBT_TARGET_DIR)
MANIFEST = ensure_manifest(DBT_PROJECT_DIR, DBT_TARGET_DIR)


class SchemaKeyedTranslator(DagsterDbtTranslator):
    """Asset key = where the table lives (`["marts", "fct_activities"]`), group = its layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dbt_resource_props["schema"]
        return super().get_group_name(dbt_resource_props)


def _build_args(codeconvene: CodeConveneResource) -> list[str]:
    settings = codeconvene.settings()  # also points the dbt profile at this home's warehouse
    return ["build", "--vars", json.dumps(settings.dbt_vars())]


def _has_after_ml_models(manifest: Path) -> bool:
    nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    return any(n.get("resource_type") == "model" and "after_ml" in n.get("tags", []) for n in nodes.values())


@dbt_assets(
    manifest=MANIFEST,
    project=dbt_project,
    exclude=AFTER_ML,
    dagster_dbt_translator=SchemaKeyedTranslator(),
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, codeconvene: CodeConveneResource):
    """Every dbt model, seed and test not waiting for ML; `dbt build` so tests gate the marts."""
    yield from dbt.cli(_build_args(codeconvene), context=context).stream()


def _sentiment_marts() -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=MANIFEST,
        project=dbt_project,
        select=AFTER_ML,
        name="sentiment_marts",
        dagster_dbt_translator=SchemaKeyedTranslator(),
    )
    def sentiment_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource, codeconvene: CodeConveneResource):
        """Marts that read ml.sentiment (tagged after_ml in dbt)."""
        yield from dbt.cli(_build_args(codeconvene), context=context).stream()

    return sentiment_marts


dbt_model_assets = [warehouse_models] + ([_sentiment_marts()] if _has_after_ml_models(MANIFEST) else [])


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable())
