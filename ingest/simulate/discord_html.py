"""DCE-shaped messages → DiscordChatExporter's HTML and CSV text.

HTML follows DCE's templates (PreambleTemplate, MessageGroupTemplate, PostambleTemplate) as
its minifier writes them, one message group per line: consecutive messages of one author
within 7 minutes form a group, a reply always starts one, and only a group's first message
carries the avatar, the author header (nickname shown, full name in `title`, a BOT tag) and
the reply block. Dates are shown in the en-US "g" format DCE uses by default; emoji become
Twemoji images and links anchors, as DCE's markdown renderer makes them. CSV is DCE's
`AuthorID,Author,Date,Content,Attachments,Reactions` with every value quoted.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

EMOJI = {"🎉": "tada", "🚀": "rocket", "👋": "wave", "👀": "eyes", "👍": "thumbsup", "✅": "white_check_mark", "🙏": "pray"}
TWEMOJI = "https://cdn.jsdelivr.net/gh/twitter/twemoji@latest/assets/svg/{}.svg"
GROUP_MINUTES = 7
_TOKENS = re.compile(r"(https?://\S+|[" + "".join(EMOJI) + r"])")
STYLE = (".chatlog__message-group{margin-bottom:1rem}.chatlog__message{display:grid;grid-template-columns:auto 1fr}"
         ".chatlog__markdown-preserve{white-space:pre-wrap}.chatlog__message-container--pinned"
         "{background-color:rgba(249,168,37,.05)}")


def emoji_url(char: str) -> str:
    return TWEMOJI.format(f"{ord(char):x}")


def _when(moment: datetime) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=None) if isinstance(moment, str) else moment


def g(stamp: str) -> str:
    """en-US general date/time ("g"): 3/4/2024 9:05 AM."""
    t = _when(stamp)
    return f"{t.month}/{t.day}/{t.year} {t.strftime('%I:%M %p').lstrip('0')}"


def _short(stamp: str) -> str:
    return _when(stamp).strftime("%I:%M %p").lstrip("0")


def full_name(author: dict) -> str:
    return author["name"] if author["discriminator"] == "0000" else f"{author['name']}#{author['discriminator']}"


def _nick(author: dict) -> str:
    return author["name"] if author["isBot"] else author["nickname"] or author["name"]


def markdown(text: str) -> str:
    out = []
    for piece in _TOKENS.split(text):
        if piece in EMOJI:
            out.append(f'<img loading="lazy" class="chatlog__emoji" alt="{piece}" title="{EMOJI[piece]}" src="{emoji_url(piece)}">')
        elif piece.startswith(("http://", "https://")):
            url = html.escape(piece)
            out.append(f'<a href="{url}">{url}</a>')
        else:
            out.append(html.escape(piece, quote=False))
    return "".join(out)


def _groups(messages: list[dict]) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for m in messages:
        last = groups[-1][-1] if groups else None
        if (last is not None and "reference" not in m and m["author"]["id"] == last["author"]["id"]
                and (_when(m["timestamp"]) - _when(last["timestamp"])).total_seconds() <= GROUP_MINUTES * 60):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _reply(m: dict, by_id: dict[str, dict]) -> str:
    ref = by_id.get(m["reference"]["messageId"])
    if ref is None:
        return '<div class="chatlog__reply"><div class="chatlog__reply-unknown">Original message was deleted or could not be loaded.</div></div>'
    edited = (f'<span class="chatlog__reply-edited-timestamp" title="{g(ref["timestampEdited"])}">(edited)</span>'
              if ref["timestampEdited"] else "")
    return ('<div class="chatlog__reply">'
            f'<img class="chatlog__reply-avatar" src="{html.escape(ref["author"]["avatarUrl"])}" alt="Avatar" loading="lazy">'
            f'<div class="chatlog__reply-author" title="{html.escape(full_name(ref["author"]))}">{html.escape(_nick(ref["author"]))}</div>'
            f'<div class="chatlog__reply-content"><span class="chatlog__reply-link" onclick="scrollToMessage(event, \'{ref["id"]}\')">'
            f'<!--wmm:ignore-->{markdown(ref["content"])}<!--/wmm:ignore--></span>{edited}</div></div>')


def _container(m: dict, first: bool, by_id: dict[str, dict]) -> str:
    author = m["author"]
    pinned = " chatlog__message-container--pinned" if m["isPinned"] else ""
    if first:
        aside = ('<div class="chatlog__reply-symbol"></div>' if "reference" in m else "") + (
            f'<img class="chatlog__avatar" src="{html.escape(author["avatarUrl"])}" alt="Avatar" loading="lazy">')
    else:
        aside = f'<div class="chatlog__short-timestamp" title="{g(m["timestamp"])}">{_short(m["timestamp"])}</div>'
    primary = ""
    if first:
        primary += _reply(m, by_id) if "reference" in m else ""
        color = ' style="color:rgb(230,126,34)"' if author["color"] else ""
        tag = '<span class="chatlog__author-tag">BOT</span>' if author["isBot"] else ""
        primary += (f'<div class="chatlog__header"><span class="chatlog__author"{color} title="{html.escape(full_name(author))}" '
                    f'data-user-id="{author["id"]}">{html.escape(_nick(author))}</span>{tag}'
                    f'<span class="chatlog__timestamp"><a href="#chatlog__message-container-{m["id"]}">{g(m["timestamp"])}</a></span></div>')
    edited = (f'<span class="chatlog__edited-timestamp" title="{g(m["timestampEdited"])}">(edited)</span>'
              if m["timestampEdited"] else "")
    primary += ('<div class="chatlog__content chatlog__markdown"><span class="chatlog__markdown-preserve">'
                f'<!--wmm:ignore-->{markdown(m["content"])}<!--/wmm:ignore--></span>{edited}</div>')
    if m["reactions"]:
        primary += '<div class="chatlog__reactions">' + "".join(
            f'<div class="chatlog__reaction" title="{r["emoji"]["code"]}"><img class="chatlog__emoji chatlog__emoji--small" '
            f'alt="{r["emoji"]["name"]}" src="{r["emoji"]["imageUrl"]}" loading="lazy">'
            f'<span class="chatlog__reaction-count">{r["count"]}</span></div>' for r in m["reactions"]) + "</div>"
    return (f'<div id="chatlog__message-container-{m["id"]}" class="chatlog__message-container{pinned}" data-message-id="{m["id"]}">'
            f'<div class="chatlog__message"><div class="chatlog__message-aside">{aside}</div>'
            f'<div class="chatlog__message-primary">{primary}</div></div></div>')


def render_html(guild: dict, channel: dict, messages: list[dict]) -> str:
    by_id = {m["id"]: m for m in messages}
    lines = [(
        '<!DOCTYPE html><html lang="en"><head>'
        f'<title>{html.escape(guild["name"])} - {html.escape(channel["name"])}</title><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><style>{STYLE}</style></head><body>'
        '<div class="preamble"><div class="preamble__guild-icon-container">'
        f'<img class="preamble__guild-icon" src="{html.escape(guild["iconUrl"])}" alt="Guild icon" loading="lazy"></div>'
        f'<div class="preamble__entries-container"><div class="preamble__entry">{html.escape(guild["name"])}</div>'
        f'<div class="preamble__entry">{html.escape(channel["category"])} / {html.escape(channel["name"])}</div>'
        f'<div class="preamble__entry preamble__entry--small">{markdown(channel["topic"] or "")}</div></div></div>'
        '<!--wmm:ignore--><div class="chatlog"><!--/wmm:ignore-->'
    )]
    for group in _groups(messages):
        lines.append('<div class="chatlog__message-group">' + "".join(
            _container(m, i == 0, by_id) for i, m in enumerate(group)) + "</div>")
    lines.append('<!--wmm:ignore--></div><!--/wmm:ignore--><div class="postamble">'
                 f'<div class="postamble__entry">Exported {len(messages):,} message(s)</div></div></body></html>')
    return "\n".join(lines) + "\n"


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def render_csv(messages: list[dict]) -> str:
    rows = ["AuthorID,Author,Date,Content,Attachments,Reactions"]
    for m in messages:
        reactions = ",".join(f'{r["emoji"]["name"]} ({r["count"]})' for r in m["reactions"])
        attachments = ",".join(a["url"] for a in m["attachments"])
        rows.append(",".join(_quote(v) for v in (m["author"]["id"], full_name(m["author"]), g(m["timestamp"]),
                                                  m["content"], attachments, reactions)))
    return "\n".join(rows) + "\n"
