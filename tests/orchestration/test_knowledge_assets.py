"""The knowledge assets run through Dagster: FAQ, search index and triage, checks passing."""

from __future__ import annotations

from datetime import datetime as T

import dagster as dg

from bots.answer.interactions import Interaction, record
from codeconvene.warehouse import connect, reader
from ml.index import document_ids, search
from orchestration.assets.knowledge import knowledge_assets, knowledge_checks
from orchestration.resources import CodeConveneResource

DDL = """
create schema if not exists marts;
create table marts.fct_activities (
    activity_id varchar, person_id varchar, platform varchar, activity_type varchar,
    occurred_at timestamp, container varchar, thread_id varchar, parent_id varchar,
    is_question boolean, is_contribution boolean, is_bot boolean, text varchar, url varchar
);
create table marts.dim_contributors (
    person_id varchar, display_name varchar, platforms varchar[], first_seen_at timestamp,
    last_seen_at timestamp, is_bot boolean, is_maintainer boolean, activity_count integer
);
"""


def _act(aid, person, platform, kind, at, thread, text, question=False):
    return (aid, person, platform, kind, at, "help" if platform == "slack" else "owner/repo",
            thread, None, question, True, False, text, f"https://example.test/{aid}")


ROWS = [
    _act("q1", "p_bob", "slack", "message", T(2026, 11, 2, 9), "t1", "Where are the logs stored?", True),
    _act("a1", "p_ann", "slack", "reply", T(2026, 11, 2, 10), "t1", "Under $CODECONVENE_HOME/logs, one file per run."),
    _act("q2", "p_cy", "slack", "message", T(2026, 11, 5, 9), "t2", "Where can I find the log files?", True),
    _act("i1", "p_bob", "github", "issue_opened", T(2026, 11, 3), "github:owner/repo#1",
         "Dashboard crashes on large exports\n\nIt dies after a minute."),
    _act("c1", "p_ann", "github", "issue_comment", T(2026, 11, 3, 12), "github:owner/repo#1", "Fixed on main, thanks for the report."),
    _act("i2", "p_cy", "github", "issue_opened", T(2026, 11, 9), "github:owner/repo#2",
         "A crash in the dashboard with a big export\n\nSame here."),
]


def _home(home) -> None:
    con = connect(home / "warehouse.duckdb")
    con.execute(DDL)
    con.executemany("insert into marts.fct_activities values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ROWS)
    con.executemany(
        "insert into marts.dim_contributors values (?, ?, ['slack'], ?, ?, false, ?, 3)",
        [(p, p[2:], T(2026, 10, 1), T(2026, 11, 9), p == "p_ann") for p in ("p_ann", "p_bob", "p_cy")],
    )
    con.close()
    docs = home / "docs"
    docs.mkdir()
    (docs / "ops.md").write_text("# Operations\n\n## Logs\n\nLogs are written to the logs folder of the home.\n")
    (home / "codeconvene.yaml").write_text(f"docs:\n  path: {docs}\n  base_url: https://docs.example.org\n")


def _metadata(result, key: list[str]) -> dict:
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(key)]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def test_knowledge_assets_materialize_twice_with_passing_checks(home):
    # GIVEN a warehouse with a question asked twice, two crash reports and a docs folder
    _home(home)
    # AND a bot that answered on a read-only connection, which spooled its exchange
    asked = Interaction("x1", T(2026, 11, 10), "slack", "U1", "where is the roadmap?", "knowledge",
                        "I don't know.", (), True, None)
    with reader(home / "warehouse.duckdb") as con:
        assert record(con, asked) == "spool"
    resources = {"codeconvene": CodeConveneResource(home=str(home))}
    # WHEN the FAQ, the index and triage are materialized twice
    first = dg.materialize([*knowledge_assets, *knowledge_checks], resources=resources)
    second = dg.materialize([*knowledge_assets, *knowledge_checks], resources=resources)
    # THEN both runs succeed and every check passes
    for result in (first, second):
        assert result.success
        checks = result.get_asset_check_evaluations()
        assert {c.check_name for c in checks} == {
            "faq_cites_existing_activities", "index_holds_faq", "triage_duplicates_exist"}
        assert all(c.passed for c in checks)
    # AND the FAQ has the repeated question, answered
    assert _metadata(first, ["ml", "faq"]) == {
        "questions": 2, "entries": 1, "answered": 1, "bot_interactions_landed": 1}
    assert _metadata(second, ["ml", "faq"])["bot_interactions_landed"] == 0
    # AND the index took 6 activities, the FAQ entry and the docs section; the two questions
    # reused the vectors the FAQ had computed, and a second run embeds nothing
    index = _metadata(first, ["lance", "documents"])
    assert (index["docs_chunks"], index["documents"], index["embedded"]) == (1, 8, 6)
    again = _metadata(second, ["lance", "documents"])
    assert (again["upserted"], again["embedded"]) == (0, 0)
    lance = home / "lance"
    assert {"q1", "i1", "i2"} <= document_ids(lance) and len(document_ids(lance, kind="faq")) == 1
    hit = search(lance, "where do logs go", k=1, kinds=["doc"])[0]
    assert hit.url == "https://docs.example.org/ops.md#logs"
    # AND the later crash report is triaged as a duplicate of the first
    assert _metadata(first, ["ml", "issue_triage"]) == {"issues": 2, "open": 2, "duplicates": 1}
    con = connect(home / "warehouse.duckdb")
    row = con.execute("select duplicate_of, type, suggested_responder from ml.issue_triage "
                      "where issue_id = 'github:owner/repo#2'").fetchone()
    gaps = con.execute("select question, uncertain from ml.bot_interactions").fetchall()
    con.close()
    assert row == ("github:owner/repo#1", "bug", "p_ann")
    # AND the spooled exchange landed once, as a documentation gap
    assert gaps == [("where is the roadmap?", True)]
