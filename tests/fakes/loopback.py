"""The loopback HTTP server under every fake service in this folder.

Each fake speaks a real API's JSON on 127.0.0.1 so that the real client library (groq,
slack_sdk, discord.py, PyGithub, requests) runs its own request building, retries and error
classes against it (STYLE: fake servers, never a mocked client). What every fake needs the
same way lives here, once: a `ThreadingHTTPServer` on a free port, served from a daemon thread
while the fake is used as a context manager; `base_url`; quiet logs; reading a request body;
writing a JSON (or raw bytes) reply that shrugs off a client which already gave up (timeout
tests); a lock for what the fake records and a `_stopping` event that cuts scripted delays
short at shutdown.

A fake subclasses `LoopbackFake`, lists the HTTP `methods` it answers (others get the
standard library's 501) and implements `handle(handler)`; `handler.command` is the method.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


class LoopbackFake:
    methods: ClassVar[tuple[str, ...]] = ("GET",)
    protocol_version: ClassVar[str] = "HTTP/1.0"  # "HTTP/1.1": keep-alive, as urllib3 pools expect
    base_path: ClassVar[str] = ""  # what `base_url` adds after host and port, e.g. "/api/"
    content_type: ClassVar[str] = "application/json; charset=utf-8"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        handler = type(
            f"{type(self).__name__}Handler",
            (_Handler,),
            {
                "fake": self,
                "protocol_version": self.protocol_version,
                **{f"do_{method}": _Handler.dispatch for method in self.methods},
            },
        )
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}{self.base_path}"

    def send_reply(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        payload: Any,
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
    ) -> None:
        """Bytes go out as they are, None as an empty body without a Content-Type, anything
        else as JSON; `content_type` overrides the fake's own."""
        if payload is None:
            raw = b""
        else:
            raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            handler.send_response(status)
            if payload is not None:
                handler.send_header("Content-Type", content_type or self.content_type)
            handler.send_header("Content-Length", str(len(raw)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def read_body(handler: BaseHTTPRequestHandler) -> bytes:
    length = int(handler.headers.get("Content-Length", 0) or 0)
    return handler.rfile.read(length) if length else b""


class _Handler(BaseHTTPRequestHandler):
    fake: LoopbackFake

    def dispatch(self) -> None:
        self.fake.handle(self)

    def log_message(self, *args) -> None:  # keep test output quiet
        pass
