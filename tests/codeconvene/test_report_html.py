"""The weekly report's HTML (and its new Markdown sections) against the marts of a real build.

`built_home` (tests/conftest.py) is the session's simulated community built through Dagster;
every expected value here is read from the marts with the test's own SQL or Python, not
through the report's queries.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from datetime import datetime, timedelta
from json import JSONDecoder
from pathlib import Path

import duckdb
import pytest

from codeconvene.report import weekly_report_html, weekly_report_markdown, write_weekly_report


@pytest.fixture(scope="module")
def ro(built_home: Path):
    con = duckdb.connect(str(built_home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def faq_changes_by_week(ro) -> dict:
    """{week_start: {question: (asked this week, asked by the week's end, is new)}} in Python."""
    questions = {
        aid: (person, at)
        for aid, person, at in ro.execute(
            "select activity_id, person_id, occurred_at from marts.fct_activities where is_question"
        ).fetchall()
    }
    weeks = [w for (w,) in ro.execute(
        "select week_start from marts.mart_community_health_weekly order by week_start"
    ).fetchall()]  # fmt: skip
    changes = defaultdict(dict)
    for question, sources in ro.execute(
        "select question, source_activity_ids from ml.faq"
    ).fetchall():
        asked = [questions[a] for a in json.loads(sources) if a in questions]
        for week in weeks:
            start = datetime.combine(week, datetime.min.time())
            end = start + timedelta(days=7)
            this_week = sum(1 for _, at in asked if start <= at < end)
            before = {p for p, at in asked if at < start}
            by_end = {p for p, at in asked if at < end}
            if this_week and len(by_end) >= 2:
                total = sum(1 for _, at in asked if at < end)
                changes[week][question] = (this_week, total, len(before) < 2)
    return changes


def flagged(ro, week_start) -> list[tuple]:
    return ro.execute(
        """
        select display_name, burnout_risk from marts.mart_contributor_health
        where week_start = ? and risk_reasons <> '' and burnout_risk is not null
        order by burnout_risk desc, display_name
        """,
        [week_start],
    ).fetchall()


@pytest.fixture(scope="module")
def week(ro) -> tuple[str, object]:
    """A week with both FAQ changes and someone flagged, so every section has content."""
    changes = faq_changes_by_week(ro)
    for week_start in sorted(changes):
        if flagged(ro, week_start):
            [(iso,)] = ro.execute(
                "select iso_week from marts.mart_community_health_weekly where week_start = ?",
                [week_start],
            ).fetchall()
            return iso, week_start
    pytest.fail("the simulated build has no week with FAQ changes and burnout flags")


def chart_traces(page: str, div_id: str) -> dict[str, list]:
    """Trace name -> y values of the Plotly.newPlot call drawing `div_id`."""
    at = page.index(f'Plotly.newPlot(                        "{div_id}",')
    start = page.index("[", at)
    data, _ = JSONDecoder().raw_decode(page, start)
    return {trace["name"]: trace["y"] for trace in data}


def test_html_report_shows_the_marts_figures_people_and_faq_changes(ro, week):
    iso, week_start = week
    # WHEN the week's HTML report is rendered
    page = weekly_report_html(ro, iso)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<body>")[1]))
    text = " ".join(text.split())
    # THEN the headline cards show the mart's figures and previous-week values
    rows = ro.execute(
        """select week_start, active, new, "returning", inactive, activities
        from marts.mart_community_health_weekly where week_start in (?, ?)""",
        [week_start, week_start - timedelta(days=7)],
    ).fetchall()
    now = next(r for r in rows if r[0] == week_start)
    before = next(r for r in rows if r[0] != week_start)
    assert f"Active contributors {now[1]} " in text
    assert f"(previous week {before[1]})" in text
    assert f"Activities {now[5]} " in text
    # AND every flagged person is listed with their rounded risk
    overloaded = text.split("Who may be overloaded")[1].split("Unanswered questions")[0]
    for name, risk in flagged(ro, week_start)[:5]:
        assert f"{name} " in overloaded
        assert f" {round(risk)} " in overloaded
    # AND the FAQ changes match the counts computed from ml.faq and fct_activities
    faq = text.split("FAQ changes")[1].split("Busiest places")[0]
    for question, (this_week, total, is_new) in faq_changes_by_week(ro)[week_start].items():
        assert f"{'New' if is_new else 'Asked again'}: “{question[:100]}" in faq
        assert f"asked {this_week}× this week, {total}× in all" in faq
    # AND the contributors chart carries the mart's weekly active counts up to this week
    weekly = ro.execute(
        """select active from marts.mart_community_health_weekly
        where week_start between ? and ? order by week_start""",
        [week_start - timedelta(weeks=11), week_start],
    ).fetchall()
    assert chart_traces(page, "chart-contributors")["Active"] == [a for (a,) in weekly]


def test_html_report_is_self_contained_and_works_offline(ro, week):
    page = weekly_report_html(ro, week[0])
    # THEN no script, stylesheet or font is fetched from anywhere: plotly.js is inlined
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*[\"']?https?:", page.split("</style>")[0])
    assert "Plotly.newPlot(" in page and len(page) > 3_000_000  # the library itself is in
    assert page.count('class="chart"') == 2


def test_markdown_report_has_the_same_overloaded_people_and_faq_changes(ro, week):
    iso, week_start = week
    text = weekly_report_markdown(ro, iso)
    overloaded = text.split("## Who may be overloaded")[1].split("##")[0]
    names = [line.split("**")[1] for line in overloaded.splitlines() if line.startswith("- **")]
    assert names == [
        re.sub(r"([\\`*_\[\]<>|#!])", r"\\\1", n) for n, _ in flagged(ro, week_start)[:5]
    ]
    faq = text.split("## FAQ changes")[1].split("##")[0]
    assert faq.count("\n- ") == len(faq_changes_by_week(ro)[week_start])


def test_both_formats_are_written_and_rerendering_gives_the_same_bytes(ro, week, tmp_path):
    first = write_weekly_report(ro, week[0], tmp_path / "a")
    second = write_weekly_report(ro, week[0], tmp_path / "b")
    assert sorted(first) == ["html", "md"]
    assert first["html"].name == f"{week[0]}.html"
    for fmt in first:
        assert first[fmt].read_bytes() == second[fmt].read_bytes()


def test_unknown_format_is_one_clear_error(ro, tmp_path):
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        write_weekly_report(ro, None, tmp_path, ("pdf",))


def test_community_text_cannot_inject_markup_into_the_html(tmp_path):
    # GIVEN the small hand-built warehouse of test_report.py, a name and a summary with HTML
    from codeconvene.warehouse import connect
    from tests.codeconvene.test_report import ACTIVITIES, HEALTH, MARTS_DDL, PEOPLE

    con = connect(tmp_path / "warehouse.duckdb")
    con.execute(MARTS_DDL)
    con.executemany(
        "insert into marts.mart_community_health_weekly values (?, ?, ?, ?, ?, ?, ?, ?)", HEALTH
    )
    people = [
        (*p[:1], '<img src=x onerror="alert(1)">', *p[2:]) if p[0] == "p_eve" else p for p in PEOPLE
    ]
    con.executemany("insert into marts.dim_contributors values (?, ?, ?, ?, ?, ?, ?, ?)", people)
    con.executemany(
        "insert into marts.fct_activities values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ACTIVITIES,
    )
    con.execute(
        "create table ml.summaries (period varchar, kind varchar, text varchar, model varchar)"
    )
    con.execute(
        "insert into ml.summaries values ('2026-W10', 'weekly', "
        "'A **calm** week.<script>alert(2)</script> [x](javascript:alert(3))', 'offline')"
    )
    # WHEN the HTML report is rendered
    page = weekly_report_html(con, "2026-W10").split("<body>")[1]
    con.close()
    # THEN the Markdown is formatted but no tag, handler or javascript: link gets through
    assert "<strong>calm</strong>" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(2)" in page
    assert "<img" not in page and 'href="javascript' not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    # AND the sections without their marts say so instead of failing
    assert "No burnout figures yet" in page and "No FAQ yet" in page
