"""The thread- and activity-grained marts, fct_activities and the commit-email helper read and
recompute only what a new week can change.

GIVEN a small simulated community whose last week of raw Slack messages and GitHub events is
      held back, built once (both dbt steps), then the held-back rows ingested again with a
      fresh _ingested_at
WHEN the incremental queries are compiled against the warehouse as a refresh finds it (the
     per-commit email helper before it runs; fct_activities once its inputs are refreshed; the
     thread and sentiment marts once fct_activities is refreshed and the new messages scored)
THEN the email helper parses only the held-back pushes; fct_activities writes exactly the
     activities that differ from before (found by comparing the table before and after, not
     from any stamp); mart_sentiment_thread_days recomputes exactly the scored threads with a
     new activity, mart_sentiment_weekly__messages exactly the new scored human conversation,
     mart_sentiment_weekly every week from the first changed one, and mart_responsiveness the
     items of the threads with a new activity plus the held items whose undecided answer the
     later "now" settles; each fewer rows than its table holds.
"""

from __future__ import annotations

from contextlib import closing
from datetime import date, timedelta

import pytest

from codeconvene.warehouse import connect
from ml.sentiment import score_new_messages
from tests.dbt_project.test_marts_incremental import (
    HELD_BACK_FROM,
    built_without_last_week,
    compiled_queries,
    release_held_back,
    rows,
    run_dbt,
)

pytestmark = pytest.mark.slow
COLUMNS = ("activity_id, person_id, platform, activity_type, occurred_at, container, thread_id, "
           "parent_id, is_question, is_contribution, is_bot, text, url")
CHANGED = f"(select {COLUMNS} from marts.fct_activities except select * from held_back.facts)"
THREAD_MARTS = ["mart_sentiment_thread_days", "mart_sentiment_weekly__messages",
                "mart_sentiment_weekly", "mart_responsiveness"]


@pytest.fixture(scope="module")
def recompute(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("recompute_threads")
    warehouse = built_without_last_week(tmp)
    with closing(connect(warehouse)) as con:
        con.execute(f"create table held_back.facts as select {COLUMNS} from marts.fct_activities")
        con.execute("create table held_back.responsiveness as select * from marts.mart_responsiveness")
        release_held_back(con)
    result = {}
    # the per-commit email helper, before it runs
    run_dbt(["run", "--select", "stg_github__events"], warehouse, tmp)
    helper = compiled_queries(["int_github_emails_attributed__commits"], warehouse, tmp)
    result["helper"] = rows(warehouse, f"""
        select count(distinct event_id), count(*),
            (select count(*) from intermediate.int_github_emails_attributed__commits)
        from ({helper['int_github_emails_attributed__commits']}) as pending""")[0]
    result["held_back_pushes"] = rows(warehouse, """
        select count(*) from held_back.raw_github__events where event_type = 'PushEvent'""")[0][0]
    # fct_activities, once everything it reads is refreshed
    run_dbt(["run", "--select", "+fct_activities", "--exclude", "fct_activities"], warehouse, tmp)
    fct = compiled_queries(["fct_activities"], warehouse, tmp)["fct_activities"]
    result["fct_pending"] = set(rows(warehouse, f"select activity_id from ({fct}) as pending"))
    run_dbt(["run", "--select", "fct_activities", "mart_responsiveness__reactions"], warehouse, tmp)
    result["fct_changed"] = set(rows(warehouse, f"select activity_id from {CHANGED}"))
    result["fct_rows"] = rows(warehouse, "select count(*) from marts.fct_activities")[0][0]
    with closing(connect(warehouse)) as con:
        score_new_messages(con)
    queries = compiled_queries(THREAD_MARTS, warehouse, tmp)
    result["pending"] = {
        name: rows(warehouse, f"select * from ({query}) as pending")
        for name, query in queries.items()
    }
    result["columns"] = {
        name: [c for (c,) in rows(warehouse, f"select column_name from (describe ({query}))")]
        for name, query in queries.items()
    }
    result["totals"] = {name: rows(warehouse, f"select count(*) from marts.{name}")[0][0]
                        for name in THREAD_MARTS}
    # what each mart must recompute, from the facts before and after (not from the stamps)
    result["threads"] = {t for (t,) in rows(warehouse, f"""
        select distinct coalesce(changed.thread_id, changed.activity_id) from {CHANGED} as changed
        where exists (select 1 from marts.fct_activities as activities
                      inner join ml.sentiment on sentiment.activity_id = activities.activity_id
                      where coalesce(activities.thread_id, activities.activity_id)
                          = coalesce(changed.thread_id, changed.activity_id))""")}
    result["messages"] = {a for (a,) in rows(warehouse, f"""
        select changed.activity_id from {CHANGED} as changed
        inner join ml.sentiment on sentiment.activity_id = changed.activity_id
        where changed.is_contribution and not changed.is_bot
            and changed.activity_type not in ('push', 'commit', 'release', 'star', 'fork',
                                              'issue_closed', 'pr_closed', 'pr_merged')""")}
    result["first_changed"] = rows(warehouse, f"select min(cast(occurred_at as date)) from {CHANGED}")[0][0]
    result["items"] = {i for (i,) in rows(warehouse, f"""
        select items.activity_id from marts.fct_activities as items
        where items.thread_id in (select thread_id from {CHANGED})
            and items.parent_id is null
            and (items.activity_type in ('issue_opened', 'pr_opened', 'topic')
                 or (items.activity_type = 'message' and items.is_question))""")}
    result["settled"] = {i for (i,) in rows(warehouse, """
        select item_id from held_back.responsiveness
        where is_unanswered is null
            and created_at + interval 2 day <= (select max(occurred_at) from marts.fct_activities)""")}
    return result


def test_the_new_week_brought_changes(recompute):
    # held back by raw updated_at: a message of the day before, edited in the last week, is new too
    assert recompute["first_changed"] >= date.fromisoformat(HELD_BACK_FROM) - timedelta(days=7)
    assert recompute["threads"] and recompute["messages"] and recompute["items"]


def test_the_email_helper_parses_only_the_new_pushes(recompute):
    events, commits, held = recompute["helper"]
    assert events == recompute["held_back_pushes"] > 0
    assert 0 < commits < held


def test_fct_activities_writes_exactly_what_changed(recompute):
    assert recompute["fct_pending"] == recompute["fct_changed"]
    assert 0 < len(recompute["fct_pending"]) < recompute["fct_rows"]


def test_thread_days_recompute_the_scored_threads_with_a_new_activity(recompute):
    pending = recompute["pending"]["mart_sentiment_thread_days"]
    columns = recompute["columns"]["mart_sentiment_thread_days"]
    thread, kind = columns.index("thread_id"), columns.index("_recompute")
    assert {row[thread] for row in pending} == recompute["threads"]
    assert {row[kind] for row in pending} == {"entity"}
    assert len(pending) < recompute["totals"]["mart_sentiment_thread_days"]


def test_sentiment_messages_recompute_the_new_scored_conversation(recompute):
    pending = recompute["pending"]["mart_sentiment_weekly__messages"]
    columns = recompute["columns"]["mart_sentiment_weekly__messages"]
    activity, kind = columns.index("activity_id"), columns.index("_recompute")
    assert {row[activity] for row in pending} == recompute["messages"]
    assert {row[kind] for row in pending} == {"entity"}
    assert len(pending) < recompute["totals"]["mart_sentiment_weekly__messages"]


def test_sentiment_weekly_recomputes_from_the_first_changed_week(recompute):
    pending = recompute["pending"]["mart_sentiment_weekly"]
    columns = recompute["columns"]["mart_sentiment_weekly"]
    week, kind = columns.index("week_start"), columns.index("_recompute")
    first = recompute["first_changed"]
    assert min(row[week] for row in pending) == first - timedelta(days=first.weekday())
    assert {row[kind] for row in pending} == {"range"}
    assert len(pending) < recompute["totals"]["mart_sentiment_weekly"]


def test_responsiveness_recomputes_touched_and_settled_items(recompute):
    pending = recompute["pending"]["mart_responsiveness"]
    columns = recompute["columns"]["mart_responsiveness"]
    item, kind = columns.index("item_id"), columns.index("_recompute")
    assert {row[item] for row in pending} == recompute["items"] | recompute["settled"]
    assert {row[kind] for row in pending} == {"entity"}
    assert len(pending) < recompute["totals"]["mart_responsiveness"]
