"""A loopback stand-in for Groq's OpenAI-compatible chat-completions endpoint.

The real `groq` SDK is pointed at it through `base_url`, so tests exercise the SDK's own
request building, error classes and response parsing (STYLE: fake servers, never a mocked
client). By default every request gets a normal completion with `content`; `script(...)`
queues `Reply`s that are served first, in order: rate limits with `Retry-After`, server
errors, slow answers (for timeouts) and malformed bodies.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Self

from tests.fakes.loopback import LoopbackFake, read_body

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


class FakeGroq(LoopbackFake):
    """Answers chat completions (scripted replies first); records each request it saw."""

    methods = ("POST",)
    content_type = "application/json"

    def __init__(
        self,
        content: str | Callable[[dict], str] = "A fake summary.",
        model: str = "fake-llama",
        tokens_per_answer: int = 120,
    ) -> None:
        super().__init__()
        self.content = content
        self.model = model
        self.tokens_per_answer = tokens_per_answer
        self.requests: list[dict[str, Any]] = []
        self._script: list[Reply] = []

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = json.loads(read_body(handler))
        with self._lock:
            self.requests.append(
                {
                    "path": handler.path,
                    "auth": handler.headers.get("Authorization"),
                    "headers": dict(handler.headers),
                    "body": body,
                }
            )
            reply = self._script.pop(0) if self._script else Reply()
        if handler.path != CHAT_PATH:
            self.send_reply(handler, 404, {"error": {"message": f"no route {handler.path}"}})
            return
        if reply.delay_s and self._stopping.wait(reply.delay_s):
            return
        payload = reply.body
        if payload is None:
            payload = self.completion(body, reply.content)
        self.send_reply(handler, reply.status, payload, reply.headers)

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
