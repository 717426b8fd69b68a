"""Groq through its official SDK: cached by prompt hash, bounded by a token budget per run.

The cache (`ml.llm_cache`) makes rebuilds free and repeatable: re-running a summary or a
draft over unchanged facts costs no tokens and returns the same text. The key covers the
model name and the exact system and user text, so a changed prompt file or a new message
misses the cache. Cached answers are served even after the budget is spent: they are free.

The budget caps what one run (one provider object, i.e. one asset run) may spend: the
`usage.total_tokens` of every answer are added up, and once the sum reaches the budget the
rest of the run is written by the offline engine, with one warning in the log. A weekly
build therefore never runs up an unbounded bill, and it still produces every output.

`base_url` is settable (GROQ_BASE_URL) so tests drive the real SDK against a loopback fake.
The request itself (retries, timeouts, validation, key redaction) lives in `groq_call`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import duckdb
import groq

from ml.llm.groq_call import Redactor, RetryPolicy, chat
from ml.llm.offline import OfflineProvider
from ml.llm.provider import Completion, LLMProvider, Prompt
from ml.tables import LLM_CACHE, ensure_ml_table, utc_now

log = logging.getLogger("ml.llm.groq")

DEFAULT_MODEL = "llama-3.3-70b-versatile"
DEFAULT_BASE_URL = "https://api.groq.com"
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_RETRIES = 3
DEFAULT_TOKEN_BUDGET = 200_000


class GroqProvider:
    """`LLMProvider` backed by Groq chat completions, with the offline engine as fallback."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        api_key: str,
        *,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
        token_budget: int | None = DEFAULT_TOKEN_BUDGET,
        backoff_s: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        fallback: LLMProvider | None = None,
    ) -> None:
        self._con = con
        self.model = model
        self.timeout = timeout
        self.token_budget = token_budget
        self.tokens_used = 0
        self.requests = 0
        self._policy = RetryPolicy(max_retries=max_retries, base_s=backoff_s)
        self._sleep = sleep
        self._redact = Redactor(api_key)
        self._fallback = fallback or OfflineProvider()
        self._budget_logged = False
        # base_url is always passed so the SDK never falls back to reading the environment
        # itself: settings are read in one place (codeconvene.settings). max_retries=0: the
        # retry policy is groq_call's, not the SDK's hidden one.
        self._client = groq.Groq(
            api_key=api_key,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout,
            max_retries=0,
        )
        ensure_ml_table(con, LLM_CACHE)

    def __repr__(self) -> str:
        return f"GroqProvider(model={self.model!r}, tokens_used={self.tokens_used})"

    @property
    def budget_exhausted(self) -> bool:
        return self.token_budget is not None and self.tokens_used >= self.token_budget

    def complete(self, prompt: Prompt) -> Completion:
        key = prompt.hash(self.model)
        hit = self._con.execute(
            "select response, model from ml.llm_cache where prompt_hash = ?", [key]
        ).fetchone()
        if hit is not None:
            return Completion(text=hit[0], model=hit[1], cached=True)
        if self.budget_exhausted:
            self._log_budget_once()
            return self._fallback.complete(prompt)
        answer = chat(
            self._client,
            prompt,
            model=self.model,
            policy=self._policy,
            redact=self._redact,
            timeout_s=self.timeout,
            sleep=self._sleep,
        )
        self.requests += 1
        self.tokens_used += answer.total_tokens
        self._con.execute(
            "insert or replace into ml.llm_cache (prompt_hash, model, response, created_at) "
            "values (?, ?, ?, ?)",
            [key, answer.model, answer.text, utc_now()],
        )
        return Completion(text=answer.text, model=answer.model, cached=False)

    def _log_budget_once(self) -> None:
        if self._budget_logged:
            return
        self._budget_logged = True
        log.warning(
            "Groq token budget of %d reached (%d tokens used in %d requests); the offline "
            "engine writes the rest of this run (raise GROQ_TOKEN_BUDGET to allow more)",
            self.token_budget,
            self.tokens_used,
            self.requests,
        )
