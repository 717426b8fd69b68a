"""Discord message shapes as plain dicts: embeds for answers, figures, FAQ and reports.

Pure (no `discord` import, DESIGN §2): the adapter turns these dicts into `discord.Embed`
with `Embed.from_dict`, so what a command says can be tested without a client. Discord
rejects embeds past its limits (title 256, description 4096, field value 1024, footer 2048,
6000 in all), so every text is cut here, never by the API with an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_MAX = 1024
FOOTER_MAX = 2048
THREAD_NAME_MAX = 100
MESSAGE_MAX = 2000

GREEN = 0x2E7D32
AMBER = 0xF9A825
BLUE = 0x1565C0

_SAFE_URL = re.compile(r"^https?://[^\s<>()\"]+$")
_MENTIONS = re.compile(r"@(everyone|here)")


def cut(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters, marking the cut with an ellipsis."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quiet(text: str) -> str:
    """User text with @everyone / @here defused (a zero-width space after the @)."""
    return _MENTIONS.sub("@\u200b\\1", text or "")


def source_line(source: Any) -> str:
    """One source as Markdown: a link when it has a safe URL, else the name in code style."""
    url = getattr(source, "url", None) if not isinstance(source, str) else None
    title = getattr(source, "title", None) if not isinstance(source, str) else None
    name = source if isinstance(source, str) else (title or url or str(source))
    if url is None and isinstance(source, str) and _SAFE_URL.match(source):
        url = source
    if url and _SAFE_URL.match(url):
        label = (title or url).replace("[", "(").replace("]", ")")
        return f"[{cut(label, 80)}]({url})"
    return f"`{cut(str(name).replace('`', ''), 120)}`"


def sources_field(sources: Iterable[Any]) -> dict[str, Any] | None:
    lines = [f"• {source_line(s)}" for s in sources]
    if not lines:
        return None
    kept: list[str] = []
    for line in lines:
        if len("\n".join([*kept, line])) > FIELD_MAX:
            break
        kept.append(line)
    return {"name": "Sources", "value": "\n".join(kept) or cut(lines[0], FIELD_MAX), "inline": False}


def sql_field(sql: str | None) -> dict[str, Any] | None:
    if not sql:
        return None
    fence = "```sql\n{}\n```"
    body = cut(" ".join(sql.split()), FIELD_MAX - len(fence.format("")))
    return {"name": "SQL", "value": fence.format(body.replace("```", "'''")), "inline": False}


def answer_embed(question: str, answer: Any) -> dict[str, Any]:
    """The engine's `Answer` (text, sources, sql, params, uncertain) as one embed."""
    uncertain = bool(getattr(answer, "uncertain", False))
    fields = [
        f
        for f in (sources_field(getattr(answer, "sources", ()) or ()), sql_field(getattr(answer, "sql", None)))
        if f
    ]
    params = getattr(answer, "params", ()) or ()
    footer = "I don't know for sure: nothing in the warehouse supports a firm answer." if uncertain else ""
    if params:
        footer = cut(f"SQL parameters: {', '.join(str(p) for p in params)}", FOOTER_MAX)
    embed: dict[str, Any] = {
        "type": "rich",
        "title": cut(quiet(question), TITLE_MAX),
        "description": cut(getattr(answer, "text", "") or "", DESCRIPTION_MAX),
        "color": AMBER if uncertain else GREEN,
        "fields": fields,
    }
    if footer:
        embed["footer"] = {"text": footer}
    return embed


def thread_name(question: str) -> str:
    """A thread title from the question: one line, at most 100 characters, never empty."""
    line = " ".join((question or "").split())
    return cut(line, THREAD_NAME_MAX) or "Question"


def figures_embed(iso_week: str, figures: Sequence[Any], title: str = "Community this week") -> dict[str, Any]:
    """Weekly figures (label, value, previous) as inline fields with the change since last week."""
    fields = []
    for figure in figures:
        previous = getattr(figure, "previous", None)
        change = ""
        if previous is not None:
            delta = figure.value - previous
            change = f" ({'+' if delta >= 0 else '−'}{abs(delta):,} vs last week)"
        fields.append({"name": figure.label, "value": f"{figure.value:,}{change}", "inline": True})
    return {
        "type": "rich",
        "title": f"{title}: {iso_week}",
        "color": BLUE,
        "fields": fields[:25],
        "footer": {"text": "Source: marts.mart_community_health_weekly"},
    }


def faq_embed(entries: Sequence[tuple[str, str | None, str | None, int]], topic: str = "") -> dict[str, Any]:
    """FAQ entries (question, answer, answer_url, frequency) as fields, most asked first."""
    title = f"FAQ: {cut(quiet(topic), 200)}" if topic else "Frequently asked questions"
    if not entries:
        return {
            "type": "rich",
            "title": title,
            "description": "No FAQ entries match yet. Ask with /ask and I will look it up.",
            "color": AMBER,
        }
    fields = []
    for question, answer, url, frequency in entries[:10]:
        link = f"\n[source]({url})" if url and _SAFE_URL.match(url) else ""
        body = cut(quiet(answer or "No answer recorded yet."), FIELD_MAX - len(link))
        fields.append({"name": cut(f"{quiet(question)} (asked {frequency}×)", TITLE_MAX), "value": body + link})
    return {"type": "rich", "title": title, "color": BLUE, "fields": fields,
            "footer": {"text": "Source: ml.faq"}}


def report_embed(iso_week: str, markdown: str) -> dict[str, Any]:
    return {
        "type": "rich",
        "title": f"Weekly report {iso_week}",
        "description": cut(markdown, DESCRIPTION_MAX),
        "color": BLUE,
        "footer": {"text": "The full report: codeconvene report"},
    }


def notice_embed(text: str) -> dict[str, Any]:
    """A plain honest reply (nothing built yet, not allowed, too many questions)."""
    return {"type": "rich", "description": cut(text, DESCRIPTION_MAX), "color": AMBER}


def question_header(question: str, asker_mention: str) -> str:
    """The channel message a thread hangs from: who asked what."""
    return cut(f"{asker_mention} asked: {quiet(' '.join(question.split()))}", MESSAGE_MAX)


def welcome_text(member_mention: str, guild_name: str, hints: Sequence[str] = ()) -> str:
    """The greeting for a member who just joined; `hints` are optional next steps."""
    lines = [
        f"Welcome to {quiet(guild_name) or 'the community'}, {member_mention}! We are glad you are here.",
        (
            "Ask anything with `/ask` (for example `/ask how many new contributors joined last month`), "
            "or browse the most common questions with `/faq`."
        ),
    ]
    lines += [f"• {quiet(h)}" for h in hints]
    return cut("\n".join(lines), MESSAGE_MAX)


def notice_embed_from(notice: Any) -> dict[str, Any]:
    """A `bots.poster.Notice` (title, text, links, footnote) as an embed."""
    links = [f"• [{cut(label.replace('[', '(').replace(']', ')'), 80)}]({url})"
             for label, url in getattr(notice, "links", ()) if _SAFE_URL.match(url or "")]
    embed: dict[str, Any] = {
        "type": "rich",
        "title": cut(notice.title, TITLE_MAX),
        "description": cut(notice.text, DESCRIPTION_MAX),
        "color": AMBER,
    }
    if links:
        embed["fields"] = [{"name": "Links", "value": cut("\n".join(links), FIELD_MAX)}]
    if getattr(notice, "footnote", None):
        embed["footer"] = {"text": cut(notice.footnote, FOOTER_MAX)}
    return embed
