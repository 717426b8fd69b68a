"""The marts recover what the demo simulator planted.

GIVEN a small simulated community (60 people, 20 weeks, fixed seed and end) whose ground truth
      is computed from the events actually written, with the true person behind each account
WHEN it is ingested and built the way Dagster builds it: `dbt build --exclude tag:after_ml`,
     then VADER sentiment scoring (ml/sentiment.py), then `dbt build --select tag:after_ml`
THEN new, active and inactive contributors per week, the planted churners' lapse weeks, the
     bus factor of the last week, each person's night-time share and the overloaded
     night-working maintainer's burnout risk all match the truth.
"""

from __future__ import annotations

import gc
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover
from ingest.simulate import SimulationConfig, simulate
from ml.sentiment import score_new_messages

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"

pytestmark = pytest.mark.slow
CONFIG = SimulationConfig(seed=5, people=60, weeks=20, end=date(2026, 6, 28))
NIGHT_HOURS = (21, 22, 23, 0, 1, 2)  # the truth's night band, in the person's own time


def run_dbt(args: list[str], warehouse: Path, tmp: Path) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CODECONVENE_WAREHOUSE", str(warehouse))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        result = dbtRunner().invoke([
            *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"),
            "--no-use-colors", "--quiet",
        ])
    DuckDBConnectionManager.close_all_connections()
    gc.collect()
    failures = [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (getattr(result.result, "results", None) or [])
        if str(r.status) not in ("success", "pass")
    ]
    assert result.success, f"dbt {' '.join(args)} failed: {result.exception or failures}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("ground_truth")
    truth = simulate(CONFIG, tmp / "export")
    warehouse = tmp / "warehouse.duckdb"
    with closing(connect(warehouse)) as con:
        summary = ingest_units(con, discover([tmp / "export"]))
    assert not summary.errors, summary.errors
    run_dbt(["build", "--exclude", "tag:after_ml"], warehouse, tmp)
    with closing(connect(warehouse)) as con:
        assert score_new_messages(con) > 0
    run_dbt(["build", "--select", "tag:after_ml"], warehouse, tmp)
    return {"truth": truth, "warehouse": warehouse}


@pytest.fixture
def con(built: dict):
    connection = duckdb.connect(str(built["warehouse"]), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def person_ids(built: dict, con) -> dict[str, str]:
    """Truth person key -> person_id, through any of the person's accounts."""
    accounts = dict(con.execute(
        "select platform || ':' || account_id, person_id from intermediate.int_identities_resolved"
    ).fetchall())
    out = {}
    for person in built["truth"]["people"]:
        keys = []
        if person["github_login"]:
            keys.append(f"github:{person['github_login'].lower()}")
        if person["slack_user_id"]:
            keys.append(f"slack:{person['slack_user_id']}")
        found = {accounts[k] for k in keys if k in accounts}
        assert len(found) <= 1, f"{person['person_key']} split into {found}"
        if found:
            out[person["person_key"]] = found.pop()
    return out


def weekly(con, column: str) -> dict[str, int]:
    return dict(con.execute(
        f'select iso_week, "{column}" from marts.mart_community_health_weekly'
    ).fetchall())


def test_new_active_and_inactive_contributors_per_week_match_the_truth(built, con):
    truth = built["truth"]
    for column, planted in (("new", "new_contributors_by_week"), ("active", "active_by_week"),
                            ("inactive", "inactive_by_week")):
        got = weekly(con, column)
        assert {w: got.get(w, 0) for w in truth[planted]} == truth[planted], column
    assert sum(truth["new_contributors_by_week"].values()) > 20


def test_planted_churners_turn_inactive_in_the_week_their_90_days_run_out(built, con, person_ids):
    # THEN each churner leaves mart_contributor_health (nothing in the trailing 90 days) in the
    # week after their last contribution + 90 days, and that week counts them as inactive
    truth = built["truth"]
    assert truth["churners"], "the simulation should plant churners"
    inactive = weekly(con, "inactive")
    for key in truth["churners"]:
        last_at = con.execute(
            "select max(occurred_at) from marts.fct_activities where person_id = ? "
            "and is_contribution and not is_bot", [person_ids[key]]
        ).fetchone()[0]
        lapse_day = (last_at + timedelta(days=90)).date()
        lapse_week = lapse_day - timedelta(days=lapse_day.weekday())
        last_listed = con.execute(
            "select max(week_start) from marts.mart_contributor_health where person_id = ?",
            [person_ids[key]],
        ).fetchone()[0]
        assert last_listed + timedelta(days=7) == lapse_week, key
        label = f"{lapse_week.isocalendar()[0]}-W{lapse_week.isocalendar()[1]:02d}"
        assert inactive[label] >= 1 and truth["inactive_by_week"][label] >= 1, (key, label)


def test_bus_factor_of_the_last_week_matches_the_truth(built, con):
    # truth: contributions in [window end - 90 d, window end); the last week ends at the window end
    last_week_end = date.fromisoformat(built["truth"]["window"]["end"]) + timedelta(days=1)
    week_start, bus_factor = con.execute(
        "select week_start, bus_factor from marts.mart_community_health_weekly "
        "order by week_start desc limit 1"
    ).fetchone()
    assert week_start + timedelta(days=7) == last_week_end
    assert bus_factor == built["truth"]["bus_factor_90d"]


def test_the_overloaded_night_working_maintainer_is_the_top_burnout_risk(built, con, person_ids):
    overloaded = person_ids[built["truth"]["overloaded_maintainer"]]
    rows = con.execute(
        """
        select iso_week, person_id, burnout_risk, risk_reasons, is_maintainer
        from marts.mart_contributor_health
        where burnout_risk is not null
          and week_start >= (select max(week_start) - interval 21 day from marts.mart_contributor_health)
        qualify row_number() over (partition by iso_week order by burnout_risk desc) = 1
        """
    ).fetchall()
    assert len(rows) == 4
    for iso_week, person, risk, reasons, is_maintainer in rows:
        assert person == overloaded, f"{iso_week}: top risk is {person}, not the overloaded maintainer"
        assert is_maintainer and risk >= 50
        assert "response load" in reasons and "off-hours" in reasons, reasons


def test_the_overloaded_maintainer_gives_the_most_first_responses(built, con, person_ids):
    top = con.execute(
        "select responder_person_id from marts.mart_responsiveness where responder_person_id is not null "
        "group by 1 order by count(*) desc limit 1"
    ).fetchone()[0]
    assert top == person_ids[built["truth"]["overloaded_maintainer"]]


def test_night_share_in_the_persons_own_time_zone_matches_the_truth(built, con, person_ids):
    # a Slack profile gives the time zone: the hour-of-week matrix then reproduces the truth's
    # share of contributions at 21:00-03:00 local time exactly
    with_profile = {p["person_key"] for p in built["truth"]["people"] if p["slack_user_id"]}
    checked = 0
    for key, share in built["truth"]["night_share_by_person"].items():
        if key not in with_profile:
            continue
        night, total = con.execute(
            f"""select sum(case when hour_of_day in {NIGHT_HOURS} then activities else 0 end), sum(activities)
            from marts.mart_activity_hour_of_week where subject_type = 'person' and subject_id = ?""",
            [person_ids[key]],
        ).fetchone()
        assert round(night / total, 4) == share, key
        checked += 1
    assert checked >= 3


def test_cohorts_hold_every_contributing_human_once(built, con):
    sizes, rates = con.execute(
        "select sum(cohort_size), min(retention_rate) from marts.mart_retention_cohorts where months_since = 0"
    ).fetchone()
    assert sizes == len(built["truth"]["first_contribution_at"]) and rates == 1.0


def test_unanswered_questions_really_got_no_timely_answer(con):
    listed = con.execute(
        "select question_id, asked_at, asker_person_id from marts.mart_unanswered_questions"
    ).fetchall()
    assert listed, "the simulator leaves some questions unanswered"
    for question_id, asked_at, asker in listed:
        answered = con.execute(
            """select count(*) from marts.fct_activities as a
            inner join marts.fct_activities as q on q.activity_id = ? and a.thread_id = q.thread_id
            where a.activity_id <> q.activity_id and not a.is_bot and a.person_id <> ?
              and a.activity_type in ('issue_comment', 'pr_review', 'pr_review_comment', 'reply', 'post')
              and a.occurred_at <= ?""",
            [question_id, asker, asked_at + timedelta(days=2)],
        ).fetchone()[0]
        assert answered == 0, question_id


def test_sentiment_marts_are_filled_after_the_ml_step(con):
    weeks_with_sentiment = con.execute(
        "select count(*) from marts.mart_community_health_weekly where sentiment_avg is not null"
    ).fetchone()[0]
    negative = con.execute(
        "select sum(messages * share_negative) from marts.mart_sentiment_weekly"
    ).fetchone()[0]
    assert weeks_with_sentiment >= 19 and negative > 0
    scores = con.execute(
        "select min(health_score), max(health_score) from marts.mart_community_health_weekly"
    ).fetchone()
    assert 0 <= scores[0] < scores[1] <= 100
