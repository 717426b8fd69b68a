"""A loopback stand-in for Groq's OpenAI-compatible chat-completions endpoint.

The real `groq` SDK is pointed at it through `base_url`, so tests exercise the SDK's own
request building, error classes and response parsing (STYLE: fake servers, never a mocked
client). By default every request gets a normal completion with `content`; `script(...)`
queues `Reply`s that are served first, in order: rate limits with `Retry-After`, server
errors, slow answers (for timeouts) and malformed bodies.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

CHAT_PATH = "/openai/v1/chat/completions"


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status, headers and a JSON body (or raw bytes), maybe late."""

    status: int = 200
    body: dict | list | bytes | None = None  # None: a normal completion
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    content: str | None = None  # a normal completion with this text

    @classmethod
    def error(cls, status: int, retry_after: str | None = None, message: str = "error") -> Reply:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        return cls(status, {"error": {"message": message, "type": "fake_error"}}, headers)

    @classmethod
    def slow(cls, seconds: float) -> Reply:
        return cls(delay_s=seconds)

    @classmethod
    def not_json(cls) -> Reply:
        return cls(200, b"<html>upstream proxy error</html>")

    @classmethod
    def no_choices(cls) -> Reply:
        return cls(200, {"id": "chatcmpl-x", "object": "chat.completion", "model": "fake"})


class FakeGroq:
    """Answers chat completions (scripted replies first); records each request it saw."""

    def __init__(
        self,
        content: str | Callable[[dict], str] = "A fake summary.",
        model: str = "fake-llama",
        tokens_per_answer: int = 120,
    ) -> None:
        self.content = content
        self.model = model
        self.tokens_per_answer = tokens_per_answer
        self.requests: list[dict[str, Any]] = []
        self._script: list[Reply] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                with fake._lock:
                    fake.requests.append(
                        {
                            "path": self.path,
                            "auth": self.headers.get("Authorization"),
                            "headers": dict(self.headers),
                            "body": body,
                        }
                    )
                    reply = fake._script.pop(0) if fake._script else Reply()
                if self.path != CHAT_PATH:
                    self._send(404, {"error": {"message": f"no route {self.path}"}}, {})
                    return
                if reply.delay_s and fake._stopping.wait(reply.delay_s):
                    return
                payload = reply.body
                if payload is None:
                    payload = fake.completion(body, reply.content)
                self._send(reply.status, payload, reply.headers)

            def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *replies: Reply) -> Self:
        with self._lock:
            self._script.extend(replies)
        return self

    def completion(self, body: dict, content: str | None = None) -> dict:
        if content is None:
            content = self.content(body) if callable(self.content) else self.content
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": self.tokens_per_answer - 20,
                "completion_tokens": 20,
                "total_tokens": self.tokens_per_answer,
            },
        }

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
