"""Every page without data: a hint to run the demo, never a stack trace."""

from __future__ import annotations

import duckdb
import pytest

from tests.apps.dash import PAGES, open_page


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path, monkeypatch):
    """Settings also read ./.env and ./codeconvene.yaml; keep the developer's out of the test."""
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("page", PAGES)
def test_missing_warehouse_shows_how_to_get_data(home, page):
    # GIVEN a home folder without a warehouse
    # WHEN the page runs
    app = open_page(page)
    # THEN an info box says to run the demo, no exception, no filters, no numbers
    assert not app.exception
    assert "codeconvene demo" in app.info[0].value
    assert len(app.metric) == 0
    assert len(app.date_input) == 0


@pytest.mark.parametrize("page", [p for p in PAGES if p != "sql_explorer"])
def test_warehouse_without_marts_names_the_missing_marts(home, page):
    # GIVEN a warehouse where ingest ran but dbt did not
    duckdb.connect(str(home / "warehouse.duckdb")).execute("create schema raw_github").close()
    # WHEN the page runs
    app = open_page(page)
    # THEN the hint names what is missing, and nothing crashed
    assert not app.exception
    assert "codeconvene demo" in app.info[0].value
    assert "Missing marts" in app.info[0].value


def test_sql_explorer_on_an_empty_warehouse_says_there_is_nothing_to_browse(home):
    # GIVEN a warehouse with no tables
    duckdb.connect(str(home / "warehouse.duckdb")).execute("create schema raw_github").close()
    # WHEN the SQL explorer runs
    app = open_page("sql_explorer")
    # THEN it says so, and the editor is still there
    assert not app.exception
    assert "no tables" in app.info[0].value
    assert app.text_area(key="sql").value
