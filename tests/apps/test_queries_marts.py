"""Queries that read a precomputed mart give the numbers of counting from fct_activities.

active_people reads mart_active_people_daily and negative_threads mart_sentiment_thread_days
(both built in the session warehouse); each keeps its fct_activities query as the fallback,
which here is the independent reference, on the same filters.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from polars.testing import assert_frame_equal

from apps.streamlit.queries_common import Filters, filter_options
from apps.streamlit.queries_engagement import (
    _active_people_from_activities,
    _daily_lines,
    active_people,
)
from apps.streamlit.queries_sentiment import _negative_threads_from_activities, negative_threads
from codeconvene.warehouse import reader


def filter_cases(path) -> list[Filters]:
    with reader(path) as con:
        options = filter_options(con)
    last, first = options.last_day, options.first_day
    platforms = options.platforms
    container = options.containers[0][1]
    return [
        Filters(start=last - timedelta(days=30), end=last),
        Filters(start=first - timedelta(days=5), end=last + timedelta(days=35), include_bots=True),
        Filters(start=first, end=last, platforms=platforms[:1]),
        Filters(start=first, end=last, platforms=platforms),
        Filters(start=first, end=last, platforms=("no such platform",)),
        Filters(
            start=first + timedelta(days=20), end=last - timedelta(days=20), containers=(container,)
        ),
    ]


@pytest.fixture(scope="module")
def cases(built_home):
    path = built_home / "warehouse.duckdb"
    return path, filter_cases(path)


def test_active_people_from_the_mart_equals_counting_activities(cases):
    path, filters = cases
    with reader(path) as con:
        # the mart serves every case but the container filter
        assert [_daily_lines(con, f) is not None for f in filters] == [True] * 5 + [False]
        for f in filters:
            expected = _active_people_from_activities(con, f)
            assert expected["mau"].sum() > 0 or f.platforms == ("no such platform",)
            assert_frame_equal(active_people(con, f), expected)


def test_negative_threads_from_the_mart_equal_ranking_scored_activities(cases):
    path, filters = cases
    with reader(path) as con:
        for f in filters:
            expected = _negative_threads_from_activities(con, f, 15)
            got = negative_threads(con, f)
            assert_frame_equal(got, expected, check_exact=False)
        assert not negative_threads(con, filters[0]).is_empty()
