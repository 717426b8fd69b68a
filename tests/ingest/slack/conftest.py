"""Builders for small Slack exports and API dumps, and a warehouse to ingest them into.

Tests write the files themselves (in Slack's real shapes) so each test states its input;
`kit` bundles the helpers because test modules cannot import from conftest.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from codeconvene.warehouse import connect
from ingest.core.runner import IngestSummary, ingest_units
from ingest.formats import discover

TEAM = "T01TEAM"


def user(user_id: str, name: str, updated: int = 1_700_000_000) -> dict:
    return {"id": user_id, "team_id": TEAM, "name": name, "real_name": name.title(), "deleted": False,
            "is_bot": False, "updated": updated, "profile": {"real_name": name.title(), "display_name": name}}


def channel(channel_id: str, name: str, members: list[str] | None = None) -> dict:
    return {"id": channel_id, "name": name, "created": 1_690_000_000, "creator": "U01ADA", "is_archived": False,
            "members": members or ["U01ADA"], "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": f"about {name}", "creator": "U01ADA", "last_set": 1_690_000_000}}


def message(ts: str, text: str, user_id: str = "U01ADA", **extra) -> dict:
    return {"type": "message", "user": user_id, "text": text, "ts": ts, "team": TEAM, **extra}


def write_json(path: Path, value: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def write_export(root: Path, *, users: list[dict], channels: list[dict], days: dict[str, list[dict]],
                 groups: list[dict] = (), dms: list[dict] = (), mpims: list[dict] = ()) -> Path:
    """`days` maps 'folder/YYYY-MM-DD' to that day's messages."""
    write_json(root / "users.json", users)
    write_json(root / "channels.json", channels)
    for name, items in (("groups", groups), ("dms", dms), ("mpims", mpims)):
        write_json(root / f"{name}.json", list(items))
    for day, messages in days.items():
        write_json(root / f"{day}.json", messages)
    return root


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    """Zip a folder's files (sorted, deflated) under `prefix`, as Slack or a user would."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(file, prefix + file.relative_to(folder).as_posix())
    return target


def small_export(root: Path) -> Path:
    """One user, #general with one message on 2024-03-01: the good part every case keeps."""
    return write_export(root, users=[user("U01ADA", "ada")], channels=[channel("C01GEN", "general")],
                        days={"general/2024-03-01": [message("1709287200.000100", "hello")]})


def ingest(con: duckdb.DuckDBPyConnection, *paths: Path, fmt: str | None = None) -> IngestSummary:
    return ingest_units(con, discover(list(paths), fmt))


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from raw_slack.{table}").fetchone()[0]


def quarantine(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute("select location, reason from meta.quarantine order by location").fetchall()


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = connect(tmp_path / "warehouse.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def kit() -> SimpleNamespace:
    return SimpleNamespace(user=user, channel=channel, message=message, write_json=write_json,
                           write_export=write_export, zip_folder=zip_folder, small_export=small_export,
                           ingest=ingest, count=count, quarantine=quarantine)
