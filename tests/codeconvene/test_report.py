"""The weekly Markdown report: figures with deltas, people, questions, summary; deterministic."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from codeconvene.report import latest_complete_week, render_weekly_report
from codeconvene.warehouse import connect

T = datetime
MARTS_DDL = """
create schema if not exists marts;
create table marts.fct_activities (
    activity_id varchar, person_id varchar, platform varchar, activity_type varchar,
    occurred_at timestamp, container varchar, thread_id varchar, parent_id varchar,
    is_question boolean, is_contribution boolean, is_bot boolean, text varchar, url varchar
);
create table marts.dim_contributors (
    person_id varchar, display_name varchar, platforms varchar[], first_seen_at timestamp,
    last_seen_at timestamp, is_bot boolean, is_maintainer boolean, activity_count integer
);
create table marts.mart_community_health_weekly (
    week_start date, iso_week varchar, active integer, new integer, "returning" integer,
    inactive integer, churned integer, activities integer
);
"""
# Week under test: 2026-W10 (Mon 2026-03-02). Previous week W09 had 4 active, this week 6.
HEALTH = [
    (date(2026, 2, 23), "2026-W09", 4, 2, 2, 1, 1, 10),
    (date(2026, 3, 2), "2026-W10", 6, 1, 5, 0, 0, 15),
]
PEOPLE = [
    ("p_max", "Max", ["github"], T(2025, 1, 1), T(2026, 3, 9), False, True, 50),
    (
        "p_eve",
        "Eve *[pwn](http://evil.test)*",
        ["slack"],
        T(2026, 3, 3),
        T(2026, 3, 3),
        False,
        False,
        1,
    ),
    ("p_bot", "ci[bot]", ["github"], T(2025, 1, 1), T(2026, 3, 4), True, False, 9),
]


def _act(aid, person, kind, at, container, thread, text=None, question=False, bot=False):
    return (
        aid,
        person,
        "github" if person != "p_eve" else "slack",
        kind,
        at,
        container,
        thread,
        None,
        question,
        kind != "star",
        bot,
        text,
        f"https://example.test/{aid}",
    )


ACTIVITIES = [
    _act("x1", "p_max", "pr_merged", T(2026, 2, 24, 9), "org/app", "pr9"),
    _act("y1", "p_max", "issue_comment", T(2026, 3, 2, 10), "org/app", "i5", "Merged, thanks."),
    _act("y2", "p_max", "pr_review", T(2026, 3, 3, 11), "org/app", "pr7", "Looks good."),
    _act(
        "y3",
        "p_eve",
        "message",
        T(2026, 3, 3, 12),
        "help",
        "t1",
        "Where is the | config file?",
        question=True,
    ),
    _act("y4", "p_bot", "push", T(2026, 3, 4, 1), "org/app", None, bot=True),
    _act("y5", "p_bot", "push", T(2026, 3, 4, 2), "org/app", None, bot=True),
    _act("y6", "p_bot", "push", T(2026, 3, 4, 3), "org/app", None, bot=True),
    _act("z1", "p_max", "issue_comment", T(2026, 3, 9, 8), "org/app", "i6", "Next week."),
]


@pytest.fixture
def con(tmp_path):
    con = connect(tmp_path / "warehouse.duckdb")
    con.execute(MARTS_DDL)
    con.executemany(
        "insert into marts.mart_community_health_weekly values (?, ?, ?, ?, ?, ?, ?, ?)", HEALTH
    )
    con.executemany("insert into marts.dim_contributors values (?, ?, ?, ?, ?, ?, ?, ?)", PEOPLE)
    con.executemany(
        "insert into marts.fct_activities values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ACTIVITIES,
    )
    yield con
    con.close()


def test_report_shows_figures_with_week_over_week_deltas(con, tmp_path):
    # GIVEN W09 with 4 active and W10 with 6 active
    # WHEN the W10 report is rendered
    path = render_weekly_report(con, "2026-W10", tmp_path / "reports")
    text = path.read_text(encoding="utf-8")
    # THEN it is written as <out_dir>/<week>.md with the figures and their changes
    assert path == tmp_path / "reports" / "2026-W10.md"
    assert "| Active contributors | 6 | 4 | +2 (+50%) |" in text
    assert "| New contributors | 1 | 2 | -1 (-50%) |" in text
    assert "| Inactive contributors | 0 | 1 | -1 (-100%) |" in text
    assert "| Activities | 15 | 10 | +5 (+50%) |" in text


def test_report_lists_people_and_unanswered_questions_without_bots(con, tmp_path):
    # GIVEN Eve new this week with an unanswered question, Max reviewing, a busy bot
    text = render_weekly_report(con, "2026-W10", tmp_path).read_text(encoding="utf-8")
    welcome = text.split("## Who to welcome (1)")[1].split("##")[0]
    thank = text.split("## Who to thank")[1].split("##")[0]
    questions = text.split("## Unanswered questions (1)")[1].split("##")[0]
    # THEN Eve is welcomed (her name escaped so it is no link), Max thanked first, no bot
    assert r"**Eve \*\[pwn\](http://evil.test)\***" in welcome
    assert "first contribution on 2026-03-03 on slack in help" in welcome
    assert thank.strip().splitlines()[0] == "- **Max**: 2 contributions"
    assert "ci" not in thank
    # AND the question is listed with its url, its pipe escaped
    assert r'"Where is the \| config file?" <https://example.test/y3>' in questions


def test_report_includes_the_stored_summary(con, tmp_path):
    # GIVEN no summary yet, THEN the report says so
    text = render_weekly_report(con, "2026-W10", tmp_path).read_text(encoding="utf-8")
    assert "_No summary for this week yet" in text
    # GIVEN a stored weekly summary
    con.execute(
        "create table ml.summaries (period varchar, kind varchar, text varchar, "
        "model varchar, sources json, created_at timestamp, primary key (period, kind))"
    )
    con.execute(
        "insert into ml.summaries values ('2026-W10', 'weekly', 'A calm week.', "
        "'offline-extractive-1', ?, now())",
        [json.dumps({"activity_ids": []})],
    )
    # WHEN rendered again, THEN its text and model are in the Summary section
    text = render_weekly_report(con, "2026-W10", tmp_path).read_text(encoding="utf-8")
    summary = text.split("## Summary")[1].split("##")[0]
    assert "A calm week." in summary and "offline-extractive-1" in summary


def test_report_defaults_to_the_latest_complete_week_and_is_deterministic(con, tmp_path):
    # GIVEN the newest activity on Monday 2026-03-09 (W11 has begun)
    assert latest_complete_week(con) == "2026-W10"
    # WHEN rendered twice without a week
    first = render_weekly_report(con, None, tmp_path / "a").read_bytes()
    second = render_weekly_report(con, None, tmp_path / "b").read_bytes()
    # THEN both are the W10 report, byte for byte the same
    assert first == second
    assert first.startswith(b"# Community report 2026-W10\n")


def test_first_week_has_no_previous_figures(con, tmp_path):
    # GIVEN W09 with no W08 row in the health mart
    text = render_weekly_report(con, "2026-W09", tmp_path).read_text(encoding="utf-8")
    # THEN changes are n/a, not invented
    assert "| Active contributors | 4 | n/a | n/a |" in text
