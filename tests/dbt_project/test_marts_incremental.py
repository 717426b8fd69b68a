"""fct_activities is incremental, and an incremental refresh ends where a full rebuild does.

GIVEN a small simulated community whose Slack export is ingested and built first (every Slack
      user is then their own person), and whose GitHub archive arrives a day later (commit
      emails now link Slack users to GitHub logins, so old Slack activities change person);
      meanwhile the table holds an activity that no longer exists upstream (as when typing
      rules change activity ids)
WHEN dbt builds incrementally after the second ingest
THEN fct_activities equals a --full-refresh rebuild row for row (the stale row is gone), the
     re-attributed Slack rows carry their new person, and with nothing new the incremental
     query selects no row.
"""

from __future__ import annotations

import gc
from contextlib import closing
from datetime import date
from pathlib import Path

import duckdb
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from codeconvene.warehouse import connect
from ingest.core.runner import ingest_units
from ingest.formats import discover
from ingest.simulate import SimulationConfig, simulate
from ml.tables import SENTIMENT, ensure_ml_table

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"

pytestmark = pytest.mark.slow
FCT = "select * from marts.fct_activities"
STALE = "slack:C0:gone"


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
    results = getattr(result.result, "results", None) or []
    failures = [f"{r.node.unique_id}: {r.status} {r.message}" for r in results
                if str(r.status) not in ("success", "pass")]
    assert result.success, f"dbt {' '.join(args)} failed: {result.exception or failures}"


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("incremental")
    simulate(SimulationConfig(seed=3, people=24, weeks=8, end=date(2026, 3, 29)), tmp / "export")
    warehouse = tmp / "warehouse.duckdb"
    with closing(connect(warehouse)) as con:
        ensure_ml_table(con, SENTIMENT)  # the ML step is not under test here
        ingest_units(con, discover([tmp / "export" / "slack"]))
    run_dbt(["build", "--select", "+fct_activities"], warehouse, tmp)
    slack_only = dict(rows(warehouse, "select activity_id, person_id from marts.fct_activities"))
    with closing(connect(warehouse)) as con:
        con.execute(f"insert into marts.fct_activities select * replace ('{STALE}' as activity_id) "
                    "from marts.fct_activities limit 1")
        ingest_units(con, discover([tmp / "export" / "github"]))
    run_dbt(["build", "--select", "+fct_activities"], warehouse, tmp)
    incremental = rows(warehouse, FCT)
    # the model's incremental query, compiled against the table as it now stands
    run_dbt(["compile", "--select", "fct_activities"], warehouse, tmp)
    compiled = next((tmp / "target" / "compiled").rglob("fct_activities.sql")).read_text()
    pending = rows(warehouse, f"select count(*) from ({compiled}) as pending")[0][0]
    run_dbt(["build", "--full-refresh", "--select", "fct_activities"], warehouse, tmp)
    return {"slack_only": slack_only, "incremental": incremental, "pending": pending,
            "full": rows(warehouse, FCT), "warehouse": warehouse}


def test_incremental_refresh_equals_a_full_refresh(refreshed):
    assert len(refreshed["incremental"]) > len(refreshed["slack_only"]) > 0
    assert sorted(refreshed["incremental"]) == sorted(refreshed["full"])
    assert STALE not in {row[0] for row in refreshed["incremental"]}


def test_slack_activities_move_to_the_github_person_they_turn_out_to_be(refreshed):
    now = dict(rows(refreshed["warehouse"], "select activity_id, person_id from marts.fct_activities"))
    moved = [a for a, person in refreshed["slack_only"].items() if now[a] != person]
    assert moved, "the GitHub archive should link some Slack users to GitHub logins"
    assert all(a.startswith("slack:") for a in moved)


def test_a_refresh_with_nothing_new_selects_no_row(refreshed):
    assert refreshed["pending"] == 0
