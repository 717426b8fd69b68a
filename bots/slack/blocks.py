"""Block Kit for answers and notices: the answer, its sources as links, the SQL as small print.

Text from the warehouse or the asker is escaped (`&`, `<`, `>`) so it can never turn into a
mention, a channel ping or a disguised link; only URLs we chose become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bots.poster import Notice

SECTION_LIMIT = 3000  # Slack's limit for a section's or context element's text
_URL = re.compile(r"^https?://[^\s<>|]+$")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int = SECTION_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str, label: str | None = None) -> str:
    """A Slack link for a URL we trust; anything else is shown as code, not linked."""
    if not _URL.match(url or ""):
        return f"`{escape(url)}`"
    label = (label or url).replace("|", "/")
    return f"<{url}|{escape(label)}>"


def source_label(source: Any) -> str:
    """A source as a link: a URL, a (label, url) pair, an object with url/title, or a table name."""
    if isinstance(source, str):
        return link(source) if _URL.match(source) else f"`{escape(source)}`"
    if isinstance(source, (tuple, list)) and len(source) == 2:
        label, url = source
        return link(str(url), str(label))
    if isinstance(source, dict):
        url, label = (
            source.get("url"),
            source.get("title") or source.get("label") or source.get("id"),
        )
    else:
        url, label = (
            getattr(source, "url", None),
            getattr(source, "title", None) or getattr(source, "id", None),
        )
    if url:
        return link(str(url), str(label) if label else None)
    return f"`{escape(str(label or source))}`"


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text)}}


def context(*texts: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(t)} for t in texts]}


def sources_block(sources: Iterable[Any], numbered: bool = False) -> dict | None:
    """Sources as links; `numbered` when the answer cites them as [1], [2], …"""
    labels = [source_label(s) for s in sources]
    if numbered:
        labels = [f"[{n}] {label}" for n, label in enumerate(labels, 1)]
    return context("*Sources:* " + " · ".join(labels)) if labels else None


def sql_block(sql: str, params: Iterable[Any] = ()) -> dict:
    shown = " ".join(sql.split())
    bound = ", ".join(str(p) for p in params)
    text = f"*SQL:* `{escape(clip(shown, 2600))}`" + (
        f"  *parameters:* {escape(bound)}" if bound else ""
    )
    return context(text)


def answer_blocks(answer: Any) -> list[dict]:
    """Blocks for an engine `Answer` (read by attribute so a richer Answer still renders)."""
    blocks = [section(escape(answer.text))]
    sources = sources_block(getattr(answer, "sources", ()) or (), numbered="[1]" in answer.text)
    if sources:
        blocks.append(sources)
    sql = getattr(answer, "sql", None)
    if sql:
        blocks.append(sql_block(sql, getattr(answer, "params", ()) or ()))
    if getattr(answer, "uncertain", False) and sources and getattr(answer, "kind", "") != "unknown":
        blocks.append(context("_I'm not sure about this one: check the sources._"))
    return blocks


def notice_blocks(notice: Notice) -> list[dict]:
    blocks = [section(f"*{escape(notice.title)}*\n{escape(notice.text)}")]
    if notice.links:
        blocks.append(context(" · ".join(link(url, label) for label, url in notice.links)))
    if notice.footnote:
        blocks.append(context(escape(notice.footnote)))
    return blocks


def text_blocks(text: str) -> list[dict]:
    return [section(escape(text))]
