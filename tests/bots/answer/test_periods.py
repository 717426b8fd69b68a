"""periods.py: each time expression, with a fixed "today", gives one exact half-open range."""

from __future__ import annotations

from datetime import date

import pytest

from bots.answer.periods import default_period, parse_period

TODAY = date(2026, 11, 24)  # a Tuesday in ISO week 2026-W48

CASES = [
    # question, start, end (exclusive), phrase
    ("new contributors last month?", date(2026, 10, 1), date(2026, 11, 1), "in October 2026"),
    ("this month", date(2026, 11, 1), date(2026, 11, 25), "so far in November 2026"),
    ("last week", date(2026, 11, 16), date(2026, 11, 23), "in week 2026-W47"),
    ("this week", date(2026, 11, 23), date(2026, 11, 25), "so far in week 2026-W48"),
    ("messages in March", date(2026, 3, 1), date(2026, 4, 1), "in March 2026"),
    ("during december", date(2025, 12, 1), date(2026, 1, 1), "in December 2025"),
    ("in Sept 2025", date(2025, 9, 1), date(2025, 10, 1), "in September 2025"),
    ("May 2024 activity", date(2024, 5, 1), date(2024, 6, 1), "in May 2024"),
    ("in the last 30 days", date(2026, 10, 26), date(2026, 11, 25), "in the last 30 days"),
    ("past 2 weeks", date(2026, 11, 11), date(2026, 11, 25), "in the last 2 weeks"),
    ("last 3 months", date(2026, 8, 25), date(2026, 11, 25), "in the last 3 months"),
    ("in 2026", date(2026, 1, 1), date(2026, 11, 25), "so far in 2026"),
    ("in 2025", date(2025, 1, 1), date(2026, 1, 1), "in 2025"),
    ("last year", date(2025, 1, 1), date(2026, 1, 1), "in 2025"),
    ("yesterday", date(2026, 11, 23), date(2026, 11, 24), "on 2026-11-23"),
    ("today", date(2026, 11, 24), date(2026, 11, 25), "on 2026-11-24"),
]


@pytest.mark.parametrize(("question", "start", "end", "phrase"), CASES)
def test_expression_maps_to_range(question, start, end, phrase):
    # GIVEN a question with a time expression and today = 2026-11-24
    # WHEN it is parsed
    period = parse_period(question, TODAY)
    # THEN the half-open range and the phrase are exact
    assert (period.start, period.end, period.phrase) == (start, end, phrase)


@pytest.mark.parametrize(
    "question", ["how many new contributors?", "people who may join", "in 20266 things"]
)
def test_no_time_expression_gives_none(question):
    # GIVEN a question without a period ("may" as a verb is not a month)
    # WHEN it is parsed THEN there is no period
    assert parse_period(question, TODAY) is None


def test_year_boundaries_roll_back():
    # GIVEN early January days
    # WHEN "last month" and "last week" are parsed
    last_month = parse_period("last month", date(2026, 1, 15))
    last_week = parse_period("last week", date(2026, 1, 1))  # Thursday of 2026-W01
    # THEN they fall in the previous year, with ISO week numbering
    assert (last_month.start, last_month.end) == (date(2025, 12, 1), date(2026, 1, 1))
    assert (last_week.start, last_week.end) == (date(2025, 12, 22), date(2025, 12, 29))
    assert last_week.phrase == "in week 2025-W52"


def test_rolling_months_clamp_to_short_months():
    # GIVEN today = 2026-05-30 WHEN "last 3 months" is parsed
    period = parse_period("last 3 months", date(2026, 5, 30))
    # THEN it starts on 2026-02-28 (no 31 February), the day after 3 months back
    assert (period.start, period.end) == (date(2026, 2, 28), date(2026, 5, 31))


def test_default_period_is_last_30_days_including_today():
    # GIVEN no period in a question WHEN the default is taken THEN it is 30 days ending today
    period = default_period(TODAY)
    assert (period.start, period.last_day) == (date(2026, 10, 26), TODAY)
    assert (period.end - period.start).days == 30
