"""Helpers for the dashboard tests: open a page through the entrypoint, read the marts."""

from __future__ import annotations

from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

PAGES = (
    "overview",
    "engagement",
    "retention",
    "responsiveness",
    "maintainers",
    "sentiment",
    "contributors",
    "knowledge",
    "sql_explorer",
)
HOME_PY = Path(__file__).resolve().parents[2] / "apps" / "streamlit" / "Home.py"


def mart(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Ask the warehouse directly: the numbers a page must show."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def open_page(name: str, timeout: float = 60) -> AppTest:
    """Run the dashboard entrypoint, then switch to views/<name>.py (Overview is the default)."""
    app = AppTest.from_file(str(HOME_PY), default_timeout=timeout).run()
    if name != "overview":
        app.switch_page(f"views/{name}.py").run()
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}
