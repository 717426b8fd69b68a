"""Consumers that read the marts: dashboards (streamlit/)."""
