"""Connectors that turn platform exports and APIs into raw warehouse rows. No Dagster here."""
