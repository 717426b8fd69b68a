"""A loopback Discord REST API (v10) for the live connector: discord.py's HTTPClient talks to it.

One guild with text, announcement, voice and category channels, an active thread, members
and messages with snowflake ids. It answers the way Discord does: JSON lists and objects,
`GET /channels/{id}/messages?after=&limit=` returning the `limit` oldest messages after the
id, newest first; rate-limit bucket headers on every answer; `401 {"message": "401:
Unauthorized", "code": 0}` for a wrong token; `403 Missing Access` for channels the bot may
not read and, when `members_allowed` is off, for the member list (the privileged intent).
Every request is recorded (path, params); `fault(...)` injects a 429 (with `Via`, as
Discord sends it, and `retry_after` in the body), 5xx, late answers and errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.loopback import LoopbackFake

GOOD_TOKEN = "MTAfake.discord.good-token"
DISCORD_EPOCH_MS = 1_420_070_400_000
START_MS = 1_760_000_000_000  # 2025-10-09
PREFIX = "/api/v10"


def snowflake(ms: int, seq: int = 0) -> str:
    return str(((ms - DISCORD_EPOCH_MS) << 22) | seq)


def api_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="microseconds")


@dataclass
class Fault:
    path: str  # a regex matched against the path after /api/v10
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    times: int | None = 1
    when: Callable[[dict], bool] = lambda params: True
    served: int = 0


class FakeDiscordApi(LoopbackFake):
    base_path = PREFIX
    content_type = "application/json"

    def __init__(self, token: str = GOOD_TOKEN, *, members_allowed: bool = True) -> None:
        super().__init__()
        self.token = token
        self.members_allowed = members_allowed
        self.guild = {"id": snowflake(START_MS - 10_000_000), "name": "Fake Guild", "icon": None,
                      "owner_id": "1", "features": [], "roles": [], "emojis": [], "description": None,
                      "preferred_locale": "en-US", "verification_level": 1}
        self.channels: list[dict] = []
        self.threads: list[dict] = []
        self.users: dict[str, dict] = {}
        self.messages: dict[str, list[dict]] = {}
        self.forbidden: set[str] = set()
        self.requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self._ms = START_MS

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        auth = handler.headers.get("Authorization") or ""
        status, body, headers, delay = self.respond(parts.path.removeprefix(PREFIX), dict(parse_qsl(parts.query)), auth)
        if delay and self._stopping.wait(delay):
            return
        self.send_reply(handler, status, body, headers, content_type="text/html" if isinstance(body, bytes) else None)

    # --- the guild ---------------------------------------------------------------------------------------------------
    def add_user(self, name: str, *, bot: bool = False) -> dict:
        user = {"id": snowflake(START_MS - 5_000_000 + len(self.users)), "username": name, "discriminator": "0",
                "global_name": name.title(), "avatar": f"a{len(self.users):031d}", "public_flags": 0}
        if bot:
            user["bot"] = True
        self.users[user["id"]] = user
        return user

    def add_channel(self, name: str, type_: int = 0, *, forbidden: bool = False, parent: str | None = None,
                    archived_ms: int | None = None) -> str:
        """A channel; a thread (type 10-12) under `parent`, archived at `archived_ms` when given."""
        channel_id = snowflake(START_MS - 1_000_000 + len(self.channels) + len(self.threads))
        channel = {"id": channel_id, "type": type_, "guild_id": self.guild["id"], "name": name,
                   "position": len(self.channels), "parent_id": parent, "topic": None, "nsfw": False,
                   "last_message_id": None, "rate_limit_per_user": 0, "permission_overwrites": [], "flags": 0}
        if type_ in (10, 11, 12):
            channel.update({"owner_id": next(iter(self.users)), "message_count": 0, "member_count": 1,
                            "thread_metadata": {"archived": archived_ms is not None, "auto_archive_duration": 1440,
                                                "archive_timestamp": api_time(archived_ms or START_MS),
                                                "locked": False}})
            self.threads.append(channel)
        else:
            self.channels.append(channel)
        self.messages[channel_id] = []
        if forbidden:
            self.forbidden.add(channel_id)
        return channel_id

    def post(self, channel_id: str, author: dict, content: str, *, reply_to: str | None = None,
             reactions: dict[str, int] | None = None) -> dict:
        with self._lock:
            self._ms += 61_000
            message = {"id": snowflake(self._ms), "type": 19 if reply_to else 0, "content": content,
                       "channel_id": channel_id, "author": author, "attachments": [], "embeds": [], "mentions": [],
                       "mention_roles": [], "pinned": False, "mention_everyone": False, "tts": False,
                       "timestamp": api_time(self._ms), "edited_timestamp": None, "flags": 0, "components": []}
            if reply_to:
                message["message_reference"] = {"type": 0, "message_id": reply_to, "channel_id": channel_id,
                                                "guild_id": self.guild["id"]}
            if reactions:
                message["reactions"] = [{"emoji": {"id": None, "name": e}, "count": n, "count_details":
                                         {"burst": 0, "normal": n}, "me": False, "me_burst": False, "burst_colors": []}
                                        for e, n in reactions.items()]
            self.messages[channel_id].append(message)
            return message

    def fault(self, path: str, status: int = 500, *, body: Any = None, retry_after: float | None = None,
              delay_s: float = 0.0, times: int | None = 1, when: Callable[[dict], bool] = lambda p: True) -> Fault:
        headers: dict[str, str] = {}
        if status == 429:
            after = retry_after if retry_after is not None else 0.2
            headers = {"Retry-After": str(max(1, round(after))), "X-RateLimit-Scope": "user", "Via": "1.1 google",
                       "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(after),
                       "X-RateLimit-Bucket": "fakebucket"}
            body = body or {"message": "You are being rate limited.", "retry_after": after, "global": False}
        elif body is None and status >= 500:
            body = b"<html><center><h1>502 Bad Gateway</h1></center></html>"
        fault = Fault(path, status, body, headers, delay_s, times, when)
        with self._lock:
            self.faults.append(fault)
        return fault

    def calls(self, pattern: str) -> list[dict]:
        return [r["params"] for r in self.requests if re.fullmatch(pattern, r["path"])]

    # --- answering ---------------------------------------------------------------------------------------------------
    def respond(self, path: str, params: dict, auth: str) -> tuple[int, Any, dict, float]:
        with self._lock:
            self.requests.append({"path": path, "params": dict(params), "auth": auth})
            for fault in self.faults:
                if re.fullmatch(fault.path, path) and (fault.times is None or fault.served < fault.times) \
                        and fault.when(params):
                    fault.served += 1
                    if fault.body is None:  # only late
                        status, body = self._answer(path, params, auth)
                        return status, body, self._bucket(), fault.delay_s
                    return fault.status, fault.body, fault.headers, fault.delay_s
            status, body = self._answer(path, params, auth)
            return status, body, self._bucket(), 0.0

    @staticmethod
    def _bucket() -> dict[str, str]:
        return {"X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "49", "X-RateLimit-Reset-After": "1.000",
                "X-RateLimit-Bucket": "fakebucket"}

    def _answer(self, path: str, params: dict, auth: str) -> tuple[int, Any]:
        if auth != f"Bot {self.token}":
            return 401, {"message": "401: Unauthorized", "code": 0}
        gid = self.guild["id"]
        routes: list[tuple[str, Callable[..., tuple[int, Any]]]] = [
            (r"/users/@me", lambda: (200, {"id": "1", "username": "codeconvene", "discriminator": "0",
                                           "global_name": None, "avatar": None, "bot": True, "flags": 0})),
            (r"/users/@me/guilds", lambda: (200, [{"id": gid, "name": self.guild["name"], "icon": None,
                                                   "owner": False, "permissions": "66560", "features": []}])),
            (rf"/guilds/{gid}", lambda: (200, self.guild)),
            (rf"/guilds/{gid}/channels", lambda: (200, self.channels)),
            (rf"/guilds/{gid}/threads/active", lambda: (200, {"threads": [t for t in self.threads if not
                                                                          t["thread_metadata"]["archived"]],
                                                              "members": []})),
            (r"/channels/(\d+)/threads/archived/public", lambda cid: self._archived(cid, params)),
            (rf"/guilds/{gid}/members", lambda: self._members(params)),
            (r"/channels/(\d+)/messages", lambda cid: self._messages(cid, params)),
            (r"/channels/(\d+)", lambda cid: self._channel(cid)),
        ]
        for pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if match:
                return handler(*match.groups())
        return 404, {"message": "404: Not Found", "code": 0}

    def _channel(self, cid: str) -> tuple[int, Any]:
        for channel in (*self.channels, *self.threads):
            if channel["id"] == cid:
                return 200, channel
        return 404, {"message": "Unknown Channel", "code": 10003}

    def archive(self, thread_id: str, at_ms: int) -> None:
        thread = next(t for t in self.threads if t["id"] == thread_id)
        thread["thread_metadata"].update(archived=True, archive_timestamp=api_time(at_ms))

    def _archived(self, cid: str, params: dict) -> tuple[int, Any]:
        if cid in self.forbidden:
            return 403, {"message": "Missing Access", "code": 50001}
        before = params.get("before")
        found = sorted((t for t in self.threads if t["parent_id"] == cid and t["thread_metadata"]["archived"]
                        and (not before or t["thread_metadata"]["archive_timestamp"] < before)),
                       key=lambda t: t["thread_metadata"]["archive_timestamp"], reverse=True)
        limit = max(2, min(int(params.get("limit") or 50), 100))
        return 200, {"threads": found[:limit], "members": [], "has_more": len(found) > limit}

    def _members(self, params: dict) -> tuple[int, Any]:
        if not self.members_allowed:
            return 403, {"message": "Missing Access", "code": 50001}
        after = int(params.get("after") or 0)
        limit = min(int(params.get("limit") or 1), 1000)
        users = sorted((u for u in self.users.values() if int(u["id"]) > after), key=lambda u: int(u["id"]))[:limit]
        return 200, [{"user": u, "nick": None, "avatar": None, "roles": [], "joined_at": api_time(START_MS - 9_000_000),
                      "premium_since": None, "deaf": False, "mute": False, "flags": 0, "pending": False}
                     for u in users]

    def _messages(self, cid: str, params: dict) -> tuple[int, Any]:
        if cid not in self.messages:
            return 404, {"message": "Unknown Channel", "code": 10003}
        if cid in self.forbidden:
            return 403, {"message": "Missing Access", "code": 50001}
        limit = max(1, min(int(params.get("limit") or 50), 100))
        after = int(params.get("after") or 0)
        newer = sorted((m for m in self.messages[cid] if int(m["id"]) > after), key=lambda m: int(m["id"]))
        return 200, list(reversed(newer[:limit]))
