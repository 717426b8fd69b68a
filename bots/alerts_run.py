"""`codeconvene bot alerts`: settings → destinations and posters → compute → send once.

Destinations come from the command line or `codeconvene.yaml`:

    alerts:
      post: [slack:C0123456]          # community alerts (activity drop, unanswered questions)
      maintainers: [slack:G0987654]   # burnout risk: only here, never in a community channel

Posters are built only for the platforms named, importing their SDK then, so a Slack-only
setup never needs a Discord token (and vice versa).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import contextmanager

import duckdb

from bots.alerts import AlertOptions, Delivery, Destinations, compute_alerts, send_alerts
from bots.poster import Poster, parse_destination
from codeconvene.settings import Settings
from codeconvene.warehouse import connect, reader


def destinations(
    settings: Settings, post: Sequence[str], maintainers: Sequence[str]
) -> Destinations:
    configured = settings.config.get("alerts") or {}
    if not isinstance(configured, dict):
        raise ValueError(  # noqa: TRY004 - a config error, reported like the others
            "codeconvene.yaml `alerts`: expected a mapping with `post` and `maintainers` lists"
        )
    return Destinations(
        community=tuple(post or configured.get("post") or ()),
        maintainers=tuple(maintainers or configured.get("maintainers") or ()),
    )


def make_posters(settings: Settings, targets: Destinations) -> dict[str, Poster]:
    platforms = {parse_destination(d)[0] for d in (*targets.community, *targets.maintainers)}
    posters: dict[str, Poster] = {}
    for platform in sorted(platforms):
        if platform == "slack":
            from bots.slack.client import make_client
            from bots.slack.poster import SlackPoster

            posters[platform] = SlackPoster(make_client(settings))
        elif platform == "discord":
            from bots.discord.poster import DiscordError, DiscordPoster

            try:
                posters[platform] = DiscordPoster(settings)
            except DiscordError as exc:  # a missing token: the same one-line error as Slack's
                raise ValueError(str(exc)) from None
        else:
            raise ValueError(f"alerts destination platform {platform!r}: expected slack or discord")
    return posters


def run_alerts(
    settings: Settings,
    post: Sequence[str] = (),
    maintainers: Sequence[str] = (),
    *,
    dry_run: bool = False,
    options: AlertOptions | None = None,
    posters: dict[str, Poster] | None = None,
) -> list[Delivery]:
    options = options or AlertOptions()
    targets = destinations(settings, post, maintainers)
    if not dry_run and not (targets.community or targets.maintainers):
        raise ValueError("no destination for alerts")
    if not settings.warehouse_path.exists():
        raise FileNotFoundError(f"no warehouse at {settings.warehouse_path}")
    if dry_run:
        with reader(settings.warehouse_path) as con:
            return send_alerts(
                con, compute_alerts(con, options), targets, {}, options=options, dry_run=True
            )
    posters = posters if posters is not None else make_posters(settings, targets)
    with _writer_when_free(settings) as con:
        return send_alerts(con, compute_alerts(con, options), targets, posters, options=options)


@contextmanager
def _writer_when_free(settings: Settings, attempts: int = 5, wait_s: float = 1.0):
    """A read-write connection; a running bot or build holds the file for moments at a time."""
    for attempt in range(attempts):
        try:
            con = connect(settings.warehouse_path)
            break
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise ValueError(
                    f"the warehouse {settings.warehouse_path} is busy (another process has it open)"
                ) from None
            time.sleep(wait_s)
    try:
        yield con
    finally:
        con.close()
