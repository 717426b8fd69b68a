"""`/convene stats|faq|report`: fixed queries over marts and ml tables, returned as `Answer`s.

Pure (no chat SDK), so the Discord adapter can reuse it. Like the answer engine, user text
never becomes SQL: the FAQ filter is a bound parameter.
"""

from __future__ import annotations

import duckdb

from bots.answer.engine import Answer
from ml.tables import table_exists
from ml.weekly_facts import latest_complete_week, parse_iso_week

HELP = (
    "Try `/convene ask how many new contributors last month?`, `/convene stats`, "
    "`/convene faq [words]` or `/convene report`. You can also mention me with a question."
)

STATS_SQL = (
    'select iso_week, active, new, "returning", ttfr_median_hours, unanswered_questions, '
    "health_score from marts.mart_community_health_weekly where week_start = ?"
)
FAQ_SQL = (
    "select question, answer, answer_url, frequency from ml.faq "
    "where ? = '' or question ilike '%' || ? || '%' or answer ilike '%' || ? || '%' "
    "order by frequency desc, faq_id limit ?"
)
REPORT_SQL = (
    "select period, text from ml.summaries where kind = 'weekly' order by period desc limit 1"
)


def _not_built(what: str) -> Answer:
    return Answer(
        text=f"{what} is not built yet (run `codeconvene build`).", kind="unknown", uncertain=True
    )


def _figure(value, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value:,}{unit}"


def stats(con: duckdb.DuckDBPyConnection) -> Answer:
    """The latest complete week's headline figures from mart_community_health_weekly."""
    if not table_exists(con, "marts", "mart_community_health_weekly"):
        return _not_built("The weekly health mart")
    try:
        iso_week = latest_complete_week(con)
    except LookupError:
        return _not_built("The activity mart")
    monday = parse_iso_week(iso_week)
    rows = con.execute(STATS_SQL, [monday]).fetchall()
    if not rows:
        return Answer(text=f"No figures for week {iso_week} yet.", kind="unknown", uncertain=True)
    week, active, new, returning, ttfr, unanswered, health = rows[0]
    text = (
        f"Week {week}: {_figure(active)} active contributors ({_figure(new)} new, "
        f"{_figure(returning)} returning); median time to first response "
        f"{_figure(ttfr, ' h')}; {_figure(unanswered)} unanswered questions; "
        f"health score {_figure(health, '/100', 0)}."
    )
    return Answer(
        text=text,
        kind="metric",
        value=active,
        sql=STATS_SQL,
        params=(monday,),
        sources=("marts.mart_community_health_weekly",),
    )


def faq(con: duckdb.DuckDBPyConnection, words: str = "", limit: int = 5) -> Answer:
    """The most asked questions (optionally those containing `words`) with their answers."""
    if not table_exists(con, "ml", "faq"):
        return _not_built("The FAQ")
    words = " ".join(words.split())[:200]
    rows = con.execute(FAQ_SQL, [words, words, words, limit]).fetchall()
    if not rows:
        suffix = f" about “{words}”" if words else ""
        return Answer(
            text=f"I don't know any frequent question{suffix} yet.", kind="unknown", uncertain=True
        )
    lines = []
    sources = []
    for question, answer_text, url, frequency in rows:
        lines.append(
            f"• {question} (asked {frequency}×)\n   {answer_text or 'No answer recorded yet.'}"
        )
        if url:
            sources.append((question[:60], url))
    return Answer(
        text="\n".join(lines),
        kind="knowledge",
        sql=FAQ_SQL,
        params=(words, words, words, limit),
        sources=tuple(sources) or ("ml.faq",),
    )


def report(con: duckdb.DuckDBPyConnection) -> Answer:
    """The latest weekly summary written by the AI layer."""
    if not table_exists(con, "ml", "summaries"):
        return _not_built("The weekly summary")
    rows = con.execute(REPORT_SQL).fetchall()
    if not rows:
        return _not_built("The weekly summary")
    period, text = rows[0]
    return Answer(
        text=f"Weekly summary {period}:\n{text}",
        kind="knowledge",
        sql=REPORT_SQL,
        sources=("ml.summaries",),
    )


GOOD_FIRST_SQL = (
    "select title, url from marts.mart_good_first_issues where url is not null "
    "order by age_days, issue_id limit ?"
)
WELCOME = (
    "Welcome! I'm CodeConvene's community bot. Ask me about the community by mentioning me "
    "(e.g. “how many new contributors last month?”) or use `/convene faq` for the most asked "
    "questions."
)


def good_first_issues(con: duckdb.DuckDBPyConnection, limit: int = 3) -> list[tuple[str, str]]:
    """(title, url) of the newest good first issues, for a newcomer's welcome."""
    if not table_exists(con, "marts", "mart_good_first_issues"):
        return []
    return [(title or url, url) for title, url in con.execute(GOOD_FIRST_SQL, [limit]).fetchall()]
