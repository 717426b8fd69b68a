"""A hand-built warehouse with dim_contributors and fct_activities (no dbt needed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

# person_id, display_name, first_seen_at, is_bot: October 2026 edges on purpose.
CONTRIBUTORS = [
    ("p1", "Ada", datetime(2026, 10, 1, 0, 0, 0), False),  # first second of October
    ("p2", "Bo", datetime(2026, 10, 15, 12, 0), False),
    ("p3", "Cy", datetime(2026, 10, 31, 23, 59, 59), False),  # last second of October
    ("p4", "dependabot[bot]", datetime(2026, 10, 10), True),  # a bot: never counted
    ("p5", "Di", datetime(2026, 9, 30, 23, 59, 59), False),  # September
    ("p6", "Ed", datetime(2026, 11, 1, 0, 0, 0), False),  # November
    ("p7", "Fay", datetime(2026, 11, 20, 9, 0), False),
]
# activity_id, person_id, platform, activity_type, occurred_at, is_contribution, is_bot
ACTIVITIES = [
    ("a1", "p1", "slack", "message", datetime(2026, 11, 16, 9), True, False),
    ("a2", "p2", "slack", "reply", datetime(2026, 11, 17, 9), True, False),
    ("a3", "p2", "github", "issue_opened", datetime(2026, 11, 18, 9), True, False),
    ("a4", "p3", "github", "star", datetime(2026, 11, 19, 9), False, False),  # not a contribution
    ("a5", "p4", "github", "pr_opened", datetime(2026, 11, 20, 9), True, True),  # bot
    ("a6", "p4", "slack", "message", datetime(2026, 11, 21, 9), True, True),  # bot
    ("a7", "p5", "slack", "message", datetime(2026, 11, 22, 23, 59), True, False),
    ("a8", "p6", "slack", "message", datetime(2026, 11, 23, 0, 0), True, False),  # this week
    ("a9", "p1", "slack", "message", datetime(2026, 11, 18, 10), True, False),
]

# Each contributor's first contribution is an activity at its first_seen_at, so "new" (first
# contribution in the period, as the weekly mart counts it) agrees with dim_contributors.
FIRST_CONTRIBUTIONS = [
    (f"first-{pid}", pid, "github", "issue_opened", seen, True, bot) for pid, _, seen, bot in CONTRIBUTORS
]


def build_answer_marts(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.dim_contributors (
            person_id varchar, display_name varchar, platforms varchar[],
            first_seen_at timestamp, last_seen_at timestamp, is_bot boolean,
            is_maintainer boolean, activity_count integer)
        """
    )
    con.executemany(
        "insert into marts.dim_contributors values (?, ?, ['github'], ?, ?, ?, false, 1)",
        [(pid, name, seen, seen, bot) for pid, name, seen, bot in CONTRIBUTORS],
    )
    con.execute(
        """
        create table marts.fct_activities (
            activity_id varchar, person_id varchar, platform varchar, activity_type varchar,
            occurred_at timestamp, container varchar, thread_id varchar, parent_id varchar,
            is_question boolean, is_contribution boolean, is_bot boolean, text varchar,
            url varchar)
        """
    )
    con.executemany(
        "insert into marts.fct_activities values "
        "(?, ?, ?, ?, ?, 'general', null, null, false, ?, ?, null, null)",
        ACTIVITIES + FIRST_CONTRIBUTIONS,
    )
    con.close()


@pytest.fixture
def answer_warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    build_answer_marts(path)
    return path


# --- the simulated community (tests/conftest.py `built_home`) with its knowledge layer ----------


@pytest.fixture(scope="session")
def answer_home(request, tmp_path_factory) -> Path:
    """A copy of the session-built home with the FAQ and the LanceDB index on it.

    When the build did not make them (knowledge assets outside the graph), they are built
    here with the real embedding model, on a copy: the shared home stays read-only for the
    other packages (about 20-30 s, mostly loading the model). `ANSWER_TEST_BUILT_HOME` points
    at an already built home (same simulation) to iterate without rebuilding.
    """
    import os
    import shutil

    prebuilt = os.environ.get("ANSWER_TEST_BUILT_HOME")
    built_home = Path(prebuilt) if prebuilt else request.getfixturevalue("built_home")

    from codeconvene.warehouse import writer
    from ml.faq import build_faq
    from ml.index import document_ids, sync_documents
    from ml.llm.offline import OfflineProvider
    from ml.tables import table_exists

    home = tmp_path_factory.mktemp("answer_home")
    shutil.copy2(built_home / "warehouse.duckdb", home / "warehouse.duckdb")
    if (built_home / "lance").is_dir():
        shutil.copytree(built_home / "lance", home / "lance", dirs_exist_ok=True)
    shutil.copy2(built_home / "exports" / "demo" / "ground_truth.json", home / "ground_truth.json")
    with writer(home / "warehouse.duckdb") as con:
        if not table_exists(con, "ml", "faq"):
            build_faq(con, home / "lance", OfflineProvider())
        if not document_ids(home / "lance", kind="faq"):
            sync_documents(con, home / "lance")
    return home
