"""The generator's parts: config rules, text that scores as meant, paraphrases that differ."""

from __future__ import annotations

import random
from datetime import date

import pytest

from ingest.simulate import SimulationConfig
from ingest.simulate import issue_text as it
from ingest.simulate import text as tx
from ingest.simulate.config import last_sunday, window_for


def test_last_sunday_is_the_sunday_on_or_before_a_day():
    # GIVEN a Wednesday and a Sunday WHEN asked for the last Sunday THEN Sunday, or the day itself
    assert last_sunday(date(2026, 11, 25)) == date(2026, 11, 22)
    assert last_sunday(date(2026, 11, 22)) == date(2026, 11, 22)


def test_default_end_resolves_to_a_sunday_and_the_window_to_whole_iso_weeks():
    # GIVEN a config without an end WHEN resolved THEN it ends on a Sunday
    config = SimulationConfig(people=60, weeks=16).resolved()
    assert config.end is not None and config.end.weekday() == 6
    # AND its window is 16 Monday-to-Sunday weeks
    window = window_for(config)
    assert window.start.weekday() == 0 and window.days == 16 * 7 and len(window.weeks) == 16


@pytest.mark.parametrize("kwargs", [{"people": 5}, {"weeks": 1}, {"repo": "no-slash"}])
def test_config_rejects_what_cannot_hold_a_community(kwargs):
    with pytest.raises(ValueError):
        SimulationConfig(**kwargs)


def test_issue_topics_have_two_different_phrasings_of_the_same_thing():
    rng = random.Random(1)
    for kind in it.KIND_LABEL:
        for topic in it.topic_space(kind)[:20]:
            # GIVEN a topic WHEN phrased both ways THEN titles and bodies differ but name the same component
            (t0, b0), (t1, b1) = it.issue_text(kind, topic, 0, "v0.5.0", rng), it.issue_text(kind, topic, 1, "v0.5.0", rng)
            assert t0 != t1 and b0 != b1
            component = it.COMPONENTS[topic[0]]
            assert component.lower() in t0.lower() and component.lower() in t1.lower()


def test_one_off_questions_never_repeat():
    # GIVEN a question bank WHEN drained THEN no question comes twice and none is an FAQ wording
    bank = tx.QuestionBank(random.Random(3))
    asked = []
    while (question := bank.one_off()) is not None:
        asked.append(question)
    faq = {q for canonical, variants, _ in tx.FAQ for q in (canonical, *variants)}
    assert len(asked) == len(set(asked)) > 150
    assert not faq & set(asked)


def test_sentiment_templates_score_clearly_with_vader():
    vader = pytest.importorskip("vaderSentiment.vaderSentiment")
    analyzer = vader.SentimentIntensityAnalyzer()
    rng = random.Random(5)

    def score(template: str) -> float:
        return analyzer.polarity_scores(tx.fill(rng, template))["compound"]

    # GIVEN the positive and negative templates THEN VADER reads them the way they are meant
    for template in (*tx.POSITIVE, *tx.THANKS, *it.AUTHOR_FOLLOWUPS_OK):
        assert score(template) > 0.4, template
    for template in (*tx.NEGATIVE, *tx.STILL_BROKEN, *tx.STRESSED, *it.AUTHOR_FOLLOWUPS_BAD):
        assert score(template) < -0.3, template
