"""The demo generator writes real export formats, byte-identically for the same config."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from ingest.simulate import SimulationConfig, simulate

REPO = Path(__file__).resolve().parents[3]
SMALL = SimulationConfig(seed=11, people=60, weeks=16, end=date(2026, 3, 1))  # = conftest's small_config
GH_KEYS = {"id", "type", "actor", "repo", "payload", "public", "created_at", "org"}
GH_TYPES = {"IssuesEvent", "IssueCommentEvent", "PullRequestEvent", "PullRequestReviewEvent",
            "PullRequestReviewCommentEvent", "PushEvent", "ReleaseEvent", "WatchEvent", "ForkEvent"}
HOUR_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(\d{1,2})\.json\.gz$")


def ts_time(ts: str) -> datetime:
    seconds, micros = ts.split(".")
    return datetime(1970, 1, 1) + timedelta(seconds=int(seconds), microseconds=int(micros))


def test_module_config_is_the_fixture_config(small_config):
    assert small_config == SMALL


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _run_cli(out: Path, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    args = ["--seed", str(SMALL.seed), "--people", str(SMALL.people), "--weeks", str(SMALL.weeks),
            "--end", SMALL.end.isoformat(), "--out", str(out)]
    result = subprocess.run([sys.executable, "-m", "ingest.simulate", *args], check=False, cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "GitHub events" in result.stdout


def test_same_config_gives_identical_bytes_whatever_the_hash_seed(tmp_path, small_dir):
    # GIVEN the small config already simulated in-process
    # WHEN the CLI runs it again in two interpreters with different hash randomization
    _run_cli(tmp_path / "a", "1")
    _run_cli(tmp_path / "b", "2")
    # THEN every file has exactly the same bytes in all three outputs
    first = _files(small_dir)
    assert first, "nothing was written"
    assert _files(tmp_path / "a") == first
    assert _files(tmp_path / "b") == first


def test_another_seed_gives_another_community(tmp_path, truth):
    # GIVEN the small config with a different seed
    other = SimulationConfig(seed=SMALL.seed + 1, people=SMALL.people, weeks=SMALL.weeks, end=SMALL.end)
    # WHEN it is simulated
    result = simulate(other, tmp_path)
    # THEN the people and the activity differ
    assert result["people"] != truth["people"]
    assert result["counts"] != truth["counts"]


def test_simulate_returns_exactly_the_written_truth(tmp_path):
    # GIVEN a small config WHEN simulated THEN the returned dict equals ground_truth.json
    returned = simulate(SMALL, tmp_path)
    assert returned == json.loads((tmp_path / "ground_truth.json").read_text(encoding="utf-8"))


def test_small_config_runs_in_a_few_seconds(tmp_path):
    # GIVEN the small test config WHEN simulated THEN it takes well under five seconds
    started = time.perf_counter()
    simulate(SMALL, tmp_path)
    assert time.perf_counter() - started < 5


def test_every_github_line_is_a_gharchive_event_in_its_hour_file(gh_events):
    # GIVEN the written hour files
    assert len(gh_events) > 200
    ids = Counter()
    for path, event in gh_events:
        # THEN each line has GH Archive's envelope, a numeric string id and a UTC second timestamp
        assert set(event) == GH_KEYS, path
        assert event["type"] in GH_TYPES
        assert event["id"].isdigit()
        assert event["public"] is True
        assert set(event["actor"]) >= {"id", "login", "display_login", "gravatar_id", "url", "avatar_url"}
        assert event["repo"]["name"] == SMALL.repo
        assert event["org"]["login"] == SMALL.repo.split("/")[0]
        moment = datetime.strptime(event["created_at"], "%Y-%m-%dT%H:%M:%SZ")
        # AND it sits in the file of its own hour, named like GH Archive's (hour not padded)
        day, hour = HOUR_FILE.match(path.name).groups()
        assert (moment.date().isoformat(), moment.hour) == (day, int(hour))
        ids[event["id"]] += 1
    assert max(ids.values()) == 1
    assert {e["type"] for _, e in gh_events} == GH_TYPES


def test_github_payloads_carry_what_the_events_api_carries(gh_events):
    # GIVEN the events grouped by type
    by_type: dict[str, list[dict]] = {}
    for _, e in gh_events:
        by_type.setdefault(e["type"], []).append(e["payload"])
    # THEN issues look like issues (never with a pull_request key) ...
    for p in by_type["IssuesEvent"]:
        assert p["action"] in ("opened", "closed")
        assert {"number", "title", "body", "user", "labels", "state", "created_at", "closed_at", "html_url",
                "comments"} <= set(p["issue"])
        assert "pull_request" not in p["issue"]
        assert (p["issue"]["state"] == "closed") == (p["action"] == "closed" or p["issue"]["closed_at"] is not None)
    # ... comments carry the issue and the comment ...
    for p in by_type["IssueCommentEvent"]:
        assert {"id", "body", "user", "created_at", "html_url"} <= set(p["comment"])
        assert p["issue"]["comments"] >= 1
    # ... merged PRs have merged_at, unmerged closes do not ...
    for p in by_type["PullRequestEvent"]:
        pr = p["pull_request"]
        assert p["number"] == pr["number"]
        assert {"merged", "merged_at", "html_url", "user", "title", "body"} <= set(pr)
        assert (pr["merged_at"] is not None) == pr["merged"]
        assert not pr["merged"] or p["action"] == "closed"
    for p in by_type["PullRequestReviewEvent"]:
        assert p["review"]["state"] in ("approved", "changes_requested", "commented")
        assert {"id", "user", "submitted_at", "body"} <= set(p["review"])
    # ... pushes list commits with an author email ...
    for p in by_type["PushEvent"]:
        assert p["size"] == len(p["commits"]) >= 1
        for c in p["commits"]:
            assert re.fullmatch(r"[0-9a-f]{40}", c["sha"]) and "@" in c["author"]["email"] and c["distinct"]
        assert p["ref"].startswith("refs/heads/")
    for p in by_type["ReleaseEvent"]:
        assert re.fullmatch(r"v\d+\.\d+\.\d+", p["release"]["tag_name"]) and p["release"]["published_at"]
    assert all(p == {"action": "started"} for p in by_type["WatchEvent"])
    assert all(p["forkee"]["fork"] for p in by_type["ForkEvent"])


def test_issue_and_pr_numbers_are_unique_and_follow_creation_time(gh_events):
    # GIVEN every opened issue and PR
    opened = [(e["created_at"], (e["payload"].get("issue") or e["payload"].get("pull_request"))["number"])
              for _, e in gh_events if e["type"] in ("IssuesEvent", "PullRequestEvent") and e["payload"]["action"] == "opened"]
    numbers = [n for _, n in sorted(opened)]
    # THEN numbers are 1..n, in the order things were opened
    assert numbers == sorted(numbers)
    assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_slack_export_has_the_real_layout(slack):
    # GIVEN the export folder
    root = slack["root"]
    for name in ("dms.json", "groups.json", "mpims.json"):
        assert json.loads((root / name).read_text(encoding="utf-8")) == []
    user_ids = {u["id"] for u in slack["users"]}
    for user in slack["users"]:
        assert {"id", "team_id", "name", "deleted", "real_name", "tz", "tz_offset", "is_bot", "is_app_user",
                "updated", "profile"} <= set(user)
        assert {"real_name", "display_name", "image_72"} <= set(user["profile"])
    for channel in slack["channels"]:
        assert {"id", "name", "created", "creator", "members", "topic", "purpose"} <= set(channel)
        assert set(channel["members"]) <= user_ids and channel["creator"] in user_ids
    # THEN every message sits in the day file of its UTC date and names an existing user
    for channel, items in slack["messages"].items():
        assert items, f"#{channel} is empty"
        for day, m in items:
            assert m["type"] == "message" and m["user"] in user_ids
            assert ts_time(m["ts"]).date().isoformat() == day.stem
            for reaction in m.get("reactions", []):
                assert set(reaction["users"]) <= user_ids and reaction["count"] == len(reaction["users"])


def test_thread_replies_point_at_existing_parents_that_count_them(slack):
    for items in slack["messages"].values():
        # GIVEN one channel's messages
        by_ts = {m["ts"]: m for _, m in items}
        assert len(by_ts) == len(items), "ts must be unique within a channel"
        replies: dict[str, list[dict]] = {}
        for _, m in items:
            if m.get("thread_ts") and m["thread_ts"] != m["ts"]:
                replies.setdefault(m["thread_ts"], []).append(m)
        # THEN each reply's parent exists, is its thread's root, and is by parent_user_id
        for thread_ts, group in replies.items():
            parent = by_ts[thread_ts]
            assert parent["thread_ts"] == parent["ts"]
            assert all(r["parent_user_id"] == parent["user"] and float(r["ts"]) > float(thread_ts) for r in group)
            # AND the parent's counters describe exactly these replies
            assert parent["reply_count"] == len(group)
            assert [r["ts"] for r in parent["replies"]] == sorted(r["ts"] for r in group)
            assert parent["latest_reply"] == max(r["ts"] for r in group)
            assert set(parent["reply_users"]) == {r["user"] for r in group}


def test_bots_act_on_both_platforms_and_are_flagged(gh_events, slack, people):
    # GIVEN the bots of the truth
    bots = {p["github_login"] or p["slack_user_id"] for p in people.values() if p["is_bot"]}
    assert {"dependabot[bot]", "github-actions[bot]"} <= bots
    # THEN dependabot opens PRs and github-actions comments
    assert any(e["actor"]["login"] == "dependabot[bot]" and e["type"] == "PullRequestEvent" for _, e in gh_events)
    assert any(e["actor"]["login"] == "github-actions[bot]" and e["type"] == "IssueCommentEvent" for _, e in gh_events)
    # AND the Slack bot posts bot_message lines and is a bot user
    bot_users = {u["id"] for u in slack["users"] if u["is_bot"]}
    posts = [m for items in slack["messages"].values() for _, m in items if m.get("subtype") == "bot_message"]
    assert posts and all(m["bot_id"] and m["username"] and m["user"] in bot_users for m in posts)
    assert all(people[k]["role"] == "bot" for k in people if people[k]["is_bot"])
