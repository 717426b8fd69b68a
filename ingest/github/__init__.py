"""GitHub: GH Archive files and REST dumps (files.py), the live API (api.py)."""
