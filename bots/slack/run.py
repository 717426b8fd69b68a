"""`codeconvene bot slack`: wire settings to a `SlackBot` and run one transport.

Socket Mode when SLACK_APP_TOKEN is set (no public URL needed); `--http` serves the Events
API instead and then needs SLACK_SIGNING_SECRET. Missing settings are one clear error naming
the variable; tokens are read from `Secret`s and never printed.
"""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bots.ratelimit import RateLimiter
from bots.slack.bot import SlackBot
from bots.slack.client import SlackSetupError, bot_user_id, make_client, required
from codeconvene.settings import Settings
from codeconvene.warehouse import reader

log = logging.getLogger("codeconvene.bots.slack")
__all__ = ["SlackSetupError", "make_bot", "run"]


def make_bot(
    settings: Settings, client: WebClient | None = None, limiter: RateLimiter | None = None
) -> SlackBot:
    client = client or make_client(settings)
    return SlackBot(
        client,
        lambda: reader(settings.warehouse_path),
        limiter=limiter or RateLimiter(capacity=5, refill_seconds=12),
        bot_user_id=bot_user_id(client),
        maintainers=slack_maintainers(settings),
    )


def slack_maintainers(settings: Settings) -> tuple[str, ...]:
    """Slack user ids allowed one person's wellbeing figures: `slack: {maintainers: [U…]}`."""
    ids = settings.source_options("slack").get("maintainers") or []
    return tuple(str(i).strip() for i in ids if str(i).strip())


def warm_up(settings: Settings) -> None:
    """Load the embedding model in the background when a knowledge index exists, so the first
    "how do I…" question is not the one that waits for it (tens of seconds on 2 cores)."""
    if not settings.lance_path.is_dir() or not any(settings.lance_path.iterdir()):
        return

    def load() -> None:
        try:
            from ml.embeddings import embed_texts

            embed_texts(["warm up"])
        except Exception as exc:  # noqa: BLE001 - only a head start; answering still works
            log.warning("could not preload the embedding model: %s", type(exc).__name__)

    threading.Thread(target=load, name="warm-up", daemon=True).start()


def run(
    settings: Settings, *, http: bool = False, host: str = "127.0.0.1", port: int = 3000
) -> None:
    """Run until interrupted."""
    warm_up(settings)
    if http:
        secret = required(
            settings,
            "SLACK_SIGNING_SECRET",
            "set SLACK_SIGNING_SECRET (the app's Basic Information page)",
        )
        from bots.slack.server import SlackHttpServer

        server = SlackHttpServer(make_bot(settings), secret, host=host, port=port)
        log.info(
            "serving Slack events at %s/slack/events and commands at %s/slack/commands",
            server.url,
            server.url,
        )
        try:
            server.serve_forever()
        finally:
            server.bot.close()
        return
    app_token = required(
        settings,
        "SLACK_APP_TOKEN",
        "set SLACK_APP_TOKEN (xapp-…) for Socket Mode, or run `codeconvene bot slack --http` with SLACK_SIGNING_SECRET",
    )
    from bots.slack.socket_mode import serve_socket_mode

    bot = make_bot(settings)
    log.info("connecting to Slack in Socket Mode")
    try:
        serve_socket_mode(bot, app_token)
    except SlackApiError as exc:  # apps.connections.open refused the app-level token
        raise SlackSetupError(
            f"Slack rejected SLACK_APP_TOKEN ({exc.response.get('error')})",
            "use an app-level token (xapp-…) with the connections:write scope, Socket Mode enabled",
        ) from None
    finally:
        bot.close()
