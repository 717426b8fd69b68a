"""Groq through its official SDK, with every answer cached in `ml.llm_cache` by prompt hash.

The cache makes rebuilds free and repeatable: re-running the weekly summary over an
unchanged week costs no tokens and returns the same text. The key covers the model name and
the exact system and user text, so a changed prompt file or a new message misses the cache.
`base_url` is settable (GROQ_BASE_URL) so tests drive the real SDK against a loopback fake.
"""

from __future__ import annotations

import duckdb
import groq

from ml.llm.provider import Completion, LLMError, Prompt
from ml.tables import LLM_CACHE, ensure_ml_table, utc_now

DEFAULT_MODEL = "llama-3.3-70b-versatile"
DEFAULT_BASE_URL = "https://api.groq.com"
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_RETRIES = 2
TEMPERATURE = 0.2


class GroqProvider:
    """`LLMProvider` backed by Groq chat completions."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        api_key: str,
        *,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> None:
        self._con = con
        self.model = model
        # base_url is always passed so the SDK never falls back to reading the environment
        # itself: settings are read in one place (codeconvene.settings).
        self._client = groq.Groq(
            api_key=api_key,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout,
            max_retries=max_retries,
        )
        ensure_ml_table(con, LLM_CACHE)

    def complete(self, prompt: Prompt) -> Completion:
        key = prompt.hash(self.model)
        hit = self._con.execute(
            "select response, model from ml.llm_cache where prompt_hash = ?", [key]
        ).fetchone()
        if hit is not None:
            return Completion(text=hit[0], model=hit[1], cached=True)
        text, answered_by = self._ask(prompt)
        self._con.execute(
            "insert or replace into ml.llm_cache (prompt_hash, model, response, created_at) "
            "values (?, ?, ?, ?)",
            [key, answered_by, text, utc_now()],
        )
        return Completion(text=text, model=answered_by, cached=False)

    def _ask(self, prompt: Prompt) -> tuple[str, str]:
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": prompt.system},
                    {"role": "user", "content": prompt.user},
                ],
                temperature=TEMPERATURE,
            )
        except groq.APIStatusError as exc:
            raise LLMError(
                f"Groq answered HTTP {exc.status_code} for the {prompt.name} prompt "
                "(check GROQ_API_KEY and GROQ_MODEL)"
            ) from exc
        except groq.APIError as exc:
            raise LLMError(
                f"Groq could not be reached for the {prompt.name} prompt: {exc}"
            ) from exc
        content = response.choices[0].message.content if response.choices else None
        if not content or not content.strip():
            raise LLMError(f"Groq returned an empty answer for the {prompt.name} prompt")
        return content.strip(), response.model or self.model
