"""The weekly report (Markdown and self-contained HTML): a pure function of the warehouse,
the same bytes every time.

Figures, names and questions come from `ml.weekly_facts` (shared with the summary, so the
two never disagree); the prose is the week's row in `ml.summaries`, written earlier by the
build. Rendering never calls a model and never stamps the current time, so re-rendering an
unchanged warehouse gives an identical file (safe to diff, commit or post).

Names, messages and URLs are community input: they are escaped for Markdown so a display
name cannot inject links, HTML or table cells into the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2

from codeconvene.report_queries import gather_report_extras, table_exists
from ml.weekly_facts import Figure, gather_weekly_facts
from ml.weekly_facts import latest_complete_week as _latest_complete_week

TEMPLATES_DIR = Path(__file__).parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!])")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"]+$")

__all__ = [
    "latest_complete_week",
    "render_weekly_report",
    "report_context",
    "weekly_report_html",
    "weekly_report_markdown",
    "write_weekly_report",
]


def latest_complete_week(con: duckdb.DuckDBPyConnection) -> str:
    """'YYYY-Www' of the last week that ended before the newest activity in the warehouse."""
    return _latest_complete_week(con)


@dataclass(frozen=True)
class _Summary:
    text: str
    model: str


def format_change(figure: Figure) -> str:
    """'+3 (+50%)', '-2 (-20%)', '0', or 'n/a' when there is no previous week."""
    if figure.delta is None:
        return "n/a"
    if figure.delta == 0:
        return "0"
    sign = "+" if figure.delta > 0 else "-"
    text = f"{sign}{abs(figure.delta)}"
    if figure.previous:
        text += f" ({sign}{round(abs(figure.delta) * 100 / figure.previous)}%)"
    return text


def md_inline(value: object, limit: int | None = None) -> str:
    """Community text made safe for one line of Markdown: one line, escaped, optionally cut."""
    text = " ".join(str(value or "").split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_prose(value: object) -> str:
    """Model-written Markdown kept as Markdown, but with raw HTML (and so scripts) disarmed."""
    return str(value or "").strip().replace("<", "&lt;").replace(">", "&gt;")


def md_link(url: str) -> str:
    return f"<{url}>" if _SAFE_URL.match(url or "") else md_inline(url)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=False,  # Markdown, not HTML: escaping is done by the `md` filter
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_inline
    env.filters["link"] = md_link
    env.filters["prose"] = md_prose
    return env


def _summary(con: duckdb.DuckDBPyConnection, iso_week: str) -> _Summary | None:
    if not table_exists(con, "ml", "summaries"):
        return None
    rows = con.execute(
        "select text, model from ml.summaries where period = ? and kind = 'weekly'", [iso_week]
    ).fetchall()
    return _Summary(text=rows[0][0].strip(), model=rows[0][1]) if rows else None


def report_context(con: duckdb.DuckDBPyConnection, iso_week: str | None = None) -> dict:
    """Everything either format shows for `iso_week` (default: the latest complete week)."""
    facts = gather_weekly_facts(con, iso_week)
    figures = [
        {
            "key": f.key,
            "label": f.label,
            "value": f.value,
            "previous": "n/a" if f.previous is None else f.previous,
            "delta": f.delta,
            "change": format_change(f),
        }
        for f in facts.figures
    ]
    extras = gather_report_extras(con, facts.week_start)
    return {
        "week": facts.iso_week,
        "start": facts.week_start.isoformat(),
        "end": facts.week_end.isoformat(),
        "figures": figures,
        "summary": _summary(con, facts.iso_week),
        "welcome": facts.welcome,
        "thank": facts.thank,
        "unanswered": facts.unanswered,
        "busiest": facts.busiest,
        "overloaded": extras.overloaded,
        "faq_changes": extras.faq_changes,
        "has_health": extras.has_health,
        "has_faq": extras.has_faq,
        "extras": extras,
    }


def weekly_report_markdown(con: duckdb.DuckDBPyConnection, iso_week: str | None = None) -> str:
    """The report's Markdown for `iso_week` (default: the latest complete week)."""
    return render_context(report_context(con, iso_week), "md")


def weekly_report_html(con: duckdb.DuckDBPyConnection, iso_week: str | None = None) -> str:
    """The same report as one self-contained HTML page, charts and plotly.js inlined."""
    return render_context(report_context(con, iso_week), "html")


FORMATS = ("md", "html")


def render_context(context: dict, fmt: str) -> str:
    """One format of a report context: Markdown, or the offline HTML page."""
    if fmt == "md":
        return _environment().get_template("weekly_report.md.j2").render(**context)
    if fmt == "html":
        from codeconvene.report_html import render_html

        return render_html(context)
    raise ValueError(f"unknown report format {fmt!r}; choose from md, html")


def write_weekly_report(
    con: duckdb.DuckDBPyConnection,
    iso_week: str | None,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
) -> dict[str, Path]:
    """Write `<out_dir>/<iso_week>.<format>` for each format; returns format -> path."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r}; choose from md, html")
    context = report_context(con, iso_week or latest_complete_week(con))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt in formats:
        path = out_dir / f"{context['week']}.{fmt}"
        path.write_text(render_context(context, fmt), encoding="utf-8", newline="\n")
        paths[fmt] = path
    return paths


def render_weekly_report(
    con: duckdb.DuckDBPyConnection, iso_week: str | None, out_dir: Path
) -> Path:
    """Write `<out_dir>/<iso_week>.md` and return its path."""
    return write_weekly_report(con, iso_week, out_dir, formats=("md",))["md"]
