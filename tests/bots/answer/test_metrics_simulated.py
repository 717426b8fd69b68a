"""Metric questions on the simulated community, each checked against an independent figure.

The expected values come from `community.Community`: Python over the raw rows of
fct_activities and dim_contributors, never the engine's SQL or the derived marts.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bots.answer import answer
from codeconvene.warehouse import reader
from tests.bots.answer.community import Community

TODAY = date(2026, 11, 24)  # the simulation ends on Sunday 2026-11-22


def d(*parts: int) -> datetime:
    return datetime(*parts)


AUG, SEP, OCT, NOV, DEC = d(2026, 8, 1), d(2026, 9, 1), d(2026, 10, 1), d(2026, 11, 1), d(2026, 12, 1)
TOMORROW = d(2026, 11, 25)
LAST_WEEK = (d(2026, 11, 16), d(2026, 11, 23))
LAST_30 = (d(2026, 10, 26), TOMORROW)
YEAR = (d(2026, 1, 1), TOMORROW)
MESSAGES = {"message", "reply", "post", "topic"}

# question → how to compute the expected value from the community (c)
CASES = [
    ("How many new contributors joined last month?", lambda c: c.new(OCT, NOV)),
    ("new contributors in September", lambda c: c.new(SEP, OCT)),
    ("How many newcomers in August?", lambda c: c.new(AUG, SEP)),
    ("new contributors this month", lambda c: c.new(NOV, TOMORROW)),
    ("new contributors in the last 30 days", lambda c: c.new(*LAST_30)),
    ("How many first-time contributors in 2026?", lambda c: c.new(*YEAR)),
    ("How many active contributors last month?", lambda c: c.active(OCT, NOV)),
    ("active contributors in September", lambda c: c.active(SEP, OCT)),
    ("how many people were active last week", lambda c: c.active(*LAST_WEEK)),
    ("active contributors in #help in October", lambda c: c.active(OCT, NOV, container="help")),
    ("How many messages were posted in October?", lambda c: c.count(OCT, NOV, MESSAGES)),
    ("messages in #general last month", lambda c: c.count(OCT, NOV, MESSAGES, container="general")),
    ("messages in the help channel in September", lambda c: c.count(SEP, OCT, MESSAGES, container="help")),
    ("How many activities in the last 30 days?", lambda c: c.count(*LAST_30)),
    ("activity in the convene-labs/convene repo last month",
     lambda c: c.count(OCT, NOV, container="convene-labs/convene")),
    ("How many issues were opened in October?", lambda c: c.count(OCT, NOV, {"issue_opened"})),
    ("How many issues were closed in 2026?", lambda c: c.count(*YEAR, {"issue_closed"})),
    ("How many pull requests were opened last month?", lambda c: c.count(OCT, NOV, {"pr_opened"})),
    ("How many PRs were merged in September?", lambda c: c.count(SEP, OCT, {"pr_merged"})),
    ("How many PRs were closed in October?", lambda c: c.count(OCT, NOV, {"pr_merged", "pr_closed"})),
    ("How many stars did we get this month?", lambda c: c.count(NOV, TOMORROW, {"star"})),
    ("How many releases in 2026?", lambda c: c.count(*YEAR, {"release"})),
    ("How many questions were asked in October?", lambda c: c.count(OCT, NOV, questions=True)),
    ("questions asked on slack in September", lambda c: c.count(SEP, OCT, questions=True, platform="slack")),
    ("How many unanswered questions in 2026?", lambda c: c.unanswered(*YEAR)),
    ("unanswered questions in #help last month", lambda c: c.unanswered(OCT, NOV, container="help")),
    ("questions without an answer in September", lambda c: c.unanswered(SEP, OCT)),
    ("What was the median response time last month?", lambda c: c.response_hours(OCT, NOV, 0.5)),
    ("median time to first response in September", lambda c: c.response_hours(SEP, OCT, 0.5)),
    ("p85 response time in October", lambda c: c.response_hours(OCT, NOV, 0.85)),
    ("85th percentile time to first response in 2026", lambda c: c.response_hours(*YEAR, 0.85)),
    ("Who answered the most questions last month?", lambda c: c.top_responders(OCT, NOV)),
    ("top responders in 2026", lambda c: c.top_responders(*YEAR)),
    ("Who are the top contributors in September?", lambda c: c.top_contributors(SEP, OCT)),
    ("new contributors since v0.6.0", lambda c: c.new(c.release_at("v0.6.0"), TOMORROW)),
    ("How many messages since v0.7?", lambda c: c.count(c.release_at("v0.7.0"), TOMORROW, MESSAGES)),
]


@pytest.fixture(scope="module")
def simulated(answer_home):
    with reader(answer_home / "warehouse.duckdb") as con:
        yield con, Community(con)


def _close(value, expected) -> bool:
    if isinstance(expected, float):
        return value is not None and abs(value - expected) <= 0.05 + 1e-9
    return value == expected


@pytest.mark.parametrize(("question", "expected"), CASES, ids=[q for q, _ in CASES])
def test_metric_question_matches_the_independent_figure(simulated, question, expected):
    # GIVEN the simulated community and a figure recomputed from raw rows
    con, community = simulated
    want = expected(community)
    # WHEN the question is asked
    result = answer(question, con, today=TODAY)
    # THEN the figure is right, the SQL reads marts only, and the text shows figure and period
    assert result.kind == "metric" and not result.uncertain, result.text
    if isinstance(want, tuple):  # rankings: the (name, count) pairs in order
        assert result.rows == want and result.value == want[0][1]
        assert want[0][0] in result.text
    else:
        assert _close(result.value, want), (result.value, want, result.sql, result.params)
        shown = f"{want:,.1f}" if isinstance(want, float) else f"{want:,}"
        assert shown in result.text
    assert "marts." in result.sql and f"{result.period_start:%Y-%m-%d}" in result.text


def test_the_simulated_figures_are_not_trivial(simulated):
    # GIVEN the expected values WHEN computed THEN most are non-zero (a real check, not 0 == 0)
    _, community = simulated
    values = [expected(community) for _, expected in CASES]
    assert len(CASES) >= 30
    assert sum(1 for v in values if v) >= 30


def test_trend_compares_with_the_previous_month(simulated):
    # GIVEN October and September counted independently
    con, community = simulated
    october, september = community.new(OCT, NOV), community.new(SEP, OCT)
    # WHEN a trend is asked
    result = answer("new contributors last month compared to the month before", con, today=TODAY)
    # THEN both figures and both periods are in the answer
    assert (result.value, result.previous_value) == (october, september)
    assert result.previous_period_start == date(2026, 9, 1) and "September 2026" in result.text
    direction = "up" if october > september else "down" if october < september else "the same"
    assert direction in result.text


def test_trend_of_a_week_compares_with_the_week_before(simulated):
    con, community = simulated
    result = answer("is activity growing? activities last week vs the previous week", con, today=TODAY)
    assert result.value == community.count(*LAST_WEEK)
    assert result.previous_value == community.count(d(2026, 11, 9), d(2026, 11, 16))


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("new contributors since v2.0", "v2.0"),
        ("messages in #no-such-channel last week", "#no-such-channel"),
        ("new contributors in 2031", "not started"),
        ("who are the new contributors last month?", "list names"),
    ],
)
def test_unsupported_metric_questions_say_i_dont_know(simulated, question, says):
    # GIVEN a metric question naming something the warehouse does not have
    con, _ = simulated
    # WHEN it is asked
    result = answer(question, con, today=TODAY)
    # THEN no figure is given and the reason is named
    assert result.uncertain and result.value is None and result.sql is None
    assert says in result.text


def test_release_tag_is_matched_loosely_and_bound_as_a_date(simulated):
    con, community = simulated
    result = answer("how many new contributors since release 0.6", con, today=TODAY)
    assert result.params[0] == community.release_at("v0.6.0")
    assert "since v0.6.0" in result.text
