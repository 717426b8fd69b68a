"""The weekly report as one HTML file that works offline: no CDN, no external script or font.

plotly.js is inlined once in the page head and each chart is a Plotly div with a fixed id, so
the file opens from a mail attachment or a laptop without network and re-renders to the same
bytes. Jinja autoescaping handles names and messages; the model-written summary is Markdown
rendered with raw HTML disabled, so community text cannot inject markup or scripts.
"""

from __future__ import annotations

import re
from functools import cache

import jinja2
import plotly.graph_objects as go
from markdown_it import MarkdownIt
from markupsafe import Markup

from apps.streamlit import charts
from codeconvene.report_queries import ReportExtras

TEMPLATE = "weekly_report.html.j2"
_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$")
CHART_CONFIG = {"displaylogo": False, "responsive": True}


@cache
def plotly_js() -> Markup:
    """plotly.js itself (about 4.8 MB), kept in memory once per process."""
    from plotly.offline import get_plotlyjs

    # a literal "</script>" inside would end the inline tag early
    return Markup(get_plotlyjs().replace("</script", "<\\/script"))


def chart_div(figure: go.Figure, div_id: str) -> Markup:
    """A chart as a <div> plus the inline call that draws it; plotly.js comes from the head."""
    figure.update_layout(template="plotly_white", height=360)
    return Markup(
        figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=CHART_CONFIG)
    )


def report_charts(extras: ReportExtras) -> list[Markup]:
    found = []
    if not extras.weekly.is_empty():
        found.append(chart_div(charts.weekly_contributors(extras.weekly), "chart-contributors"))
    if not extras.daily.is_empty():
        found.append(chart_div(charts.activity_by_platform(extras.daily), "chart-activity"))
    return found


def markdown_html(text: str) -> Markup:
    """Model-written Markdown to HTML, raw HTML in it escaped rather than passed through."""
    return Markup(MarkdownIt("commonmark", {"html": False}).render(text or ""))


def safe_url(url: str | None) -> str | None:
    """Only plain http(s) links become hrefs (no javascript: or data: URLs)."""
    return url if url and _SAFE_URL.match(url) else None


@cache
def _environment() -> jinja2.Environment:
    from codeconvene.report import TEMPLATES_DIR

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = markdown_html
    env.filters["safe_url"] = safe_url
    return env


def render_html(context: dict) -> str:
    """The page for one report context (codeconvene.report.report_context)."""
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(**context, charts=report_charts(context["extras"]), plotly_js=plotly_js())
    )
