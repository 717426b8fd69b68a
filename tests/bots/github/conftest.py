"""A small warehouse with GitHub newcomers and triage rows, and the fake GitHub it talks about.

Built on the answer engine's hand-built marts (tests/bots/answer/conftest.py), plus:
- Gus (p8) opens acme/widgets#12, Hal (p9) opens PR #13: first contributions → welcomes;
- Ivy (p10) chatted on Slack before opening #14: her first *GitHub* contribution → welcome;
- Jo (p11) commented on #3 before opening #15: not a first-time GitHub contributor;
- a bot opens PR #16; Kim (p12) opened #3 and the good first issue #5 in September.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.bots.answer.conftest import build_answer_marts
from tests.fakes.github import FakeGitHub

TOKEN = "ghp_testtoken1234567890"
REPO = "acme/widgets"
PEOPLE = [("p8", "Gus"), ("p9", "Hal"), ("p10", "Ivy"), ("p11", "Jo"), ("p12", "Kim")]


def gh(number: int) -> tuple[str, str]:
    return f"github:{REPO}#{number}", f"https://github.com/{REPO}/issues/{number}"


# activity_id, person_id, platform, activity_type, occurred_at, container, thread_id, text, url
ACTIVITIES = [
    ("k1", "p12", "github", "issue_opened", datetime(2026, 9, 1), REPO, *gh(3)[:1], "Crash when saving", gh(3)[1]),
    ("k2", "p12", "github", "issue_opened", datetime(2026, 9, 2), REPO, *gh(5)[:1], "Fix typo in README", gh(5)[1]),
    ("j1", "p11", "github", "issue_comment", datetime(2026, 11, 1), REPO, *gh(3)[:1], "me too", None),
    ("g1", "p8", "github", "issue_opened", datetime(2026, 11, 23, 10), REPO, *gh(12)[:1],
     "Crash when saving widgets\n\nIt crashes every time.", gh(12)[1]),
    ("g2", "p9", "github", "pr_opened", datetime(2026, 11, 24, 9), REPO, *gh(13)[:1], "Fix typo in docs", gh(13)[1]),
    ("s1", "p10", "slack", "message", datetime(2026, 11, 22), "general", None, "hello!", None),
    ("g3", "p10", "github", "issue_opened", datetime(2026, 11, 23, 12), REPO, *gh(14)[:1],
     "Install guide is outdated", gh(14)[1]),
    ("g5", "p11", "github", "issue_opened", datetime(2026, 11, 23, 13), REPO, *gh(15)[:1], "Crash on startup", gh(15)[1]),
    ("g6", "p4", "github", "pr_opened", datetime(2026, 11, 24, 10), REPO, *gh(16)[:1], "Bump deps", gh(16)[1]),
]
TRIAGE = [  # issue_id, labels, duplicate_of, similarity
    (gh(12)[0], ["bug", "Crash", "priority: high"], gh(3)[0], 0.91),
    (gh(14)[0], ["documentation"], None, None),
    (gh(15)[0], ["bug"], None, None),
    (gh(3)[0], ["bug"], None, None),  # opened in September: not new, left alone
]
REPO_LABELS = ["bug", "crash", "documentation", "good first issue"]


def build_github_warehouse(path: Path) -> None:
    from ml.triage import TRIAGE_DDL

    build_answer_marts(path)
    con = duckdb.connect(str(path))
    con.executemany(
        "insert into marts.dim_contributors values (?, ?, ['github'], null, null, false, false, 1)", PEOPLE
    )
    con.executemany(
        "insert into marts.fct_activities values (?, ?, ?, ?, ?, ?, ?, null, false, true, "
        "? = 'p4', ?, ?)",
        [(a, p, pl, t, at, c, th, p, text, url) for a, p, pl, t, at, c, th, text, url in ACTIVITIES],
    )
    con.execute(
        "create table marts.mart_good_first_issues (issue_id varchar, container varchar, title varchar, "
        "url varchar, labels varchar, created_at timestamp, comments integer)"
    )
    con.execute("insert into marts.mart_good_first_issues values ('k2', ?, 'Fix typo in README', ?, "
                "'good first issue', '2026-09-02', 0)", [REPO, gh(5)[1]])
    con.execute("create schema ml")
    con.execute(TRIAGE_DDL)
    con.executemany(
        "insert into ml.issue_triage values (?, 'bug', 'medium', ?, ?, ?, null, 'rules', '2026-11-24')",
        [(i, json.dumps(labels), dup, sim) for i, labels, dup, sim in TRIAGE],
    )
    con.close()


@pytest.fixture
def fake_github():
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo(REPO, REPO_LABELS)
        for number, title, login, pull in [(3, "Crash when saving", "kim", False),
                                           (12, "Crash when saving widgets", "gus", False),
                                           (13, "Fix typo in docs", "hal", True),
                                           (14, "Install guide is outdated", "ivy", False),
                                           (15, "Crash on startup", "jo", False),
                                           (16, "Bump deps", "dependabot[bot]", True)]:
            server.add_issue(REPO, number, title, login, pull=pull)
        server.repos[REPO].issues[15].labels.append("bug")
        yield server


@pytest.fixture
def github_settings(home: Path, fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from codeconvene.settings import get_settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_API_URL", fake_github.base_url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    build_github_warehouse(home / "warehouse.duckdb")
    return get_settings(home)
