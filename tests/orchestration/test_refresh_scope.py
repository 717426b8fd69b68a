"""A refresh leaves alone the models fed only by raw tables that received nothing.

GIVEN a manifest where Discord and Slack staging feed their typed models, both feed the unioned
      activities, and a seed-only model exists; and raw tables whose state is read before and
      after an ingest of Slack messages
WHEN the unchanged tables and the models to skip are worked out
THEN only the Slack table counts as changed (inserts, upserts that restamp _ingested_at and
     deletions all count; a table without _ingested_at always counts), and exactly the Discord
     chain and the seed-only model are skipped; with nothing recorded, nothing is skipped.
"""

from __future__ import annotations

import duckdb

from orchestration.refresh_scope import changed_tables, models_to_skip, raw_state, read_recorded, record


def _model(name: str, *parents: str) -> dict:
    return {"resource_type": "model", "name": name, "depends_on": {"nodes": list(parents)}}


MANIFEST = {
    "sources": {
        "source.p.raw_discord.messages": {"schema": "raw_discord", "name": "messages", "identifier": "messages"},
        "source.p.raw_slack.messages": {"schema": "raw_slack", "name": "messages", "identifier": "messages"},
        "source.p.ml.sentiment": {"schema": "ml", "name": "sentiment", "identifier": "sentiment"},
    },
    "nodes": {
        "model.p.stg_discord__messages": _model("stg_discord__messages", "source.p.raw_discord.messages"),
        "model.p.int_discord_typed": _model("int_discord_typed", "model.p.stg_discord__messages"),
        "model.p.stg_slack__messages": _model("stg_slack__messages", "source.p.raw_slack.messages"),
        "model.p.int_slack_typed": _model("int_slack_typed", "model.p.stg_slack__messages"),
        "model.p.int_unioned": _model("int_unioned", "model.p.int_discord_typed", "model.p.int_slack_typed"),
        "model.p.mart_sentiment": _model("mart_sentiment", "source.p.ml.sentiment", "model.p.int_discord_typed"),
        "model.p.dim_weights": _model("dim_weights", "seed.p.weights"),
        "seed.p.weights": {"resource_type": "seed", "name": "weights", "depends_on": {"nodes": []}},
    },
}
TABLES = ["raw_discord.messages", "raw_slack.messages", "ml.sentiment"]


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for schema in ("raw_discord", "raw_slack", "ml"):
        con.execute(f"create schema {schema}")
    con.execute("create table raw_discord.messages (id int, _ingested_at timestamp)")
    con.execute("create table raw_slack.messages (id int, _ingested_at timestamp)")
    con.execute("create table ml.sentiment (activity_id varchar, scored_at timestamp)")
    con.execute("insert into raw_discord.messages values (1, '2026-01-01 10:00')")
    con.execute("insert into raw_slack.messages values (1, '2026-01-01 10:00'), (2, '2026-01-01 10:00')")
    return con


def test_only_tables_that_received_rows_count_as_changed():
    con = _warehouse()
    before = raw_state(con, TABLES)
    assert before["raw_slack.messages"] == [2, "2026-01-01T10:00:00"]
    assert before["ml.sentiment"] is None  # no _ingested_at: always changed
    assert changed_tables(before, raw_state(con, TABLES)) == {"ml.sentiment"}

    con.execute("insert into raw_slack.messages values (3, '2026-01-02 09:00')")
    assert changed_tables(before, raw_state(con, TABLES)) == {"raw_slack.messages", "ml.sentiment"}


def test_upserts_and_deletions_change_a_table_too():
    con = _warehouse()
    before = raw_state(con, TABLES)
    con.execute("update raw_discord.messages set _ingested_at = '2026-01-03 08:00'")
    assert "raw_discord.messages" in changed_tables(before, raw_state(con, TABLES))
    restamped = raw_state(con, TABLES)
    con.execute("delete from raw_discord.messages where id = 1")
    assert "raw_discord.messages" in changed_tables(restamped, raw_state(con, TABLES))


def test_models_fed_only_by_unchanged_tables_are_skipped():
    skipped = models_to_skip(MANIFEST, {"raw_slack.messages", "ml.sentiment"})
    assert skipped == ["dim_weights", "int_discord_typed", "stg_discord__messages"]


def test_nothing_is_skipped_when_no_state_was_recorded(tmp_path):
    con = _warehouse()
    assert read_recorded(tmp_path, "models") is None
    now = raw_state(con, TABLES)
    changed = changed_tables(read_recorded(tmp_path, "models"), now)
    assert models_to_skip(MANIFEST, changed) == ["dim_weights"]
    record(tmp_path, "models", now)
    assert read_recorded(tmp_path, "models") == now
    # once recorded, only what reads ml.sentiment (always counted as changed) still runs
    assert models_to_skip(MANIFEST, changed_tables(read_recorded(tmp_path, "models"), now)) == [
        "dim_weights", "int_discord_typed", "int_slack_typed", "int_unioned",
        "stg_discord__messages", "stg_slack__messages",
    ]
