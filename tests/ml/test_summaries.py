"""Weekly summaries: facts from the marts, text from the offline engine, one row per week."""

from __future__ import annotations

import json

import pytest

from ml.llm import OfflineProvider
from ml.llm.extractive import rank_sentences
from ml.summaries import write_weekly_summary
from ml.weekly_facts import gather_weekly_facts, latest_complete_week


def test_offline_summary_states_active_count_and_thanks_the_top_human(warehouse):
    # GIVEN the hand-made week 2026-W46 (3 active, Alice top human, the bot busier than all)
    # WHEN the offline engine writes the weekly summary for the latest complete week
    row = write_weekly_summary(warehouse, OfflineProvider())
    # THEN it is about 2026-W46, gives the active count and its change, thanks Alice first
    assert row["period"] == "2026-W46"
    text = row["text"]
    assert "3 contributors were active (up 1 on the previous week)" in text
    assert "Thank you to Alice (4 contributions), Bob (2 contributions) and Carol" in text
    assert "dependabot" not in text
    assert "Welcome to Carol." in text
    assert "1 question asked this week is still waiting for a reply (in help)" in text
    # AND it quotes representative sentences of the week's messages
    assert "What people talked about: “" in text


def test_summary_row_is_stored_with_model_and_sources_and_replaced_on_rerun(warehouse):
    # GIVEN a summary already written for the week
    write_weekly_summary(warehouse, OfflineProvider(), "2026-W46")
    # WHEN it is written again
    write_weekly_summary(warehouse, OfflineProvider(), "2026-W46")
    # THEN one row exists, with the offline model and the ids it rests on
    rows = warehouse.execute(
        "select kind, model, sources from ml.summaries where period = '2026-W46'"
    ).fetchall()
    assert len(rows) == 1
    kind, model, sources = rows[0]
    assert (kind, model) == ("weekly", "offline-extractive-1")
    sources = json.loads(sources)
    assert "marts.mart_community_health_weekly:2026-W46" in sources["marts"]
    assert sources["activity_ids"] == ["a01", "a02", "a04", "a05", "a06", "a07"]


def test_facts_exclude_bots_and_answered_questions(warehouse):
    # GIVEN Bob's question answered by Alice and Carol's answered only by a bot
    facts = gather_weekly_facts(warehouse, "2026-W46")
    # THEN only Carol's question is unanswered, with its url
    assert [(q.activity_id, q.url) for q in facts.unanswered] == [
        ("a07", "https://example.slack.com/archives/C2/p1")
    ]
    # AND the bot is neither thanked nor among the busiest places' counts
    assert [(p.name, p.contributions) for p in facts.thank] == [
        ("Alice", 4),
        ("Bob", 2),
        ("Carol", 1),
    ]
    assert [(b.container, b.activities) for b in facts.busiest] == [
        ("owner/repo", 4),
        ("general", 3),
        ("help", 1),
    ]
    assert [p.name for p in facts.welcome] == ["Carol"]


def test_latest_complete_week_is_the_one_before_the_watermark(warehouse):
    # GIVEN the newest activity on Tuesday 2026-11-17 (W47, still running)
    # THEN the latest complete week is W46
    assert latest_complete_week(warehouse) == "2026-W46"


def test_an_export_ending_on_a_sunday_completes_that_week(tmp_path):
    # GIVEN activity from Monday 2026-11-02 to Sunday 2026-11-22 23:00 (the end of W47)
    import duckdb

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts; create table marts.fct_activities (occurred_at timestamp)")
    con.execute("insert into marts.fct_activities values ('2026-11-02 09:00'), ('2026-11-22 23:00')")
    # THEN W47 is complete, as the dashboards' Overview also says; a day less and it is not
    assert latest_complete_week(con) == "2026-W47"
    con.execute("update marts.fct_activities set occurred_at = '2026-11-21 23:00' where occurred_at > '2026-11-20'")
    assert latest_complete_week(con) == "2026-W46"


def test_data_within_one_week_reports_that_week(tmp_path):
    # GIVEN an export that covers a few hours of one Wednesday (as the real GH Archive sample)
    import duckdb

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema marts; create table marts.fct_activities (occurred_at timestamp)")
    con.execute("insert into marts.fct_activities values ('2021-07-21 06:00:00'), ('2021-07-21 09:00:00')")
    # THEN the only week with data is the one reported, not an empty week before it
    assert latest_complete_week(con) == "2021-W29"
    con.close()


def test_a_week_missing_from_the_health_mart_is_a_clear_error(warehouse):
    # GIVEN a week the health mart has no row for
    # THEN gathering its facts names the week and the mart
    with pytest.raises(LookupError, match="2026-W40.*mart_community_health_weekly"):
        gather_weekly_facts(warehouse, "2026-W40")
    with pytest.raises(ValueError, match="2026-W07"):
        gather_weekly_facts(warehouse, "2026-46")


def test_ranked_sentences_prefer_the_shared_topic():
    # GIVEN three messages about the release and one aside
    messages = [
        ("m1", "The release candidate build passed on every platform today."),
        ("m2", "I tested the release candidate build and it works for me."),
        ("m3", "Lunch was nice but the coffee machine is broken again."),
        ("m4", "Can someone tag the release candidate build before Friday?"),
    ]
    # WHEN two sentences are ranked
    picked = rank_sentences(messages, k=2)
    # THEN both come from the release thread, never the aside
    assert len(picked) == 2
    assert {p.activity_id for p in picked} <= {"m1", "m2", "m4"}
