"""The community marts recompute only what a new week can change.

GIVEN a small simulated community whose last week of raw Slack messages and GitHub events is
      held back, built once (both dbt steps), then the held-back rows ingested again with a
      fresh _ingested_at and fct_activities (with the helpers the marts read) refreshed
WHEN the incremental queries of the community marts are compiled against the warehouse as it
     now stands
THEN the period marts (weekly: bus/elephant factors and the person windows they rank, contributor counts; daily: engagement,
     active people) recompute only from the week (day) where the refresh's earliest change
     lies (for the person windows and active people: the earliest change of anyone but the people
     an identity link moved), found independently by comparing fct_activities before and after (and, for
     engagement, the days of messages that new replies answer), and fewer rows than their
     tables hold; the hour-of-week mart recomputes every platform, the community and the
     persons who gained contributions, not everybody.
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
from tests.dbt_project.test_marts_incremental import (
    HELD_FACTS as FACTS,
)

pytestmark = pytest.mark.slow
WEEKLY = {"mart_community_health_weekly__factors": "week_start",
          "mart_community_health_weekly__person_windows": "week_start",
          "mart_community_health_weekly__contributors": "week_start"}
DAILY = {"mart_engagement_daily": "activity_date", "mart_active_people_daily": "activity_date"}
# built before the compile so that the marts' inputs are as a refresh would find them
UPSTREAM = ["+fct_activities", "mart_community_health_weekly__weeks",
            "mart_community_health_weekly__organizations", "mart_contributor_health__timezones"]


@pytest.fixture(scope="module")
def recompute(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("recompute_community")
    warehouse = built_without_last_week(tmp)
    with closing(connect(warehouse)) as con:
        hold_facts(con)
        release_held_back(con)
    run_dbt(["run", "--select", *UPSTREAM], warehouse, tmp)
    names = [*WEEKLY, *DAILY, "mart_activity_hour_of_week"]
    queries = compiled_queries(names, warehouse, tmp)
    # what changed, from the facts before and after (not from the change stamps)
    first_changed = first_change(warehouse)
    [(first_answered,)] = rows(warehouse, f"""
        select min(cast(parents.occurred_at as date))
        from (select {FACTS} from marts.fct_activities except select * from held_back.facts) as changed
        inner join marts.fct_activities as parents on parents.activity_id = changed.parent_id""")
    # people on either side of an activity that identity resolution moved (new links this week)
    merged = moved_people(warehouse)
    first_unmerged = first_change(warehouse, excluding=merged)
    windows = rows(warehouse, f"""
        select min(week_start) filter (where _recompute = 'range'),
               list(distinct person_id) filter (where _recompute = 'entity')
        from ({queries['mart_community_health_weekly__person_windows']}) as pending""")[0]
    gained = {person for (person,) in rows(warehouse, f"""
        select distinct person_id from (
            select {FACTS} from marts.fct_activities except select * from held_back.facts)
        where is_contribution and not is_bot""")}
    recomputed = {}
    for name, query in queries.items():
        column = WEEKLY.get(name) or DAILY.get(name) or "subject_type"
        recomputed[name] = rows(warehouse, f"""
            select count(*), min({column}), list(distinct _recompute),
                (select count(*) from marts.{name})
            from ({query}) as pending""")[0]
    persons = rows(warehouse, f"""
        select list(distinct subject_id) filter (where subject_type = 'person'),
               list(distinct subject_id) filter (where subject_type <> 'person'),
               (select count(distinct subject_id) from marts.mart_activity_hour_of_week
                where subject_type = 'person'),
               (select list(distinct subject_id) from marts.mart_activity_hour_of_week
                where subject_type <> 'person')
        from ({queries['mart_activity_hour_of_week']}) as pending""")[0]
    return {"first_changed": first_changed, "first_answered": first_answered, "gained": gained,
            "merged": merged, "first_unmerged": first_unmerged, "windows": windows,
            "recomputed": recomputed, "persons": persons}


def test_the_new_week_brought_changes(recompute):
    # mostly the held-back week; replies and identity links can touch a few days before it
    assert date.fromisoformat(HELD_BACK_FROM) - timedelta(days=14) <= recompute["first_changed"]
    assert recompute["gained"]


@pytest.mark.parametrize("name", sorted(set(WEEKLY) - {"mart_community_health_weekly__person_windows"}))
def test_weekly_marts_recompute_from_the_first_changed_week(recompute, name):
    first = recompute["first_changed"]
    week = first - timedelta(days=first.weekday())
    count, start, kinds, total = recompute["recomputed"][name]
    assert (start, kinds) == (week, ["range"])
    assert 0 < count < total


def test_person_windows_recompute_moved_people_whole_and_the_rest_from_their_first_change(recompute):
    # identity links that the new week brought moved some people's older activities
    assert recompute["merged"], "the held-back week merges someone"
    first = recompute["first_unmerged"]
    count, _start, _kinds, total = recompute["recomputed"]["mart_community_health_weekly__person_windows"]
    range_start, entity_people = recompute["windows"]
    assert range_start == first - timedelta(days=first.weekday())
    assert entity_people and set(entity_people) <= recompute["merged"]
    assert 0 < count < total


@pytest.mark.parametrize("name", sorted(DAILY))
def test_daily_marts_recompute_from_the_first_changed_day(recompute, name):
    first = recompute["first_changed"]
    if name == "mart_engagement_daily" and recompute["first_answered"] is not None:
        first = min(first, recompute["first_answered"])  # a new reply answers an older message
    if name == "mart_active_people_daily":
        # the people the new week's identity links moved come as 'entity' days where their move
        # changed a count (none here; test_marts_recompute_active_people has some)
        first = recompute["first_unmerged"]
    count, start, kinds, total = recompute["recomputed"][name]
    assert (start, kinds) == (first, ["range"])
    assert 0 < count < total


def test_hour_of_week_recomputes_the_persons_who_contributed_and_every_platform(recompute):
    recomputed_persons, other_subjects, persons_in_table, subjects_in_table = recompute["persons"]
    assert set(recomputed_persons) >= recompute["gained"]
    assert len(recomputed_persons) < persons_in_table
    assert sorted(other_subjects) == sorted(subjects_in_table)
    assert recompute["recomputed"]["mart_activity_hour_of_week"][2] == ["entity"]
