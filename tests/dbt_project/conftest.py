"""Shared helpers for the dbt project tests: where the project is and what its YAML documents."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
MODELS_DIR = PROJECT_DIR / "models"


def load_model_docs() -> dict[str, dict]:
    """Every `models:` entry of every YAML file under models/, by model name."""
    docs: dict[str, dict] = {}
    for path in sorted(MODELS_DIR.rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []:
            assert model["name"] not in docs, f"{model['name']} documented twice ({path})"
            docs[model["name"]] = {**model, "_path": path}
    return docs


@pytest.fixture(scope="session")
def model_docs() -> dict[str, dict]:
    return load_model_docs()
