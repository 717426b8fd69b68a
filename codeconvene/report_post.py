"""`codeconvene report --post slack:C123|discord:123`: the week's report as one chat message.

The message is short on purpose: headline figures with their change, how many people to
welcome and questions to answer, the summary's first paragraph, and where the full report
was written. It goes out through the bots' own posters (`bots/slack/poster.py`,
`bots/discord/poster.py`, built by `bots.alerts_run.make_posters`), so tokens, API URLs,
escaping and rate limits are handled in one place. Burnout names are never part of it: a
report channel may be public, and who may be overloaded is for the full report only.
"""

from __future__ import annotations

from pathlib import Path

from bots.poster import Notice, parse_destination
from codeconvene.settings import Settings

SUMMARY_CHARS = 600


def first_paragraph(text: str, limit: int = SUMMARY_CHARS) -> str:
    paragraph = next((p.strip() for p in (text or "").split("\n\n") if p.strip()), "")
    return paragraph if len(paragraph) <= limit else paragraph[: limit - 1].rstrip() + "…"


def report_notice(context: dict, paths: dict[str, Path]) -> Notice:
    """The chat message for a report context (`codeconvene.report.report_context`)."""
    lines = [f"{f['label']}: {f['value']} ({f['change']})" for f in context["figures"]]
    lines.append(
        f"To welcome: {len(context['welcome'])} · unanswered questions: "
        f"{len(context['unanswered'])} · FAQ changes: {len(context['faq_changes'])}"
    )
    summary = context["summary"]
    if summary is not None:
        lines += ["", first_paragraph(summary.text)]
    where = ", ".join(str(p) for p in paths.values())
    return Notice(
        title=f"Community report {context['week']} ({context['start']} to {context['end']})",
        text="\n".join(lines),
        footnote=f"Full report: {where}" if where else None,
    )


def post_report(settings: Settings, destination: str, notice: Notice) -> str:
    """Post `notice` to `slack:CHANNEL` or `discord:CHANNEL_ID`; returns the message id.

    Errors are one line (ValueError) naming what is missing or refused, never the token.
    """
    from bots.alerts import Destinations
    from bots.alerts_run import make_posters

    platform, channel = parse_destination(destination)
    if platform not in ("slack", "discord"):
        raise ValueError(f"--post {destination!r}: expected slack:CHANNEL or discord:CHANNEL_ID")
    poster = make_posters(settings, Destinations(community=(destination,)))[platform]
    try:
        return poster.post(channel, notice)
    except _refusals(platform) as exc:
        error = exc.response.get("error") if hasattr(exc, "response") else exc
        raise ValueError(f"posting the report to {destination} failed: {error}") from None


def _refusals(platform: str) -> tuple[type[Exception], ...]:
    """What a poster raises when the platform or the network refuses (never with the token)."""
    if platform == "slack":
        from slack_sdk.errors import SlackApiError

        return (SlackApiError, OSError)
    from bots.discord.poster import DiscordError

    return (DiscordError, OSError)


def post_weekly_report(settings: Settings, destination: str, paths: dict[str, Path]) -> str:
    """Post the report just written (`paths`, named `<week>.<format>`) to `destination`."""
    from codeconvene.report import report_context
    from codeconvene.warehouse import reader

    week = next(iter(paths.values())).stem
    with reader(settings.warehouse_path) as con:
        context = report_context(con, week)
    return post_report(settings, destination, report_notice(context, paths))
