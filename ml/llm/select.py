"""Choose the provider from settings: Groq when `GROQ_API_KEY` is set, else the offline engine.

Picking happens at run time from the `Settings` object (never at import), so the same build
works on a laptop without a key and in production with one. Optional knobs, all plain
environment values: `GROQ_MODEL`, `GROQ_BASE_URL`, `GROQ_TIMEOUT_S` (seconds per request),
`GROQ_MAX_RETRIES` (retries on 429/5xx) and `GROQ_TOKEN_BUDGET` (tokens one run may spend
before the offline engine takes over). A malformed value is one clear error naming it.
"""

from __future__ import annotations

import duckdb

from codeconvene.settings import Settings
from ml.llm.offline import OfflineProvider
from ml.llm.provider import LLMProvider


def select_provider(settings: Settings, con: duckdb.DuckDBPyConnection) -> LLMProvider:
    key = settings.secret("GROQ_API_KEY")
    if not key:
        return OfflineProvider()
    # Imported here so the offline path never loads the SDK.
    from ml.llm import groq_provider as gp

    return gp.GroqProvider(
        con,
        key.get(),
        model=settings.value("GROQ_MODEL", gp.DEFAULT_MODEL) or gp.DEFAULT_MODEL,
        base_url=settings.value("GROQ_BASE_URL"),
        timeout=_number(settings, "GROQ_TIMEOUT_S", gp.DEFAULT_TIMEOUT_S, float),
        max_retries=_number(settings, "GROQ_MAX_RETRIES", gp.DEFAULT_MAX_RETRIES, int),
        token_budget=_number(settings, "GROQ_TOKEN_BUDGET", gp.DEFAULT_TOKEN_BUDGET, int),
    )


def _number(settings: Settings, name: str, default, kind: type):
    raw = settings.value(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name} must be {what} >= 0, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {raw!r}")
    return value
