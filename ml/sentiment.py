"""VADER sentiment for every activity that has text, scored once.

VADER is the default of DESIGN §5 because it runs offline, needs no model download and is
fast enough for a whole community history on two cores. Only activities not yet in
`ml.sentiment` are scored, so a rebuild after a day of new messages costs seconds.

Texts are streamed from a second cursor in Arrow batches and each batch is written with one
INSERT from an Arrow table; row-by-row `execute` would dominate the run time.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ml.tables import SENTIMENT, ensure_ml_table, utc_now

MODEL = "vader-3.3.2"
POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
# VADER's cost grows with text length; issue bodies can hold whole logs. The opening of a text
# carries its tone, so longer texts are scored on their first MAX_CHARS characters.
MAX_CHARS = 5000
BATCH_ROWS = 5000

_PENDING_SQL = """
select a.activity_id, a.text
from marts.fct_activities as a
where a.text is not null
  and trim(a.text) <> ''
  and not exists (select 1 from ml.sentiment as s where s.activity_id = a.activity_id)
"""


def label_for(compound: float) -> str:
    """VADER's own published thresholds: >= 0.05 positive, <= -0.05 negative."""
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def score_new_messages(con: duckdb.DuckDBPyConnection, *, batch_rows: int = BATCH_ROWS) -> int:
    """Score the activities with text that `ml.sentiment` lacks; returns how many were scored."""
    ensure_ml_table(con, SENTIMENT)
    analyzer = SentimentIntensityAnalyzer()
    scored_at = utc_now()
    # A separate cursor keeps its snapshot while this connection inserts the scored batches.
    source = con.cursor()
    try:
        batches = source.sql(_PENDING_SQL).to_arrow_reader(batch_rows)
        total = 0
        for batch in batches:
            if batch.num_rows == 0:
                continue
            _insert_scores(con, batch, analyzer, scored_at)
            total += batch.num_rows
        return total
    finally:
        source.close()


def _insert_scores(con, batch: pa.RecordBatch, analyzer, scored_at) -> None:
    compounds = [
        float(analyzer.polarity_scores(text[:MAX_CHARS])["compound"])
        for text in batch.column("text").to_pylist()
    ]
    scores = pa.table(
        {
            "activity_id": batch.column("activity_id"),
            "compound": pa.array(compounds, type=pa.float64()),
            "label": pa.array([label_for(c) for c in compounds], type=pa.string()),
        }
    )
    con.register("_sentiment_batch", scores)
    try:
        con.execute(
            "insert into ml.sentiment (activity_id, compound, label, model, scored_at) "
            "select activity_id, compound, label, ?, ? from _sentiment_batch",
            [MODEL, scored_at],
        )
    finally:
        con.unregister("_sentiment_batch")
