"""What the Slack bot does with an event or a slash command, whichever transport brought it.

Both transports (HTTP Events API, Socket Mode) must acknowledge within 3 s, so the handlers
here only decide and enqueue: deduplicate, rate-limit, then answer on a worker thread and
reply with `chat.postMessage` in the asker's thread. The warehouse is opened read-only per
question (short-lived, so a `codeconvene build` in another process is never locked out).
"""

from __future__ import annotations

import inspect
import logging
import re
import threading
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import duckdb
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bots.answer.engine import answer as engine_answer
from bots.ratelimit import RateLimiter, polite_refusal
from bots.slack import commands
from bots.slack.blocks import answer_blocks, clip, context, escape, link, section, text_blocks
from bots.slack.dedupe import Deduper

log = logging.getLogger("codeconvene.bots.slack")
OpenWarehouse = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_NOT_POSTABLE = {"not_in_channel", "channel_not_found", "is_archived"}


def ask(
    question: str,
    con: duckdb.DuckDBPyConnection,
    today: date | None,
    asker: str,
    maintainers: Collection[str] = (),
) -> Any:
    """Call the engine with whichever of `asker`/`platform`/`maintainers` it accepts.

    `asker` is the Slack user id: the engine records the exchange under it and shows one
    person's wellbeing figures only when it is one of `maintainers` (Slack user ids).
    """
    accepted = inspect.signature(engine_answer).parameters
    wanted = {"asker": asker, "platform": "slack", "maintainers": tuple(maintainers)}
    return engine_answer(question, con, today, **{k: v for k, v in wanted.items() if k in accepted})


def question_text(text: str) -> str:
    """The question without the bot's (or anyone's) @-mention."""
    return " ".join(_MENTION.sub(" ", text or "").split())


class SlackBot:
    """Answers mentions, DMs and `/convene`; welcomes people who join a channel."""

    def __init__(
        self,
        client: WebClient,
        open_warehouse: OpenWarehouse,
        *,
        limiter: RateLimiter | None = None,
        today: Callable[[], date | None] = lambda: None,
        bot_user_id: str | None = None,
        maintainers: Collection[str] = (),
        workers: int = 4,
    ) -> None:
        self.client = client
        self.open_warehouse = open_warehouse
        self.limiter = limiter or RateLimiter()
        self.today = today
        self.bot_user_id = bot_user_id
        self.maintainers = tuple(maintainers)
        self.dedupe = Deduper()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack-answer")
        self._pending: set[Future] = set()
        self._pending_lock = threading.Lock()

    # --- entry points (called by the transports; return at once) ---------------------------

    def handle_envelope(self, envelope: dict) -> Future | None:
        """An Events API `event_callback`; returns the queued work (tests wait on it), if any."""
        if envelope.get("type") != "event_callback":
            return None
        event = envelope.get("event") or {}
        kind = event.get("type")
        if kind == "member_joined_channel":
            if not self.dedupe.first_time(envelope.get("event_id")):
                return None
            return self._submit(self._welcome, event.get("channel"), event.get("user"))
        if kind == "app_mention" or (kind == "message" and event.get("channel_type") == "im"):
            return self._on_message(envelope.get("event_id"), event)
        return None

    def handle_command(self, form: dict[str, str]) -> dict:
        """A slash command; returns the immediate (ephemeral) acknowledgement body."""
        word, _, rest = (form.get("text") or "").strip().partition(" ")
        word = word.lower()
        if word not in {"ask", "stats", "faq", "report"} or (word == "ask" and not rest.strip()):
            return {"response_type": "ephemeral", "text": commands.HELP}
        user = form.get("user_id") or "unknown"
        decision = self.limiter.check(user)
        if not decision.allowed:
            return {"response_type": "ephemeral", "text": polite_refusal(decision.retry_after_s)}
        self._submit(
            self._command_reply, word, rest, user, form.get("channel_id"), form.get("response_url")
        )
        return {"response_type": "ephemeral", "text": "Looking that up…"}

    def drain(self, timeout: float | None = None) -> None:
        """Wait until every queued reply has been posted (or failed)."""
        with self._pending_lock:
            pending = set(self._pending)
        wait(pending, timeout=timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)

    # --- decisions ---------------------------------------------------------------------------

    def _on_message(self, event_id: str | None, event: dict) -> Future | None:
        if (
            event.get("bot_id")
            or event.get("subtype")
            or event.get("user") in (None, self.bot_user_id)
        ):
            return None  # our own or another bot's message: never answer (no loops)
        channel, ts = event.get("channel"), event.get("ts")
        if not self.dedupe.first_time(event_id, f"{channel}:{ts}"):
            return None
        in_dm = event.get("channel_type") == "im"
        thread = event.get("thread_ts") or (None if in_dm else ts)
        decision = self.limiter.check(event["user"])
        if not decision.allowed:
            if not decision.should_notify:
                return None
            text = polite_refusal(decision.retry_after_s)
            return self._submit(self._post, channel, thread, text, text_blocks(text))
        return self._submit(
            self._answer, question_text(event.get("text", "")), event["user"], channel, thread
        )

    def _submit(self, fn: Callable, *args) -> Future:
        future = self._pool.submit(fn, *args)
        with self._pending_lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future) -> None:
        with self._pending_lock:
            self._pending.discard(future)
        _log_failure(future)

    # --- work (worker threads) -----------------------------------------------------------------

    def _answer(self, question: str, user: str, channel: str, thread: str | None) -> None:
        if not question:
            self._post(channel, thread, commands.HELP, text_blocks(commands.HELP))
            return
        result = self._with_warehouse(
            lambda con: ask(question, con, self.today(), user, self.maintainers)
        )
        if isinstance(result, str):
            self._post(channel, thread, result, text_blocks(result))
            return
        self._post(channel, thread, result.text, answer_blocks(result))

    def _command_reply(
        self, word: str, rest: str, user: str, channel: str, response_url: str | None
    ) -> None:
        run = {
            "ask": lambda con: ask(rest.strip(), con, self.today(), user, self.maintainers),
            "stats": commands.stats,
            "faq": lambda con: commands.faq(con, rest),
            "report": commands.report,
        }[word]
        result = self._with_warehouse(run)
        text, blocks = (
            (result, text_blocks(result))
            if isinstance(result, str)
            else (result.text, answer_blocks(result))
        )
        if _USER_ID.match(user):  # a slash command is invisible to others: show who asked what
            asked = f"/convene {word} {rest}".strip()
            blocks = [context(f"<@{user}> asked: {escape(clip(asked, 500))}"), *blocks]
        try:
            self._post(channel, None, text, blocks)
        except SlackApiError as exc:
            if exc.response.get("error") not in _NOT_POSTABLE or not response_url:
                raise
            # the bot is not in that channel: answer through the command's response_url
            WebhookClient(response_url).send(text=text, blocks=blocks, response_type="in_channel")

    def _welcome(self, channel: str, user: str) -> None:
        if not _USER_ID.match(user or "") or user == self.bot_user_id:
            return
        issues = self._with_warehouse(commands.good_first_issues)
        text = f"<@{user}> {escape(commands.WELCOME)}"
        blocks = [section(text)]
        if isinstance(issues, list) and issues:
            lines = "\n".join(f"• {link(url, title)}" for title, url in issues)
            blocks.append(section(f"Good first issues to start with:\n{lines}"))
        self._post(channel, None, f"Welcome <@{user}>!", blocks)

    def _with_warehouse(self, fn: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
        """`fn(con)`, or a sentence saying why the warehouse could not answer."""
        try:
            with self.open_warehouse() as con:
                return fn(con)
        except FileNotFoundError:
            return "The warehouse is not built yet: run `codeconvene demo` or `codeconvene build` first."
        except duckdb.Error as exc:
            log.warning("warehouse query failed: %s", type(exc).__name__)
            return "Sorry, I could not read the warehouse just now (it may be rebuilding); please retry."
        except Exception as exc:  # noqa: BLE001 - the asker still gets a reply, the log the type
            log.error("answering failed: %s", type(exc).__name__)
            return "Sorry, something went wrong while answering; the maintainers can check the bot's log."

    def _post(self, channel: str, thread: str | None, text: str, blocks: list[dict]) -> None:
        self.client.chat_postMessage(
            channel=channel, thread_ts=thread, text=text[:3000], blocks=blocks, unfurl_links=False
        )


def _log_failure(future: Future) -> None:
    exc = future.exception()
    if exc is not None:  # the type and Slack's error code only: never headers or tokens
        detail = exc.response.get("error") if isinstance(exc, SlackApiError) else ""
        log.error("slack reply failed: %s %s", type(exc).__name__, detail)
