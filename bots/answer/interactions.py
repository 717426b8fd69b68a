"""Every exchange in `ml.bot_interactions`, so uncertain answers can be clustered into gaps.

Stored: the question as asked (injection attempts included), what kind it was, the answer,
its sources, whether it was uncertain, the platform and the asker's platform id. Never a
token: the asker is whatever id the adapter passes (a Slack or Discord user id, the local
user for the CLI).

Readers hold read-only connections, and DuckDB lets one process open a file either read-only
or read-write, not both; so `record` writes when the connection can, and otherwise appends
the row to a spool file beside the warehouse (`bot_interactions.pending.jsonl`) that the next
writable `record` or `flush_pending` moves into the table.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from ml.tables import BOT_INTERACTIONS, ensure_ml_table, utc_now

SPOOL_NAME = "bot_interactions.pending.jsonl"
COLUMNS = ("interaction_id", "asked_at", "platform", "asker", "question", "kind", "answer",
           "sources", "uncertain", "sql")
MAX_TEXT = 4000
_SPOOL_LOCK = threading.Lock()


@dataclass(frozen=True)
class Interaction:
    interaction_id: str
    asked_at: datetime
    platform: str
    asker: str | None
    question: str
    kind: str
    answer: str
    sources: tuple[str, ...]
    uncertain: bool
    sql: str | None

    def row(self) -> list[Any]:
        return [self.interaction_id, self.asked_at, self.platform, self.asker, self.question,
                self.kind, self.answer, json.dumps(list(self.sources)), self.uncertain, self.sql]


def source_id(source: Any) -> str:
    """A source as text: its URL, else its id, else itself (a mart name)."""
    if isinstance(source, str):
        return source
    if isinstance(source, (tuple, list)) and len(source) == 2:
        return str(source[1])
    return str(getattr(source, "url", None) or getattr(source, "id", None) or source)


def interaction(question: str, result: Any, *, platform: str, asker: str | None,
                asked_at: datetime | None = None) -> Interaction:
    return Interaction(
        interaction_id=str(uuid.uuid4()),
        asked_at=asked_at or utc_now(),
        platform=platform,
        asker=(str(asker)[:200] if asker else None),
        question=(question or "")[:MAX_TEXT],
        kind=result.kind,
        answer=result.text[:MAX_TEXT],
        sources=tuple(source_id(s) for s in result.sources),
        uncertain=bool(result.uncertain),
        sql=result.sql,
    )


def _insert(con: duckdb.DuckDBPyConnection, rows: list[list[Any]]) -> None:
    ensure_ml_table(con, BOT_INTERACTIONS)
    con.executemany(
        f"insert or ignore into ml.bot_interactions ({', '.join(COLUMNS)}) "
        f"values ({', '.join('?' for _ in COLUMNS)})", rows)


def spool_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return Path(row[0]).parent / SPOOL_NAME if row and row[0] else None


def _writable(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "select readonly from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return bool(row) and not row[0]


def flush_pending(con: duckdb.DuckDBPyConnection) -> int:
    """Move spooled rows into the table (a writable connection); returns how many."""
    path = spool_path(con)
    if path is None or not path.exists():
        return 0
    with _SPOOL_LOCK:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = []
        for line in lines:
            data = json.loads(line)
            data["asked_at"] = datetime.fromisoformat(data["asked_at"])
            rows.append([data[c] for c in COLUMNS])
        if rows:
            _insert(con, rows)
        path.unlink()
    return len(rows)


def _spool(path: Path, item: Interaction) -> str:
    data = dict(zip(COLUMNS, item.row(), strict=True))
    data["asked_at"] = item.asked_at.isoformat()
    with _SPOOL_LOCK, path.open("a", encoding="utf-8") as spool:
        spool.write(json.dumps(data, ensure_ascii=False) + "\n")
    return "spool"


def record(con: duckdb.DuckDBPyConnection, item: Interaction) -> str:
    """Store `item`: in the table when `con` can write ("table"), else in the spool ("spool")."""
    if _writable(con):
        flush_pending(con)
        _insert(con, [item.row()])
        return "table"
    path = spool_path(con)
    return _spool(path, item) if path is not None else "dropped"


def record_at(warehouse_path: Path, item: Interaction) -> str:
    """Store `item` through a short-lived writer; spooled when another process holds the file."""
    from codeconvene.warehouse import writer

    try:
        with writer(Path(warehouse_path)) as con:
            return record(con, item)
    except (duckdb.IOException, duckdb.ConnectionException):
        return _spool(Path(warehouse_path).parent / SPOOL_NAME, item)
