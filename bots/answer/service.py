"""Ask with settings: open the warehouse read-only, answer, then record the exchange.

What `codeconvene ask` (and any adapter that has `Settings` rather than a connection) calls.
The LLM provider follows the settings (Groq with `GROQ_API_KEY`, else offline); its response
cache lives in memory here, because the answering connection is read-only.
"""

from __future__ import annotations

from datetime import date

import duckdb

from bots.answer import interactions
from bots.answer.engine import Answer, answer
from bots.answer.retrieval import LanceRetriever
from codeconvene.settings import Settings
from codeconvene.warehouse import reader
from ml.llm.select import select_provider


def ask_and_record(
    question: str,
    settings: Settings,
    *,
    platform: str,
    asker: str | None = None,
    is_maintainer: bool | None = None,
    today: date | None = None,
) -> Answer:
    provider = select_provider(settings, duckdb.connect(":memory:"))
    with reader(settings.warehouse_path) as con:
        result = answer(question, con, today, asker=asker, retriever=LanceRetriever(settings.lance_path),
                        provider=provider, is_maintainer=is_maintainer,
                        maintainers=settings.maintainers)
    item = interactions.interaction(question, result, platform=platform, asker=asker)
    interactions.record_at(settings.warehouse_path, item)
    return result
