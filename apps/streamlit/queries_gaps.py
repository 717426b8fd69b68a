"""Documentation gaps: unanswered questions grouped by the words they share.

DESIGN §5 wants uncertain and unanswered questions clustered into documentation gaps; until
ml/ writes such clusters, this explainable stand-in groups the questions of
mart_unanswered_questions by their telling words, so a maintainer sees "cache: 4 questions"
and the questions themselves. Pure Python over a frame: no warehouse, no streamlit.
"""

from __future__ import annotations

import re
from collections import defaultdict

import polars as pl

GAP_MIN_QUESTIONS = 2
_STOPWORDS_TEXT = """
a about after again all also am an and any anyone are as at be been before being but by can
could do does doing for from get getting has have how i if in into is it its just like me my
need no not of on one or our out run running should so some someone that the their them then
there this to try trying up us use using want was we what when where which while who why will
with without would you your yet there's it's i'm can't doesn't don't idea possible question
best way anybody know thanks thank please help hi hello hey able good better work works
working still
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
SCHEMA = {
    "topic": pl.String,
    "questions": pl.Int64,
    "still_unanswered": pl.Int64,
    "examples": pl.List(pl.String),
    "urls": pl.List(pl.String),
}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z0-9_+-]{2,}", text.lower()) if w not in STOPWORDS}


def group_gaps(questions: pl.DataFrame, top: int = 12) -> pl.DataFrame:
    """Group questions by the words they share: one row per word asked about ≥ 2 times.

    A crude, explainable stand-in for embedding clusters: a maintainer sees "cache: 4
    questions" and the questions themselves. Columns: topic, questions, still_unanswered,
    examples (list of question texts), urls (list, nulls kept for chat questions).
    """
    if questions.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in questions.iter_rows(named=True):
        for word in _words(row["text"] or ""):
            groups[word].append(row)
    rows = [
        {
            "topic": word,
            "questions": len(items),
            "still_unanswered": sum(1 for r in items if r["is_still_unanswered"]),
            "examples": [r["text"] for r in items],
            "urls": [r["url"] for r in items],
        }
        for word, items in groups.items()
        if len(items) >= GAP_MIN_QUESTIONS
    ]
    rows.sort(key=lambda r: (-r["questions"], -r["still_unanswered"], r["topic"]))
    return pl.DataFrame(rows[:top], schema=SCHEMA)
