"""A loopback stand-in for the Discord REST API (v10), for the real discord.py HTTP layer.

discord.py is pointed at it through `discord.http.Route.BASE` (`DISCORD_API_URL`), so tests
exercise the library's own request building, rate-limit bookkeeping, error classes and
response parsing. The routes a bot uses answer with Discord's documented shapes: the bot
user, the application, command sync, interaction callbacks (`?with_response=1`), webhook
follow-ups, messages and threads started from a message. Every request is recorded; a
request with another bot token gets Discord's 401.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.loopback import LoopbackFake, read_body

API_PREFIX = "/api/v10"
APPLICATION_ID = 1100000000000000001
BOT_USER_ID = 1100000000000000001
GUILD_ID = 1200000000000000001
CHANNEL_ID = 1300000000000000001


def user_object(user_id: int, username: str, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": username,
        "discriminator": "0",
        "global_name": username.title(),
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


class FakeDiscord(LoopbackFake):
    """Answers the bot's REST calls; `requests` lists (method, path, query, json body, auth)."""

    methods = ("GET", "POST", "PUT", "PATCH")
    content_type = "application/json"
    base_path = API_PREFIX

    def __init__(self, token: str = "fake-discord-token", forbid_threads: bool = False) -> None:
        super().__init__()
        self.token = token
        self.forbid_threads = forbid_threads
        self.requests: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []  # every message created, in order
        self.threads: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []
        self.callbacks: list[dict[str, Any]] = []
        self.interaction_channels: dict[str, int] = {}  # interaction token -> channel id
        self.dm_channels: dict[str, str] = {}  # DM channel id -> recipient user id
        self._ids = itertools.count(1400000000000000001)
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., tuple[int, Any]]]] = [
            ("GET", re.compile(r"/users/@me"), self._me),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._application),
            ("PUT", re.compile(r"/applications/(\d+)/commands"), self._sync),
            ("POST", re.compile(r"/interactions/(\d+)/([^/]+)/callback"), self._callback),
            ("POST", re.compile(r"/webhooks/(\d+)/([^/]+)"), self._followup),
            ("POST", re.compile(r"/channels/(\d+)/messages/(\d+)/threads"), self._start_thread),
            ("POST", re.compile(r"/channels/(\d+)/messages"), self._send),
            ("POST", re.compile(r"/users/@me/channels"), self._open_dm),
        ]

    # --- plumbing ---------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return self.base_url

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        method = handler.command
        parts = urlsplit(handler.path)
        raw = read_body(handler)
        body = json.loads(raw) if raw and "json" in (handler.headers.get("Content-Type") or "") else None
        path = parts.path.removeprefix(API_PREFIX)
        record = {"method": method, "path": path, "query": parse_qs(parts.query), "json": body,
                  "auth": handler.headers.get("Authorization")}
        with self._lock:
            self.requests.append(record)
            status, payload = self._route(method, path, record, handler.headers)
        self.send_reply(handler, status, payload)

    def _route(self, method: str, path: str, record: dict, headers) -> tuple[int, Any]:
        is_webhook = path.startswith(("/interactions/", "/webhooks/"))
        if not is_webhook and headers.get("Authorization") != f"Bot {self.token}":
            return 401, {"message": "401: Unauthorized", "code": 0}
        for route_method, pattern, action in self._routes:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                return action(*match.groups(), body=record["json"] or {}, query=record["query"])
        return 404, {"message": "404: Not Found", "code": 0}

    # --- routes -----------------------------------------------------------------------------
    def _me(self, **_) -> tuple[int, Any]:
        return 200, {**user_object(BOT_USER_ID, "convene", bot=True), "verified": True, "mfa_enabled": False,
                     "flags": 0, "locale": "en-US"}

    def _application(self, **_) -> tuple[int, Any]:
        return 200, {
            "id": str(APPLICATION_ID), "name": "CodeConvene", "description": "", "icon": None,
            "bot_public": False, "bot_require_code_grant": False,
            "owner": user_object(1000000000000000001, "owner"), "verify_key": "ab" * 32,
            "flags": 0, "summary": "", "rpc_origins": [], "team": None,
        }

    def _sync(self, application_id: str, body: Any, **_) -> tuple[int, Any]:
        self.commands = [
            {"id": str(next(self._ids)), "application_id": application_id, "version": "1", "type": 1,
             "default_member_permissions": None, "dm_permission": True, "nsfw": False, "options": [],
             **command}
            for command in body
        ]
        return 200, self.commands

    def _callback(self, interaction_id: str, token: str, body: dict, **_) -> tuple[int, Any]:
        self.callbacks.append({"interaction_id": interaction_id, **body})
        response_type = body.get("type")
        resource: dict[str, Any] = {"type": response_type}
        message_id = None
        if response_type == 4:  # a message now
            message = self._message(self.interaction_channels.get(token, CHANNEL_ID), body.get("data") or {})
            resource["message"], message_id = message, message["id"]
        return 200, {
            "interaction": {
                "id": interaction_id, "type": 2, "response_message_id": message_id,
                "response_message_loading": response_type == 5,
                "response_message_ephemeral": bool((body.get("data") or {}).get("flags", 0) & 64),
            },
            "resource": resource,
        }

    def _followup(self, application_id: str, token: str, body: dict, query: dict, **_) -> tuple[int, Any]:
        message = self._message(self.interaction_channels.get(token, CHANNEL_ID), body,
                                webhook_id=application_id)
        return (200, message) if query.get("wait", ["false"])[0].lower() in ("1", "true") else (204, None)

    def _start_thread(self, channel_id: str, message_id: str, body: dict, **_) -> tuple[int, Any]:
        if self.forbid_threads:
            return 403, {"message": "Missing Permissions", "code": 50013}
        thread_id = next(self._ids)
        thread = {
            "id": str(thread_id), "type": 11, "guild_id": str(GUILD_ID), "parent_id": channel_id,
            "name": body["name"], "owner_id": str(BOT_USER_ID), "last_message_id": None,
            "rate_limit_per_user": 0, "message_count": 0, "member_count": 1, "flags": 0,
            "thread_metadata": {"archived": False, "auto_archive_duration": body.get("auto_archive_duration", 1440),
                                "archive_timestamp": _now(), "locked": False},
            "starter_message_id": message_id,
        }
        self.threads.append(thread)
        return 201, thread

    def _open_dm(self, body: dict, **_) -> tuple[int, Any]:
        channel_id = next(self._ids)
        self.dm_channels[str(channel_id)] = str(body["recipient_id"])
        return 200, {"id": str(channel_id), "type": 1, "last_message_id": None, "flags": 0,
                     "recipients": [user_object(int(body["recipient_id"]), "recipient")]}

    def _send(self, channel_id: str, body: dict, **_) -> tuple[int, Any]:
        return 200, self._message(int(channel_id), body)

    def _message(self, channel_id: int, body: dict, webhook_id: str | None = None) -> dict[str, Any]:
        message = {
            "id": str(next(self._ids)), "channel_id": str(channel_id), "guild_id": str(GUILD_ID),
            "author": user_object(BOT_USER_ID, "convene", bot=True), "content": body.get("content") or "",
            "timestamp": _now(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "attachments": [], "embeds": body.get("embeds") or [],
            "pinned": False, "type": 0, "flags": body.get("flags", 0), "components": [],
        }
        if webhook_id:
            message["webhook_id"] = webhook_id
        self.messages.append(message)
        return message

    # --- helpers for tests ------------------------------------------------------------------
    def in_channel(self, channel_id: int | str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["channel_id"] == str(channel_id)]

    def calls(self, method: str, prefix: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(prefix)]


def _now() -> str:
    return datetime.now(UTC).isoformat()


def interaction_payload(
    name: str,
    options: list[dict[str, Any]] | None = None,
    *,
    interaction_id: int = 1500000000000000001,
    token: str = "interaction-token-1",
    user_id: int = 1600000000000000001,
    guild: bool = True,
    channel_type: int = 0,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload for a slash command, as the gateway delivers it."""
    user = user_object(user_id, "ada")
    payload: dict[str, Any] = {
        "id": str(interaction_id), "application_id": str(APPLICATION_ID), "type": 2, "token": token,
        "version": 1, "locale": "en-US", "app_permissions": "2248473465835073",
        "entitlements": [], "authorizing_integration_owners": {"0": str(GUILD_ID)} if guild else {"1": str(user_id)},
        "context": 0 if guild else 1, "attachment_size_limit": 10485760,
        "channel_id": str(CHANNEL_ID),
        "channel": {"id": str(CHANNEL_ID), "type": channel_type if guild else 1, "name": "general",
                    "guild_id": str(GUILD_ID), "permissions": "2248473465835073", "flags": 0,
                    "position": 0, "parent_id": None, "topic": None, "nsfw": False,
                    "last_message_id": None, "rate_limit_per_user": 0},
        "data": {"id": "1700000000000000001", "name": name, "type": 1, "options": options or []},
    }
    if channel_type in (10, 11, 12):  # asked inside a thread
        payload["channel"].update({
            "parent_id": str(CHANNEL_ID + 1), "owner_id": str(user_id), "member_count": 2, "message_count": 3,
            "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                "archive_timestamp": _now(), "locked": False},
        })
    if guild:
        payload["guild_id"] = str(GUILD_ID)
        payload["guild_locale"] = "en-US"
        payload["guild"] = {"id": str(GUILD_ID), "locale": "en-US", "features": []}
        payload["member"] = {"user": user, "roles": [], "joined_at": _now(), "deaf": False, "mute": False,
                             "flags": 0, "pending": False, "nick": None, "avatar": None,
                             "permissions": "2248473465835073"}
    else:
        payload["user"] = user
        payload["channel"].pop("guild_id")
    return payload
