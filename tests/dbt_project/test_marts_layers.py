"""The marts' wiring, read from dbt's manifest: what waits for ML, what reads what, who consumes.

- Models that read ml.sentiment (directly or through another model) are exactly the ones
  tagged `after_ml`, and nothing built in the first dbt step depends on them (Dagster runs
  `--exclude tag:after_ml`, then sentiment scoring, then `--select tag:after_ml`).
- Every DESIGN §5 formula has a unit test on the model that computes it.
- Every mart a consumer may read is named by an exposure; marts SQL is portable (no
  DuckDB-only syntax outside macros) and short.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
MARTS_DIR = PROJECT_DIR / "models" / "marts"
SENTIMENT = "source.codeconvene.ml.sentiment"

# DESIGN §5 definition -> (model, unit test) that pins it with given/expect rows
FORMULA_TESTS = {
    "active / new / returning / inactive": ("mart_community_health_weekly__contributors", "test_weekly_new_returning_inactive"),
    "inactive window bounds": ("mart_community_health_weekly__contributors", "test_weekly_inactive_window_bounds"),
    "episodic": ("mart_community_health_weekly__contributors", "test_weekly_episodic"),
    "period retention": ("mart_community_health_weekly__contributors", "test_weekly_period_retention"),
    "ISO weeks, empty weeks": ("mart_community_health_weekly__weeks", "test_weeks_iso_year_boundary_and_gaps"),
    "cohort retention": ("mart_retention_cohorts", "test_monthly_cohort_retention"),
    "time to first response, first attention, time to close": ("mart_responsiveness", "test_time_to_first_response"),
    "ttfr median/p85, unanswered rate, closure and acceptance ratio": ("mart_community_health_weekly__responsiveness", "test_weekly_ttfr_unanswered_closure"),
    "unanswered questions listed": ("mart_unanswered_questions", "test_unanswered_questions_listed"),
    "bus factor and elephant factor": ("mart_community_health_weekly__factors", "test_bus_and_elephant_factor_with_ties"),
    "person time zone": ("mart_contributor_health__timezones", "test_person_timezones"),
    "off-hours and weekend in local time": ("mart_contributor_health__days", "test_local_days_and_off_hours"),
    "hour-of-week matrix": ("mart_activity_hour_of_week", "test_hour_of_week_local_and_utc"),
    "trailing 90-day shares and load trend": ("mart_contributor_health__load", "test_trailing_90_day_load"),
    "active-day streak": ("mart_contributor_health__streaks", "test_longest_active_day_streak"),
    "response load share and ttfr trend": ("mart_contributor_health__responses", "test_response_load_and_ttfr_trend"),
    "sentiment drift": ("mart_contributor_health__sentiment", "test_sentiment_drift"),
    "burnout risk": ("mart_contributor_health__risk", "test_burnout_risk_scores_and_reasons"),
    "weekly sentiment and negative share": ("mart_sentiment_weekly", "test_weekly_sentiment_per_channel"),
    "what sentiment counts": ("mart_sentiment_weekly__messages", "test_scored_human_conversation_only"),
    "community sentiment": ("mart_community_health_weekly__sentiment", "test_weekly_sentiment_mean"),
    "health score window": ("mart_community_health_weekly__score", "test_health_score_trailing_12_weeks"),
    "health score directions": ("mart_community_health_weekly__score", "test_health_score_directions_and_missing_figures"),
    "good first issues": ("mart_good_first_issues", "test_good_first_issues_and_suggestions"),
    "incremental facts": ("fct_activities", "test_incremental_writes_new_and_changed_rows_only"),
}
CONSUMED_MARTS = {
    "fct_activities", "dim_contributors", "mart_engagement_daily", "mart_retention_cohorts",
    "mart_responsiveness", "mart_contributor_health", "mart_community_health_weekly",
    "mart_sentiment_weekly", "mart_unanswered_questions", "mart_good_first_issues",
    "mart_activity_hour_of_week", "mart_active_people_daily", "mart_sentiment_thread_days",
}
# DuckDB-only syntax a marts model must reach through a dispatched macro instead
NOT_PORTABLE = re.compile(
    r"::|\bjson_\w+\(|\bstrftime\(|\blist_\w+\(|\bregexp_\w+\(|\bdate_diff\(|\binterval\b|"
    r"\bstring_agg\(|\barray_agg\(|\bqualify\b|\bdate_part\(|\bextract\(|\bepoch\w*\("
)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("manifest")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CODECONVENE_WAREHOUSE", str(tmp / "parse-only.duckdb"))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        result = dbtRunner().invoke([
            "parse", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"), "--quiet",
        ])
    assert result.success, result.exception
    return json.loads((tmp / "target" / "manifest.json").read_text())


def _models(manifest: dict) -> dict[str, dict]:
    return {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}


def _reads_sentiment(manifest: dict) -> set[str]:
    models = _models(manifest)
    reading: set[str] = set()
    changed = True
    while changed:
        changed = False
        for key, node in models.items():
            parents = set(node["depends_on"]["nodes"])
            if key not in reading and (SENTIMENT in parents or parents & reading):
                reading.add(key)
                changed = True
    return reading


def test_models_reading_sentiment_are_exactly_the_after_ml_ones(manifest):
    tagged = {k for k, v in _models(manifest).items() if "after_ml" in v["tags"]}
    assert _reads_sentiment(manifest) == tagged
    assert "model.codeconvene.mart_community_health_weekly" in tagged
    assert "model.codeconvene.mart_contributor_health" in tagged
    assert "model.codeconvene.mart_sentiment_weekly" in tagged


def test_nothing_in_the_first_dbt_step_waits_for_an_after_ml_model(manifest):
    # a model must not read an after_ml model; a test goes with its models (dbt selects tests
    # indirectly), so it must not mix an after_ml model with a first-step one
    models = _models(manifest)
    after_ml = {k for k, v in models.items() if "after_ml" in v["tags"]}
    nodes = {**manifest["nodes"], **manifest.get("unit_tests", {})}
    offenders = []
    for key, node in nodes.items():
        parents = {p for p in node.get("depends_on", {}).get("nodes", []) if p in models}
        if not parents & after_ml:
            continue
        is_model = node["resource_type"] == "model"
        if (is_model and key not in after_ml) or (not is_model and parents - after_ml):
            offenders.append(key)
    assert not offenders


def test_every_design_formula_has_a_unit_test(manifest):
    tests = {(t["model"], t["name"]) for t in manifest.get("unit_tests", {}).values()}
    missing = {f: mt for f, mt in FORMULA_TESTS.items() if mt not in tests}
    assert not missing


def test_every_consumed_mart_is_named_by_an_exposure(manifest):
    exposed = {
        parent.split(".")[-1]
        for exposure in manifest["exposures"].values()
        for parent in exposure["depends_on"]["nodes"]
    }
    assert CONSUMED_MARTS <= exposed
    built = {path.stem for path in MARTS_DIR.glob("*.sql")}
    assert built == CONSUMED_MARTS, "a new mart needs a consumer (exposure) or a _helpers/ home"


@pytest.mark.parametrize("path", sorted(MARTS_DIR.rglob("*.sql")), ids=lambda p: p.stem)
def test_marts_sql_is_portable_and_short(path: Path):
    text = path.read_text(encoding="utf-8")
    without_jinja = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", text, flags=re.DOTALL)
    without_comments = re.sub(r"--[^\n]*", " ", without_jinja)
    found = NOT_PORTABLE.findall(without_comments.lower())
    assert not found, f"{path.name}: DuckDB-only syntax {found}; use a dbt cross-database or a dispatched macro"
    assert len(text.splitlines()) <= 110, f"{path.name}: split models past ~100 lines"
