"""Alerts from planted marts: each fires, is sent once, and burnout stays with maintainers.

Posting goes through the real slack_sdk WebClient to the fake Slack Web API.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from slack_sdk import WebClient
from typer.testing import CliRunner

from bots.alerts import AlertOptions, Destinations, compute_alerts, is_activity_drop, send_alerts
from bots.slack.poster import SlackPoster
from codeconvene.cli import app
from tests.fakes.slack import FakeSlack

TOKEN = "xoxb-alerts-9d8e7f"
LATEST_WEEK = date(2026, 11, 16)  # W47: the newest activity is Wednesday 2026-11-25 (W48)
# 12 usual weeks (W35..W46) of 18/20/22 active: mean 20, sample sd 1.71, band's lower edge 16.59
USUAL = [20, 22, 18] * 4
HEALTH = [
    # person_id, week_start, display_name, is_maintainer, burnout_risk, risk_reasons
    (
        "m1",
        LATEST_WEEK,
        "Mae",
        True,
        82.5,
        "response load 64% (flag at 50%); no day off 23 days (flag at 21)",
    ),
    ("m2", LATEST_WEEK, "Max", True, 69.9, ""),  # just under the threshold
    ("c1", LATEST_WEEK, "Cat", False, 95.0, "off-hours work 70% (flag at 40%)"),  # not a maintainer
    ("m1", LATEST_WEEK - timedelta(days=7), "Mae", True, 90.0, "old week"),  # not the latest week
]
QUESTIONS = [
    # question_id, asked_at, platform, container, url, text, hours_open, is_still_unanswered
    (
        "q1",
        datetime(2026, 11, 22, 9),
        "slack",
        "#help",
        "https://x.slack.com/archives/C1/p1",
        "How do I build docs?",
        72.0,
        True,
    ),
    (
        "q2",
        datetime(2026, 11, 25, 1),
        "github",
        "org/repo",
        "https://github.com/org/repo/issues/9",
        "Is 2.0 out?",
        9.0,
        True,
    ),
    ("q3", datetime(2026, 11, 20, 9), "discourse", "support", None, "Answered late", 60.0, False),
    ("q4", datetime(2026, 10, 1, 9), "slack", "#help", None, "Ancient", 1300.0, True),
    (
        "q5",
        datetime(2026, 11, 19, 12),
        "discourse",
        "support",
        None,
        "Where are the <b>logs</b>?",
        142.0,
        True,
    ),
]


def build_alert_marts(path: Path, latest_active: int = 15) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.fct_activities (activity_id varchar, occurred_at timestamp)")
    con.executemany(
        "insert into marts.fct_activities values (?, ?)",
        [("a0", datetime(2026, 8, 24, 10)), ("a1", datetime(2026, 11, 25, 10))],
    )
    con.execute(
        "create table marts.mart_contributor_health (person_id varchar, week_start date, "
        "iso_week varchar, display_name varchar, is_maintainer boolean, burnout_risk double, "
        "risk_reasons varchar)"
    )
    con.executemany(
        "insert into marts.mart_contributor_health values (?, ?, strftime(?, '%G-W%V'), ?, ?, ?, ?)",
        [(p, w, w, n, m, r, why) for p, w, n, m, r, why in HEALTH],
    )
    con.execute(
        "create table marts.mart_community_health_weekly (week_start date, iso_week varchar, active integer)"
    )
    weeks = [(LATEST_WEEK - timedelta(days=7 * (12 - i)), USUAL[i]) for i in range(12)]
    weeks += [
        (LATEST_WEEK, latest_active),
        (LATEST_WEEK + timedelta(days=7), 3),
    ]  # W48: still running
    con.executemany(
        "insert into marts.mart_community_health_weekly values (?, strftime(?, '%G-W%V'), ?)",
        [(w, w, a) for w, a in weeks],
    )
    con.execute(
        "create table marts.mart_unanswered_questions (question_id varchar, asked_at timestamp, "
        "platform varchar, container varchar, url varchar, text varchar, hours_open double, "
        "is_still_unanswered boolean)"
    )
    con.executemany(
        "insert into marts.mart_unanswered_questions values (?, ?, ?, ?, ?, ?, ?, ?)", QUESTIONS
    )
    con.close()


@pytest.fixture
def marts(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    build_alert_marts(path)
    return path


@pytest.fixture
def slack():
    with FakeSlack(token=TOKEN) as fake:
        yield fake


def poster(fake: FakeSlack) -> SlackPoster:
    return SlackPoster(WebClient(token=TOKEN, base_url=fake.base_url))


def test_each_condition_fires_on_the_planted_data(marts):
    with duckdb.connect(str(marts)) as con:
        alerts = compute_alerts(con)
    # THEN: Mae (maintainer, 82.5 ≥ 70) in W47; W47's 15 active < 16.59; q1 and q5 open > 48 h
    assert [a.key for a in alerts] == [
        "burnout:m1:2026-W47",
        "activity_drop:2026-W47",
        "unanswered:q5",
        "unanswered:q1",
    ]
    burnout, drop, _q5, q1 = alerts
    assert burnout.audience == "maintainers" and drop.audience == q1.audience == "community"
    assert "82/100" in burnout.notice.text and "response load 64%" in burnout.notice.text
    assert (
        "15 people were active in 2026-W47" in drop.notice.text and "mean 20.0" in drop.notice.text
    )
    assert q1.notice.links == (
        ("Open the question in slack", "https://x.slack.com/archives/C1/p1"),
    )
    assert q1.notice.title == "Unanswered for 72 h in slack #help"


def test_activity_inside_the_usual_band_raises_nothing(tmp_path):
    # 17 is above the lower edge 16.59
    path = tmp_path / "w.duckdb"
    build_alert_marts(path, latest_active=17)
    with duckdb.connect(str(path)) as con:
        kinds = {a.kind for a in compute_alerts(con)}
    assert "activity_drop" not in kinds
    assert is_activity_drop(16, USUAL) and not is_activity_drop(17, USUAL)


def test_thresholds_are_options(marts):
    with duckdb.connect(str(marts)) as con:
        alerts = compute_alerts(con, AlertOptions(burnout_threshold=60, unanswered_hours=100))
    assert [a.key for a in alerts if a.kind != "activity_drop"] == [
        "burnout:m1:2026-W47",
        "burnout:m2:2026-W47",
        "unanswered:q5",
    ]


def test_alerts_are_sent_once_even_when_run_twice(marts, slack):
    targets = Destinations(community=("slack:C0COMMUNITY",), maintainers=("slack:G0MAINTAINERS",))
    posters = {"slack": poster(slack)}
    with duckdb.connect(str(marts)) as con:
        first = send_alerts(con, compute_alerts(con), targets, posters)
        second = send_alerts(con, compute_alerts(con), targets, posters)
        recorded = con.execute(
            "select alert_key, kind, channel from ml.alerts_sent order by alert_key"
        ).fetchall()
    assert [d.status for d in first] == ["sent"] * 4
    assert [d.status for d in second] == ["already sent"] * 4
    assert len(slack.posted) == 4
    assert recorded == [
        ("activity_drop:2026-W47", "activity_drop", "slack:C0COMMUNITY"),
        ("burnout:m1:2026-W47", "burnout", "slack:G0MAINTAINERS"),
        ("unanswered:q1", "unanswered", "slack:C0COMMUNITY"),
        ("unanswered:q5", "unanswered", "slack:C0COMMUNITY"),
    ]
    # AND the posts are Block Kit with the evidence; the asker's text is escaped
    by_channel = {}
    for post in slack.posted:
        by_channel.setdefault(post["channel"], []).append(post)
    q5 = next(p for p in by_channel["C0COMMUNITY"] if "logs" in p["text"])
    assert "&lt;b&gt;logs&lt;/b&gt;" in q5["blocks"][0]["text"]["text"]
    q1 = next(p for p in by_channel["C0COMMUNITY"] if "build docs" in p["text"])
    assert (
        "<https://x.slack.com/archives/C1/p1|Open the question in slack>"
        in q1["blocks"][1]["elements"][0]["text"]
    )


def test_burnout_alerts_go_only_to_the_maintainers_destination(marts, slack):
    posters = {"slack": poster(slack)}
    with duckdb.connect(str(marts)) as con:
        # WHEN there is no maintainers' destination, burnout is not posted anywhere
        alone = send_alerts(
            con, compute_alerts(con), Destinations(community=("slack:C0COMMUNITY",)), posters
        )
        # AND once one is configured, it goes there only
        both = send_alerts(
            con,
            compute_alerts(con),
            Destinations(("slack:C0COMMUNITY",), ("slack:U0MAE",)),
            posters,
        )
    assert [(d.kind, d.status) for d in alone if d.kind == "burnout"] == [
        ("burnout", "no destination")
    ]
    assert [(d.destination, d.status) for d in both if d.kind == "burnout"] == [
        ("slack:U0MAE", "sent")
    ]
    burnout_posts = [p for p in slack.posted if "Burnout" in p["text"]]
    assert [p["channel"] for p in burnout_posts] == ["U0MAE"]
    assert all("Mae" not in p["text"] for p in slack.posted if p["channel"] == "C0COMMUNITY")


def test_a_failed_post_is_retried_next_run_and_other_alerts_still_go(marts, slack):
    slack.not_in_channel.add("C0COMMUNITY")
    targets = Destinations(("slack:C0COMMUNITY",), ("slack:G0MAINTAINERS",))
    with duckdb.connect(str(marts)) as con:
        failed = send_alerts(con, compute_alerts(con), targets, {"slack": poster(slack)})
        slack.not_in_channel.clear()
        retried = send_alerts(con, compute_alerts(con), targets, {"slack": poster(slack)})
    assert [d.status for d in failed] == ["sent", "failed", "failed", "failed"]
    assert "not_in_channel" in failed[1].error
    assert [d.status for d in retried] == ["already sent", "sent", "sent", "sent"]


def test_dry_run_posts_and_records_nothing(marts, slack):
    targets = Destinations(("slack:C0COMMUNITY",), ("slack:G0MAINTAINERS",))
    with duckdb.connect(str(marts)) as con:
        deliveries = send_alerts(con, compute_alerts(con), targets, {}, dry_run=True)
        tables = con.execute(
            "select count(*) from information_schema.tables where table_name = 'alerts_sent'"
        ).fetchone()
    assert [d.status for d in deliveries] == ["would send"] * 4
    assert slack.calls == [] and tables == (0,)


def test_at_most_max_per_kind_new_posts_per_run(marts, slack):
    targets = Destinations(community=("slack:C0COMMUNITY",))
    options = AlertOptions(max_per_kind=1)
    with duckdb.connect(str(marts)) as con:
        first = send_alerts(
            con, compute_alerts(con), targets, {"slack": poster(slack)}, options=options
        )
        second = send_alerts(
            con, compute_alerts(con), targets, {"slack": poster(slack)}, options=options
        )
    unanswered = lambda ds: [(d.alert_key, d.status) for d in ds if d.kind == "unanswered"]
    assert unanswered(first) == [("unanswered:q5", "sent"), ("unanswered:q1", "deferred")]
    assert unanswered(second) == [("unanswered:q5", "already sent"), ("unanswered:q1", "sent")]


def test_an_empty_warehouse_has_no_alerts(tmp_path):
    with duckdb.connect(str(tmp_path / "empty.duckdb")) as con:
        assert compute_alerts(con) == []


# --- the CLI ------------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def cli_home(home: Path, tmp_path: Path, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no developer .env / codeconvene.yaml
    monkeypatch.setenv("SLACK_API_URL", slack.base_url)
    build_alert_marts(home / "warehouse.duckdb")
    return home


def test_cli_posts_alerts_once_through_slack(cli_home, slack, monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    args = ["bot", "alerts", "--post", "slack:C0COMMUNITY", "--maintainers", "slack:G0MAINT"]
    first = runner.invoke(app, args)
    second = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.output.count("sent") == 4 and "already sent" not in first.output
    assert second.output.count("already sent") == 4
    assert len(slack.posted) == 4
    assert TOKEN not in first.output + second.output


def test_cli_dry_run_lists_alerts_without_a_token(cli_home, slack):
    result = runner.invoke(app, ["bot", "alerts", "--dry-run", "--post", "slack:C0COMMUNITY"])
    assert result.exit_code == 0, result.output
    assert result.output.count("would send") == 3 and "no destination" in result.output
    assert slack.calls == []


def test_cli_names_the_missing_token_and_the_missing_destination(cli_home, slack):
    missing_token = runner.invoke(app, ["bot", "alerts", "--post", "slack:C0COMMUNITY"])
    no_destination = runner.invoke(app, ["bot", "alerts"])
    bad_destination = runner.invoke(app, ["bot", "alerts", "--post", "C0COMMUNITY"])
    assert missing_token.exit_code == 1 and "SLACK_BOT_TOKEN is not set" in missing_token.output
    assert no_destination.exit_code == 1 and "no destination for alerts" in no_destination.output
    assert bad_destination.exit_code == 1 and "expected PLATFORM:CHANNEL" in bad_destination.output
    assert slack.calls == []


# --- the real marts ----------------------------------------------------------------------------


@pytest.mark.slow
def test_alert_queries_match_the_real_marts(built_home):
    """On the session-built simulated community: the alert SQL fits the real columns, and each
    condition agrees with an independent query (low thresholds so every kind has rows)."""
    from ml.weekly_facts import latest_complete_week, parse_iso_week

    options = AlertOptions(
        burnout_threshold=0, unanswered_hours=1, unanswered_max_age_days=10_000, drop_sd=-100
    )  # a band far above any week: the drop must fire
    with duckdb.connect(str(built_home / "warehouse.duckdb"), read_only=True) as con:
        alerts = compute_alerts(con, options)
        monday = parse_iso_week(latest_complete_week(con))
        maintainers = con.execute(
            "select count(*) from marts.mart_contributor_health where week_start = ? and is_maintainer "
            "and burnout_risk is not null",
            [monday],
        ).fetchone()[0]
        open_questions = con.execute(
            "select count(*) from marts.mart_unanswered_questions where first_response_at is null "
            "and hours_open >= 1"
        ).fetchone()[0]
    kinds = [a.kind for a in alerts]
    assert maintainers > 0 and open_questions > 0
    assert kinds.count("burnout") == maintainers
    assert kinds.count("unanswered") == open_questions
    assert kinds.count("activity_drop") == 1
