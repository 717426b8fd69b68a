"""Incremental models, and an incremental refresh ends where a full rebuild does.

GIVEN a small simulated community whose Slack export is ingested and built first (every Slack
      user is then their own person), and whose GitHub archive arrives a day later (commit
      emails now link Slack users to GitHub logins, so old Slack activities change person)
      together with an edit of an old Slack message (upserted in raw with a fresh
      _ingested_at); meanwhile fct_activities holds an activity that no longer exists
      upstream (as when typing rules change activity ids)
WHEN the whole project is built incrementally after the second ingest, the way a refresh runs
     it (models step, sentiment scoring, after_ml step)
THEN every incremental model — the staging of GH Archive events and Slack messages, their
     typed activities, the unioned activities, fct_activities and every period-incremental
     mart — equals a --full-refresh rebuild row for row (doubles compared to 9 decimals): the
     stale row is gone, the edit is there, the re-attributed Slack rows carry their new
     person; and with nothing new the incremental queries select no row.
"""

from __future__ import annotations

import gc
import json
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
from ml.sentiment import score_new_messages
from orchestration.dbt_manifest import build_args

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"

pytestmark = pytest.mark.slow
FCT = "select * exclude (changed_at, revised_at) from marts.fct_activities"  # stamps say when, which differs
# when a row changed or was written (fct_activities, int_activities_unioned): differs by construction
STAMPS = ("changed_at", "revised_at")
STALE = "slack:C0:gone"
EDITED = "edited after the first build"
# incremental models are read from the manifest; these must be among them
ALWAYS_INCREMENTAL = {
    "staging.stg_github__events", "staging.stg_slack__messages",
    "intermediate.int_github_archive_activities_typed", "intermediate.int_slack_activities_typed",
    "intermediate.int_activities_unioned", "marts.fct_activities",
}
# models whose incremental query reads only what was ingested since the last build
BY_INGESTION = ["stg_github__events", "stg_slack__messages", "int_github_archive_activities_typed",
                "int_slack_activities_typed", "fct_activities"]


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


def build_project(warehouse: Path, tmp: Path, *, full_refresh: bool = False) -> None:
    """Both dbt steps with sentiment scored between them, as the refresh job runs them (only
    critical tests, to keep this fast; the unit tests run in test_dbt_build)."""
    run_dbt(build_args("models", "critical", full_refresh=full_refresh), warehouse, tmp)
    with closing(connect(warehouse)) as con:
        score_new_messages(con)
    run_dbt(build_args("after_ml", "critical", full_refresh=full_refresh), warehouse, tmp)


def incremental_models(tmp: Path) -> list[str]:
    """`schema.name` of every incremental model, from the manifest the builds wrote."""
    run_dbt(["parse"], tmp / "parse-only.duckdb", tmp)
    nodes = json.loads((tmp / "target" / "manifest.json").read_text())["nodes"].values()
    return sorted(f"{n['schema']}.{n['name']}" for n in nodes
                  if n["resource_type"] == "model" and n["config"]["materialized"] == "incremental")


def comparable(warehouse: Path, table: str) -> str:
    """A select of the table with doubles rounded (sums in another order differ in the last bits)
    and the change stamps left out (when a row changed, which differs by construction)."""
    with closing(connect(warehouse)) as con:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            table.split("."),
        ).fetchall()
    return "select " + ", ".join(
        f"round({name}, 9) as {name}" if kind in ("DOUBLE", "FLOAT") else name
        for name, kind in columns if name not in STAMPS
    ) + f" from {table}"


HELD_BACK_FROM = "2026-03-23"  # Monday of the last simulated week (SimulationConfig below)
HELD_BACK_RAW = ("raw_slack.messages", "raw_github.events")


def built_without_last_week(tmp: Path) -> Path:
    """A small simulated community (seed 5) built with its last week's Slack messages and GH
    Archive events held back in schema `held_back`; `release_held_back` ingests them later.
    The recompute tests use it to see what a refresh adding one new week recomputes."""
    simulate(SimulationConfig(seed=5, people=24, weeks=8, end=date(2026, 3, 29)), tmp / "export")
    warehouse = tmp / "warehouse.duckdb"
    with closing(connect(warehouse)) as con:
        ingest_units(con, discover([tmp / "export" / "slack"]))
        ingest_units(con, discover([tmp / "export" / "github"]))
        con.execute("create schema held_back")
        for table in HELD_BACK_RAW:
            name = table.replace(".", "__")
            con.execute(f"create table held_back.{name} as select * from {table} "
                        f"where updated_at >= timestamp '{HELD_BACK_FROM}'")
            con.execute(f"delete from {table} where updated_at >= timestamp '{HELD_BACK_FROM}'")
    build_project(warehouse, tmp)
    return warehouse


def release_held_back(con: duckdb.DuckDBPyConnection) -> None:
    """The held-back week arrives as a later ingest (a fresh _ingested_at)."""
    for table in HELD_BACK_RAW:
        con.execute(f"insert into {table} select * replace "
                    "(now() at time zone 'UTC' + interval 1 second as _ingested_at) "
                    f"from held_back.{table.replace('.', '__')}")


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


# the facts of fct_activities the recompute tests keep in held_back.facts before a refresh
HELD_FACTS = "activity_id, person_id, platform, activity_type, occurred_at, parent_id, is_contribution, is_bot"


def hold_facts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create table held_back.facts as select {HELD_FACTS} from marts.fct_activities")


def moved_people(warehouse: Path) -> set[str]:
    """People on either side of an activity whose person changed since held_back.facts."""
    return {p for (p,) in rows(warehouse, """
        select unnest([held.person_id, now.person_id]) from marts.fct_activities as now
        inner join held_back.facts as held on held.activity_id = now.activity_id
        where held.person_id <> now.person_id""")}


def first_change(warehouse: Path, excluding: set[str] = frozenset()) -> date | None:
    """The earliest day of a fact changed since held_back.facts, of anyone not in `excluding`."""
    people = "[" + ", ".join(f"'{p}'" for p in excluding) + "]::varchar[]"
    return rows(warehouse, f"""
        select min(cast(occurred_at as date)) from (
            select {HELD_FACTS} from marts.fct_activities except select * from held_back.facts)
        where not list_contains({people}, person_id)""")[0][0]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("incremental")
    simulate(SimulationConfig(seed=3, people=24, weeks=8, end=date(2026, 3, 29)), tmp / "export")
    warehouse = tmp / "warehouse.duckdb"
    with closing(connect(warehouse)) as con:
        ingest_units(con, discover([tmp / "export" / "slack"]))
    build_project(warehouse, tmp)
    slack_only = dict(rows(warehouse, "select activity_id, person_id from marts.fct_activities"))
    with closing(connect(warehouse)) as con:
        con.execute(f"insert into marts.fct_activities select * replace ('{STALE}' as activity_id) "
                    "from marts.fct_activities limit 1")
        ingest_units(con, discover([tmp / "export" / "github"]))
        # an edit of the oldest Slack message activity, as the Slack connector upserts it
        edited = con.execute(f"""
            update raw_slack.messages
            set payload = json_merge_patch(payload, json_object('text', '{EDITED}')),
                _ingested_at = now() at time zone 'UTC' + interval 1 second
            where 'slack:' || channel_id || ':' || ts = (
                select activity_id from marts.fct_activities
                where platform = 'slack' and activity_type = 'message' and activity_id <> '{STALE}'
                order by occurred_at, activity_id limit 1)
            returning 'slack:' || channel_id || ':' || ts""").fetchall()
    build_project(warehouse, tmp)
    incremental = rows(warehouse, FCT)
    models = incremental_models(tmp)
    # the models' incremental queries, compiled against the tables as they now stand
    pending = {name: rows(warehouse, f"select count(*) from ({query}) as pending")[0][0]
               for name, query in compiled_queries(BY_INGESTION, warehouse, tmp).items()}
    selects = {table: comparable(warehouse, table) for table in models}
    with closing(connect(warehouse)) as con:
        con.execute("create schema snapshot")
        for table in models:
            con.execute(f"create table snapshot.{table.replace('.', '__')} as {selects[table]}")
    build_project(warehouse, tmp, full_refresh=True)
    differences = {}
    for table in models:
        copy = f"snapshot.{table.replace('.', '__')}"
        differences[table] = rows(warehouse, f"""
            select (select count(*) from (select * from {copy} except all {comparable(warehouse, table)})),
                   (select count(*) from ({comparable(warehouse, table)} except all select * from {copy})),
                   (select count(*) from {table})""")[0]
    return {"slack_only": slack_only, "incremental": incremental, "pending": pending,
            "full": rows(warehouse, FCT), "warehouse": warehouse, "differences": differences,
            "edited": edited[0][0], "models": models}


def compiled_queries(names: list[str], warehouse: Path, tmp: Path) -> dict[str, str]:
    """The models' incremental queries, compiled against the tables as they now stand."""
    run_dbt(["compile", "--select", *names], warehouse, tmp)
    return {name: next(p for p in (tmp / "target" / "compiled").rglob(f"{name}.sql")
                       if p.parent.suffix != ".yml").read_text()  # not a unit test's fixture
            for name in names}


def test_incremental_refresh_equals_a_full_refresh(refreshed):
    assert len(refreshed["incremental"]) > len(refreshed["slack_only"]) > 0
    assert sorted(refreshed["incremental"]) == sorted(refreshed["full"])
    assert STALE not in {row[0] for row in refreshed["incremental"]}


def test_slack_activities_move_to_the_github_person_they_turn_out_to_be(refreshed):
    now = dict(rows(refreshed["warehouse"], "select activity_id, person_id from marts.fct_activities"))
    moved = [a for a, person in refreshed["slack_only"].items() if now[a] != person]
    assert moved, "the GitHub archive should link some Slack users to GitHub logins"
    assert all(a.startswith("slack:") for a in moved)


def test_every_incremental_model_equals_a_full_refresh(refreshed):
    assert ALWAYS_INCREMENTAL <= set(refreshed["models"])
    # (rows only in the incremental table, rows only in the rebuilt one, rows) per model
    differences = refreshed["differences"]
    assert {t: d[:2] for t, d in differences.items()} == {t: (0, 0) for t in differences}
    assert all(d[2] > 0 for d in differences.values())


def test_an_edited_message_reaches_the_facts(refreshed):
    text = rows(refreshed["warehouse"],
                f"select text from marts.fct_activities where activity_id = '{refreshed['edited']}'")
    assert text == [(EDITED,)]


def test_a_refresh_with_nothing_new_selects_no_row(refreshed):
    assert refreshed["pending"] == {name: 0 for name in BY_INGESTION}
