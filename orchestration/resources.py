"""Dagster resources: the one settings object, shared by every asset."""

from __future__ import annotations

import os

import dagster as dg

from codeconvene.settings import Settings, get_settings


class CodeConveneResource(dg.ConfigurableResource):
    """Where the data lives. `home` overrides CODECONVENE_HOME (tests and `--home` use it)."""

    home: str | None = None

    def settings(self) -> Settings:
        settings = get_settings(self.home)
        settings.ensure_dirs()
        # dbt's profiles.yml reads the warehouse path from this variable (one setting, two readers)
        os.environ["CODECONVENE_WAREHOUSE"] = str(settings.warehouse_path)
        return settings
