"""The content assets run through Dagster: drafts and welcomes written, their checks pass."""

from __future__ import annotations

from datetime import datetime as T

import dagster as dg

from codeconvene.warehouse import connect
from orchestration.assets.content import content_assets
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


def _act(aid, person, kind, at, thread=None, text=None):
    return (
        aid,
        person,
        "github",
        kind,
        at,
        "owner/repo",
        thread,
        None,
        False,
        True,
        False,
        text,
        f"https://github.com/owner/repo/{aid}",
    )


def _warehouse(home) -> None:
    """Week 2026-W46: Ann merges newcomer Ben's PR and publishes v1.0; W47 holds the watermark."""
    con = connect(home / "warehouse.duckdb")
    con.execute(DDL)
    con.executemany(
        "insert into marts.dim_contributors values (?, ?, ['github'], ?, ?, false, ?, 3)",
        [
            ("p_ann", "Ann", T(2026, 1, 1), T(2026, 11, 17), True),
            ("p_ben", "Ben", T(2026, 11, 10), T(2026, 11, 10), False),
        ],
    )
    con.executemany(
        "insert into marts.fct_activities values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            _act(
                "i1",
                "p_ann",
                "issue_opened",
                T(2026, 1, 2),
                "github:owner/repo#1",
                "Improve the parser error messages",
            ),
            _act(
                "pr2:opened",
                "p_ben",
                "pr_opened",
                T(2026, 11, 10),
                "github:owner/repo#2",
                "Fix the parser on empty files",
            ),
            _act("pr2:merged", "p_ann", "pr_merged", T(2026, 11, 11), "github:owner/repo#2"),
            _act("rel1", "p_ann", "release", T(2026, 11, 12), None, "v1.0"),
            _act("later", "p_ann", "issue_comment", T(2026, 11, 17), "github:owner/repo#1", "Hi"),
        ],
    )
    con.execute(
        "create table marts.mart_good_first_issues as select 'i1' as issue_id, "
        "'owner/repo' as container, 'Improve the parser error messages' as title, "
        "'https://github.com/owner/repo/i1' as url, 'good first issue' as labels, "
        "timestamp '2026-01-02' as created_at, 300 as age_days, 0 as comments, "
        "null as suggested_for"
    )
    con.close()


def _metadata(result, key: list[str]) -> dict:
    [event] = [
        e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(key)
    ]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def test_content_assets_materialize_with_passing_checks(home):
    # GIVEN a warehouse with a release, a merged PR and a newcomer, and no GROQ_API_KEY
    _warehouse(home)
    resources = {"codeconvene": CodeConveneResource(home=str(home))}
    # WHEN both content assets are materialized twice
    first = dg.materialize(content_assets, resources=resources)
    second = dg.materialize(content_assets, resources=resources)
    # THEN both runs succeed and every check passes
    for result in (first, second):
        assert result.success
        checks = result.get_asset_check_evaluations()
        assert {c.check_name for c in checks} == {"drafts_have_sources", "suggested_issues_exist"}
        assert all(c.passed for c in checks)
    # AND the first run wrote the drafts and the welcome, the second nothing
    drafts = _metadata(first, ["ml", "drafts"])
    assert drafts["period"] == "2026-W46" and drafts["written"] >= 3
    assert _metadata(second, ["ml", "drafts"])["written"] == 0
    assert _metadata(second, ["ml", "welcomes"])["written"] == 0
    welcome = _metadata(first, ["ml", "welcomes"])
    assert (welcome["newcomers"], welcome["suggested_issues"]) == (1, 1)
    assert welcome["model"] == "offline-extractive-1"
