"""`codeconvene webhooks`: a small HTTP receiver that lands GitHub and Discourse events at once.

POST /webhooks/github     X-Hub-Signature-256, X-GitHub-Event, X-GitHub-Delivery
POST /webhooks/discourse  X-Discourse-Event-Signature, X-Discourse-Event-Type, X-Discourse-Event
GET  /healthz             ok

A delivery without a valid signature gets 401 and nothing is stored. A valid one is kept whole
first (`<home>/webhooks/inbox/<source>-<delivery>.json`, the raw payload as sent), its records
are upserted into the raw layer in one transaction, and the file moves to
`webhooks/landed/<date>/`. DuckDB admits one writing process: the warehouse is opened per
delivery, and when another process holds it the delivery stays in the inbox (answered 202)
and lands with the next one — nothing a sender sent is lost. A kept delivery that cannot
land (it should not happen) moves to `webhooks/failed/` with a log line, so it never blocks
the ones after it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

from ingest.core.live import land_page
from ingest.core.quarantine import now
from ingest.webhooks import Delivery, discourse_delivery, github_delivery, parse_json, verify

log = logging.getLogger(__name__)
MAX_BODY = 25 * 1024 * 1024  # GitHub caps payloads at 25 MB
ROUTES = {"/webhooks/github": "github", "/webhooks/discourse": "discourse"}


class Receiver:
    """Verification, keeping and landing, apart from HTTP (so it is testable and reusable)."""

    def __init__(self, settings: Any, connect: Callable[[], duckdb.DuckDBPyConnection] | None = None) -> None:
        from codeconvene.warehouse import connect as open_warehouse

        self.settings = settings
        self.connect = connect or (lambda: open_warehouse(settings.warehouse_path))
        self.inbox = settings.home / "webhooks" / "inbox"
        self.landed = settings.home / "webhooks" / "landed"
        self.failed = settings.home / "webhooks" / "failed"
        self.lock = threading.Lock()

    def secret(self, source: str) -> str | None:
        secret = self.settings.secret(f"{source.upper()}_WEBHOOK_SECRET")
        return secret.get() if secret else None

    def configured(self) -> list[str]:
        return [source for source in ROUTES.values() if self.secret(source)]

    def receive(self, source: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        """(HTTP status, JSON answer) for one delivery."""
        h = {k.lower(): v for k, v in headers.items()}
        header = h.get("x-hub-signature-256") if source == "github" else h.get("x-discourse-event-signature")
        if not verify(self.secret(source), body, header):
            return 401, {"error": "missing or invalid signature"}
        payload = parse_json(body)
        if payload is None:
            return 400, {"error": "body is not a JSON object"}
        delivery_id = (h.get("x-github-delivery") or h.get("x-discourse-event-id") or uuid.uuid4().hex)[:100]
        delivery_id = "".join(c for c in delivery_id if c.isalnum() or c in "-_") or uuid.uuid4().hex
        envelope = {"source": source, "headers": {k: v for k, v in h.items() if k.startswith(("x-github", "x-discourse"))},
                    "received_at": now().isoformat(), "payload": payload}
        self.inbox.mkdir(parents=True, exist_ok=True)
        kept = self.inbox / f"{source}-{delivery_id}.json"
        kept.write_text(json.dumps(envelope, ensure_ascii=False), encoding="utf-8")
        landed = self.drain()
        stored = landed.get(kept.name)
        if stored is None:
            return 202, {"kept": kept.name, "stored": None, "note": "warehouse busy; lands with the next delivery"}
        return 200, {"kept": kept.name, "stored": stored}

    def delivery(self, envelope: dict, name: str) -> Delivery:
        headers, payload = envelope.get("headers") or {}, envelope.get("payload") or {}
        delivery_id = name.split("-", 1)[-1].removesuffix(".json")
        if envelope.get("source") == "github":
            return github_delivery(headers.get("x-github-event", ""), payload, delivery_id)
        base = self.settings.value("DISCOURSE_URL") or headers.get("x-discourse-instance") or "webhook"
        host = urlsplit(base).netloc or base
        return discourse_delivery(headers.get("x-discourse-event-type", ""), headers.get("x-discourse-event", ""),
                                  payload, delivery_id, host)

    def drain(self) -> dict[str, int]:
        """Land every kept delivery in arrival order; {file name: records stored} for those that landed."""
        done: dict[str, int] = {}
        with self.lock:
            files = sorted(self.inbox.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
            if not files:
                return done
            try:
                con = self.connect()
            except duckdb.IOException as exc:  # another process writes the warehouse
                log.warning("warehouse busy, %d deliveries wait in %s: %s", len(files), self.inbox, exc)
                return done
            try:
                for path in files:
                    try:
                        envelope = json.loads(path.read_text(encoding="utf-8"))
                        delivery = self.delivery(envelope, path.name)
                        stored = land_page(con, delivery.source, f"webhook-{path.stem}", now(), delivery.records, {})
                    except duckdb.IOException:
                        raise
                    except Exception as exc:  # noqa: BLE001 - one bad delivery must not block the others
                        log.error("webhook delivery %s cannot land (kept in failed/): %s: %s",
                                  path.name, type(exc).__name__, exc)
                        self._move(path, self.failed)
                        continue
                    self._move(path, self.landed / time.strftime("%Y-%m-%d"))
                    done[path.name] = stored
            finally:
                con.close()
        return done


    @staticmethod
    def _move(path: Path, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        path.replace(folder / path.name)


def make_server(receiver: Receiver, host: str = "127.0.0.1", port: int = 8800) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/healthz":
                self._answer(200, {"ok": True, "sources": receiver.configured()})
            else:
                self._answer(404, {"error": "not found"})

        def do_POST(self) -> None:
            source = ROUTES.get(urlsplit(self.path).path)
            if source is None or source not in receiver.configured():
                self._answer(404, {"error": "no such webhook (is its secret set?)"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._answer(413, {"error": "payload too large"})
                return
            body = self.rfile.read(length)
            try:
                status, answer = receiver.receive(source, dict(self.headers.items()), body)
            except Exception as exc:  # noqa: BLE001 - one line in the log, a 500 to the sender, the server lives on
                log.error("webhook %s failed: %s: %s", source, type(exc).__name__, exc)
                status, answer = 500, {"error": "internal error; the delivery is kept if it was verified"}
            self._answer(status, answer)

        def _answer(self, status: int, body: dict) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            log.info("%s %s", self.address_string(), format % args)

    return ThreadingHTTPServer((host, port), Handler)

