"""Duplicate detection and the FAQ on a simulated community, against its ground truth.

GIVEN a simulated community (seed 5, 120 people, 26 weeks: 71 issues, 10 planted duplicates,
6 repeated questions), ingested from its export files and built by dbt into the marts,
WHEN duplicates are detected at the shipped threshold and the FAQ is built offline,
THEN the planted duplicates and repeated questions are found. The shipped threshold was tuned
on other seeds (1 and 2, see `ml.triage`); the default community (300 people, a year) takes
minutes to simulate, so its figures, and two more seeds', come from `bench/quality.py`.
"""

from __future__ import annotations

import gc
import json
from datetime import date
from pathlib import Path

import pytest

from ml.knowledge_duplicates import Groups
from ml.knowledge_eval import evaluate_duplicates, evaluate_faq, issue_number

pytestmark = pytest.mark.slow
PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


@pytest.fixture(scope="module")
def community(tmp_path_factory):
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    from codeconvene.warehouse import connect, writer
    from ingest.core.runner import ingest_units
    from ingest.formats import discover
    from ingest.simulate import SimulationConfig, simulate

    folder = tmp_path_factory.mktemp("community")
    truth = simulate(SimulationConfig(seed=5, people=120, weeks=26, end=date(2026, 11, 22)), folder / "exports")
    warehouse = folder / "warehouse.duckdb"
    with writer(warehouse) as con:
        ingest_units(con, discover([folder / "exports"]))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CODECONVENE_WAREHOUSE", str(warehouse))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
        result = dbtRunner().invoke([
            "build", "--select", "+fct_activities +dim_contributors",
            "--exclude-resource-type", "test", "unit_test",
            "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
            "--target-path", str(folder / "target"), "--log-path", str(folder / "logs"),
            "--no-use-colors", "--quiet",
        ])
    DuckDBConnectionManager.close_all_connections()
    gc.collect()
    assert result.success, f"dbt build failed: {result.exception}"
    con = connect(warehouse)
    yield {"con": con, "truth": truth, "lance": folder / "lance"}
    con.close()


def test_planted_duplicates_are_found(community):
    scores = evaluate_duplicates(community["con"], community["lance"], community["truth"]["duplicate_issues"]).scores
    assert scores.labelled >= 10
    assert scores.precision_at_1 >= 0.8  # closest earlier issue is the same problem
    assert scores.recall >= 0.8  # reported at the shipped threshold, with the right original
    # 9 of 12 flags are right here; on the bench's larger communities about 1 in 3, the rest
    # being near misses (same component and context, another symptom)
    assert scores.flag_precision >= 0.6, scores


def test_open_duplicates_reach_the_triage_table(community):
    from ml.triage import triage_issues

    con, truth = community["con"], community["truth"]
    triage_issues(con, community["lance"])
    groups = Groups(truth["duplicate_issues"])
    rows = con.execute("select issue_id, duplicate_of from ml.issue_triage").fetchall()
    # the open planted duplicates the detector flags are stored with the right original
    flagged = [(i, d) for i, d in rows if issue_number(i) in groups.duplicates and d]
    assert flagged and all(groups.same(issue_number(i), issue_number(d)) for i, d in flagged)


def test_planted_repeated_questions_surface_in_the_faq(community):
    from ml.faq import build_faq
    from ml.llm.offline import OfflineProvider

    con, truth = community["con"], community["truth"]
    build_faq(con, community["lance"], OfflineProvider())
    faq = evaluate_faq(con, truth["repeated_questions"])
    assert faq.total >= 5 and faq.recall == 1.0, faq.missed
    answers = {a for (a,) in con.execute("select answer from ml.faq").fetchall()}
    assert {q["answer"] for q in truth["repeated_questions"]} <= answers
    cited = {i for (ids,) in con.execute("select source_activity_ids from ml.faq").fetchall() for i in json.loads(ids)}
    assert all(i.startswith(("slack:", "github:")) for i in cited)
