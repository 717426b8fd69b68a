"""Choose the provider from settings: Groq when `GROQ_API_KEY` is set, else the offline engine.

Picking happens at run time from the `Settings` object (never at import), so the same build
works on a laptop without a key and in production with one.
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
    from ml.llm.groq_provider import DEFAULT_MODEL, GroqProvider

    return GroqProvider(
        con,
        key.get(),
        model=settings.value("GROQ_MODEL", DEFAULT_MODEL) or DEFAULT_MODEL,
        base_url=settings.value("GROQ_BASE_URL"),
    )
