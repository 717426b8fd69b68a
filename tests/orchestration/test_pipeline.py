"""The whole product on a small simulated community, run twice through Dagster.

The simulator writes a ground truth computed from the events it emitted, with the true person
behind every account; the marts must recover it after identity resolution across GitHub and
Slack, bot exclusion and activity typing.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from codeconvene.settings import get_settings

pytestmark = pytest.mark.slow

RAW_TABLES = ("raw_github.events", "raw_slack.users", "raw_slack.channels", "raw_slack.messages")


def _raw_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in RAW_TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """GIVEN a small simulated community (60 people, 16 weeks), demo-ed twice in one home."""
    from rich.console import Console

    from codeconvene.demo import run_demo
    from ingest.simulate import ALL_EXPORTS, SimulationConfig, simulate
    from ml.embeddings import default_embedder

    home = tmp_path_factory.mktemp("home")
    settings = get_settings(home)
    settings.ensure_dirs()
    folder = settings.exports_dir / "demo"
    simulate(SimulationConfig(seed=11, people=60, weeks=16, end=date(2026, 11, 22), exports=ALL_EXPORTS), folder)
    quiet = Console(file=io.StringIO())
    embedder = default_embedder()  # the process-wide model every in-process asset uses
    first = run_demo(settings, seed=11, people=60, weeks=16, fresh=False, console=quiet)
    counts_after_first = _raw_counts(settings.warehouse_path)
    sentiment_after_first = _count(settings.warehouse_path, "ml.sentiment")
    scored_at_after_first = _scalar(settings.warehouse_path, "select max(scored_at) from ml.sentiment")
    texts_before_second = embedder.texts
    second = run_demo(settings, seed=11, people=60, weeks=16, fresh=False, console=quiet)
    embedded_by_second = embedder.texts - texts_before_second
    truth = json.loads((folder / "ground_truth.json").read_text())
    truth.update(truth["all_platforms"])  # the demo ingests every platform
    return {
        "settings": settings, "truth": truth, "first": first, "second": second,
        "counts_after_first": counts_after_first, "sentiment_after_first": sentiment_after_first,
        "scored_at_after_first": scored_at_after_first, "embedded_by_first": texts_before_second,
        "embedded_by_second": embedded_by_second,
    }


def _count(path: Path, table: str) -> int:
    return _scalar(path, f"select count(*) from {table}")


def _scalar(path: Path, sql: str):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def con(built):
    connection = duckdb.connect(str(built["settings"].warehouse_path), read_only=True)
    yield connection
    connection.close()


def _weekly(con, column: str) -> dict[str, int]:
    return dict(con.execute(f'select iso_week, "{column}" from marts.mart_community_health_weekly').fetchall())


def test_both_runs_succeed_and_write_the_report(built):
    assert built["first"].failures == [] and built["second"].failures == []
    report = built["first"].report
    assert report is not None and report.exists()
    assert report.name.endswith(".md") and "Headline figures" in report.read_text()


def test_second_demo_changes_no_raw_row_and_scores_nothing_new(built):
    assert _raw_counts(built["settings"].warehouse_path) == built["counts_after_first"]
    assert built["counts_after_first"]["raw_github.events"] == built["truth"]["counts"]["github_events"]
    # nothing of the demo is quarantined (stargazer dumps get the demo's repo as a hint)
    assert _count(built["settings"].warehouse_path, "meta.quarantine") == 0
    assert _count(built["settings"].warehouse_path, "ml.sentiment") == built["sentiment_after_first"] > 0


def test_second_demo_embeds_and_scores_nothing_new(built):
    # the first run embedded messages, issues, FAQ entries; the second found every text's vector
    assert built["embedded_by_first"] > 100
    assert built["embedded_by_second"] == 0
    # no sentiment row was written by the second run (every score keeps the first run's time)
    latest = _scalar(built["settings"].warehouse_path, "select max(scored_at) from ml.sentiment")
    assert latest == built["scored_at_after_first"] is not None


def test_knowledge_layer_is_built_from_warehouse_rows(built, con):
    from ml.index import document_ids

    known = {r[0] for r in con.execute("select activity_id from marts.fct_activities").fetchall()}
    threads = {r[0] for r in con.execute(
        "select thread_id from marts.fct_activities where activity_type = 'issue_opened'").fetchall()}
    # FAQ: every entry cites activities that exist
    faq = con.execute("select faq_id, source_activity_ids, answer is not null from ml.faq").fetchall()
    assert faq and all(set(json.loads(ids)) <= known for _, ids, _ in faq)
    # triage: one row per open issue; issues and duplicate candidates are real issue threads
    open_issues = con.execute(
        """select count(distinct thread_id) from marts.fct_activities as o
           where activity_type = 'issue_opened' and not is_bot and not exists (
             select 1 from marts.fct_activities as c
             where c.activity_type = 'issue_closed' and c.thread_id = o.thread_id)"""
    ).fetchone()[0]
    triage = con.execute("select issue_id, duplicate_of from ml.issue_triage").fetchall()
    assert len(triage) == open_issues > 0
    assert all(i in threads and (d is None or d in threads) for i, d in triage)
    # the LanceDB index holds messages and issues by their activity ids, and the FAQ entries
    lance = built["settings"].lance_path
    assert document_ids(lance, kind="faq") == {f for f, _, answered in faq if answered}
    activities = document_ids(lance) - document_ids(lance, kind="faq") - document_ids(lance, kind="doc")
    assert len(activities) > 100 and activities <= known


def test_new_contributors_per_week_match_the_planted_ones(built, con):
    truth = {w: n for w, n in built["truth"]["new_contributors_by_week"].items()}
    got = _weekly(con, "new")
    assert sum(truth.values()) > 20
    assert {w: got.get(w, 0) for w in truth} == truth


def test_active_and_inactive_per_week_match(built, con):
    active, inactive = built["truth"]["active_by_week"], built["truth"]["inactive_by_week"]
    got_active, got_inactive = _weekly(con, "active"), _weekly(con, "inactive")
    assert {w: got_active.get(w, 0) for w in active} == active
    assert {w: got_inactive.get(w, 0) for w in inactive} == inactive
    assert sum(inactive.values()) > 0, "the small community should plant at least one churner"


def test_each_person_is_counted_once_across_slack_and_github(built, con):
    people = built["truth"]["people"]
    humans_contributing = {p for p in built["truth"]["first_contribution_at"]}
    got = con.execute(
        "select count(distinct person_id) from marts.fct_activities where is_contribution and not is_bot"
    ).fetchone()[0]
    assert got == len(humans_contributing)
    # every cross-platform person resolves to one person_id from both accounts
    both = [p for p in people if p["github_login"] and p["slack_user_id"] and not p["is_bot"]]
    assert len(both) >= 5
    rows = dict(con.execute(
        "select platform || ':' || account_id, person_id from intermediate.int_identities_resolved"
    ).fetchall())
    for person in both:
        gh = rows.get(f"github:{person['github_login'].lower()}")
        sl = rows.get(f"slack:{person['slack_user_id']}")
        if gh and sl:
            assert gh == sl, f"{person['person_key']} split into two people ({person['link_rule']})"


def test_bots_are_flagged_and_excluded(built, con):
    bots = [p for p in built["truth"]["people"] if p["is_bot"]]
    assert bots
    flagged = con.execute(
        "select count(*) from marts.fct_activities where is_bot and is_contribution"
    ).fetchone()[0]
    assert flagged > 0
    bot_logins = [p["github_login"].lower() for p in bots if p["github_login"]]
    not_flagged = con.execute(
        "select count(*) from intermediate.int_identities_resolved where platform = 'github' "
        "and account_id in (select unnest(?::varchar[])) and not is_bot", [bot_logins]
    ).fetchone()[0]
    assert not_flagged == 0


def test_summary_and_sentiment_are_grounded(con):
    period, text, sources = con.execute("select period, text, sources from ml.summaries").fetchone()
    assert period.startswith("20") and "-W" in period
    assert len(text) > 100 and json.loads(sources)["activity_ids"]
    labels = dict(con.execute("select label, count(*) from ml.sentiment group by 1").fetchall())
    assert labels.get("positive", 0) > 0 and labels.get("negative", 0) > 0


def test_ask_answers_from_the_marts(built, con):
    from bots.answer.engine import answer

    # independent count: humans whose first contribution falls in October 2026
    expected = con.execute(
        """select count(*) from (
             select person_id, min(occurred_at) as first_at from marts.fct_activities
             where is_contribution and not is_bot group by 1)
           where first_at >= date '2026-10-01' and first_at < date '2026-11-01'"""
    ).fetchone()[0]
    result = answer("how many new contributors last month?", con, today=date(2026, 11, 24))
    assert result.kind == "metric" and result.value == expected and "marts." in result.sql


def test_home_page_kpi_equals_the_mart(built, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CODECONVENE_HOME", str(built["settings"].home))
    page = Path(__file__).resolve().parents[2] / "apps" / "streamlit" / "Home.py"
    app = AppTest.from_file(str(page), default_timeout=60).run()
    assert not app.exception
    shown = {m.label: m.value for m in app.metric}
    week = app.subheader[0].value.split()[1].rstrip(",")
    con = duckdb.connect(str(built["settings"].warehouse_path), read_only=True)
    active, new = con.execute(
        'select active, new from marts.mart_community_health_weekly where iso_week = ?', [week]
    ).fetchone()
    con.close()
    assert shown["Active contributors"] == str(active) and shown["New contributors"] == str(new)


def test_warehouse_writers_never_run_concurrently():
    # DuckDB allows one read-write process: UI runs and the scheduled job execute their steps
    # one by one in one process (build_all uses dg.materialize, which is in-process too)
    import yaml

    from orchestration.definitions import defs

    assert defs.executor.name == "in_process"
    assert defs.resolve_job_def("build_everything").executor_def.name == "in_process"
    # and the local instance (`make dagster`) starts one run at a time
    instance = Path(__file__).resolve().parents[2] / "orchestration" / "dagster_home" / "dagster.yaml"
    assert yaml.safe_load(instance.read_text())["concurrency"]["runs"]["max_concurrent_runs"] == 1
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"ml/faq", "lance/documents", "ml/issue_triage"} <= keys
