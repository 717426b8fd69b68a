"""The dbt project as assets: staging → intermediate → marts, keyed by schema and name."""


from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.dbt_manifest import dbt_executable, ensure_manifest
from orchestration.resources import CodeConveneResource

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT_TARGET_DIR = DBT_PROJECT_DIR / "target"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target_path=DBT_TARGET_DIR)


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


@dbt_assets(
    manifest=ensure_manifest(DBT_PROJECT_DIR, DBT_TARGET_DIR),
    project=dbt_project,
    dagster_dbt_translator=SchemaKeyedTranslator(),
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, codeconvene: CodeConveneResource):
    """Every dbt model, seed and test; `dbt build` so tests gate the marts."""
    codeconvene.settings()  # points the dbt profile at this home's warehouse
    yield from dbt.cli(["build"], context=context).stream()


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable())
