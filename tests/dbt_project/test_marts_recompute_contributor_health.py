"""The contributor-health chain recomputes only what a new week can change, and ends where a
rebuild does.

GIVEN a small simulated community whose last week of raw Slack messages and GitHub events is
      held back, built once (both dbt steps), then the held-back rows ingested again with a
      fresh _ingested_at, one Slack profile's time zone moved 3 hours and another's name
      changed (no activity says so), a third Slack-only person's profile now links a GitHub
      login (identity resolution merges them: that person's old activities move), two people,
      one of whom first answered the other's item weeks earlier, now share an email on Slack
      (merged: that answer becomes a self-reply and no longer counts), and the inputs
      of the chain refreshed (fct_activities, the weeks, the time zones, the backlog flags, the
      contributors, mart_responsiveness)
WHEN the incremental queries of the chain are compiled against the warehouse as it now stands
THEN every person × week model recomputes its 'range' rows from the week holding the day before
     the first changed day (found by comparing fct_activities before and after, not from any
     stamp), or from an earlier week whose backlog growth flag changed (found by comparing the
     flags before and after); mart_contributor_health__days from the last stored local day before
     the day before the first changed day; 'entity' rows only for people whose time zone changed (compared before and
     after: exactly those with older rows, the moved profile among them) or, where names and
     maintainer flags are stored, whose attributes changed; each fewer rows than its table holds.
AND  every model leaves the merged people's moved activities out of that first changed day and
     recomputes those people whole instead ('entity' rows); the models that read the share of
     everyone's first responses (responses, workload, risk, mart_contributor_health) also start
     no later than the earliest first response that changed otherwise than by relabelling a
     merged responder (found by comparing mart_responsiveness before and after).
AND  after the whole refresh (sentiment scored between the steps), every model of the chain
     equals a --full-refresh rebuild of the chain row for row (doubles to 9 decimals).
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
    comparable,
    compiled_queries,
    first_change,
    hold_facts,
    moved_people,
    release_held_back,
    rows,
    run_dbt,
)

pytestmark = pytest.mark.slow
# person × ISO week models; True where the backlog growth flag reaches them
WEEKLY = {
    "mart_contributor_health__load": False,
    "mart_contributor_health__streaks": False,
    "mart_contributor_health__responses": True,
    "mart_contributor_health__workload": True,
    "mart_contributor_health__sentiment": False,
    "mart_contributor_health__risk": True,
    "mart_contributor_health": True,
}
# which store names and maintainer flags (recomputed whole when those change)
WITH_ATTRIBUTES = {"mart_contributor_health__workload", "mart_contributor_health"}
CHAIN = ["mart_contributor_health__days", *WEEKLY]
# rows of a person depend on that person's activities alone: merged people are recomputed whole
PER_PERSON = {"mart_contributor_health__days", "mart_contributor_health__load",
              "mart_contributor_health__streaks", "mart_contributor_health__sentiment"}
# read the share of everyone's first responses: also recompute from the first changed first response
READ_RESPONSES = {"mart_contributor_health__responses", "mart_contributor_health__workload",
                  "mart_contributor_health__risk", "mart_contributor_health"}
RESPONSES = "item_id, first_response_at, responder_person_id"
HELPER_TABLES = ["mart_contributor_health__timezones", "mart_contributor_health__backlog"]
# refreshed before the compile so that the chain's inputs are as a refresh finds them
UPSTREAM = ["+fct_activities", "+mart_community_health_weekly__weeks", "+dim_contributors",
            "+mart_contributor_health__timezones", "+mart_contributor_health__backlog", "+mart_responsiveness"]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@pytest.fixture(scope="module")
def recompute(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("recompute_contributor_health")
    warehouse = built_without_last_week(tmp)
    with closing(connect(warehouse)) as con:
        hold_facts(con)
        con.execute("create table held_back.timezones as "
                    "select person_id, utc_offset_minutes, timezone_source from marts.mart_contributor_health__timezones")
        con.execute("create table held_back.backlog as "
                    "select week_start, is_backlog_growing from marts.mart_contributor_health__backlog")
        con.execute("create table held_back.contributors as "
                    "select person_id, display_name, is_maintainer from marts.dim_contributors")
        # a Slack profile's time zone and another's display name change: no activity says so
        [(moved_user, moved_person)] = con.execute("""
            select users.user_id, fct.person_id
            from raw_slack.users as users
            inner join intermediate.int_identities_resolved as identities
                on identities.platform = 'slack' and identities.account_id = users.user_id
            inner join marts.fct_activities as fct on fct.person_id = identities.person_id
            where json_extract_string(users.payload, '$.tz_offset') is not null and fct.is_contribution
            group by all order by count(*) desc, users.user_id limit 1""").fetchall()
        con.execute("update raw_slack.users set payload = json_merge_patch(payload, json_object('tz_offset', "
                    "cast(json_extract_string(payload, '$.tz_offset') as integer) + 10800)) where user_id = ?",
                    [moved_user])
        con.execute("update raw_slack.users set payload = json_merge_patch(payload, json_object('profile', "
                    "json_object('display_name', 'Renamed', 'real_name', 'Renamed'))) where user_id = ("
                    "select min(user_id) from raw_slack.users where user_id <> ? and "
                    "json_extract_string(payload, '$.is_bot') is distinct from 'true')", [moved_user])
        # a Slack-only contributor's profile now links a GitHub-only contributor's login
        [(linked_user, linked_login)] = con.execute("""
            with people as (
                select identities.platform, identities.account_id, identities.person_id,
                       count(*) over (partition by identities.person_id) as accounts
                from intermediate.int_identities_resolved as identities
                where not identities.is_bot
                    and identities.person_id in (select person_id from marts.fct_activities where is_contribution)
            )
            select slack.account_id, github.account_id
            from people as slack, people as github
            inner join raw_slack.users as users on users.user_id = slack.account_id
            where slack.platform = 'slack' and slack.accounts = 1 and github.platform = 'github' and github.accounts = 1
                and slack.account_id <> ? and users.payload->>'$.profile.display_name' is distinct from 'Renamed'
            order by slack.account_id, github.account_id limit 1""", [moved_user]).fetchall()
        con.execute("update raw_slack.users set payload = json_merge_patch(payload, json_object('profile', "
                    "json_object('title', ?))) where user_id = ?", [f"github.com/{linked_login}", linked_user])
        # two people, one of whom first answered the other's item, now share an email on Slack
        con.execute(f"create table held_back.responsiveness as select {RESPONSES} from marts.mart_responsiveness")
        [(asker, answerer, flipped_item)] = con.execute("""
            with slack_accounts as (
                select min(identities.account_id) as account_id, identities.person_id
                from intermediate.int_identities_resolved as identities
                inner join raw_slack.users as users on users.user_id = identities.account_id
                where identities.platform = 'slack' and not identities.is_bot
                    and users.payload->>'$.profile.display_name' is distinct from 'Renamed'
                    and identities.person_id not in (
                        select person_id from intermediate.int_identities_resolved
                        where (platform = 'slack' and account_id in (?, ?)) or (platform = 'github' and account_id = ?))
                group by identities.person_id
            )
            select asker.account_id, answerer.account_id, items.item_id
            from marts.mart_responsiveness as items
            inner join slack_accounts as asker on asker.person_id = items.author_person_id
            inner join slack_accounts as answerer on answerer.person_id = items.responder_person_id
            where items.first_response_at < ? - interval 14 day and asker.person_id <> answerer.person_id
            order by items.first_response_at desc, items.item_id limit 1""",
            [moved_user, linked_user, linked_login, date.fromisoformat(HELD_BACK_FROM)]).fetchall()
        con.execute("update raw_slack.users set payload = json_merge_patch(payload, json_object('profile', "
                    "json_object('email', 'one.person@codeconvene.test'))) where user_id in (?, ?)", [asker, answerer])
        release_held_back(con)
    run_dbt(["run", "--select", *UPSTREAM], warehouse, tmp)
    queries = compiled_queries(CHAIN, warehouse, tmp)
    # what changed, from the tables before and after (not from the change stamps)
    first_changed = first_change(warehouse)
    # people on either side of an activity that changed person; the first change of anyone else
    merged = moved_people(warehouse)
    first_changed_unmerged = first_change(warehouse, excluding=merged)
    merged_list = "(" + ", ".join(f"'{p}'" for p in merged) + ")"
    [(first_response_changed,)] = rows(warehouse, f"""
        select min(least(coalesce(before.first_response_at, after.first_response_at),
                         coalesce(after.first_response_at, before.first_response_at)))
        from held_back.responsiveness as before
        full outer join (select {RESPONSES} from marts.mart_responsiveness) as after on after.item_id = before.item_id
        where before.first_response_at is distinct from after.first_response_at
            or (before.responder_person_id is distinct from after.responder_person_id
                and not (before.responder_person_id in {merged_list}
                         and after.responder_person_id in {merged_list}))""")
    flipped = rows(warehouse, f"""
        select before.first_response_at, after.first_response_at
        from held_back.responsiveness as before left join marts.mart_responsiveness as after using (item_id)
        where item_id = '{flipped_item}'""")
    [(first_flag_changed,)] = rows(warehouse, """
        select min(week_start) from (
            select week_start, is_backlog_growing from marts.mart_contributor_health__backlog
            except select * from held_back.backlog)""")
    moved_zone = {p for (p,) in rows(warehouse, """
        select person_id from (
            select person_id, utc_offset_minutes, timezone_source from marts.mart_contributor_health__timezones
            except select * from held_back.timezones)""")}
    renamed = {p for (p,) in rows(warehouse, """
        select person_id from (
            select person_id, display_name, is_maintainer from marts.dim_contributors
            except select * from held_back.contributors)""")}
    recomputed = {}
    for name, query in queries.items():
        column = "activity_date" if name == "mart_contributor_health__days" else "week_start"
        recomputed[name] = rows(warehouse, f"""
            select
                count(*),
                min({column}) filter (where _recompute = 'range'),
                list(distinct person_id) filter (where _recompute = 'entity'),
                (select count(*) from marts.{name})
            from ({query}) as pending""")[0]
    load_start = recomputed["mart_contributor_health__load"][1]
    load_people_before = {p for (p,) in rows(warehouse, f"""
        select distinct person_id from marts.mart_contributor_health__load
        where week_start < date '{load_start}'""")}
    alive = {p for (p,) in rows(warehouse, "select distinct person_id from marts.fct_activities")}
    gone = merged - alive
    gone_list = "[" + ", ".join(f"'{p}'" for p in gone) + "]::varchar[]"
    gone_rows_before = {name: rows(warehouse, f"select count(*) from marts.{name} where list_contains({gone_list}, person_id)")[0][0]
                        for name in CHAIN}
    # the rest of the refresh (the new messages scored, then the chain and the sentiment it reads),
    # then a rebuild of the chain from the same inputs
    with closing(connect(warehouse)) as con:
        score_new_messages(con)
    run_dbt(["run", "--select", "mart_sentiment_weekly__messages", *CHAIN], warehouse, tmp)
    tables = [f"marts.{name}" for name in CHAIN + HELPER_TABLES]
    selects = {table: comparable(warehouse, table) for table in tables}
    with closing(connect(warehouse)) as con:
        con.execute("create schema snapshot")
        for table in tables:
            con.execute(f"create table snapshot.{table.split('.')[1]} as {selects[table]}")
    run_dbt(["run", "--full-refresh", "--select", *CHAIN, *HELPER_TABLES], warehouse, tmp)
    gone_rows_after = {name: rows(warehouse, f"select count(*) from snapshot.{name} where list_contains({gone_list}, person_id)")[0][0]
                       for name in CHAIN}
    differences = {}
    for table in tables:
        copy = f"snapshot.{table.split('.')[1]}"
        differences[table] = rows(warehouse, f"""
            select (select count(*) from (select * from {copy} except all {comparable(warehouse, table)})),
                   (select count(*) from ({comparable(warehouse, table)} except all select * from {copy})),
                   (select count(*) from {table})""")[0]
    # the next mart_responsiveness run prunes what every reader has read
    logged = "select count(*) from meta.mart_responsiveness_replaced"
    [(logged_before,)] = rows(warehouse, logged)
    run_dbt(["run", "--select", "mart_responsiveness"], warehouse, tmp)
    [(logged_after,)] = rows(warehouse, logged)
    [(kept_unread,)] = rows(warehouse, """
        select count(*) from meta.mart_responsiveness_replaced
        where replaced_at <= (select min(updated_at) from meta.mart_watermarks
                              where model like 'mart_contributor_health%'
                                  and model in ('mart_contributor_health', 'mart_contributor_health__responses',
                                                'mart_contributor_health__workload', 'mart_contributor_health__risk'))""")
    return {"first_changed": first_changed, "first_flag_changed": first_flag_changed,
            "first_response_changed": first_response_changed, "flipped": flipped,
            "logged": (logged_before, logged_after, kept_unread),

            "merged": merged, "alive": alive, "gone": gone, "gone_rows_before": gone_rows_before,
            "gone_rows_after": gone_rows_after, "first_changed_unmerged": first_changed_unmerged, "linked": (linked_user, linked_login),
            "moved_person": moved_person, "moved_zone": moved_zone, "load_people_before": load_people_before, "renamed": renamed, "recomputed": recomputed,
            "differences": differences}


def test_the_merge_turned_an_older_first_response_into_a_self_reply(recompute):
    # it changed which reply first answered the question, weeks before anything else changed
    changed = recompute["first_response_changed"].date()
    assert changed < recompute["first_changed_unmerged"] - timedelta(days=7)
    flipped = recompute["flipped"]
    assert flipped and flipped[0][0] != flipped[0][1] and flipped[0][0].date() == changed


def test_the_first_response_log_keeps_only_what_a_reader_has_not_read(recompute):
    logged_before, logged_after, kept_unread = recompute["logged"]
    assert logged_before > 0 and kept_unread == 0
    assert logged_after < logged_before


def test_the_new_week_brought_changes(recompute):
    # mostly the held-back week; replies and identity links can touch a few days before it
    assert date.fromisoformat(HELD_BACK_FROM) - timedelta(days=14) <= recompute["first_changed_unmerged"]
    # the merge moved the Slack person's history, weeks older than that
    # (the merged person may get a new id: then both old ones are gone)
    assert len(recompute["merged"]) >= 2, recompute["linked"]
    assert recompute["first_changed"] < date.fromisoformat(HELD_BACK_FROM) - timedelta(days=14)
    assert recompute["moved_person"] in recompute["moved_zone"]
    assert recompute["renamed"], "a renamed Slack profile renames a contributor"


def test_local_days_recompute_from_the_day_before_the_first_changed_day(recompute):
    first = recompute["first_changed_unmerged"]
    count, start, entity_people, total = recompute["recomputed"]["mart_contributor_health__days"]
    # from the last stored day before the day before it (which comes back unchanged)
    assert first - timedelta(days=7) <= start <= first - timedelta(days=1)
    assert set(entity_people or []) <= recompute["moved_zone"] | recompute["merged"]
    assert recompute["merged"] & recompute["alive"] <= set(entity_people or [])
    assert 0 < count < total


@pytest.mark.parametrize("name", sorted(WEEKLY))
def test_weekly_models_recompute_from_the_first_changed_week(recompute, name):
    first = recompute["first_changed_unmerged"]
    if name in READ_RESPONSES:
        first = min(first, recompute["first_response_changed"].date())
    week = monday(first - timedelta(days=1))
    if WEEKLY[name] and recompute["first_flag_changed"] is not None:
        week = min(week, recompute["first_flag_changed"])
    count, start, entity_people, total = recompute["recomputed"][name]
    assert start == week
    allowed = (recompute["moved_zone"] | (recompute["renamed"] if name in WITH_ATTRIBUTES else set())
               | recompute["merged"])
    assert set(entity_people or []) <= allowed
    # (those reading responses start at the flipped first response, early in this small community)
    assert 0 < count < total if name in PER_PERSON else 0 < count


def test_people_whose_time_zone_moved_are_recomputed_whole(recompute):
    # exactly those with rows before the range (someone new this week is in the range anyway)
    _, _start, entity_people, _ = recompute["recomputed"]["mart_contributor_health__load"]
    # (compiled before mart_contributor_health__days was refreshed: the people as they were)
    expected = (recompute["moved_zone"] | recompute["merged"]) & recompute["load_people_before"]
    assert set(entity_people or []) == expected
    assert recompute["merged"] & expected, "a merged person had older rows"
    assert recompute["moved_person"] in entity_people  # their Slack profile moved them 3 hours


def test_a_person_the_merge_left_without_activities_loses_their_rows(recompute):
    # the Slack person merged into the GitHub one had rows; none are left anywhere in the chain
    assert recompute["gone"]
    assert all(recompute["gone_rows_before"][name] > 0 for name in PER_PERSON), recompute["gone_rows_before"]
    assert recompute["gone_rows_after"] == {name: 0 for name in CHAIN}


def test_the_refreshed_chain_equals_a_rebuild(recompute):
    differences = recompute["differences"]
    assert {t: d[:2] for t, d in differences.items()} == {t: (0, 0) for t in differences}
    assert all(d[2] > 0 for d in differences.values())
