"""`codeconvene build --full-refresh` reaches both dbt steps.

GIVEN the run config build_all passes to Dagster
WHEN a full refresh is asked for (or not)
THEN both dbt asset ops, by their real op names, get full_refresh with every test; without it
     only the quiet logging config remains. (That the flag rebuilds from history is shown by
     tests/dbt_project/test_marts_incremental.py, which compares refreshes with full refreshes.)
"""

from __future__ import annotations

from orchestration.assets.warehouse_models import WarehouseBuildConfig, dbt_model_assets
from orchestration.pipeline import QUIET, _run_config


def test_full_refresh_targets_both_dbt_steps_by_their_op_names():
    config = _run_config(quiet=True, full_refresh=True)
    assert set(config["ops"]) == {assets.op.name for assets in dbt_model_assets} == {
        "warehouse_models", "sentiment_marts"}
    for op in config["ops"].values():
        parsed = WarehouseBuildConfig(**op["config"])
        assert parsed.full_refresh and parsed.tests == "all"
    assert config["loggers"] == QUIET["loggers"]


def test_a_normal_build_passes_no_op_config():
    assert _run_config(quiet=True, full_refresh=False) == QUIET
    assert _run_config(quiet=False, full_refresh=False) is None
