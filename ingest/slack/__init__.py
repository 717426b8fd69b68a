"""Slack: workspace exports (files.py), the Web API (api.py)."""
