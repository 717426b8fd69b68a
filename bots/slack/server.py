"""The Events API and slash commands over HTTP, behind Slack's request signature.

`/slack/events` and `/slack/commands` accept only requests whose `X-Slack-Signature` is the
HMAC of the raw body under SLACK_SIGNING_SECRET and whose timestamp is within 5 minutes
(slack_sdk's SignatureVerifier); anything else gets 401 and is never acted on. Valid requests
are acknowledged at once — the answer is posted later from a worker thread — because Slack
retries anything not acknowledged within 3 s.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from slack_sdk.signature import Clock, SignatureVerifier

from bots.slack.bot import SlackBot
from codeconvene.settings import Secret

log = logging.getLogger("codeconvene.bots.slack")
MAX_BODY_BYTES = 1_000_000
EVENTS_PATH = "/slack/events"
COMMANDS_PATH = "/slack/commands"


class SlackHttpServer:
    """A threading HTTP server for one `SlackBot`; `serve_forever()` or `start()` (background)."""

    def __init__(
        self,
        bot: SlackBot,
        signing_secret: Secret,
        host: str = "127.0.0.1",
        port: int = 3000,
        clock: Clock | None = None,
    ) -> None:
        self.bot = bot
        verifier = SignatureVerifier(signing_secret.get(), clock or Clock())
        self._server = ThreadingHTTPServer((host, port), _handler(bot, verifier))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def start(self) -> SlackHttpServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True, name="slack-http")
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)


def _handler(bot: SlackBot, verifier: SignatureVerifier) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "codeconvene-slack"

        def do_GET(self) -> None:
            if self.path == "/healthz":
                self._send(200, b"ok", "text/plain")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            path = self.path.split("?", 1)[0]
            if path not in (EVENTS_PATH, COMMANDS_PATH):
                self._send(404, b"not found", "text/plain")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._send(413, b"too large", "text/plain")
                return
            body = self.rfile.read(length)
            if not _signed(verifier, body, self.headers):
                log.warning("rejected a request to %s: bad, missing or stale signature", path)
                self._send(401, b"invalid signature", "text/plain")
                return
            try:
                reply = _events(bot, body) if path == EVENTS_PATH else _commands(bot, body)
            except ValueError as exc:
                self._send(400, str(exc).encode(), "text/plain")
                return
            self._send(
                200, json.dumps(reply).encode() if reply is not None else b"", "application/json"
            )

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt: str, *args) -> None:  # request lines only, at debug
            log.debug("http %s", fmt % args)

    return Handler


def _signed(verifier: SignatureVerifier, body: bytes, headers) -> bool:
    try:
        return verifier.is_valid(
            body=body,
            timestamp=headers.get("X-Slack-Request-Timestamp"),
            signature=headers.get("X-Slack-Signature"),
        )
    except (ValueError, UnicodeDecodeError):  # a timestamp that is not a number, a non-UTF-8 body
        return False


def _events(bot: SlackBot, body: bytes) -> dict | None:
    try:
        envelope = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError("the event body is not JSON") from exc
    if not isinstance(envelope, dict):
        raise ValueError("the event body is not a JSON object")  # noqa: TRY004 - answered 400
    if envelope.get("type") == "url_verification":
        return {"challenge": envelope.get("challenge", "")}
    bot.handle_envelope(envelope)
    return None


def _commands(bot: SlackBot, body: bytes) -> dict:
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    return bot.handle_command(form)
