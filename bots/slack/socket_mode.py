"""Socket Mode: Slack pushes events over a websocket opened with SLACK_APP_TOKEN (no public URL).

Every request is acknowledged first (slash commands with their ephemeral reply), then handed
to the same `SlackBot` the HTTP transport uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bots.slack.bot import SlackBot
from codeconvene.settings import Secret


def listener(bot: SlackBot) -> Callable[[SocketModeClient, SocketModeRequest], None]:
    def on_request(client: SocketModeClient, request: SocketModeRequest) -> None:
        payload = bot.handle_command(request.payload) if request.type == "slash_commands" else None
        client.send_socket_mode_response(
            SocketModeResponse(envelope_id=request.envelope_id, payload=payload)
        )
        if request.type == "events_api":
            bot.handle_envelope(request.payload)

    return on_request


def serve_socket_mode(
    bot: SlackBot, app_token: Secret, stop: threading.Event | None = None
) -> None:
    """Connect and handle requests until `stop` is set (forever when None)."""
    client = SocketModeClient(app_token=app_token.get(), web_client=bot.client)
    client.socket_mode_request_listeners.append(listener(bot))
    client.connect()
    try:
        (stop or threading.Event()).wait()
    finally:
        client.close()
