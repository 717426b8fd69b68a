"""Dagster wiring: when and in which order. Logic lives in ingest/, dbt_project/ and ml/."""
