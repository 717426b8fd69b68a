"""The dbt project as assets: staging → intermediate → marts, keyed by schema and name.

Two groups, because sentiment is scored in Python between them: `warehouse_models` builds
everything not tagged `after_ml`; `sentiment_marts` builds the `after_ml` models, which read
ml.sentiment, once the ML asset has run.

Both run `dbt build` with run config `WarehouseBuildConfig`: `tests="all"` (the default:
`codeconvene build`, the demo, the daily job) runs every data and unit test; `tests="critical"`
(the hourly refresh job) runs the models and only the tests tagged `critical`, and leaves out
views and seeds when the project is unchanged since the last build (they are reported as
`reused`, so the steps after them still run). Large models are incremental by ingestion batch,
so neither rebuilds history; `full_refresh=True` rebuilds them (after a change to their SQL).
orchestration/dbt_manifest.py holds the arguments, so bench/build.py times the same ones.

dbt runs inside the run worker (orchestration/dbt_runner.py), not as a `dbt` subprocess: the
worker has dbt imported already, and the project is parsed once for both steps. Its events
are turned into Dagster events by dagster-dbt as each node finishes, and the selection of a
subset run is dagster-dbt's own (`get_subset_selection_for_context`).
"""

import json
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from dagster_dbt.asset_utils import (
    DAGSTER_DBT_EXCLUDE_METADATA_KEY,
    DAGSTER_DBT_SELECT_METADATA_KEY,
    DAGSTER_DBT_SELECTOR_METADATA_KEY,
    DBT_INDIRECT_SELECTION_ENV,
    get_manifest_and_translator_from_dbt_assets,
    get_subset_selection_for_context,
)
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

from orchestration.dbt_manifest import (
    AFTER_ML_STEP,
    MODELS_STEP,
    dbt_executable,
    dbt_target_path,
    ensure_manifest,
    forget_step,
    plan_step,
    record_step,
)
from orchestration.dbt_runner import DbtFailed, stream_dbt
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


def _selection(context: dg.AssetExecutionContext, manifest: Mapping[str, Any], translator, own: list[str]) -> list[str]:
    """The step's dbt selection, or the selected subset's, exactly as dagster-dbt computes it
    (its indirect selection unless the build chose its own)."""
    tags = context.op_execution_context.op.tags
    selection, indirect = get_subset_selection_for_context(
        context=context, manifest=manifest, select=tags.get(DAGSTER_DBT_SELECT_METADATA_KEY),
        exclude=tags.get(DAGSTER_DBT_EXCLUDE_METADATA_KEY), selector=tags.get(DAGSTER_DBT_SELECTOR_METADATA_KEY),
        dagster_dbt_translator=translator, current_dbt_indirect_selection_env=os.getenv(DBT_INDIRECT_SELECTION_ENV),
    )
    chosen = "--indirect-selection" in own
    return [*selection, *(["--indirect-selection", indirect] if indirect and not chosen else [])]


def _build(
    step: str, context: dg.AssetExecutionContext, dbt: DbtCliResource, codeconvene: CodeConveneResource,
    config: WarehouseBuildConfig,
) -> Iterator[Any]:
    """One dbt step through the in-process runner, its events turned into Dagster's as nodes
    finish; a whole (not subset) step that succeeded records the fingerprint of what it built."""
    settings = codeconvene.settings()  # also points the dbt profile at this home's warehouse
    target = dbt_target_path(settings.home)
    project_dir = Path(dbt.project_dir)
    manifest, translator, project = get_manifest_and_translator_from_dbt_assets([context.assets_def])
    plan = plan_step(
        step, config.tests, project_dir=project_dir, target_path=target, warehouse=settings.warehouse_path,
        full_refresh=config.full_refresh, dbt_vars=settings.dbt_vars(), manifest=manifest,
    )
    args = plan.args + _selection(context, manifest, translator, plan.args)
    unchanged = (_UnchangedOutputs(context, manifest, translator, project, plan.skipped_models)
                 if plan.skip_unchanged else None)
    if unchanged:
        yield from unchanged.ready()
    try:
        for event in stream_dbt(args, project_dir=project_dir, target_path=target, echo=sys.stdout):
            message = DbtCoreCliEventMessage(raw_event=event, event_history_metadata={})
            for dagster_event in message.to_default_asset_events(manifest, translator, context, target, project):
                yield dagster_event
                if unchanged and isinstance(dagster_event, dg.Output):
                    yield from unchanged.ready(dagster_event.output_name)
    except DbtFailed:
        forget_step(target, step)
        raise
    if unchanged:
        yield from unchanged.rest()
    assets_def = context.assets_def
    if assets_def.keys_by_output_name == assets_def.node_keys_by_output_name:  # a subset leaves views unbuilt
        record_step(target, step, plan)


class _UnchangedOutputs:
    """Outputs for the selected views, seeds and source-unchanged models a refresh leaves out:
    unchanged since their last build (a view reads its inputs live; a model whose raw tables
    received nothing computes the same rows), and without an output Dagster would skip every step
    downstream of them. Each is yielded once the outputs it depends on in this step are, as
    Dagster wants a multi-asset's outputs in topological order."""

    def __init__(self, context: dg.AssetExecutionContext, manifest: Mapping[str, Any], translator, project,
                 skipped_models: list[str] = ()):
        nodes = manifest["nodes"]
        skipped = set(skipped_models)
        name_of = {uid: translator.get_asset_spec(manifest, uid, project).key.to_python_identifier()
                   for uid, node in nodes.items() if node["resource_type"] in ("model", "seed", "snapshot")}
        selected = {uid for uid, name in name_of.items() if name in context.selected_output_names}

        def upstream(uid: str, seen: set[str]) -> set[str]:
            found = set()
            for parent in nodes.get(uid, {}).get("depends_on", {}).get("nodes", []):
                if parent in selected:
                    found.add(name_of[parent])
                elif parent in nodes and parent not in seen:
                    seen.add(parent)
                    found |= upstream(parent, seen)
            return found

        self.pending = {
            name_of[uid]: (uid, upstream(uid, set())) for uid in selected
            if nodes[uid]["resource_type"] == "seed" or nodes[uid]["config"].get("materialized") == "view"
            or nodes[uid]["name"] in skipped
        }
        self.done: set[str] = set()

    def _output(self, name: str) -> dg.Output:
        unique_id, _ = self.pending.pop(name)
        self.done.add(name)
        return dg.Output(None, output_name=name, metadata={
            "unique_id": unique_id, "status": "reused",
            "reason": "left out of the refresh: unchanged since its last build (same dbt project, vars and "
                      "warehouse; a view reads live, and no raw table feeding a model received rows)",
        })

    def ready(self, built: str | None = None) -> Iterator[dg.Output]:
        if built:
            self.done.add(built)
        while ready := [name for name, (_, needs) in self.pending.items() if needs <= self.done]:
            for name in ready:
                yield self._output(name)

    def rest(self) -> Iterator[dg.Output]:
        yield from self.ready()
        for name in list(self.pending):
            yield self._output(name)


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
