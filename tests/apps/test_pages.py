"""Each dashboard page on a built warehouse: no exception, and its numbers are the marts'."""

from __future__ import annotations

import json

import pytest

from tests.apps.dash import PAGES, mart, metrics, open_page

pytestmark = pytest.mark.slow

LAST_WEEK = "2026-W47"  # the simulated community ends on Sunday 2026-11-22


def charts(app) -> dict[str, dict]:
    """Plotly specs by title."""
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(built, page):
    # GIVEN the built warehouse WHEN the page runs THEN nothing raises and nothing warns
    app = open_page(page)
    assert not app.exception
    assert not app.warning
    assert app.title[0].value


def test_engagement_cards_count_people_in_fct_activities(built):
    # GIVEN the people with human contributions in the 28 and 7 days up to 2026-11-22
    [(monthly, weekly)] = mart(
        built,
        """
        select count(distinct person_id),
            count(distinct person_id) filter (where occurred_at >= date '2026-11-16')
        from marts.fct_activities
        where is_contribution and not is_bot and occurred_at >= date '2026-10-26'
        """,
    )
    # WHEN the engagement page runs
    app = open_page("engagement")
    # THEN the cards show them
    cards = metrics(app)
    assert cards["Monthly active"] == str(monthly)
    assert cards["Weekly active"] == str(weekly)
    assert "Active people: all platforms" in charts(app)


def test_a_platform_filter_changes_the_engagement_numbers(built):
    # GIVEN the engagement page with every platform
    app = open_page("engagement")
    everyone = metrics(app)["Monthly active"]
    [(on_slack,)] = mart(
        built,
        """
        select count(distinct person_id) from marts.fct_activities
        where is_contribution and not is_bot and platform = 'slack'
          and occurred_at >= date '2026-10-26'
        """,
    )
    # WHEN only Slack is chosen
    app.multiselect(key="f_platforms").set_value(["slack"]).run()
    # THEN the monthly count is Slack's, smaller than everyone's,
    # and the choice survives a page switch
    assert metrics(app)["Monthly active"] == str(on_slack)
    assert int(on_slack) < int(everyone)
    app.switch_page("views/responsiveness.py").run()
    assert app.multiselect(key="f_platforms").value == ["slack"]


def test_including_bots_counts_them(built):
    # GIVEN the contributors page without bots
    app = open_page("contributors")
    without = int(metrics(app)["Contributors in range"])
    [(bots,)] = mart(
        built,
        "select count(distinct person_id) from marts.fct_activities "
        "where is_bot and is_contribution",
    )
    # WHEN bots are included
    app.toggle(key="f_bots").set_value(True).run()
    # THEN the bots are counted too
    assert bots > 0
    assert int(metrics(app)["Contributors in range"]) == without + bots


def test_retention_shows_the_weekly_kinds_and_the_cohorts_of_the_marts(built):
    [(new, returning, episodic)] = mart(
        built,
        'select new, "returning", episodic from marts.mart_community_health_weekly '
        "where iso_week = ?",
        [LAST_WEEK],
    )
    cohorts = mart(
        built,
        "select retention_rate from marts.mart_retention_cohorts "
        "where months_since = 1 order by cohort_month",
    )
    app = open_page("retention")
    cards = metrics(app)
    assert (cards["New"], cards["Returning"], cards["Episodic"]) == (
        str(new),
        str(returning),
        str(episodic),
    )
    heatmap = charts(app)["Monthly cohort retention"]["data"][0]
    assert [row[1] for row in heatmap["z"] if row[1] is not None] == [r for (r,) in cohorts]


def test_responsiveness_shows_the_marts_ttfr_and_lists_every_unanswered_question(built):
    [(median, p85)] = mart(
        built,
        "select ttfr_median_hours, ttfr_p85_hours from marts.mart_community_health_weekly "
        "where ttfr_median_hours is not null order by week_start desc limit 1",
    )
    [(listed, still_open)] = mart(
        built,
        "select count(*), count(*) filter (where is_still_unanswered) "
        "from marts.mart_unanswered_questions",
    )
    app = open_page("responsiveness")
    cards = metrics(app)
    assert cards["Median first response (h)"] == f"{median:.1f}"
    assert cards["85th percentile (h)"] == f"{p85:.1f}"
    assert cards["Still unanswered"] == str(still_open)
    unanswered = app.dataframe[-1].value
    assert len(unanswered) == listed
    assert {"url", "days_open", "text"} <= set(unanswered.columns)


def test_maintainers_show_burnout_with_reasons_and_the_bus_factor(built):
    rows = mart(
        built,
        """
        select display_name, burnout_risk, risk_reasons from marts.mart_contributor_health
        where is_maintainer and iso_week = ? order by burnout_risk desc
        """,
        [LAST_WEEK],
    )
    [(bus,)] = mart(
        built,
        "select bus_factor from marts.mart_community_health_weekly where iso_week = ?",
        [LAST_WEEK],
    )
    app = open_page("maintainers")
    cards = metrics(app)
    assert cards["Highest risk"] == f"{rows[0][1]:.0f}"
    assert cards["Bus factor"] == str(bus)
    table = app.dataframe[0].value
    assert table["display_name"].tolist() == [name for name, _, _ in rows]
    assert table["risk_reasons"].tolist()[0] == rows[0][2]
    assert "Bus factor and elephant factor (trailing 90 days)" in charts(app)


def test_sentiment_counts_the_marts_messages_and_ranks_negative_threads(built):
    [(messages,)] = mart(built, "select sum(messages) from marts.mart_sentiment_weekly")
    [(lowest,)] = mart(
        built,
        """
        select min(avg_compound) from (
            select avg(s.compound) as avg_compound
            from marts.fct_activities as a join ml.sentiment as s using (activity_id)
            where not a.is_bot
            group by coalesce(a.thread_id, a.activity_id))
        """,
    )
    app = open_page("sentiment")
    assert metrics(app)["Scored messages"] == str(messages)
    threads = app.dataframe[0].value
    assert threads["avg_compound"].iloc[0] == pytest.approx(lowest)
    assert threads["url"].notna().any()


def test_contributors_core_is_the_bus_factor_and_the_leaderboard_counts_contributions(built):
    [(bus,)] = mart(
        built,
        "select bus_factor from marts.mart_community_health_weekly where iso_week = ?",
        [LAST_WEEK],
    )
    [(top_name, top_count)] = mart(
        built,
        """
        select p.display_name, count(*) from marts.fct_activities as a
        join marts.dim_contributors as p using (person_id)
        where a.is_contribution and not a.is_bot
        group by p.display_name order by 2 desc limit 1
        """,
    )
    app = open_page("contributors")
    assert metrics(app)["Core"] == str(bus)
    board = app.dataframe[0].value
    assert (board["display_name"].iloc[0], board["contributions"].iloc[0]) == (top_name, top_count)
    assert set(board["tier"].dropna()) <= {"core", "regular", "casual"}


def test_person_page_shows_a_cross_platform_timeline(built):
    app = open_page("contributors")
    person_id = app.selectbox(key="person").value
    [(name, platforms, count)] = mart(
        built,
        """
        select p.display_name, p.platforms, count(a.activity_id)
        from marts.dim_contributors as p join marts.fct_activities as a using (person_id)
        where p.person_id = ? group by all
        """,
        [person_id],
    )
    cards = metrics(app)
    assert cards["Activities in range"] == str(count)
    assert cards["Platforms"] == platforms
    timeline = charts(app)[f"{name}: activity across platforms"]
    assert {y for trace in timeline["data"] for y in trace["y"]} == set(platforms.split(","))


def test_knowledge_shows_the_summary_the_drafts_to_copy_and_the_faq(built):
    [(summary,)] = mart(built, "select text from ml.summaries order by period desc limit 1")
    bodies = {body for (body,) in mart(built, "select body from ml.drafts")}
    # the week's welcomes for first-time contributors are shown ready to copy as well
    welcomes = {message for (message,) in mart(
        built, "select message from ml.welcomes where period = (select max(period) from ml.welcomes)")}
    app = open_page("knowledge")
    assert any(md.value == summary for md in app.markdown)
    assert {code.value for code in app.code} == bodies | welcomes
    # AND every entry the FAQ builder wrote is listed with how often it was asked
    entries = mart(built, "select question, frequency from ml.faq")
    assert entries  # the simulated community repeats questions on purpose
    labels = {e.label for e in app.expander}
    assert {f"{question} (asked {frequency}×)" for question, frequency in entries} <= labels


def test_knowledge_lists_the_faq_with_its_sources_when_ml_faq_exists(built, tmp_path, monkeypatch):
    # GIVEN a copy of the warehouse where the FAQ builder wrote ml.faq (two GitHub sources)
    import shutil

    import duckdb

    home = tmp_path / "with_faq"
    home.mkdir()
    shutil.copy(built, home / "warehouse.duckdb")
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    sources = con.execute(
        "select activity_id, url from marts.fct_activities "
        "where activity_type = 'issue_opened' order by occurred_at limit 2"
    ).fetchall()
    con.execute("drop table if exists ml.faq")  # the build's own entries, replaced by one
    con.execute(
        """
        create table ml.faq (faq_id varchar, question varchar, answer varchar,
            source_activity_ids json, frequency integer, updated_at timestamp)
        """
    )
    con.execute(
        "insert into ml.faq values ('f1', 'How do I reset the cache?', "
        "'Run `codeconvene build`.', ?, 3, now()::timestamp)",
        [json.dumps([activity_id for activity_id, _ in sources])],
    )
    con.close()
    monkeypatch.setenv("CODECONVENE_HOME", str(home))
    # WHEN the knowledge page runs
    app = open_page("knowledge")
    # THEN the question is listed with how often it is asked, its answer and its source links
    assert not app.exception
    assert any(e.label == "How do I reset the cache? (asked 3×)" for e in app.expander)
    assert any(md.value == "Run `codeconvene build`." for md in app.markdown)
    listed = next(df.value for df in app.dataframe if "activity_id" in df.value.columns)
    assert listed["url"].tolist() == [url for _, url in sources]


def test_knowledge_groups_unanswered_questions_into_documentation_gaps(built):
    questions = {
        text for (text,) in mart(built, "select text from marts.mart_unanswered_questions")
    }
    app = open_page("knowledge")
    gaps = next(df.value for df in app.dataframe if "topic" in df.value.columns)
    assert len(gaps) > 0
    assert (gaps["questions"] >= 2).all()
    examples = {e for row in gaps["examples"] for e in row}
    assert examples <= {q.splitlines()[0][:160] for q in questions}
