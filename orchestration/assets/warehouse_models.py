"""The dbt project as assets: staging → intermediate → marts, keyed by schema and name.

Two groups, because sentiment is scored in Python between them: `warehouse_models` builds
everything not tagged `after_ml`; `sentiment_marts` builds the `after_ml` models, which read
ml.sentiment, once the ML asset has run.

Both run `dbt build` with run config `WarehouseBuildConfig`: `tests="all"` (the default:
`codeconvene build`, the demo, the daily job) runs every data and unit test; `tests="critical"`
(the hourly refresh job) runs the models and only the tests tagged `critical`. Large models
are incremental by ingestion batch, so neither rebuilds history; `full_refresh=True` rebuilds
them (after a change to their SQL). orchestration/dbt_manifest.py holds the commands, so
bench/build.py times the same ones.
"""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.dbt_manifest import (
    AFTER_ML_STEP,
    MODELS_STEP,
    dbt_executable,
    dbt_target_path,
    ensure_manifest,
    own_build_args,
)
from orchestration.resources import CodeConveneResource

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT_TARGET_DIR = DBT_PROJECT_DIR / "target"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target_path=DBT_TARGET_DIR)
MANIFEST = ensure_manifest(DBT_PROJECT_DIR, DBT_TARGET_DIR)


class WarehouseBuildConfig(dg.Config):
    """Which tests a dbt build runs ("all" or "critical"), and whether to rebuild incremental models."""

    tests: Literal["all", "critical"] = "all"
    full_refresh: bool = False


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


def _build(
    step: str, context: dg.AssetExecutionContext, dbt: DbtCliResource, codeconvene: CodeConveneResource,
    config: WarehouseBuildConfig,
):
    settings = codeconvene.settings()  # also points the dbt profile at this home's warehouse
    args = own_build_args(step, config.tests, full_refresh=config.full_refresh, dbt_vars=settings.dbt_vars())
    target = dbt_target_path(settings.home)
    target.mkdir(parents=True, exist_ok=True)
    yield from dbt.cli(args, context=context, target_path=target).stream()


def critical_check_keys() -> list[dg.AssetCheckKey]:
    """The asset checks of the dbt tests tagged `critical` (what the hourly refresh runs)."""
    nodes = json.loads(MANIFEST.read_text(encoding="utf-8")).get("nodes", {})
    keys = []
    for node in nodes.values():
        parent = nodes.get(node.get("attached_node") or "")
        if node.get("resource_type") == "test" and "critical" in node.get("tags", []) and parent:
            keys.append(dg.AssetCheckKey(dg.AssetKey([parent["schema"], parent["name"]]), node["name"]))
    return keys


def _has_after_ml_models(manifest: Path) -> bool:
    nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    return any(n.get("resource_type") == "model" and "after_ml" in n.get("tags", []) for n in nodes.values())


@dbt_assets(
    manifest=MANIFEST,
    project=dbt_project,
    select=MODELS_STEP["select"],
    exclude=MODELS_STEP["exclude"],
    dagster_dbt_translator=SchemaKeyedTranslator(),
)
def warehouse_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, codeconvene: CodeConveneResource,
    config: WarehouseBuildConfig,
):
    """Every dbt model and seed not waiting for ML; `dbt build`, so tests gate the marts."""
    yield from _build("models", context, dbt, codeconvene, config)


def _sentiment_marts() -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=MANIFEST,
        project=dbt_project,
        select=AFTER_ML_STEP["select"],
        name="sentiment_marts",
        dagster_dbt_translator=SchemaKeyedTranslator(),
    )
    def sentiment_marts(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, codeconvene: CodeConveneResource,
        config: WarehouseBuildConfig,
    ):
        """Marts that read ml.sentiment (tagged after_ml in dbt)."""
        yield from _build("after_ml", context, dbt, codeconvene, config)

    return sentiment_marts


dbt_model_assets = [warehouse_models] + ([_sentiment_marts()] if _has_after_ml_models(MANIFEST) else [])


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable())
