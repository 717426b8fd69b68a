"""The Slack Web API client from settings: SLACK_BOT_TOKEN, and SLACK_API_URL for tests/proxies.

Kept apart from the bot so posting alerts needs neither the answer engine nor a transport.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from codeconvene.settings import Secret, Settings

DEFAULT_API_URL = "https://slack.com/api/"


class SlackSetupError(ValueError):
    """A missing or rejected setting; `hint` says what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def required(settings: Settings, name: str, hint: str) -> Secret:
    secret = settings.secret(name)
    if not secret:
        raise SlackSetupError(f"{name} is not set", hint)
    return secret


def make_client(settings: Settings) -> WebClient:
    token = required(
        settings, "SLACK_BOT_TOKEN", "set SLACK_BOT_TOKEN (xoxb-…) in the environment or .env"
    )
    base_url = settings.value("SLACK_API_URL", DEFAULT_API_URL)
    return WebClient(token=token.get(), base_url=base_url.rstrip("/") + "/", timeout=15)


def bot_user_id(client: WebClient) -> str | None:
    """The bot's own user id (so it never answers itself); a rejected token is a clear error."""
    try:
        return client.auth_test().get("user_id")
    except SlackApiError as exc:
        error = exc.response.get("error")
        raise SlackSetupError(
            f"Slack rejected SLACK_BOT_TOKEN ({error})", "check the bot token and the app's scopes"
        ) from None
