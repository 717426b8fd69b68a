"""ml.sentiment: VADER labels, only new activities scored, written in batches."""

from __future__ import annotations

from datetime import datetime

import pytest

from codeconvene.warehouse import connect
from ml.sentiment import MODEL, label_for, score_new_messages

POSITIVE = "I love this project, thank you so much for the amazing help!"
NEGATIVE = "This is terrible, the install is broken and the docs are awful."


@pytest.fixture
def con(tmp_path):
    con = connect(tmp_path / "warehouse.duckdb")
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_activities (activity_id varchar, occurred_at timestamp, "
        "is_bot boolean, text varchar)"
    )
    rows = [("pos", POSITIVE), ("neg", NEGATIVE), ("none", None), ("blank", "   ")]
    con.executemany(
        "insert into marts.fct_activities values (?, ?, false, ?)",
        [(aid, datetime(2026, 11, 10), text) for aid, text in rows],
    )
    yield con
    con.close()


def test_scores_positive_and_negative_text_with_the_right_labels(con):
    # GIVEN a clearly positive and a clearly negative message, plus a null and a blank text
    # WHEN new messages are scored
    scored = score_new_messages(con)
    # THEN only the two texts are scored, with VADER's label and model name
    assert scored == 2
    rows = con.execute(
        "select activity_id, label, compound, model from ml.sentiment order by activity_id"
    ).fetchall()
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("neg", "negative", MODEL),
        ("pos", "positive", MODEL),
    ]
    compounds = {r[0]: r[2] for r in rows}
    assert compounds["pos"] > 0.5 and compounds["neg"] < -0.5


def test_second_run_scores_nothing_and_a_new_message_is_scored_alone(con):
    # GIVEN a warehouse already scored once
    assert score_new_messages(con) == 2
    # WHEN scoring runs again with nothing new
    # THEN nothing is scored
    assert score_new_messages(con) == 0
    # WHEN one new message arrives, THEN only it is scored (batches of 1 still work)
    con.execute("insert into marts.fct_activities values ('new', '2026-11-11', false, 'Okay.')")
    assert score_new_messages(con, batch_rows=1) == 1
    assert con.execute("select count(*) from ml.sentiment").fetchone()[0] == 3


def test_many_messages_are_scored_across_several_batches(con):
    # GIVEN 250 more messages and a batch size of 100
    con.execute(
        "insert into marts.fct_activities select 'bulk' || i, timestamp '2026-11-12', false, "
        "'Great work, thanks!' from range(250) t(i)"
    )
    # WHEN scored
    # THEN all 252 texts are scored exactly once
    assert score_new_messages(con, batch_rows=100) == 252
    assert con.execute(
        "select count(distinct activity_id), min(label) from ml.sentiment "
        "where activity_id like 'bulk%'"
    ).fetchone() == (250, "positive")


def test_label_thresholds_follow_vader():
    # GIVEN compounds at and around the published thresholds
    # THEN the labels are VADER's
    assert [label_for(x) for x in (0.05, 0.049, -0.049, -0.05)] == [
        "positive",
        "neutral",
        "neutral",
        "negative",
    ]
