"""The Slack Web API client the live connector uses: slack_sdk's WebClient with its retry handlers.

Retries are the SDK's own: `RateLimitErrorRetryHandler` sleeps for the 429's `Retry-After`,
`ServerErrorRetryHandler` retries 5xx (502 and 504 added: proxies in front of Slack answer
those), `ConnectionErrorRetryHandler` retries resets and timeouts. A call that still fails,
or that Slack refuses (`ok: false`), becomes one `LiveError` line naming what to fix; the
token never appears in it. slack_sdk is imported here only when a client is built, so the
ingest package stays free of it (tests/test_purity.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ingest.core.live import LiveError

DEFAULT_API_URL = "https://slack.com/api/"
TOKEN_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}


@dataclass(frozen=True)
class ClientOptions:
    """Network knobs (codeconvene.yaml `slack:`): seconds per request, retries per request and
    the base of the exponential back-off between 5xx / connection retries."""

    timeout_s: float = 30.0
    max_retries: int = 5
    backoff_s: float = 0.5


def api_url(settings) -> str:
    url = settings.value("SLACK_API_URL") or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"  # WebClient joins method names onto it


def make_client(settings, options: ClientOptions = ClientOptions()):
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import (
        ConnectionErrorRetryHandler,
        RateLimitErrorRetryHandler,
        ServerErrorRetryHandler,
    )
    from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator

    class GatewayErrorRetryHandler(ServerErrorRetryHandler):
        """The SDK retries 500 and 503; a gateway's 502 and 504 are just as passing."""

        def _can_retry(self, *, state, request, response=None, error=None) -> bool:
            return response is not None and response.status_code in (500, 502, 503, 504)

    token = settings.secret("SLACK_BOT_TOKEN")
    if not token:
        raise LiveError("slack: SLACK_BOT_TOKEN is not set", "put a bot token (xoxb-…) in the environment or .env")
    backoff = BackoffRetryIntervalCalculator(backoff_factor=options.backoff_s)
    import urllib.error
    from http.client import RemoteDisconnected

    handlers = [
        RateLimitErrorRetryHandler(max_retry_count=options.max_retries),
        GatewayErrorRetryHandler(max_retry_count=options.max_retries, interval_calculator=backoff),
        ConnectionErrorRetryHandler(
            max_retry_count=options.max_retries, interval_calculator=backoff,
            error_types=[urllib.error.URLError, ConnectionResetError, RemoteDisconnected, TimeoutError],
        ),
    ]
    return WebClient(token=token.get(), base_url=api_url(settings), timeout=options.timeout_s,
                     retry_handlers=handlers)


def call(client, method: str, **params: Any) -> dict:
    """One Web API call (GET, as the SDK's own list methods do) → its JSON, or a LiveError."""
    from slack_sdk.errors import SlackApiError

    try:
        response = client.api_call(method, http_verb="GET", params={k: v for k, v in params.items() if v is not None})
    except SlackApiError as exc:
        raise _refused(method, exc.response) from None
    except (OSError, ValueError) as exc:  # timeouts, resets and refused connections after the retries
        raise LiveError(f"slack: {method} failed: {type(exc).__name__}: {exc}",
                        f"check SLACK_API_URL ({api_url_of(client)}) and the network") from None
    data = response.data
    if not isinstance(data, dict):
        raise LiveError(f"slack: {method} answered with something that is not JSON", "check SLACK_API_URL")
    return data


def api_url_of(client) -> str:
    return getattr(client, "base_url", "?")


class SlackRefused(LiveError):
    """Slack answered `ok: false`; `code` is its error string (e.g. `not_in_channel`)."""

    def __init__(self, message: str, hint: str = "", code: str = "") -> None:
        super().__init__(message, hint)
        self.code = code


def _refused(method: str, response) -> SlackRefused:
    status = getattr(response, "status_code", "?")
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    error = str(data.get("error") or f"HTTP {status}")
    refused = _explain(method, status, data, error)
    return SlackRefused(str(refused), refused.hint, error)


def _explain(method: str, status, data: dict, error: str) -> LiveError:
    if error in TOKEN_ERRORS:
        return LiveError(f"slack: the token in SLACK_BOT_TOKEN was refused ({error})",
                         "create a new bot token (xoxb-…) for the app and set SLACK_BOT_TOKEN")
    if error == "missing_scope":
        needed = data.get("needed", "?")
        return LiveError(f"slack: {method} needs the scope {needed!r}, which the app lacks",
                         "add the scope to the Slack app, reinstall it and update SLACK_BOT_TOKEN")
    if status == 429 or error == "ratelimited":
        return LiveError(f"slack: {method} is still rate-limited after the retries",
                         "run again later (progress so far is kept); or lower slack.page_size")
    return LiveError(f"slack: {method} failed: {error}", "run again: progress so far is kept")


def pages(client, method: str, key: str, **params: Any) -> Iterator[tuple[list, str | None]]:
    """(items, next cursor) per page of a cursor-paginated method, starting at `cursor`."""
    cursor = params.pop("cursor", None)
    while True:
        data = call(client, method, cursor=cursor, **params)
        items = data.get(key)
        if not isinstance(items, list):
            raise LiveError(f"slack: {method} answered without a {key!r} list", "check SLACK_API_URL")
        cursor = (data.get("response_metadata") or {}).get("next_cursor") or None
        yield items, cursor
        if cursor is None:
            return
