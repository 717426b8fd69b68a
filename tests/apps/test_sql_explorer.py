"""The SQL explorer page: reads work, every write or escape is refused, downloads, limits."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from apps.streamlit.queries_explorer import QueryTimeout, run_query
from tests.apps.dash import mart, open_page

pytestmark = pytest.mark.slow

# The list of tests/codeconvene/test_warehouse.py, with marts.t → a real mart, plus more escapes.
ATTEMPTS = [
    "insert into marts.dim_contributors (person_id) values ('x')",
    "update marts.dim_contributors set display_name = 'x'",
    "delete from marts.dim_contributors",
    "drop table marts.dim_contributors",
    "create table x as select 1",
    "create view v as select 1",
    "alter table marts.dim_contributors add column y int",
    "attach '/tmp/other.duckdb' as other",
    "detach other",
    "copy marts.dim_contributors to '/tmp/out.csv'",
    "export database '/tmp/dump'",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "pragma enable_profiling",
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/hostname')",
    "select * from read_parquet('/tmp/anything.parquet')",
    "select * from read_json_auto('/etc/hosts')",
    "select * from glob('/*')",
    "select 1; drop table marts.dim_contributors",
    "checkpoint",
    "call pragma_version()",
    "select * from 'https://example.com/x.parquet'",
    "vacuum",
    "begin transaction",
]
COUNT_PEOPLE = "select count(*) from marts.dim_contributors"


@pytest.fixture(scope="module")
def explorer(built_home, tmp_path_factory):
    """One SQL explorer session shared by the module's tests (each sets its own query)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CODECONVENE_HOME", str(built_home))
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        app = open_page("sql_explorer")
        assert not app.exception
        yield app


def run_sql(app, sql: str, *, limit: int = 1000, seconds: int = 30):
    app.text_area(key="sql").set_value(sql)
    app.number_input(key="sql_limit").set_value(limit)
    app.number_input(key="sql_timeout").set_value(seconds)
    app.button(key="sql_run").click().run()
    assert not app.exception
    return app


def test_a_read_shows_the_rows_of_the_mart(explorer, built_home):
    [(people,)] = mart(built_home / "warehouse.duckdb", COUNT_PEOPLE)
    app = run_sql(explorer, "select count(*) as people from marts.dim_contributors")
    assert not app.error
    assert app.success[0].value.startswith("1 rows")
    assert app.dataframe[-1].value["people"].tolist() == [people]


@pytest.mark.parametrize("sql", ATTEMPTS)
def test_writes_and_escapes_are_refused_with_a_clear_message(explorer, built_home, sql):
    before = mart(built_home / "warehouse.duckdb", COUNT_PEOPLE)
    app = run_sql(explorer, sql)
    assert not app.success
    assert app.error[0].value.startswith("Refused:"), app.error[0].value
    assert "only reads the warehouse" in app.error[0].value
    assert mart(built_home / "warehouse.duckdb", COUNT_PEOPLE) == before


def test_reading_a_file_says_why_it_is_refused(explorer):
    app = run_sql(explorer, "select * from read_csv('/etc/passwd')")
    assert "file system operations are disabled" in app.error[0].value


def test_a_bad_query_says_what_is_wrong(explorer):
    app = run_sql(explorer, "select * from marts.no_such_mart")
    assert app.error[0].value.startswith("Query failed:")
    assert "no_such_mart" in app.error[0].value


def test_the_row_limit_cuts_the_result_and_says_so(explorer):
    app = run_sql(explorer, "select * from marts.mart_community_health_weekly", limit=5)
    assert len(app.dataframe[-1].value) == 5
    assert "stopped at the row limit" in app.success[0].value


def test_csv_and_parquet_downloads_carry_the_result(explorer, built_home, monkeypatch):
    # GIVEN the media storage recording what the download buttons hand to the browser
    stored: dict[str, tuple[str, bytes]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        stored[filename] = (file_id, path_or_data)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    sql = (
        "select iso_week, active, health_score "
        "from marts.mart_community_health_weekly order by week_start"
    )
    expected = mart(built_home / "warehouse.duckdb", sql)
    # WHEN the query runs
    app = run_sql(explorer, sql)
    buttons = {button.label: button for button in app.download_button}
    # THEN the CSV button serves the rows as CSV with a header
    csv_id, csv_bytes = stored["query.csv"]
    assert csv_id in buttons["Download CSV"].proto.url
    rows = list(csv.reader(io.StringIO(csv_bytes.decode())))
    assert rows[0] == ["iso_week", "active", "health_score"]
    assert [(w, int(a), float(h)) for w, a, h in rows[1:]] == expected
    # AND the Parquet button serves the same rows, typed
    parquet_id, parquet_bytes = stored["query.parquet"]
    assert parquet_id in buttons["Download Parquet"].proto.url
    table = pq.read_table(io.BytesIO(parquet_bytes))
    assert [tuple(row.values()) for row in table.to_pylist()] == expected


def test_a_long_query_is_interrupted_at_the_time_limit(explorer):
    # hashing 10^10 rows takes minutes (count(*) over range() is answered from its cardinality in
    # under a second, so it cannot stand for a long query); the message proves the interrupt fired
    app = run_sql(explorer, "select sum(hash(i)) from range(10000000000) t(i)", seconds=1)
    assert app.error[0].value.startswith("Timed out: the query was stopped after 1 s")
    # and the explorer still answers afterwards
    app = run_sql(explorer, "select 42 as answer")
    assert app.dataframe[-1].value["answer"].tolist() == [42]


def test_run_query_interrupts_within_the_timeout(built_home):
    with pytest.raises(QueryTimeout, match="stopped after 0.5 s"):
        run_query(
            built_home / "warehouse.duckdb", "select sum(hash(i)) from range(10000000000) t(i)", timeout=0.5
        )


def test_schema_browser_lists_columns_and_previews_a_table(explorer):
    app = explorer
    app.selectbox(key="sql_table").set_value("mart_engagement_daily").run()
    columns = app.dataframe[0].value
    assert "reply_rate" in columns["column_name"].tolist()
    next(b for b in app.button if b.label == "Preview in the editor").click().run()
    assert 'from marts."mart_engagement_daily"' in app.text_area(key="sql").value
