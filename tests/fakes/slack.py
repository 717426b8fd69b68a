"""A loopback stand-in for Slack's Web API (https://slack.com/api/<method>).

The real `slack_sdk.WebClient` is pointed at it with `base_url=fake.base_url` (trailing `/`,
STACK.md), so tests exercise the SDK's own request building and response parsing. It speaks
Slack's JSON: `{"ok": true, ...}` or `{"ok": false, "error": "..."}` with HTTP 200, checks the
bearer token, and records every call; `posted` lists the `chat.postMessage` bodies and
`wait_for_posts(n)` blocks until n have arrived (the bot answers from a worker thread).
Channels listed in `not_in_channel` answer `not_in_channel` like Slack does.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any, Self
from urllib.parse import parse_qs

from tests.fakes.loopback import LoopbackFake, read_body

BOT_USER_ID = "UBOT0001"


class FakeSlack(LoopbackFake):
    methods = ("POST",)
    base_path = "/api/"

    def __init__(
        self,
        token: str = "xoxb-fake-token",
        bot_user_id: str = BOT_USER_ID,
        app_token: str | None = None,
        socket: FakeSocketMode | None = None,
    ) -> None:
        super().__init__()
        self.token = token
        self.app_token = app_token
        self.socket = socket
        self.bot_user_id = bot_user_id
        self.calls: list[dict[str, Any]] = []
        self.not_in_channel: set[str] = set()
        self._ts = 1_700_000_000
        self._changed = threading.Condition(self._lock)  # guards `calls`; wakes wait_for_posts

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        raw = read_body(handler)
        method = handler.path.split("?", 1)[0].removeprefix("/api/")
        body = _parse(raw, handler.headers.get("Content-Type", ""))
        if handler.path.startswith("/response/"):  # a slash command's response_url
            with self._changed:
                self.calls.append({"method": "response_url", "auth": None, "body": body})
                self._changed.notify_all()
            self.send_reply(handler, 200, b"ok", content_type="text/html")
            return
        call = {"method": method, "auth": handler.headers.get("Authorization"), "body": body}
        reply = self.reply(call)
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        self.send_reply(handler, 200, reply)

    # --- Slack's answers ---------------------------------------------------------------------

    def reply(self, call: dict[str, Any]) -> dict[str, Any]:
        if call["method"] == "apps.connections.open":  # Socket Mode: app-level token only
            if not self.app_token or call["auth"] != f"Bearer {self.app_token}" or not self.socket:
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": self.socket.url}
        if call["auth"] != f"Bearer {self.token}":
            return {"ok": False, "error": "invalid_auth"}
        body = call["body"]
        if call["method"] == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.com/",
                "team": "Fake",
                "user": "convene",
                "team_id": "T0001",
                "user_id": self.bot_user_id,
                "bot_id": "B0001",
            }
        if call["method"] == "chat.postMessage":
            channel = body.get("channel")
            if not channel:
                return {"ok": False, "error": "channel_not_found"}
            if channel in self.not_in_channel:
                return {"ok": False, "error": "not_in_channel"}
            if not (body.get("text") or body.get("blocks")):
                return {"ok": False, "error": "no_text"}
            with self._changed:
                self._ts += 1
                ts = f"{self._ts}.000100"
            message = {
                "type": "message",
                "user": self.bot_user_id,
                "bot_id": "B0001",
                "text": body.get("text", ""),
                "ts": ts,
                "blocks": _blocks(body.get("blocks")),
            }
            if body.get("thread_ts"):
                message["thread_ts"] = body["thread_ts"]
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        return {"ok": False, "error": "unknown_method"}

    # --- what tests read ---------------------------------------------------------------------

    @property
    def posted(self) -> list[dict[str, Any]]:
        """chat.postMessage bodies that Slack accepted, blocks decoded."""
        with self._changed:
            calls = list(self.calls)
        return [
            {**c["body"], "blocks": _blocks(c["body"].get("blocks"))}
            for c in calls
            if c["method"] == "chat.postMessage" and self.reply_ok(c)
        ]

    def reply_ok(self, call: dict[str, Any]) -> bool:
        return (
            call["auth"] == f"Bearer {self.token}"
            and call["body"].get("channel") not in self.not_in_channel
        )

    def wait_for_posts(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len([c for c in self.calls if c["method"] == "chat.postMessage"]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
        return self.posted

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.root}/response/{name}"


def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    return {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}


def _blocks(value: Any) -> list[dict]:
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else value


# --- Socket Mode ---------------------------------------------------------------------------------

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455


class FakeSocketMode:
    """A loopback websocket speaking enough RFC 6455 for slack_sdk's builtin Socket Mode client.

    `FakeSlack(app_token=…, socket=this)` answers `apps.connections.open` with this `url`
    (ws:// on a non-443 port, which the SDK connects to without TLS). After the handshake it
    sends Slack's `hello`; `send(envelope)` pushes an `events_api` / `slash_commands`
    envelope; text frames from the client (the acks) land in `acks`; pings get pongs.
    """

    def __init__(self) -> None:
        import socket

        self._listener = socket.create_server(("127.0.0.1", 0))
        self._client = None
        self._send_lock = threading.Lock()
        self._changed = threading.Condition()
        self.acks: list[dict[str, Any]] = []
        self.handshakes = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=fake-ticket"

    def send(self, message: dict[str, Any], timeout: float = 10.0) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._client is not None, timeout)
        self._frame(0x1, json.dumps(message).encode())

    def wait_for_acks(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.acks) >= count, timeout)
            return list(self.acks)

    # --- the wire ----------------------------------------------------------------------------

    def _accept(self) -> None:
        import base64
        import hashlib

        self._listener.settimeout(0.1)
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                request += chunk
            headers = dict(
                line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line
            )
            key = headers.get("Sec-WebSocket-Key", "")
            accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
            conn.sendall(
                (
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
                ).encode()
            )
            with self._changed:
                self._client = conn
                self.handshakes += 1
                self._changed.notify_all()
            self._frame(
                0x1,
                json.dumps(
                    {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}
                ).encode(),
            )
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn) -> None:
        try:
            while not self._stopping.is_set():
                head = _recv_exact(conn, 2)
                opcode, length = head[0] & 0x0F, head[1] & 0x7F
                if length == 126:
                    length = int.from_bytes(_recv_exact(conn, 2), "big")
                elif length == 127:
                    length = int.from_bytes(_recv_exact(conn, 8), "big")
                mask = _recv_exact(conn, 4) if head[1] & 0x80 else b"\0\0\0\0"
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(_recv_exact(conn, length)))
                if opcode == 0x1:
                    with self._changed:
                        self.acks.append(json.loads(data))
                        self._changed.notify_all()
                elif opcode == 0x9:
                    self._frame(0xA, data)
                elif opcode == 0x8:
                    return
        except (OSError, ConnectionError):
            return

    def _frame(self, opcode: int, data: bytes) -> None:
        length = len(data)
        if length < 126:
            header = bytes([0x80 | opcode, length])
        elif length < 65536:
            header = bytes([0x80 | opcode, 126]) + length.to_bytes(2, "big")
        else:
            header = bytes([0x80 | opcode, 127]) + length.to_bytes(8, "big")
        with self._send_lock:
            if self._client is not None:
                self._client.sendall(header + data)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._listener.close()
        if self._client is not None:
            try:
                self._client.close()
            except OSError:
                pass
        self._thread.join(timeout=5)


def _recv_exact(conn, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data
