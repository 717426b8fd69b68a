"""Documentation is data and is checked (STYLE.md §5): every model under dbt_project/models has
a YAML entry whose description states its grain, every column described, and a key tested
`unique` + `not_null` (one column, or a compound key via unique_combination_of_columns)."""

from __future__ import annotations

from pathlib import Path

import pytest

MODELS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models"
MODEL_NAMES = sorted(path.stem for path in MODELS_DIR.rglob("*.sql"))


def test_there_are_models_to_check() -> None:
    assert {
        "fct_activities",
        "dim_contributors",
        "mart_engagement_daily",
        "mart_community_health_weekly",
    } <= set(MODEL_NAMES)


def _test_names(tests: list | None) -> set[str]:
    names = set()
    for test in tests or []:
        names.add(test if isinstance(test, str) else next(iter(test)))
    return names


def _key_columns(model: dict) -> list[list[str]]:
    """Candidate keys: single columns tested unique, or compound unique_combination_of_columns."""
    keys = [
        [c["name"]]
        for c in model.get("columns") or []
        if "unique" in _test_names(c.get("data_tests"))
    ]
    for test in model.get("data_tests") or []:
        if isinstance(test, dict) and "unique_combination_of_columns" in test:
            keys.append(
                list(test["unique_combination_of_columns"]["arguments"]["combination_of_columns"])
            )
    return keys


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_model_has_a_grain_description(name: str, model_docs: dict[str, dict]) -> None:
    model = model_docs.get(name)
    assert model is not None, f"{name}.sql has no YAML entry under models/"
    description = " ".join((model.get("description") or "").lower().split())
    assert "one row per" in description, (
        f"{name}: description must state the grain ('one row per ...')"
    )


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_documented_column_has_a_description(name: str, model_docs: dict[str, dict]) -> None:
    assert name in model_docs, f"{name}.sql has no YAML entry under models/"
    model = model_docs[name]
    undescribed = [
        c["name"] for c in model.get("columns") or [] if not (c.get("description") or "").strip()
    ]
    assert model.get("columns"), f"{name}: no columns documented"
    assert not undescribed, f"{name}: columns without description: {undescribed}"


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_model_key_is_tested_unique_and_not_null(name: str, model_docs: dict[str, dict]) -> None:
    assert name in model_docs, f"{name}.sql has no YAML entry under models/"
    model = model_docs[name]
    not_null = {
        c["name"]
        for c in model.get("columns") or []
        if "not_null" in _test_names(c.get("data_tests"))
    }
    keys = [key for key in _key_columns(model) if set(key) <= not_null]
    assert keys, f"{name}: no key with both unique and not_null tests"
