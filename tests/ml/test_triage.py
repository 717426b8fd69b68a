"""Issue triage: rules you can read, labels the repo already uses, duplicates, who can answer."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from ml.knowledge_classify import Classification, classify_issue, suggest_labels
from ml.knowledge_triage_llm import RULES_MODEL, llm_classification, parse_answer
from ml.llm.groq_provider import GroqProvider
from ml.triage import TriageOptions, triage_issues


@pytest.mark.parametrize(
    ("title", "body", "me_too", "kind", "priority"),
    [
        ("Slack importer crashes on large exports", "**Describe the bug**\nIt crashes.", 0, "bug", "high"),
        ("Incorrect totals in the dashboard", "Hi! I'm seeing incorrect totals. Is this a known problem?", 0, "bug", "medium"),
        ("Incorrect totals in the dashboard", "", 2, "bug", "high"),  # two people said "me too"
        ("Settings not being applied on Windows", "", 0, "bug", "medium"),
        ("Dashboard shows wrong totals since the last upgrade", "", 0, "bug", "high"),  # a regression
        ("Feature request: the CLI should allow date range filters", "Is there any plan for it?", 0, "feature", "low"),
        ("Support a dark mode in the dashboard", "It would be great if the dashboard supported it.", 0, "feature", "low"),
        ("Document how to run the search index in Docker", "The docs don't say how to run it.", 0, "docs", "low"),
        ("Docs: explain the configuration options", "", 0, "docs", "low"),
        ("How to limit the Slack importer to one channel?", "Any pointers?", 0, "question", "low"),
        ("Question: is it possible to use the CLI offline?", "", 0, "question", "low"),
        ("Security: tokens are written to the log", "", 0, "bug", "high"),
        ("Weird thing", "", 0, "bug", "medium"),  # no rule fires: a report is a bug by default
        ("Anyone tried this on ARM?", "", 0, "question", "low"),
    ],
)
def test_type_and_priority_rules(title, body, me_too, kind, priority):
    found = classify_issue(title, body, me_too)
    assert (found.type, found.priority) == (kind, priority)


def test_reasons_name_the_rules_that_fired():
    found = classify_issue("App crashes with a traceback")
    assert found.reasons and all(r.startswith("bug:") for r in found.reasons)


def test_labels_come_only_from_the_repository_set():
    repo = {"bug", "type: enhancement", "documentation", "good first issue", "priority: high", "P2"}
    assert suggest_labels(Classification("bug", "high"), repo) == ["bug", "priority: high"]
    assert suggest_labels(Classification("feature", "medium"), repo) == ["P2", "type: enhancement"]
    assert suggest_labels(Classification("question", "low"), repo) == []  # none to suggest


def test_llm_answers_are_validated_or_replaced_by_the_rules():
    assert parse_answer('Sure! {"type": "feature", "priority": "low"}') == ("feature", "low")
    assert parse_answer('{"type": "urgent-bug", "priority": "low"}') is None
    assert parse_answer("no json here") is None


def test_llm_classifier_through_groq_fake(warehouse, fake_groq):
    provider = GroqProvider(warehouse, "key", base_url=fake_groq.base_url, max_retries=0)
    fake_groq.content = '{"type": "docs", "priority": "medium"}'
    found, model = llm_classification(provider, "The CLI crashes", "")
    assert (found.type, found.priority, model) == ("docs", "medium", "fake-llama")
    fake_groq.content = "I think it is a bug."
    found, model = llm_classification(provider, "The CLI is slow now", "")
    assert model == RULES_MODEL and found == classify_issue("The CLI is slow now", "")


T0 = datetime(2026, 9, 1, 9)
REPO = "owner/repo"
ISSUES = [  # number, author, days after T0, title, body, closed
    (1, "p_bob", 0, "Slack importer crashes when user names contain emoji", "Traceback attached.", False),
    (2, "p_carol", 5, "Add a dark theme to the dashboard", "It would be great.", True),
    (3, "p_dave", 10, "Weekly report shows wrong totals on Windows", "Numbers doubled.", False),
    (4, "p_erin", 40, "A crash in the Slack importer with emoji in display names", "Same stack.", False),
    (5, "p_bob", 45, "How do I export the weekly report as PDF?", "Any pointers?", False),
    (6, "p_carol", 50, "Wrong totals in the weekly report on a Windows laptop", "", False),
]


def _activity(aid, person, kind, at, thread, text=None):
    return (aid, person, "github", kind, at, REPO, thread, None, False, True, False, text,
            f"https://github.com/{REPO}/issues/{thread.rsplit('#', 1)[1]}")


@pytest.fixture
def issues_warehouse(warehouse):
    warehouse.execute("delete from marts.fct_activities; delete from marts.dim_contributors")
    rows, events = [], []
    for number, author, days, title, body, closed in ISSUES:
        thread, at = f"github:{REPO}#{number}", T0 + timedelta(days=days)
        rows.append(_activity(f"{thread}:opened", author, "issue_opened", at, thread, f"{title}\n\n{body}"))
        if closed:
            rows.append(_activity(f"{thread}:closed", "p_alice", "issue_closed", at + timedelta(days=1), thread))
        labels = [{"name": n} for n in (["bug"] if number == 1 else ["enhancement"] if number == 2 else [])]
        events.append((f"e{number}", "IssuesEvent", REPO, author, at,
                       json.dumps({"payload": {"action": "opened", "issue": {"number": number, "labels": labels}}}),
                       "test", "b1", at))
    # Alice answered the first emoji crash; Frank (inactive since) answered the totals one
    rows.append(_activity("c1", "p_alice", "issue_comment", T0 + timedelta(days=1), f"github:{REPO}#1", "Fixed on main, thanks."))
    rows.append(_activity("c2", "p_frank", "issue_comment", T0 + timedelta(days=11), f"github:{REPO}#3", "Known issue with the totals."))
    rows.append(_activity("c3", "p_carol", "issue_comment", T0 + timedelta(days=2), f"github:{REPO}#1", "+1, same here"))
    warehouse.executemany("insert into marts.fct_activities values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    people = [("p_alice", True, 50), ("p_bob", False, 50), ("p_carol", False, 50), ("p_dave", False, 50),
              ("p_erin", False, 50), ("p_frank", False, -200)]
    warehouse.executemany(
        "insert into marts.dim_contributors values (?, ?, ['github'], ?, ?, false, ?, 1)",
        [(p, p[2:], T0, T0 + timedelta(days=d), m) for p, m, d in people],
    )
    warehouse.executemany("insert into raw_github.events values (?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
    return warehouse


def _triage(con) -> dict[str, dict]:
    cols = ["issue_id", "type", "priority", "labels", "duplicate_of", "similarity", "suggested_responder", "model"]
    rows = con.execute(f"select {', '.join(cols)} from ml.issue_triage").fetchall()
    return {r[0].rsplit("#", 1)[1]: dict(zip(cols, r, strict=True)) for r in rows}


def test_open_issues_are_triaged_with_duplicates_labels_and_responders(issues_warehouse, tmp_path):
    # WHEN triage runs over the hand-made repository
    counts = triage_issues(issues_warehouse, tmp_path / "lance")
    rows = _triage(issues_warehouse)
    # THEN every open issue has a row and the closed one has none
    assert counts == {"issues": 6, "open": 5, "duplicates": 2} and set(rows) == {"1", "3", "4", "5", "6"}
    # AND the paraphrased crash report points at the first one, with its similarity
    assert rows["4"]["duplicate_of"] == f"github:{REPO}#1" and rows["4"]["similarity"] > 0.82
    assert rows["1"]["duplicate_of"] is None and rows["5"]["duplicate_of"] is None
    # AND types, priorities and labels from the repository's own label set
    assert (rows["4"]["type"], rows["4"]["priority"], json.loads(rows["4"]["labels"])) == ("bug", "high", ["bug"])
    assert (rows["5"]["type"], json.loads(rows["5"]["labels"])) == ("question", [])
    # AND the responder is who answered the similar issue, never the "+1", the author or an
    # inactive person
    assert rows["4"]["suggested_responder"] == "p_alice"
    assert rows["1"]["suggested_responder"] is None  # the only similar issue has no answer yet
    assert rows["6"]["suggested_responder"] is None  # frank answered #3, but has left
    assert {r["model"] for r in rows.values()} == {RULES_MODEL}
    # WHEN frank turns out to be active after all
    issues_warehouse.execute("update marts.dim_contributors set last_seen_at = ? where person_id = 'p_frank'",
                             [T0 + timedelta(days=50)])
    triage_issues(issues_warehouse, tmp_path / "lance")
    # THEN he is the one to ask about wrong totals
    assert _triage(issues_warehouse)["6"]["suggested_responder"] == "p_frank"


def test_the_threshold_is_configurable(issues_warehouse, tmp_path):
    triage_issues(issues_warehouse, tmp_path / "lance", options=TriageOptions(duplicate_threshold=0.99))
    assert all(r["duplicate_of"] is None for r in _triage(issues_warehouse).values())


def test_triage_twice_embeds_titles_once(issues_warehouse, tmp_path):
    from ml.embeddings import default_embedder

    class Counting:
        calls = 0

        def encode(self, texts):
            Counting.calls += 1
            return default_embedder().encode(texts)

    triage_issues(issues_warehouse, tmp_path / "lance", embedder=Counting())
    first = Counting.calls
    triage_issues(issues_warehouse, tmp_path / "lance", embedder=Counting())
    assert first == 1 and Counting.calls == 1
