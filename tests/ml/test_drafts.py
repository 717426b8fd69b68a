"""Content drafts: blog post, release notes and social posts from the week's facts.

On top of the hand-made week (tests/ml/conftest.py, 2026-W46) this module adds a release
history in owner/repo:
- v1.1.0 on 2026-10-20; Alice's PR #3 merged before it (so Alice is no first-timer);
- Bob's PR #10 (his first ever merged), Alice's #11 and dependabot's #12, merged 10-13 Nov;
- v1.2.0 on 2026-11-13 10:00; Alice's #14 merged the next day (in the week, not the release);
- a Slack thread in #general opened by Bob with three replies (the notable discussion).
"""

from __future__ import annotations

import json
from datetime import datetime as T

import pytest

from ml.drafts import drafts_without_sources, plan_drafts, write_drafts
from ml.llm import OfflineProvider
from ml.llm.groq_provider import GroqProvider
from ml.llm.offline import MODEL as OFFLINE_MODEL
from ml.llm.offline_drafts import BLOG_SECTIONS, RELEASE_SECTIONS

REPO_URL = "https://github.com/owner/repo"


def act(
    aid,
    person,
    kind,
    at,
    thread=None,
    text=None,
    *,
    platform="github",
    container="owner/repo",
    bot=False,
    url=None,
):
    parent = thread if kind not in ("pr_opened", "issue_opened", "message") else None
    return (
        aid,
        person,
        platform,
        kind,
        at,
        container,
        thread,
        parent,
        False,
        kind not in ("star", "fork"),
        bot,
        text,
        url or f"https://example.test/{aid}",
    )


def pr(number, author, opened, merged, title, *, bot=False):
    thread = f"github:owner/repo#{number}"
    url = f"{REPO_URL}/pull/{number}"
    return [
        act(f"pr{number}:opened", author, "pr_opened", opened, thread, title, bot=bot, url=url),
        act(f"pr{number}:merged", "p_alice", "pr_merged", merged, thread, url=url),
    ]


RELEASE_HISTORY = [
    act(
        "github:release:100",
        "p_alice",
        "release",
        T(2026, 10, 20),
        text="v1.1.0\n\nFirst stable",
        url=f"{REPO_URL}/releases/tag/v1.1.0",
    ),
    *pr(3, "p_alice", T(2026, 10, 10), T(2026, 10, 15), "Set up CI"),
    *pr(10, "p_bob", T(2026, 11, 2), T(2026, 11, 10, 12), "Add a Slack export parser\n\nDetails."),
    *pr(11, "p_alice", T(2026, 11, 5), T(2026, 11, 11, 12), "Fix release pipeline caching"),
    *pr(12, "p_bot", T(2026, 11, 6), T(2026, 11, 12, 12), "Bump duckdb from 1.0 to 2.0", bot=True),
    act(
        "github:release:200",
        "p_alice",
        "release",
        T(2026, 11, 13, 10),
        text="v1.2.0\n\nHighlights: the Slack parser.",
        url=f"{REPO_URL}/releases/tag/v1.2.0",
    ),
    *pr(14, "p_alice", T(2026, 11, 13, 9), T(2026, 11, 14, 9), "Polish the README"),
]
DISCUSSION = [
    act(
        "d01",
        "p_bob",
        "message",
        T(2026, 11, 12, 9),
        "t7",
        "Should we move the weekly sync to Thursdays?",
        platform="slack",
        container="general",
    ),
    act(
        "d02",
        "p_alice",
        "reply",
        T(2026, 11, 12, 10),
        "t7",
        "Thursday works for me.",
        platform="slack",
        container="general",
    ),
    act(
        "d03",
        "p_carol",
        "reply",
        T(2026, 11, 12, 11),
        "t7",
        "Fine by me too.",
        platform="slack",
        container="general",
    ),
    act(
        "d04",
        "p_alice",
        "reply",
        T(2026, 11, 12, 12),
        "t7",
        "Moved it.",
        platform="slack",
        container="general",
    ),
]


def add_activities(con, rows) -> None:
    con.executemany(
        "insert into marts.fct_activities values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    )


@pytest.fixture
def content(warehouse):
    add_activities(warehouse, RELEASE_HISTORY + DISCUSSION)
    return warehouse


def drafts(con) -> dict[str, dict]:
    rows = con.execute(
        "select draft_id, kind, period, title, body, sources, model, created_at from ml.drafts"
    ).fetchall()
    keys = ("draft_id", "kind", "period", "title", "body", "sources", "model", "created_at")
    return {r[0]: {**dict(zip(keys, r)), "sources": json.loads(r[5])} for r in rows}


def test_offline_run_writes_blog_release_notes_and_social_posts(content):
    # GIVEN the week with one release, four merges and a busy thread
    # WHEN the drafts are written offline for the latest complete week
    result = write_drafts(content, OfflineProvider())
    # THEN one blog post, one release-notes draft and three social posts exist for W46
    assert result == {
        "period": "2026-W46",
        "planned": 5,
        "written": 5,
        "unchanged": 0,
        "removed": 0,
    }
    rows = drafts(content)
    assert sorted(rows) == [
        "blog_post:2026-W46",
        "release_notes:github:release:200",
        "social_post:2026-W46:1",
        "social_post:2026-W46:2",
        "social_post:2026-W46:3",
    ]
    assert {r["model"] for r in rows.values()} == {OFFLINE_MODEL}
    assert {r["period"] for r in rows.values()} == {"2026-W46"}


def test_blog_post_lists_the_weeks_releases_merges_and_discussions(content):
    write_drafts(content, OfflineProvider())
    blog = drafts(content)["blog_post:2026-W46"]
    # THEN the title names the project and week, and the four sections come in order
    assert blog["title"] == "This week in owner/repo (2026-W46)"
    body = blog["body"]
    positions = [body.index(s) for s in BLOG_SECTIONS]
    assert positions == sorted(positions)
    # AND the release, the human merges (with authors) and the automated count are there
    assert f"[v1.2.0]({REPO_URL}/releases/tag/v1.2.0) in owner/repo, published 2026-11-13" in body
    assert f"- Add a Slack export parser by Bob ([#10]({REPO_URL}/pull/10))" in body
    assert "- Polish the README by Alice" in body
    assert "Bump duckdb" not in body and "Also merged: 1 automated pull request." in body
    # AND the busiest thread comes first, with its reply and participant counts
    assert (
        "“Should we move the weekly sync to Thursdays?” in #general on slack: 3 replies, "
        "3 people taking part" in body
    )
    assert body.index("Thursdays") < body.index("Is the release candidate out yet?")
    assert "Thank you to Alice, Bob and Carol. A warm welcome to our new contributor Carol!" in body
    # AND the sources are the release, both ids of each merged PR and the thread openers
    assert blog["sources"]["activity_ids"] == sorted(
        [
            "a05",
            "d01",
            "github:release:200",
            "pr10:merged",
            "pr10:opened",
            "pr11:merged",
            "pr11:opened",
            "pr12:merged",
            "pr12:opened",
            "pr14:merged",
            "pr14:opened",
        ]
    )
    assert "marts.fct_activities:2026-W46" in blog["sources"]["marts"]


def test_blog_intro_is_the_weekly_summary_when_one_exists(content):
    # GIVEN a stored weekly summary for the week
    from ml.summaries import write_weekly_summary

    summary = write_weekly_summary(content, OfflineProvider(), "2026-W46")["text"]
    # WHEN the drafts are written
    write_drafts(content, OfflineProvider())
    blog = drafts(content)["blog_post:2026-W46"]
    # THEN the post opens with it and names it among its sources
    assert blog["body"].startswith(summary[:80])
    assert "ml.summaries:2026-W46:weekly" in blog["sources"]["marts"]


def test_release_notes_list_merges_since_the_previous_release_and_thank_people(content):
    write_drafts(content, OfflineProvider())
    notes = drafts(content)["release_notes:github:release:200"]
    body = notes["body"]
    # THEN the title names the release; the three sections come in order
    assert notes["title"] == "Release notes: v1.2.0 (owner/repo)"
    positions = [body.index(s) for s in RELEASE_SECTIONS]
    assert positions == sorted(positions)
    # AND exactly the PRs merged between v1.1.0 and v1.2.0 are listed (not #3, not #14)
    assert "3 merged pull requests since v1.1.0" in body
    for number in (10, 11, 12):
        assert f"[#{number}]({REPO_URL}/pull/{number})" in body
    assert "#3" not in body and "Polish the README" not in body
    # AND humans are thanked (most PRs first, then by name), the bot is not
    assert "Thank you to Alice and Bob for the pull requests in this release." in body
    # AND Bob, whose first merged PR is #10, is called out; Alice (merged #3 before) is not
    assert f"- Bob made their first contribution in [#10]({REPO_URL}/pull/10)" in body
    assert "Alice made their first" not in body
    assert notes["sources"]["activity_ids"] == sorted(
        [
            "github:release:200",
            "pr10:merged",
            "pr10:opened",
            "pr11:merged",
            "pr11:opened",
            "pr12:merged",
            "pr12:opened",
        ]
    )


def test_social_posts_are_short_and_each_has_sources(content):
    write_drafts(content, OfflineProvider())
    posts = {k: v for k, v in drafts(content).items() if v["kind"] == "social_post"}
    # THEN three posts: the recap, the release and the discussion, each <= 280 characters
    assert [posts[k]["title"] for k in sorted(posts)] == [
        "Social post: recap",
        "Social post: release",
        "Social post: discussion",
    ]
    assert all(len(p["body"]) <= 280 for p in posts.values())
    assert all(p["sources"]["activity_ids"] for p in posts.values())
    release = posts["social_post:2026-W46:2"]["body"]
    assert release.startswith("🚀 v1.2.0 of owner/repo is out, with 3 merged pull requests from 2")
    assert release.endswith(f"{REPO_URL}/releases/tag/v1.2.0")
    assert posts["social_post:2026-W46:1"]["body"] == (
        "This week in owner/repo (2026-W46): 3 merged pull requests, 1 release and "
        "2 lively discussions. Welcome, Carol!"
    )


def test_a_second_run_without_new_data_changes_nothing(content):
    # GIVEN drafts written once
    write_drafts(content, OfflineProvider())
    before = drafts(content)
    # WHEN the drafts are written again over the same warehouse
    result = write_drafts(content, OfflineProvider())
    # THEN nothing is written or removed and every row (created_at included) is unchanged
    assert (result["written"], result["unchanged"], result["removed"]) == (0, 5, 0)
    assert drafts(content) == before


def test_new_data_rewrites_only_the_drafts_it_touches(content):
    # GIVEN drafts written once
    write_drafts(content, OfflineProvider())
    before = drafts(content)
    # WHEN a PR merged after the release arrives late
    add_activities(content, pr(15, "p_carol", T(2026, 11, 14, 8), T(2026, 11, 15, 8), "Add a FAQ"))
    result = write_drafts(content, OfflineProvider())
    after = drafts(content)
    # THEN the blog post and the recap change; the release notes and other posts do not
    assert result["written"] == 2
    assert "Add a FAQ by Carol" in after["blog_post:2026-W46"]["body"]
    for key in (
        "release_notes:github:release:200",
        "social_post:2026-W46:2",
        "social_post:2026-W46:3",
    ):
        assert after[key] == before[key]


def test_a_week_with_nothing_to_tell_gets_no_draft(content):
    # GIVEN a week without releases, merges or replies
    # WHEN drafts are planned for it
    # THEN there are none (a draft always has sources)
    assert plan_drafts(content, "2026-W40") == []
    assert write_drafts(content, OfflineProvider(), "2026-W40")["planned"] == 0


def test_stale_drafts_of_the_week_are_removed(content):
    # GIVEN the week's drafts and a leftover post from an earlier plan
    write_drafts(content, OfflineProvider())
    content.execute(
        "insert into ml.drafts select 'social_post:2026-W46:9', kind, period, title, body, "
        "sources, model, prompt_hash, created_at from ml.drafts "
        "where draft_id = 'social_post:2026-W46:1'"
    )
    # WHEN the drafts are written again
    result = write_drafts(content, OfflineProvider())
    # THEN the leftover is gone and nothing else changed
    assert result["removed"] == 1
    assert "social_post:2026-W46:9" not in drafts(content)


def test_drafts_without_sources_finds_sourceless_rows(content):
    # GIVEN written drafts, all with sources
    write_drafts(content, OfflineProvider())
    assert drafts_without_sources(content) == []
    # WHEN one loses its activity ids
    content.execute(
        """update ml.drafts set sources = '{"marts": [], "activity_ids": []}'
           where draft_id = 'blog_post:2026-W46'"""
    )
    # THEN the check names it
    assert drafts_without_sources(content) == ["blog_post:2026-W46"]


def _groq_answer(body: dict) -> str:
    """The fake model: a titled post, untitled release notes, an over-long social post."""
    user = body["messages"][1]["content"]
    if "draft blog post" in user:
        return "# Groq weekly title\n\nA rewritten blog body."
    if "draft release notes" in user:
        return "Release notes without a title line."
    if '"topic": "release"' in user:
        return "x" * 300
    return "A rewritten post."


def test_groq_rewrites_drafts_and_broken_answers_fall_back_to_the_template(content):
    # GIVEN the Groq provider against a fake that answers in and out of format
    from tests.fakes.groq import FakeGroq

    with FakeGroq(content=_groq_answer, model="fake-llama") as fake:
        provider = GroqProvider(content, "k-secret", base_url=fake.base_url, max_retries=0)
        # WHEN the drafts are written
        write_drafts(content, provider)
        rows = drafts(content)
        # THEN the well-formed answers are stored under the model's name
        blog = rows["blog_post:2026-W46"]
        assert (blog["title"], blog["body"], blog["model"]) == (
            "Groq weekly title",
            "A rewritten blog body.",
            "fake-llama",
        )
        assert rows["social_post:2026-W46:1"]["body"] == "A rewritten post."
        # AND an untitled release note and a 300-character post are replaced by the template
        notes = rows["release_notes:github:release:200"]
        assert notes["model"] == OFFLINE_MODEL and notes["title"].startswith(
            "Release notes: v1.2.0"
        )
        post = rows["social_post:2026-W46:2"]
        assert post["model"] == OFFLINE_MODEL and len(post["body"]) <= 280
        # AND the prompt the model saw carries the offline draft to rewrite, fenced
        blog_request = next(
            r for r in fake.requests if "draft blog post" in r["body"]["messages"][1]["content"]
        )
        assert (
            '"draft": "# This week in owner/repo (2026-W46)'
            in blog_request["body"]["messages"][1]["content"]
        )
        # AND a second run asks the model nothing and changes nothing
        asked = len(fake.requests)
        write_drafts(content, GroqProvider(content, "k-secret", base_url=fake.base_url))
        assert len(fake.requests) == asked
        assert drafts(content) == rows
