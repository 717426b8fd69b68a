"""One person's burnout risk: shown to maintainers only, politely refused to everyone else.

Who is a maintainer comes from the caller (`is_maintainer`, e.g. the CLI's operator, who can
read the warehouse anyway) or from the asker's id matching a maintainer in
`marts.dim_contributors` (person id or display name) or the configured `maintainers` logins.
Unknown askers are refused: the default is privacy.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import duckdb

REFUSAL = (
    "Sorry, I can only share one person's wellbeing figures (such as burnout risk) with the "
    "project's maintainers. If you're worried about someone, reach out to them or to a maintainer."
)
MAINTAINERS_SQL = (
    "select person_id, display_name from marts.dim_contributors "
    "where is_maintainer and not coalesce(is_bot, false)"
)
PEOPLE_SQL = "select person_id, display_name from marts.dim_contributors where not coalesce(is_bot, false)"
RISK_SQL = (
    "select display_name, iso_week, burnout_risk, risk_reasons from marts.mart_contributor_health "
    "where person_id = ? order by week_start desc limit 1"
)
ALL_RISK_SQL = (
    "select display_name, iso_week, burnout_risk, risk_reasons from marts.mart_contributor_health "
    "where is_maintainer and week_start = (select max(week_start) from marts.mart_contributor_health) "
    "order by burnout_risk desc, display_name"
)


@dataclass(frozen=True)
class RiskFigure:
    text: str
    value: float | None
    sql: str
    params: tuple


def asker_is_maintainer(
    con: duckdb.DuckDBPyConnection,
    asker: str | None,
    is_maintainer: bool | None,
    maintainers: Collection[str] = (),
) -> bool:
    if is_maintainer is not None:
        return is_maintainer
    if not asker:
        return False
    wanted = asker.strip().lower()
    if wanted in {m.lower() for m in maintainers}:
        return True
    try:
        rows = con.execute(MAINTAINERS_SQL).fetchall()
    except duckdb.CatalogException:
        return False
    return any(wanted in {str(pid).lower(), str(name or "").lower()} for pid, name in rows)


def _named_person(question: str, con: duckdb.DuckDBPyConnection) -> tuple[str, str] | None:
    """The person whose display name the question contains (longest name wins)."""
    text = question.lower()
    people = sorted(con.execute(PEOPLE_SQL).fetchall(), key=lambda r: -len(r[1] or ""))
    for person_id, name in people:
        if name and re.search(rf"(?<![\w.@-]){re.escape(name.lower())}(?![\w-])", text):
            return person_id, name
    return None


def _reasons(raw) -> str:
    if not raw:
        return "no risk factor flagged"
    text = str(raw).strip("[]").replace('"', "")
    return text or "no risk factor flagged"


def burnout_figure(question: str, con: duckdb.DuckDBPyConnection) -> RiskFigure | None:
    """The latest weekly burnout risk of the person named, or of every maintainer; None when
    the question names nobody the warehouse knows and there are no maintainers."""
    person = _named_person(question, con)
    if person is not None:
        rows = con.execute(RISK_SQL, [person[0]]).fetchall()
        if not rows:
            return RiskFigure(f"I have no weekly health figures for {person[1]}.", None, RISK_SQL, (person[0],))
        name, week, risk, reasons = rows[0]
        return RiskFigure(
            f"{name}'s burnout risk in {week} is {risk:.0f}/100 ({_reasons(reasons)}).",
            round(float(risk), 1), RISK_SQL, (person[0],))
    rows = con.execute(ALL_RISK_SQL).fetchall()
    if not rows:
        return None
    week = rows[0][1]
    listed = "; ".join(f"{name} {risk:.0f}/100" for name, _, risk, _ in rows)
    return RiskFigure(f"Maintainers' burnout risk in {week}: {listed}.",
                      round(float(rows[0][2]), 1), ALL_RISK_SQL, ())
