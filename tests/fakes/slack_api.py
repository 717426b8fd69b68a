"""A loopback Slack Web API for the live connector: the real slack_sdk WebClient talks to it.

It keeps a small workspace (users, conversations, messages with threads) and answers
`auth.test`, `users.list`, `conversations.list`, `conversations.history` and
`conversations.replies` the way Slack does: `{ok: ...}` bodies, `ok: false` errors with HTTP
200 (`invalid_auth`, `not_in_channel`), history newest first honouring `oldest`/`latest`,
replies oldest first with the parent on top, cursor pagination through
`response_metadata.next_cursor`. Every request is recorded (method, params, token) so tests
can see what a second run asked for. `fault(...)` injects failures for the requests that
match: a 429 with Retry-After, 5xx, a late answer (a client timeout), a refusal.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.loopback import LoopbackFake, read_body

GOOD_TOKEN = "xoxb-fake-good-token"
EPOCH = 1_760_000_000  # 2025-10-09: every fake ts counts up from here


@dataclass
class Fault:
    """Answer `status` (with `body`, `headers`) to requests of `method` that match `when`,
    `times` times (None: forever); `delay_s` holds the answer back first."""

    method: str
    status: int = 500
    body: dict | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    times: int | None = 1
    when: Callable[[dict], bool] = lambda params: True
    served: int = 0


class FakeSlackApi(LoopbackFake):
    methods = ("GET", "POST")
    base_path = "/api/"

    def __init__(self, token: str = GOOD_TOKEN, team: str = "Fake Community") -> None:
        super().__init__()
        self.token = token
        self.team = team
        self.users: list[dict] = []
        self.conversations: list[dict] = []
        self.messages: dict[str, list[dict]] = {}
        self.requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.verbatim = False  # serve stored messages exactly as given (real export data), no thread fields added
        self._clock = 0

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        params = dict(parse_qsl(urlsplit(handler.path).query))
        if handler.command == "POST":
            body = read_body(handler).decode()
            if "json" in (handler.headers.get("Content-Type") or ""):
                params.update(json.loads(body or "{}"))
            else:
                params.update(parse_qsl(body))
        method = urlsplit(handler.path).path.rsplit("/", 1)[-1]
        auth = handler.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ").strip() or params.get("token", "")
        status, payload, headers, delay = self.respond(method, params, token)
        if delay and self._stopping.wait(delay):
            return
        self.send_reply(handler, status, payload, headers)

    # --- the workspace -----------------------------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str, **extra) -> dict:
        user = {"id": user_id, "team_id": "T0FAKE", "name": name, "deleted": False, "real_name": name.title(),
                "tz": "Europe/Berlin", "tz_offset": 3600, "is_bot": False, "is_app_user": False,
                "updated": EPOCH, "profile": {"real_name": name.title(), "display_name": name}, **extra}
        self.users.append(user)
        return user

    def add_channel(self, channel_id: str, name: str, *, is_member: bool = True, is_private: bool = False) -> dict:
        channel = {"id": channel_id, "name": name, "is_channel": not is_private, "is_group": is_private,
                   "is_im": False, "is_private": is_private, "is_archived": False, "is_general": False,
                   "is_member": is_member, "created": EPOCH - 86_400, "creator": "U0FAKE0001",
                   "topic": {"value": "", "creator": "", "last_set": 0},
                   "purpose": {"value": f"about {name}", "creator": "", "last_set": 0}, "num_members": 3}
        self.conversations.append(channel)
        self.messages[channel_id] = []
        return channel

    def post(self, channel_id: str, user: str, text: str, thread_ts: str | None = None) -> str:
        """A new message (a reply when `thread_ts` is given); returns its ts."""
        with self._lock:
            self._clock += 1
            ts = f"{EPOCH + self._clock * 60}.{self._clock:06d}"
            message = {"type": "message", "user": user, "text": text, "ts": ts, "team": "T0FAKE",
                       "blocks": [{"type": "rich_text", "block_id": f"b{self._clock}",
                                   "elements": [{"type": "rich_text_section",
                                                 "elements": [{"type": "text", "text": text}]}]}]}
            if thread_ts:
                message["thread_ts"] = thread_ts
                message["parent_user_id"] = self._find(channel_id, thread_ts)["user"]
            self.messages[channel_id].append(message)
            return ts

    def load_verbatim(self, users: list[dict], channels: list[dict], messages: dict[str, list[dict]]) -> None:
        """A workspace from real objects (e.g. an export's users.json, channels.json and day
        files), served untouched: parents are the messages without a `thread_ts` or with their
        own, replies the others, each in ts order."""
        self.verbatim = True
        self.users, self.conversations = list(users), list(channels)
        self.messages = {cid: sorted(items, key=lambda m: Decimal(m["ts"])) for cid, items in messages.items()}

    def fault(self, method: str, status: int = 500, *, body: dict | bytes | None = None,
              retry_after: str | None = None, delay_s: float = 0.0, times: int | None = 1,
              when: Callable[[dict], bool] = lambda params: True) -> Fault:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        if body is None and status >= 400:
            body = {"ok": False, "error": "ratelimited"} if status == 429 else b"<html>502 Bad Gateway</html>"
        fault = Fault(method, status, body, headers, delay_s, times, when)
        with self._lock:
            self.faults.append(fault)
        return fault

    def calls(self, method: str) -> list[dict]:
        return [r["params"] for r in self.requests if r["method"] == method]

    # --- answering ---------------------------------------------------------------------------------------------------
    def respond(self, method: str, params: dict, token: str) -> tuple[int, Any, dict, float]:
        with self._lock:
            self.requests.append({"method": method, "params": dict(params), "token": token})
            for fault in self.faults:
                if fault.method == method and (fault.times is None or fault.served < fault.times) and fault.when(params):
                    fault.served += 1
                    if fault.body is None:  # only late: answer normally after the delay
                        return 200, self._ok(method, params, token), {}, fault.delay_s
                    return fault.status, fault.body, fault.headers, fault.delay_s
            return 200, self._ok(method, params, token), {}, 0.0

    def _ok(self, method: str, params: dict, token: str) -> dict:
        if token != self.token:
            return {"ok": False, "error": "invalid_auth"}
        handler = {
            "auth.test": self._auth_test,
            "users.list": lambda p: self._listing(p, "members", self.users),
            "conversations.list": lambda p: self._listing(p, "channels", self.conversations),
            "conversations.history": self._history,
            "conversations.replies": self._replies,
        }.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        return handler(params)

    def _auth_test(self, params: dict) -> dict:
        return {"ok": True, "url": "https://fake.slack.com/", "team": self.team, "user": "codeconvene",
                "team_id": "T0FAKE", "user_id": "U0BOT", "bot_id": "B0BOT", "is_enterprise_install": False}

    @staticmethod
    def _limit(params: dict, default: int = 100) -> int:
        return max(1, min(int(params.get("limit") or default), 999))

    def _listing(self, params: dict, key: str, items: list[dict]) -> dict:
        start = int(base64.b64decode(params["cursor"]).decode().split(":")[1]) if params.get("cursor") else 0
        end = start + self._limit(params)
        more = end < len(items)
        cursor = base64.b64encode(f"{key}:{end}".encode()).decode() if more else ""
        return {"ok": True, key: items[start:end], "response_metadata": {"next_cursor": cursor}}

    def _find(self, channel_id: str, ts: str) -> dict:
        return next(m for m in self.messages[channel_id] if m["ts"] == ts)

    def _thread_fields(self, channel_id: str, parent: dict) -> dict:
        replies = [m for m in self.messages[channel_id] if m.get("thread_ts") == parent["ts"]]
        if not replies:
            return dict(parent)
        return {**parent, "thread_ts": parent["ts"], "reply_count": len(replies),
                "reply_users_count": len({r["user"] for r in replies}),
                "reply_users": sorted({r["user"] for r in replies}), "latest_reply": replies[-1]["ts"],
                "is_locked": False, "subscribed": False}

    @staticmethod
    def _window(params: dict, ts: str) -> bool:
        inclusive = params.get("inclusive") in ("1", "true", True)
        oldest, latest = params.get("oldest"), params.get("latest")
        value = Decimal(ts)
        if oldest and (value < Decimal(oldest) or (value == Decimal(oldest) and not inclusive)):
            return False
        return not (latest and (value > Decimal(latest) or (value == Decimal(latest) and not inclusive)))

    def _channel(self, params: dict) -> dict | None:
        for channel in self.conversations:
            if channel["id"] == params.get("channel"):
                return channel
        return None

    def _history(self, params: dict) -> dict:
        channel = self._channel(params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.get("is_member", True):
            return {"ok": False, "error": "not_in_channel"}
        cid = channel["id"]
        parents = [m if self.verbatim else self._thread_fields(cid, m) for m in self.messages.get(cid, [])
                   if m.get("thread_ts") in (None, m["ts"]) and self._window(params, m["ts"])]
        parents.sort(key=lambda m: Decimal(m["ts"]), reverse=True)
        if params.get("cursor"):
            before = Decimal(base64.b64decode(params["cursor"]).decode().split(":", 1)[1])
            parents = [m for m in parents if Decimal(m["ts"]) < before]
        page, rest = parents[: self._limit(params)], parents[self._limit(params):]
        cursor = base64.b64encode(f"next_ts:{page[-1]['ts']}".encode()).decode() if rest else ""
        answer = {"ok": True, "messages": page, "has_more": bool(rest), "pin_count": 0,
                  "channel_actions_ts": None, "channel_actions_count": 0}
        if rest:
            answer["response_metadata"] = {"next_cursor": cursor}
        return answer

    def _replies(self, params: dict) -> dict:
        channel = self._channel(params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        cid = channel["id"]
        try:
            parent = self._find(cid, params.get("ts", ""))
        except StopIteration:
            return {"ok": False, "error": "thread_not_found"}
        parent = parent if self.verbatim else self._thread_fields(cid, parent)
        replies = [m for m in self.messages[cid] if m.get("thread_ts") == parent["ts"] and m["ts"] != parent["ts"]
                   and self._window(params, m["ts"])]
        if params.get("cursor"):
            after = Decimal(base64.b64decode(params["cursor"]).decode().split(":", 1)[1])
            replies = [m for m in replies if Decimal(m["ts"]) > after]
            page_items = replies
        else:
            page_items = [parent, *replies]
        limit = self._limit(params, 1000)
        page, rest = page_items[:limit], page_items[limit:]
        answer = {"ok": True, "messages": page, "has_more": bool(rest)}
        if rest:
            answer["response_metadata"] = {"next_cursor": base64.b64encode(f"next_ts:{page[-1]['ts']}".encode()).decode()}
        return answer
