"""The page queries' own logic on small hand-made inputs: filters, tiers, gaps, the explorer."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import duckdb
import pyarrow.parquet as pq
import pytest

from apps.streamlit import queries
from apps.streamlit.queries_common import Filters, clauses
from apps.streamlit.queries_explorer import (
    QueryFailed,
    run_query,
    to_csv_bytes,
    to_parquet_bytes,
)
from apps.streamlit.queries_gaps import group_gaps
from codeconvene.warehouse import ReadOnlyViolation


def test_clauses_only_filter_the_columns_a_query_names():
    # GIVEN every filter set
    filters = Filters(
        start=date(2026, 11, 1),
        end=date(2026, 11, 7),
        platforms=("slack",),
        containers=("help",),
        include_bots=False,
    )
    # WHEN a query names only a day and a platform column
    sql, params = clauses(filters, day="occurred_at", platform="platform")
    # THEN only those are filtered, with parameters in order
    assert sql.count(" and ") == 3 and "container" not in sql and "bot" not in sql
    assert params == [date(2026, 11, 1), date(2026, 11, 7), ["slack"]]
    # AND the defaults filter nothing but bots
    assert clauses(Filters(), day="d", platform="p", bot="is_bot") == (
        " and not coalesce(is_bot, false)",
        [],
    )


@pytest.fixture
def activities(tmp_path):
    """fct_activities + dim_contributors: ann 6, ben 3, cy 1, bot 9 contributions; a star."""
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.fct_activities as
        select * from (values
            ('ann', 'github', 'o/r', 6, false, true),
            ('ben', 'slack', 'help', 3, false, true),
            ('cy', 'slack', 'general', 1, false, true),
            ('bot', 'github', 'o/r', 9, true, true),
            ('dee', 'github', 'o/r', 1, false, false)
        ) v(person_id, platform, container, n, is_bot, is_contribution),
        lateral (select timestamp '2026-11-20 10:00:00' - to_days(i::int) as occurred_at,
                 person_id || i as activity_id, 'push' as activity_type from range(n) t(i))
        """
    )
    con.execute(
        """
        create table marts.dim_contributors as
        select person_id, upper(person_id) as display_name, platform as platforms,
            timestamp '2026-01-01' as first_seen_at, timestamp '2026-11-20' as last_seen_at,
            is_bot, person_id = 'ann' as is_maintainer, 0 as activity_count
        from (select distinct person_id, platform, is_bot from marts.fct_activities)
        """
    )
    con.close()
    return path


def test_tiers_core_is_the_bus_factor_set_regular_the_next_30_percent(activities):
    with duckdb.connect(str(activities), read_only=True) as con:
        tiers = queries.contributors.tiers(con, Filters(), date(2026, 11, 20))
    # ann 6 of 10 (> 50%) is core alone; ben takes the running share to 90% (needed to pass 80%)
    assert dict(zip(tiers["person_id"], tiers["tier"], strict=True)) == {
        "ann": "core",
        "ben": "regular",
        "cy": "casual",
    }
    with duckdb.connect(str(activities), read_only=True) as con:
        with_bots = queries.contributors.tiers(con, Filters(include_bots=True), date(2026, 11, 20))
    assert with_bots["person_id"].to_list()[0] == "bot"


def test_leaderboard_filters_platform_and_leaves_out_stars_and_bots(activities):
    with duckdb.connect(str(activities), read_only=True) as con:
        board = queries.contributors.leaderboard(con, Filters(platforms=("slack",)))
        everyone = queries.contributors.leaderboard(con, Filters())
    assert board["person_id"].to_list() == ["ben", "cy"]
    assert everyone["contributions"].to_list() == [6, 3, 1]


def test_active_people_windows_count_each_person_once_across_platforms(activities):
    with duckdb.connect(str(activities), read_only=True) as con:
        active = queries.engagement.active_people(con, Filters(end=date(2026, 11, 20)))
    last = {
        r["platform"]: r
        for r in active.filter(active["day"] == date(2026, 11, 20)).iter_rows(named=True)
    }
    assert last["all platforms"]["dau"] == 3  # ann, ben, cy acted on the 20th
    assert last["all platforms"]["wau"] == 3
    assert last["github"]["mau"] == 1  # the bot is left out


def test_group_gaps_keeps_words_asked_at_least_twice():
    import polars as pl

    questions = pl.DataFrame(
        {
            "text": [
                "How do I reset the cache?",
                "Cache keeps growing, how to clear it?",
                "Is there a dark theme?",
            ],
            "url": [None, "https://x/1", None],
            "is_still_unanswered": [True, False, True],
        }
    )
    gaps = group_gaps(questions)
    assert gaps["topic"].to_list() == ["cache"]
    assert gaps.row(0, named=True)["still_unanswered"] == 1
    assert group_gaps(questions.head(0)).is_empty()


def test_run_query_limits_rows_and_refuses_writes(activities):
    result = run_query(activities, "select * from marts.fct_activities", limit=4)
    assert result.table.num_rows == 4 and result.truncated
    with pytest.raises(ReadOnlyViolation):
        run_query(activities, "delete from marts.fct_activities")
    with pytest.raises(QueryFailed, match="nope"):
        run_query(activities, "select * from nope")


def test_downloads_hold_nested_values_as_json_in_csv_and_natively_in_parquet(activities):
    result = run_query(
        activities, "select [1, 2] as xs, {'a': 'b'} as s, timestamp '2026-11-20' as at"
    )
    rows = list(csv.reader(io.StringIO(to_csv_bytes(result.table).decode())))
    assert rows[0] == ["xs", "s", "at"]
    assert rows[1][:2] == ["[1, 2]", '{"a": "b"}']
    back = pq.read_table(io.BytesIO(to_parquet_bytes(result.table))).to_pylist()
    assert back == [{"xs": [1, 2], "s": {"a": "b"}, "at": datetime(2026, 11, 20)}]
