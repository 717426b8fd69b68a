"""An identity merge reaches old days of mart_active_people_daily without recomputing them all.

GIVEN a small simulated community whose last week of raw Slack messages and GitHub events is
      held back, built once, then two people who both contributed on one day weeks earlier now
      share an email on Slack (identity resolution merges them: that day has one active person
      fewer), the held-back week ingested again, and fct_activities refreshed
WHEN the incremental query of mart_active_people_daily is compiled against the warehouse as it
     now stands
THEN its 'range' rows start at the first day changed by anyone but the merged people (found by
     comparing fct_activities before and after), and its 'entity' rows are exactly the older days
     whose counts a rebuild changes (found by comparing the table before with a --full-refresh
     rebuild), every line of each
AND  after the refresh the table equals the rebuild row for row.
"""

from __future__ import annotations

from contextlib import closing
from datetime import date, timedelta

import pytest

from codeconvene.warehouse import connect
from tests.dbt_project.test_marts_incremental import (
    HELD_BACK_FROM,
    built_without_last_week,
    compiled_queries,
    first_change,
    hold_facts,
    moved_people,
    release_held_back,
    rows,
    run_dbt,
)

pytestmark = pytest.mark.slow
MART = "mart_active_people_daily"
COLUMNS = "activity_date, platform, includes_bots, dau, wau, mau"


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("recompute_active_people")
    warehouse = built_without_last_week(tmp)
    with closing(connect(warehouse)) as con:
        hold_facts(con)
        con.execute(f"create table held_back.active as select {COLUMNS} from marts.{MART}")
        # two people with a Slack account who contributed on the same day, weeks before the new one
        [(first_user, second_user, shared_day)] = con.execute("""
            with slack_people as (
                select min(account_id) as account_id, person_id
                from intermediate.int_identities_resolved
                where platform = 'slack' and not is_bot
                group by person_id
            ),
            active_days as (
                select distinct person_id, cast(occurred_at as date) as day
                from marts.fct_activities
                where is_contribution and not is_bot and occurred_at < ? - interval 14 day
            )
            select first.account_id, second.account_id, max(first_days.day)
            from slack_people as first
            inner join slack_people as second on first.account_id < second.account_id
            inner join active_days as first_days on first_days.person_id = first.person_id
            inner join active_days as second_days
                on second_days.person_id = second.person_id and second_days.day = first_days.day
            group by first.account_id, second.account_id
            order by 3 desc, 1, 2 limit 1""", [date.fromisoformat(HELD_BACK_FROM)]).fetchall()
        con.execute("update raw_slack.users set payload = json_merge_patch(payload, json_object('profile', "
                    "json_object('email', 'same.person@codeconvene.test'))) where user_id in (?, ?)",
                    [first_user, second_user])
        release_held_back(con)
    run_dbt(["run", "--select", "+fct_activities"], warehouse, tmp)
    [query] = compiled_queries([MART], warehouse, tmp).values()
    pending = {kind: (start, days, count) for kind, start, days, count in rows(warehouse, f"""
        select _recompute, min(activity_date), list(distinct activity_date order by activity_date), count(*)
        from ({query}) as pending group by _recompute""")}
    merged = moved_people(warehouse)
    first_unmerged = first_change(warehouse, excluding=merged)
    run_dbt(["run", "--select", MART], warehouse, tmp)
    with closing(connect(warehouse)) as con:
        con.execute(f"create table held_back.refreshed as select {COLUMNS} from marts.{MART}")
    run_dbt(["run", "--full-refresh", "--select", MART], warehouse, tmp)
    changed_days = [d for (d,) in rows(warehouse, f"""
        select distinct activity_date from (
            select {COLUMNS} from marts.{MART} except select * from held_back.active)
        where activity_date < date '{first_unmerged}' order by 1""")]
    lines = rows(warehouse, f"select count(distinct (platform, includes_bots)) from marts.{MART}")[0][0]
    differences = rows(warehouse, f"""
        select (select count(*) from (select * from held_back.refreshed except all select {COLUMNS} from marts.{MART})),
               (select count(*) from (select {COLUMNS} from marts.{MART} except all select * from held_back.refreshed))""")[0]
    return {"pending": pending, "merged": merged, "first_unmerged": first_unmerged, "shared_day": shared_day,
            "changed_days": changed_days, "lines": lines, "differences": differences}


def test_the_merge_reached_a_day_weeks_before_the_new_week(refreshed):
    assert len(refreshed["merged"]) >= 2
    assert refreshed["shared_day"] < refreshed["first_unmerged"] - timedelta(days=7)
    assert refreshed["shared_day"] in refreshed["changed_days"]


def test_the_range_starts_at_the_first_change_of_anyone_else(refreshed):
    start, _days, _count = refreshed["pending"]["range"]
    assert start == refreshed["first_unmerged"]


def test_the_older_days_recomputed_are_exactly_those_whose_counts_changed(refreshed):
    _start, days, count = refreshed["pending"]["entity"]
    assert days == refreshed["changed_days"]
    assert count == len(days) * refreshed["lines"]


def test_the_refreshed_table_equals_a_rebuild(refreshed):
    assert refreshed["differences"] == (0, 0)
