"""SQL explorer: browse the warehouse's tables and run read-only queries, download the result.

The query runs through queries_explorer.run_query: a locked-down read-only connection
(codeconvene.warehouse), a row limit and a time limit. The result is kept in session state
so downloading it or browsing the schema does not run it again.
"""

from __future__ import annotations

import streamlit as st

from apps.streamlit import ui
from apps.streamlit.queries_explorer import (
    DEFAULT_LIMIT,
    DEFAULT_TIMEOUT_S,
    MAX_LIMIT,
    QueryFailed,
    QueryTimeout,
    run_query,
    schema,
    to_csv_bytes,
    to_parquet_bytes,
)
from codeconvene.warehouse import ReadOnlyViolation

SQL, LIMIT, TIMEOUT, RUN, RESULT = "sql", "sql_limit", "sql_timeout", "sql_run", "sql_result"
TABLE = "sql_table"
EXAMPLE = """select iso_week, active, new, health_score
from marts.mart_community_health_weekly
order by week_start desc"""


def browser() -> None:
    """Schemas → tables → columns (information_schema); a button previews a table in the editor."""
    columns = ui.load_or_warn(schema)
    if columns is None or ui.empty_state(columns, "The warehouse has no tables yet."):
        return
    schemas = sorted(set(columns["table_schema"].to_list()))
    chosen = st.selectbox(
        "Schema", schemas, index=schemas.index("marts") if "marts" in schemas else 0
    )
    in_schema = columns.filter(columns["table_schema"] == chosen)
    tables = sorted(set(in_schema["table_name"].to_list()))
    table = st.selectbox("Table", tables, key=TABLE)
    rows = in_schema.filter(in_schema["table_name"] == table)
    st.dataframe(rows.select("column_name", "data_type"), hide_index=True)
    st.button(
        "Preview in the editor",
        on_click=lambda: st.session_state.update(
            {SQL: f'select *\nfrom {chosen}."{table}"\nlimit 100'}
        ),
    )


def run() -> None:
    try:
        result = run_query(
            ui.warehouse_path(),
            st.session_state[SQL],
            limit=int(st.session_state[LIMIT]),
            timeout=float(st.session_state[TIMEOUT]),
        )
    except ReadOnlyViolation as exc:
        st.session_state[RESULT] = (
            "refused",
            f"Refused: {exc}. This explorer only reads the warehouse.",
        )
    except QueryTimeout as exc:
        st.session_state[RESULT] = ("timeout", f"Timed out: {exc}.")
    except QueryFailed as exc:
        st.session_state[RESULT] = ("failed", f"Query failed: {exc}")
    except FileNotFoundError as exc:
        st.session_state[RESULT] = ("failed", str(exc))
    else:
        st.session_state[RESULT] = ("ok", result)


def show_result() -> None:
    kind, value = st.session_state.get(RESULT, (None, None))
    if kind is None:
        return
    if kind != "ok":
        st.error(value)
        return
    rows = value.table.num_rows
    more = " (stopped at the row limit: there are more)" if value.truncated else ""
    st.success(f"{rows:,} rows in {value.seconds:.2f} s{more}")
    st.dataframe(value.table, hide_index=True)
    a, b = st.columns(2)
    a.download_button(
        "Download CSV",
        to_csv_bytes(value.table),
        file_name="query.csv",
        mime="text/csv",
        key="sql_csv",
        on_click="ignore",
    )
    b.download_button(
        "Download Parquet",
        to_parquet_bytes(value.table),
        file_name="query.parquet",
        mime="application/vnd.apache.parquet",
        key="sql_parquet",
        on_click="ignore",
    )


def main() -> None:
    if not ui.start_page("SQL explorer", "Ask the warehouse anything, read-only."):
        return
    st.caption(
        "The sidebar filters do not apply here: the query is yours. Writes, ATTACH, COPY, "
        "INSTALL/LOAD and reading files are refused."
    )
    st.session_state.setdefault(SQL, EXAMPLE)
    left, right = st.columns([1, 2])
    with left:
        browser()
    with right:
        st.text_area("SQL", key=SQL, height=180)
        a, b = st.columns(2)
        a.number_input(
            "Row limit", min_value=1, max_value=MAX_LIMIT, value=DEFAULT_LIMIT, key=LIMIT
        )
        b.number_input(
            "Time limit (s)", min_value=1, max_value=600, value=int(DEFAULT_TIMEOUT_S), key=TIMEOUT
        )
        st.button("Run", type="primary", key=RUN, on_click=run)
        show_result()


main()
