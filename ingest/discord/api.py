"""Discord REST API → raw_discord, incrementally: guilds, channels, active threads, members, messages.

Guilds are the ones named in `discord.guilds` / DISCORD_GUILD_IDS, else every guild the bot
is in. Messages are read oldest first with Discord's `after` snowflake: each page (up to
100) lands in one transaction with `messages:<channel id>` = the newest id in it, so the
next page, the next run and a run resumed after a crash all ask for `after=<that id>` and
nothing is skipped or read twice. Messages are stored in the DiscordChatExporter shape
file ingest uses (`ingest.discord.api_messages`).

Guild, channel and thread lists have no "since" filter and are re-read each run; the member
list every `members_refresh_hours`.
Members need the privileged Server Members intent; without it (403) the authors of the
messages read become members, as with DCE files. Threads: the active ones each run, and
the public archived ones archived since the last run (`archived:<parent channel>`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import duckdb

from ingest.core.cursors import get_cursor, set_cursor
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
from ingest.core.records import Record, Rejected
from ingest.discord.api_client import ClientOptions, DiscordApi, DiscordRefused
from ingest.discord.api_messages import (
    MESSAGE_CHANNEL_TYPES,
    THREAD_PARENT_TYPES,
    THREAD_TYPES,
    api_message_record,
    author_member_record,
    member_record,
)
from ingest.discord.common import channel_record, guild_record

SOURCE = "discord"
INSTANCE = "discord:live"
MEMBERS_PAGE = 1000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    """codeconvene.yaml `discord:` knobs; `page_size` is at most 100 (Discord's limit)."""

    page_size: int = 100
    members_refresh_hours: float = 24.0
    client: ClientOptions = field(default_factory=ClientOptions)

    @classmethod
    def read(cls, settings, scope: dict) -> Options:
        given = {**settings.source_options("discord"), **{k: v for k, v in scope.items() if v is not None}}

        def number(key: str, default, kind=float):
            return option_number(given, "discord", key, default, kind)

        client = ClientOptions(number("timeout_s", ClientOptions.timeout_s),
                               number("max_retries", ClientOptions.max_retries, int),
                               number("max_rate_limit_wait_s", ClientOptions.max_rate_limit_wait_s))
        return cls(min(max(1, number("page_size", cls.page_size, int)), 100),
                   number("members_refresh_hours", cls.members_refresh_hours), client)


def check(settings) -> CheckResult:
    """`GET /users/@me`: proves the token (5 s, no retries)."""
    if not settings.secret("DISCORD_BOT_TOKEN"):
        return CheckResult("discord", "missing", "DISCORD_BOT_TOKEN is not set")

    async def whoami() -> dict:
        async with DiscordApi(settings, ClientOptions(timeout_s=5, max_retries=0)) as api:
            return await api.get("/users/@me")

    try:
        me = asyncio.run(whoami())
    except LiveError as exc:
        return CheckResult("discord", "failing", str(exc))
    return CheckResult("discord", "configured", f"bot {me.get('username', '?')}")


def sync(settings, con: duckdb.DuckDBPyConnection, *, progress: Progress | None = None,
         channel: str | None = None, **scope) -> SyncSummary:
    """Pull what is new into raw_discord; `channel` limits it to one channel or thread id."""
    options = Options.read(settings, scope)
    progress = progress or NoProgress()
    summary = SyncSummary(SOURCE)
    batch_id = start_run(con, INSTANCE)
    status = "failed"
    progress.start(0, 0)
    try:
        asyncio.run(_sync(settings, con, options, _Lander(con, progress, summary, batch_id), channel))
        status = "succeeded"
    finally:
        finish_run(con, batch_id, status, summary.fetched)
        progress.finish()
    return summary


async def _sync(settings, con, options: Options, lander: _Lander, channel: str | None) -> None:
    async with DiscordApi(settings, options.client) as api:
        puller = _Puller(api, con, options, lander)
        if channel:
            await puller.one_channel(channel)
            return
        guilds = settings.discord_guilds or [str(g["id"]) for g in await api.get("/users/@me/guilds")]
        if not guilds:
            raise LiveError("discord: the bot is in no guild and none is configured",
                            "invite the bot to your server, or set discord.guilds in codeconvene.yaml")
        for guild_id in guilds:
            await puller.guild(guild_id)


def _due(last: str | None, every_hours: float) -> bool:
    """A full re-read is due: never done, or done `every_hours` ago or more."""
    try:
        return last is None or _now() - datetime.fromisoformat(last) >= timedelta(hours=every_hours)
    except ValueError:
        return True


def _archived_at(thread: dict) -> str | None:
    """A thread's archive time as Discord writes it (ISO 8601, UTC): orders as text."""
    value = (thread.get("thread_metadata") or {}).get("archive_timestamp")
    return value if isinstance(value, str) and value else None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class _Lander:
    con: duckdb.DuckDBPyConnection
    progress: Progress
    summary: SyncSummary
    batch_id: str

    def land(self, stream: str, location: str, items: list[Record | Rejected], cursors: dict | None = None,
             count: int | None = None) -> None:
        """`count`: how many of `items` belong to `stream` (default all)."""
        self.progress.unit_started(location, 0)
        cursors = {(SOURCE, k): v for k, v in (cursors or {}).items()}
        land_page(self.con, INSTANCE, self.batch_id, _now(), items, cursors)
        self.summary.add(stream, len(items) if count is None else count)
        self.summary.pages += 1
        self.summary.cursor_updates += len(cursors)
        self.progress.unit_finished(location, len(items), skipped=False)


@dataclass
class _Puller:
    api: DiscordApi
    con: duckdb.DuckDBPyConnection
    options: Options
    lander: _Lander
    authors_are_members: set[str] = field(default_factory=set)  # guilds whose member list is refused

    async def guild(self, guild_id: str) -> None:
        guild = await self.api.get("/guilds/{guild_id}", guild_id=guild_id)
        self.lander.land("guilds", f"discord:/guilds/{guild_id}", [guild_record(guild, _now(), f"guild {guild_id}")])
        channels = await self.api.get("/guilds/{guild_id}/channels", guild_id=guild_id)
        threads = (await self.api.get("/guilds/{guild_id}/threads/active", guild_id=guild_id)).get("threads") or []
        at = _now()
        for name, listing in (("channels", channels), ("threads", threads)):
            self.lander.land("channels", f"discord:/guilds/{guild_id}/{name}",
                             [channel_record(c, guild_id, at, f"{name} {c.get('id')}") for c in listing])
        await self.members(guild_id)
        readable = [c for c in channels if c.get("type") in MESSAGE_CHANNEL_TYPES]
        readable += [t for t in threads if t.get("type") in THREAD_TYPES]
        for channel in readable:
            await self.messages(str(channel["id"]), guild_id, explicit=False)
        for parent in (c for c in channels if c.get("type") in THREAD_PARENT_TYPES):
            await self.archived_threads(str(parent["id"]), guild_id)

    async def archived_threads(self, parent_id: str, guild_id: str) -> None:
        """Public threads archived since the last run (newest archive first), then their messages.

        `archived:<parent>` = the newest archive time handled; it moves only once every thread
        newer than it has been read, so an interrupted run lists them again (their message
        cursors skip what already landed). A thread unarchived, added to and archived again
        has a new archive time, so it is read again."""
        stream = f"archived:{parent_id}"
        since = get_cursor(self.con, SOURCE, stream)
        fresh, before = [], None
        while True:
            try:
                page = await self.api.get("/channels/{channel_id}/threads/archived/public",
                                          {"before": before, "limit": 100}, channel_id=parent_id)
            except DiscordRefused as exc:
                if exc.status not in (403, 404):
                    raise
                log.warning("discord: skipping archived threads of %s: %s", parent_id, exc)
                return
            listed = [t for t in page.get("threads") or [] if isinstance(t, dict) and _archived_at(t)]
            newer = [t for t in listed if since is None or _archived_at(t) > since]
            fresh += newer
            if not page.get("has_more") or len(newer) < len(listed) or not listed:
                break
            before = min(_archived_at(t) for t in listed)
        if not fresh:
            return
        at = _now()
        self.lander.land("channels", f"discord:/channels/{parent_id}/threads/archived/public",
                         [channel_record(t, guild_id, at, f"thread {t.get('id')}") for t in fresh])
        for thread in fresh:
            await self.messages(str(thread["id"]), guild_id, explicit=False)
        set_cursor(self.con, SOURCE, stream, max(_archived_at(t) for t in fresh))
        self.lander.summary.cursor_updates += 1

    async def one_channel(self, channel_id: str) -> None:
        channel = await self.api.get("/channels/{channel_id}", channel_id=channel_id)
        guild_id = str(channel.get("guild_id") or "")
        self.lander.land("channels", f"discord:/channels/{channel_id}",
                         [channel_record(channel, guild_id or None, _now(), f"channel {channel_id}")])
        self.authors_are_members.add(guild_id)  # one channel: its authors, not the whole member list
        await self.messages(channel_id, guild_id, explicit=True)

    async def members(self, guild_id: str) -> None:
        """The member list, at most every `members_refresh_hours`; `members:<guild>` holds when
        it was last read whole, or that it is not permitted (then message authors stand in)."""
        stream = f"members:{guild_id}"
        last = json.loads(get_cursor(self.con, SOURCE, stream) or "{}")
        if not _due(last.get("at"), self.options.members_refresh_hours):
            if last.get("forbidden"):
                self.authors_are_members.add(guild_id)
            return
        after = "0"
        while True:
            try:
                page = await self.api.get("/guilds/{guild_id}/members", {"limit": MEMBERS_PAGE, "after": after},
                                          guild_id=guild_id)
            except DiscordRefused as exc:
                if exc.status != 403:
                    raise
                log.info("discord: member list of guild %s not permitted; message authors stand in", guild_id)
                self.authors_are_members.add(guild_id)
                set_cursor(self.con, SOURCE, stream, json.dumps({"at": _now().isoformat(), "forbidden": True}))
                return
            at = _now()
            location = f"discord:/guilds/{guild_id}/members?after={after}"
            ids = [int(m["user"]["id"]) for m in page if str((m.get("user") or {}).get("id", "")).isdigit()]
            last_page = len(page) < MEMBERS_PAGE or not ids
            self.lander.land("members", location, [member_record(m, guild_id, at, f"{location}[{i}]")
                                                    for i, m in enumerate(page)],
                             {stream: json.dumps({"at": at.isoformat()})} if last_page else {})
            if last_page:
                return
            after = str(max(ids))

    async def messages(self, channel_id: str, guild_id: str, explicit: bool) -> None:
        stream = f"messages:{channel_id}"
        after = get_cursor(self.con, SOURCE, stream) or "0"
        while True:
            try:
                page = await self.api.get("/channels/{channel_id}/messages",
                                          {"after": after, "limit": self.options.page_size}, channel_id=channel_id)
            except DiscordRefused as exc:
                if explicit or exc.status not in (403, 404):
                    raise
                log.warning("discord: skipping channel %s: %s", channel_id, exc)
                return
            page = sorted((m for m in page if isinstance(m, dict)), key=lambda m: int(m.get("id") or 0))  # oldest first
            if not page:
                return
            location = f"discord:/channels/{channel_id}/messages?after={after}"
            items = [api_message_record(m, channel_id, f"{location}[{m.get('id')}]") for m in page]
            authors = self._authors(items, guild_id, location) if guild_id in self.authors_are_members else []
            after = str(max((int(m["id"]) for m in page if str(m.get("id", "")).isdigit()), default=int(after)))
            self.lander.land("messages", location, items + authors, {stream: after}, count=len(items))
            if authors:
                self.lander.summary.add("members", len(authors))
            if len(page) < self.options.page_size:
                return

    @staticmethod
    def _authors(items: list, guild_id: str, location: str) -> list[Record]:
        at = _now()
        authors = {}
        for item in items:
            if isinstance(item, Record) and item.table == "raw_discord.messages":
                author = json.loads(item.payload)["author"]
                authors[author["id"]] = author
        return [author_member_record(a, guild_id, at, f"{location}[author {uid}]") for uid, a in authors.items()]
