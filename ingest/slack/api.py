"""Slack Web API → raw_slack, incrementally: users, channels, channel history and threads.

Records are built by the same functions as the export and API-dump readers
(`ingest.slack.records`), so a live message lands with the key and payload a file ingest
gives it. Every page lands in one transaction with the cursor that points past it
(`ingest.core.live.land_page`):

- `history:<channel>` = the newest `ts` of a finished pass; the next pass asks
  `conversations.history` only for `oldest` > it (less `thread_lookback_days`, so that
  parents of threads that got new replies are seen again).
- `history:<channel>:pass` = the pass under way (`oldest`, the `next_cursor` to ask for, the
  newest ts seen). History comes newest first, so the high-water mark can only move when
  a pass ends; until then a killed run resumes at the page it died on.
- `replies:<channel>:<thread_ts>` = the newest reply landed; replies come oldest first, so
  each page moves it.

Users and channels have no "since" filter: channels (which say where the bot is a member)
are re-read each run, the user directory every `users_refresh_hours` (cursor `users`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import duckdb

from ingest.core.cursors import get_cursor
from ingest.core.live import (
    CheckResult,
    LiveError,
    SyncSummary,
    finish_run,
    land_page,
    option_number,
    start_run,
)
from ingest.core.progress import NoProgress, Progress
from ingest.slack.api_client import ClientOptions, SlackRefused, call, make_client, pages
from ingest.slack.records import TS, channel_record, message_record, records_of, user_record

SOURCE = "slack"  # meta.cursors.source
INSTANCE = "slack:live"  # _source of the rows and meta.runs.source
SKIPPABLE = {"not_in_channel", "channel_not_found", "is_archived"}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    """codeconvene.yaml `slack:` knobs. `page_size`: Slack's recommended 200; apps under the
    non-Marketplace limits get at most 15 (README, "Slack history limits")."""

    page_size: int = 200
    thread_lookback_days: float = 7.0
    users_refresh_hours: float = 24.0
    client: ClientOptions = field(default_factory=ClientOptions)

    @classmethod
    def read(cls, settings, scope: dict) -> Options:
        given = {**settings.source_options("slack"), **{k: v for k, v in scope.items() if v is not None}}

        def number(key: str, default, kind=float):
            return option_number(given, "slack", key, default, kind)

        client = ClientOptions(number("timeout_s", ClientOptions.timeout_s),
                               number("max_retries", ClientOptions.max_retries, int),
                               number("backoff_s", ClientOptions.backoff_s))
        return cls(max(1, number("page_size", cls.page_size, int)),
                   number("thread_lookback_days", cls.thread_lookback_days),
                   number("users_refresh_hours", cls.users_refresh_hours), client)


def check(settings) -> CheckResult:
    """`auth.test`: the cheapest call that proves the token works (5 s, no retries)."""
    if not settings.secret("SLACK_BOT_TOKEN"):
        return CheckResult("slack", "missing", "SLACK_BOT_TOKEN is not set")
    try:
        client = make_client(settings, ClientOptions(timeout_s=5, max_retries=0))
        data = call(client, "auth.test")
    except LiveError as exc:
        return CheckResult("slack", "failing", str(exc))
    return CheckResult("slack", "configured", f"workspace {data.get('team', '?')} as {data.get('user', '?')}")


def sync(settings, con: duckdb.DuckDBPyConnection, *, progress: Progress | None = None,
         channel: str | None = None, **scope) -> SyncSummary:
    """Pull what is new into raw_slack. `channel` limits history to one channel id; else the
    `slack.channels` of codeconvene.yaml; else every channel the bot is a member of."""
    options = Options.read(settings, scope)
    puller = _Puller(con, make_client(settings, options.client), options, progress or NoProgress(),
                     SyncSummary(SOURCE), start_run(con, INSTANCE))
    status = "failed"
    puller.progress.start(0, 0)
    try:
        puller.users()
        conversations = puller.channels()
        wanted = [channel] if channel else settings.slack_channels
        for conversation in _targets(conversations, wanted):
            puller.history(conversation, explicit=bool(wanted))
        status = "succeeded"
    finally:
        finish_run(con, puller.batch_id, status, puller.summary.fetched)
        puller.progress.finish()
    return puller.summary


def _targets(conversations: dict[str, dict], wanted: list[str]) -> list[str]:
    if wanted:
        return list(dict.fromkeys(wanted))
    return [cid for cid, c in conversations.items() if c.get("is_member") and not c.get("is_archived")]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _due(last: str | None, every_hours: float) -> bool:
    """A full re-read is due: never done, or done `every_hours` ago or more."""
    try:
        return last is None or _now() - datetime.fromisoformat(last) >= timedelta(hours=every_hours)
    except ValueError:
        return True


def _thread_parents(messages: list) -> list[dict]:
    """Messages that start a thread with replies (a parent's `thread_ts` is its own `ts`)."""
    return [m for m in messages if isinstance(m, dict) and m.get("reply_count") and isinstance(m.get("ts"), str)
            and TS.fullmatch(m["ts"]) and m.get("thread_ts") == m["ts"]]


def _ts(value: str | None) -> Decimal:
    return Decimal(value) if value else Decimal(0)


def _newest(*values: str | None) -> str | None:
    present = [v for v in values if isinstance(v, str) and TS.fullmatch(v)]
    return max(present, key=Decimal) if present else None


@dataclass
class _Puller:
    con: duckdb.DuckDBPyConnection
    client: object
    options: Options
    progress: Progress
    summary: SyncSummary
    batch_id: str

    def _land(self, stream: str, location: str, items: list, cursors: dict | None = None) -> None:
        self.progress.unit_started(location, 0)
        cursors = {(SOURCE, k): v for k, v in (cursors or {}).items()}
        land_page(self.con, INSTANCE, self.batch_id, _now(), items, cursors)
        self.summary.add(stream, len(items))
        self.summary.pages += 1
        self.summary.cursor_updates += len(cursors)
        self.progress.unit_finished(location, len(items), skipped=False)

    def users(self) -> None:
        """The member directory, at most every `users_refresh_hours` (`users` = when last read whole)."""
        if not _due(get_cursor(self.con, SOURCE, "users"), self.options.users_refresh_hours):
            return
        for number, (members, next_cursor) in enumerate(pages(self.client, "users.list", "members",
                                                              limit=self.options.page_size), 1):
            location = f"slack:users.list[page {number}]"
            done = {} if next_cursor else {"users": _now().isoformat()}
            self._land("users", location, list(records_of(members, location, user_record)), done)

    def channels(self) -> dict[str, dict]:
        """Public and private channels; public only when the app lacks `groups:read`."""
        try:
            return self._channels("public_channel,private_channel")
        except SlackRefused as exc:
            if exc.code != "missing_scope":
                raise
            log.warning("slack: no groups:read scope, so private channels are left out")
            return self._channels("public_channel")

    def _channels(self, types: str) -> dict[str, dict]:
        seen: dict[str, dict] = {}
        for number, (items, _) in enumerate(pages(self.client, "conversations.list", "channels", types=types,
                                                  exclude_archived="false", limit=self.options.page_size), 1):
            location = f"slack:conversations.list[page {number}]"
            seen.update({c["id"]: c for c in items if isinstance(c, dict) and isinstance(c.get("id"), str)})
            self._land("channels", location, list(records_of(items, location, channel_record)))
        return seen

    def history(self, channel_id: str, explicit: bool) -> None:
        stream = f"history:{channel_id}"
        done = get_cursor(self.con, SOURCE, stream)
        under_way = json.loads(get_cursor(self.con, SOURCE, f"{stream}:pass") or "null")
        if under_way:
            oldest, cursor, top = under_way["oldest"], under_way["next"], under_way["top"]
        else:
            oldest, cursor, top = self._oldest(done), None, done
        try:
            for number, (messages, next_cursor) in enumerate(
                pages(self.client, "conversations.history", "messages", channel=channel_id, oldest=oldest,
                      cursor=cursor, limit=self.options.page_size), 1):
                location = f"slack:conversations.history[{channel_id}, page {number}]"
                for parent in _thread_parents(messages):  # threads first: the page's cursor must not pass them
                    self.replies(channel_id, parent["ts"], parent.get("latest_reply"))
                top = _newest(top, *(m.get("ts") for m in messages if isinstance(m, dict)))
                if next_cursor:
                    cursors = {f"{stream}:pass": json.dumps({"oldest": oldest, "next": next_cursor, "top": top})}
                else:
                    cursors = {stream: top, f"{stream}:pass": None}
                items = list(records_of(messages, location, lambda m, at: message_record(m, channel_id, at)))
                self._land("messages", location, items, cursors)
        except SlackRefused as exc:
            if exc.code not in SKIPPABLE:
                raise
            if explicit:
                raise LiveError(f"slack: cannot read channel {channel_id}: {exc.code}",
                                "invite the bot to the channel (/invite @your-app) or fix slack.channels") from None
            log.warning("slack: skipping channel %s: %s", channel_id, exc.code)

    def _oldest(self, done: str | None) -> str | None:
        if not done:
            return None
        since = _ts(done) - Decimal(str(self.options.thread_lookback_days * 86400))
        return f"{max(since, Decimal(0)):.6f}"

    def replies(self, channel_id: str, thread_ts: str, latest_reply: str | None) -> None:
        stream = f"replies:{channel_id}:{thread_ts}"
        since = get_cursor(self.con, SOURCE, stream)
        if since and isinstance(latest_reply, str) and TS.fullmatch(latest_reply) and _ts(latest_reply) <= _ts(since):
            return  # nothing new in this thread
        for number, (messages, _) in enumerate(
            pages(self.client, "conversations.replies", "messages", channel=channel_id, ts=thread_ts,
                  oldest=since, limit=self.options.page_size), 1):
            replies = [m for m in messages if isinstance(m, dict) and m.get("ts") != thread_ts]
            since = _newest(since, *(m.get("ts") for m in replies if isinstance(m.get("ts"), str)))
            location = f"slack:conversations.replies[{channel_id}, {thread_ts}, page {number}]"
            items = list(records_of(replies, location, lambda m, at: message_record(m, channel_id, at)))
            self._land("messages", location, items, {stream: since} if since else {})
