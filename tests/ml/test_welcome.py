"""Welcome messages: each first-time contributor of the week, with matching good first issues.

On top of the hand-made week (tests/ml/conftest.py, 2026-W46, where Carol is new) this
module adds Dan, new too: his first contribution is a pull request in owner/repo about the
CSV exporter docs, then he opens an issue himself. Good first issues (opened in October):
- g1 "Document the Slack importer export path" (owner/repo; good first issue, docs)
- g2 "Add a --quiet flag to the CLI" (owner/repo; good first issue; no comments)
- g3 "Fix a typo in the CSV exporter docs" (owner/other; beginner, docs; 1 comment)
- g4 Dan's own issue (owner/repo; good first issue): never suggested back to him.
"""

from __future__ import annotations

import json
from datetime import datetime as T

import pytest

from ml.llm import OfflineProvider
from ml.llm.groq_provider import GroqProvider
from ml.llm.offline import MODEL as OFFLINE_MODEL
from ml.welcome import open_good_first_issues, unknown_suggested_issues, write_welcomes

ISSUES = {
    "g1": (
        "owner/repo",
        "Document the Slack importer export path",
        "good first issue, docs",
        0,
        T(2026, 10, 1),
        "p_alice",
    ),
    "g2": (
        "owner/repo",
        "Add a --quiet flag to the CLI",
        "good first issue",
        0,
        T(2026, 10, 2),
        "p_alice",
    ),
    "g3": (
        "owner/other",
        "Fix a typo in the CSV exporter docs",
        "beginner, docs",
        1,
        T(2026, 10, 3),
        "p_alice",
    ),
    "g4": (
        "owner/repo",
        "CSV exporter crashes on an empty file",
        "good first issue",
        0,
        T(2026, 11, 11),
        "p_dan",
    ),
}


def _url(issue_id: str) -> str:
    return f"https://github.com/{ISSUES[issue_id][0]}/issues/{issue_id[1:]}"


def _activity(aid, person, kind, at, container, text, thread=None, url=None):
    return (
        aid,
        person,
        "github",
        kind,
        at,
        container,
        thread,
        None,
        False,
        True,
        False,
        text,
        url or f"https://example.test/{aid}",
    )


@pytest.fixture
def newcomers(warehouse):
    con = warehouse
    con.execute(
        "insert into marts.dim_contributors values ('p_dan', 'Dan', ['github'], "
        "'2026-11-10 08:00', '2026-11-11 08:00', false, false, 2)"
    )
    rows = [
        _activity(
            "dan1",
            "p_dan",
            "pr_opened",
            T(2026, 11, 10, 8),
            "owner/repo",
            "Improve the docs of the CSV exporter",
            "github:owner/repo#20",
        ),
    ]
    for issue_id, (repo, title, _, _, at, author) in ISSUES.items():
        rows.append(
            _activity(
                issue_id,
                author,
                "issue_opened",
                at,
                repo,
                f"{title}\n\nBody.",
                f"github:{repo}#{issue_id[1:]}",
                _url(issue_id),
            )
        )
    con.executemany(
        "insert into marts.fct_activities values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    )
    con.execute(
        """create table marts.mart_good_first_issues (
            issue_id varchar, container varchar, title varchar, url varchar, labels varchar,
            created_at timestamp, age_days integer, comments integer, suggested_for varchar)"""
    )
    con.executemany(
        "insert into marts.mart_good_first_issues values (?, ?, ?, ?, ?, ?, 30, ?, null)",
        [
            (i, repo, title, _url(i), labels, at, comments)
            for i, (repo, title, labels, comments, at, _) in ISSUES.items()
        ],
    )
    return con


def welcomes(con) -> dict[str, dict]:
    rows = con.execute(
        "select person_id, platform, period, first_activity_id, message, suggested_issue_ids, "
        "model, created_at from ml.welcomes"
    ).fetchall()
    keys = (
        "person_id",
        "platform",
        "period",
        "first_activity_id",
        "message",
        "suggested_issue_ids",
        "model",
        "created_at",
    )
    return {r[0]: {**dict(zip(keys, r)), "suggested_issue_ids": json.loads(r[5])} for r in rows}


def test_each_first_time_contributor_is_welcomed_with_matching_issues(newcomers):
    # GIVEN Carol (first: a Slack question about the Slack importer's export path) and Dan
    # (first: a PR in owner/repo about the CSV exporter docs)
    # WHEN the welcomes are written offline for the latest complete week
    result = write_welcomes(newcomers, OfflineProvider())
    rows = welcomes(newcomers)
    # THEN both are welcomed, nobody else (Alice and Bob were here before, the bot never)
    assert result["period"] == "2026-W46" and sorted(rows) == ["p_carol", "p_dan"]
    carol, dan = rows["p_carol"], rows["p_dan"]
    assert (carol["platform"], carol["first_activity_id"]) == ("slack", "a07")
    assert (dan["platform"], dan["first_activity_id"]) == ("github", "dan1")
    # AND Carol gets the one issue her words match; Dan his repo's issues and the docs typo,
    # never the issue he opened himself
    assert carol["suggested_issue_ids"] == ["g1"]
    assert dan["suggested_issue_ids"] == ["g1", "g2", "g3"]
    # AND the message names them, their first contribution and the issues with links
    assert dan["message"].startswith(
        "Welcome to owner/repo, Dan! Thank you for your first pull request in owner/repo."
    )
    for issue_id in ("g1", "g2", "g3"):
        assert _url(issue_id) in dan["message"]
    assert (
        "- Document the Slack importer export path (good first issue, docs): " in carol["message"]
    )
    assert {r["model"] for r in rows.values()} == {OFFLINE_MODEL}
    assert unknown_suggested_issues(newcomers) == []


def test_a_second_run_without_new_data_changes_nothing(newcomers):
    # GIVEN the welcomes written once
    write_welcomes(newcomers, OfflineProvider())
    before = welcomes(newcomers)
    # WHEN written again over the same warehouse
    result = write_welcomes(newcomers, OfflineProvider())
    # THEN no row is written and every row is as it was
    assert (result["written"], result["unchanged"], result["removed"]) == (0, 2, 0)
    assert welcomes(newcomers) == before


def test_a_closed_issue_changes_only_the_welcomes_that_suggested_it(newcomers):
    # GIVEN the welcomes written once
    write_welcomes(newcomers, OfflineProvider())
    before = welcomes(newcomers)
    # WHEN g3 leaves the good-first-issue mart (closed)
    newcomers.execute("delete from marts.mart_good_first_issues where issue_id = 'g3'")
    result = write_welcomes(newcomers, OfflineProvider())
    # THEN only Dan's welcome is rewritten
    after = welcomes(newcomers)
    assert result["written"] == 1
    assert after["p_carol"] == before["p_carol"]
    assert after["p_dan"]["suggested_issue_ids"] == ["g1", "g2"]


def test_without_any_good_first_issue_the_welcome_still_goes_out(warehouse):
    # GIVEN a warehouse with neither the mart nor raw GitHub issue events
    assert open_good_first_issues(warehouse) == []
    # WHEN the welcomes are written
    write_welcomes(warehouse, OfflineProvider())
    # THEN Carol is welcomed without suggestions, and offered help to find one
    carol = welcomes(warehouse)["p_carol"]
    assert carol["suggested_issue_ids"] == []
    assert "we will help you find a good first issue" in carol["message"]


def test_without_the_mart_labels_are_read_from_raw_issue_payloads(newcomers):
    # GIVEN no good-first-issue mart, but GH Archive events with the issues' current labels:
    # g1 labelled for newcomers and open; g2 labelled but closed since; g3 only "docs"
    from ingest.core.tables import table_for

    newcomers.execute("drop table marts.mart_good_first_issues")
    newcomers.execute(table_for("raw_github.events").ddl())

    def event(event_id, repo, number, action, state, labels, at):
        payload = {
            "type": "IssuesEvent",
            "repo": {"name": repo},
            "payload": {
                "action": action,
                "issue": {
                    "number": number,
                    "state": state,
                    "labels": [{"name": name} for name in labels],
                },
            },
        }
        return (event_id, "IssuesEvent", repo, "alice", at, json.dumps(payload), "test", "b", at)

    newcomers.executemany(
        "insert into raw_github.events (event_id, event_type, repo_name, actor_login, "
        "updated_at, payload, _source, _batch_id, _ingested_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            event("e1", "owner/repo", 1, "opened", "open", ["Good First Issue"], T(2026, 10, 1)),
            event("e2", "owner/repo", 2, "opened", "open", ["good first issue"], T(2026, 10, 2)),
            event("e3", "owner/repo", 2, "closed", "closed", ["good first issue"], T(2026, 11, 1)),
            event("e4", "owner/other", 3, "opened", "open", ["docs"], T(2026, 10, 3)),
        ],
    )
    # WHEN the open good first issues are read
    issues = open_good_first_issues(newcomers)
    # THEN only g1 qualifies, with its labels and title from the warehouse
    assert [(i.issue_id, i.labels, i.title) for i in issues] == [
        ("g1", "Good First Issue", "Document the Slack importer export path")
    ]
    write_welcomes(newcomers, OfflineProvider())
    assert welcomes(newcomers)["p_dan"]["suggested_issue_ids"] == ["g1"]


def test_unknown_suggested_issues_are_reported(newcomers):
    # GIVEN written welcomes, then a suggestion that is no activity of the warehouse
    write_welcomes(newcomers, OfflineProvider())
    newcomers.execute(
        """update ml.welcomes set suggested_issue_ids = '["g1", "nope"]'
           where person_id = 'p_carol'"""
    )
    # THEN the check names the person and the unknown id
    assert unknown_suggested_issues(newcomers) == [("p_carol", "nope")]


def test_groq_rewrites_the_message_but_a_lost_link_falls_back_to_the_template(newcomers):
    from tests.fakes.groq import FakeGroq

    def answer(body: dict) -> str:
        user = body["messages"][1]["content"]
        # Dan's answer keeps every link; Carol's drops hers
        if '"name": "Dan"' in user:
            return "Hi Dan! Try " + " ".join(_url(i) for i in ("g1", "g2", "g3"))
        return "Hi Carol, welcome!"

    # GIVEN the Groq provider against the fake model
    with FakeGroq(content=answer) as fake:
        write_welcomes(newcomers, GroqProvider(newcomers, "k", base_url=fake.base_url))
    rows = welcomes(newcomers)
    # THEN Dan's message is the model's; Carol's is the template (her issue link was lost)
    assert (rows["p_dan"]["message"].startswith("Hi Dan!"), rows["p_dan"]["model"]) == (
        True,
        "fake-llama",
    )
    assert rows["p_carol"]["model"] == OFFLINE_MODEL
    assert _url("g1") in rows["p_carol"]["message"]
    # AND the suggestions are ours, whatever the model wrote
    assert rows["p_dan"]["suggested_issue_ids"] == ["g1", "g2", "g3"]
