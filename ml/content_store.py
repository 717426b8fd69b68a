"""Storage of the content outputs (`ml.drafts`, `ml.welcomes`): DDL and "only new work".

Each row keeps the `prompt_hash` of the prompt it was written from (instructions + fenced
facts + model, `Prompt.hash`). A run first computes every prompt, then asks the provider only
for those whose hash differs from the stored row: a second run over unchanged data makes no
model call and writes nothing, while new facts (a late merge, an edited title) or a new
prompt file rewrite exactly the rows they touch. A row the offline engine wrote as a fallback
(token budget spent, or an answer that failed validation) is stored under the offline hash,
so the next run with budget left lets the hosted model write it.

The DDL lives here, beside its only writers, instead of in `ml.tables`.
"""

from __future__ import annotations

import duckdb

from ml.llm.offline import MODEL as OFFLINE_MODEL
from ml.llm.provider import Completion, LLMProvider, Prompt
from ml.tables import ensure_ml_table

DRAFTS = """
create table if not exists ml.drafts (
    draft_id varchar primary key,
    kind varchar not null,
    period varchar not null,
    title varchar not null,
    body varchar not null,
    sources json not null,
    model varchar not null,
    prompt_hash varchar not null,
    created_at timestamp not null
)
"""

WELCOMES = """
create table if not exists ml.welcomes (
    person_id varchar primary key,
    platform varchar not null,
    period varchar not null,
    first_activity_id varchar not null,
    message varchar not null,
    suggested_issue_ids json not null,
    model varchar not null,
    prompt_hash varchar not null,
    created_at timestamp not null
)
"""


def stored_hashes(con: duckdb.DuckDBPyConnection, ddl: str, table: str, key: str) -> dict[str, str]:
    """{key: prompt_hash} of the rows already in `ml.<table>` (creating the table if new)."""
    ensure_ml_table(con, ddl)
    return dict(con.execute(f"select {key}, prompt_hash from ml.{table}").fetchall())


def wanted_hash(prompt: Prompt, provider: LLMProvider) -> str:
    return prompt.hash(provider.model)


def written_hash(prompt: Prompt, provider: LLMProvider, completion: Completion) -> str:
    """The hash to store: the offline one when the offline engine wrote the text."""
    model = OFFLINE_MODEL if completion.model == OFFLINE_MODEL else provider.model
    return prompt.hash(model)
