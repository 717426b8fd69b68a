"""The opt-in exports (Discord, Discourse, git, GitHub REST): deterministic, fast, leaving the
GitHub + Slack output alone, and with a ground truth that other code recomputes from the files."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ingest.simulate import simulate
from ingest.simulate.config import ALL_EXPORTS

REPO = Path(__file__).resolve().parents[3]
DAYS_90 = timedelta(days=90)


def _files(root: Path) -> dict[str, bytes]:
    """Every file but git's own database (its index holds file times); commits are compared by sha."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


def _shas(repo: Path) -> list[str]:
    return subprocess.run(["git", "-C", str(repo), "log", "--all", "--format=%H %P"], capture_output=True, text=True,
                          check=True).stdout.splitlines()


def _run_cli(out: Path, config, hash_seed: str) -> None:
    args = ["--seed", str(config.seed), "--people", str(config.people), "--weeks", str(config.weeks),
            "--end", config.end.isoformat(), "--exports", "all", "--out", str(out)]
    result = subprocess.run([sys.executable, "-m", "ingest.simulate", *args], check=False, cwd=REPO, capture_output=True,
                            env={**os.environ, "PYTHONHASHSEED": hash_seed}, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_every_export_is_byte_identical_and_git_shas_repeat_whatever_the_hash_seed(tmp_path, all_dir, all_config):
    # GIVEN the all-exports config simulated in-process, WHEN run again by the CLI under two hash seeds
    _run_cli(tmp_path / "a", all_config, "1")
    _run_cli(tmp_path / "b", all_config, "2")
    # THEN every file has the same bytes, and the git history the same commit shas
    first = _files(all_dir)
    assert {p.split("/")[0] for p in first} >= {"discord", "discourse", "git", "github-rest"}
    assert _files(tmp_path / "a") == first == _files(tmp_path / "b")
    repo = Path("git") / all_config.repo.split("/")[1]
    assert _shas(tmp_path / "a" / repo) == _shas(all_dir / repo) == _shas(tmp_path / "b" / repo)


def test_rerunning_into_the_same_folder_rebuilds_the_repository(tmp_path, all_config, all_truth):
    # GIVEN a folder already holding an all-exports run WHEN simulated again into it
    simulate(all_config, tmp_path)
    again = simulate(all_config, tmp_path)
    # THEN the repository is rebuilt (same head), not stacked on the old one
    assert again["git"]["head"] == all_truth["git"]["head"]
    assert len(_shas(tmp_path / "git" / all_config.repo.split("/")[1])) == len(all_truth["git"]["commits"])


def test_extra_exports_leave_github_slack_and_their_truth_unchanged(small_dir, all_dir, truth, all_truth):
    # GIVEN the same config with and without the extra exports
    # THEN github/ and slack/ are byte-identical and every GitHub + Slack truth key is unchanged
    plain, extended = _files(small_dir), _files(all_dir)
    assert {k: v for k, v in extended.items() if k.split("/")[0] in ("github", "slack")} == \
        {k: v for k, v in plain.items() if k != "ground_truth.json"}
    assert {k: v for k, v in all_truth.items() if k in truth and k != "config"} == {k: v for k, v in truth.items() if k != "config"}
    assert all_truth["config"] == {**truth["config"], "exports": list(ALL_EXPORTS)}


def test_small_config_with_every_export_runs_in_a_few_seconds(tmp_path, all_config):
    started = time.perf_counter()
    simulate(all_config, tmp_path)
    assert time.perf_counter() - started < 5


def _slack_people(all_dir: Path) -> dict[tuple[str, str], str]:
    users = json.loads((all_dir / "slack" / "users.json").read_text(encoding="utf-8"))
    return {(u["name"].lower(), " ".join(u["real_name"].lower().split())): f"slack:{u['id']}" for u in users if not u["is_bot"]}


def test_discord_and_discourse_accounts_link_by_exactly_username_and_name(all_dir, all_truth, gh_events,
                                                                          discord_json, discourse_topics):
    # GIVEN (username, full name) of every Slack user and every GitHub login with the names it pushed commits as
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, account in _slack_people(all_dir).items():
        index[key].add(account)
    for _, e in gh_events:
        if e["type"] == "PushEvent":
            for c in e["payload"]["commits"]:
                index[(e["actor"]["login"].lower(), c["author"]["name"].lower())].add(f"github:{e['actor']['login'].lower()}")
    # AND the Discord authors and Discourse posters as the files show them
    discord = {m["author"]["id"]: (m["author"]["name"], m["author"]["nickname"], m["author"]["isBot"])
               for doc in discord_json.values() for m in doc["messages"]}
    forum = {p["user_id"]: (p["username"], p["name"]) for t in discourse_topics for p in t["post_stream"]["posts"]}
    people = all_truth["platform_people"]
    for person in people:
        own = {a for a in (f"slack:{person['slack_user_id']}" if person["slack_user_id"] else None,
                           f"github:{person['github_login'].lower()}" if person["github_login"] else None) if a}
        for platform, accounts, user_id in (("discord", discord, person["discord_user_id"]),
                                            ("discourse", forum, person["discourse_user_id"])):
            if user_id not in accounts or person["is_bot"]:
                continue
            username, name = accounts[user_id][:2]
            found = index.get((username.lower(), name.lower()), set())
            # THEN the rule finds exactly this person's own accounts, and the truth names the rule
            assert found <= own, (person["person_key"], found)
            assert person["link_rules"][platform] == ("username+name" if found else None)
    linked = Counter(p for person in people for p, rule in person["link_rules"].items() if rule)
    assert linked["discord"] > 0 and linked["discourse"] > 0
    # AND people exist on Discord or Discourse only, and each platform has its bot
    only = [p for p in people if not p["is_bot"] and set(p["platforms"]) <= {"discord", "discourse"}]
    assert {"discord", "discourse"} <= {x for p in only for x in p["platforms"]}
    assert any(bot for _, _, bot in discord.values()) and -1 in forum


def _git_contributions(repo: Path, by_email: dict[str, str]) -> list[tuple[str, datetime]]:
    fmt = "%H%x00%P%x00%aE%x00%aI%x00%(trailers:key=Co-authored-by,valueonly,separator=%x1f)%x1e"
    out = subprocess.run(["git", "-C", str(repo), "log", "--all", f"--format={fmt}"], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for record in filter(str.strip, out.split("\x1e")):
        _, parents, email, at, trailers = record.strip("\n").split("\x00")
        if len(parents.split()) > 1:
            continue  # a merge is GitHub's pr_merged / push, not a commit contribution
        when = datetime.fromisoformat(at).astimezone(UTC).replace(tzinfo=None)
        emails = [email] + [re.search(r"<(.+)>", t).group(1) for t in trailers.split("\x1f") if t.strip()]
        found += [(by_email[e], when) for e in emails if e in by_email]
    return found


@pytest.fixture(scope="module")
def all_contributions(all_dir, all_truth, all_config, activities, discord_json, discourse_topics) -> list[tuple[str, datetime]]:
    """Every human contribution read back from the files: GitHub + Slack, Discord (JSON and CSV), Discourse, git."""
    people = {p["person_key"]: p for p in all_truth["platform_people"]}
    humans = {k for k, p in people.items() if not p["is_bot"]}
    by_discord = {p["discord_user_id"]: k for k, p in people.items() if p["discord_user_id"]}
    by_forum = {p["discourse_user_id"]: k for k, p in people.items() if p["discourse_user_id"] is not None}
    by_email = {e: k for k, p in people.items() for e in p["git_emails"] if k in humans}
    found = [(a.person, a.at) for a in activities if a.is_contribution]  # github/ and slack/ equal the plain run's
    for doc in discord_json.values():
        found += [(by_discord[m["author"]["id"]], datetime.fromisoformat(m["timestamp"]).replace(tzinfo=None))
                  for m in doc["messages"]]
    for path in (all_dir / "discord" / "csv").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            found += [(by_discord[r["AuthorID"]], datetime.strptime(r["Date"], "%m/%d/%Y %I:%M %p"))
                      for r in csv.DictReader(handle)]  # minute precision: weeks and 90-day bounds are midnights
    found += [(by_forum[p["user_id"]], datetime.fromisoformat(p["created_at"].replace("Z", "")))
              for t in discourse_topics for p in t["post_stream"]["posts"]]
    found += _git_contributions(all_dir / "git" / all_config.repo.split("/")[1], by_email)
    return [(k, t) for k, t in found if k in humans]


def _end(truth: dict) -> datetime:
    return datetime.combine(date.fromisoformat(truth["window"]["end"]), datetime.min.time()) + timedelta(days=1)


def test_all_platform_weekly_figures_match_a_recomputation_from_the_files(all_truth, all_contributions):
    # GIVEN every contribution read back from the files
    found = all_contributions
    times: dict[str, list[datetime]] = defaultdict(list)
    for k, t in sorted(found, key=lambda kt: kt[1]):
        times[k].append(t)
    weeks = all_truth["window"]["iso_weeks"]
    label = lambda d: f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}"
    # WHEN new, active, inactive and the bus factor are recomputed by their definitions
    new = Counter(label(v[0].date()) for v in times.values())
    active = Counter(w for v in times.values() for w in {label(t.date()) for t in v})
    inactive = {}
    for week in weeks:
        monday = datetime.strptime(week + "-1", "%G-W%V-%u")
        lasts = [max((t for t in v if t < monday + timedelta(days=7)), default=None) for v in times.values()]
        inactive[week] = sum(1 for t in lasts if t and monday - DAYS_90 <= t < monday + timedelta(days=7) - DAYS_90)
    end = _end(all_truth)
    recent = sorted(Counter(k for k, t in found if t >= end - DAYS_90).values(), reverse=True)
    bus = next(k for k in range(1, len(recent) + 1) if sum(recent[:k]) * 2 > sum(recent))
    # THEN the truth's all-platform figures say the same, and differ from GitHub + Slack alone
    figures = all_truth["all_platforms"]
    assert figures["new_contributors_by_week"] == {w: new.get(w, 0) for w in weeks}
    assert figures["active_by_week"] == {w: active.get(w, 0) for w in weeks}
    assert figures["inactive_by_week"] == inactive
    assert figures["bus_factor_90d"] == bus
    assert figures["contributions_by_person"] == dict(sorted(Counter(k for k, _ in found).items()))
    assert sum(figures["new_contributors_by_week"].values()) > sum(all_truth["new_contributors_by_week"].values())
    assert set(figures["contributions_by_platform"]) == {"discord", "discourse", "git", "github", "slack"}


def test_churners_are_silent_on_every_platform_in_the_last_90_days(all_truth, all_contributions):
    # GIVEN the planted churners and every contribution in the files
    churners = all_truth["churners"]
    assert churners
    for key in churners:
        mine = [t for k, t in all_contributions if k == key]
        # THEN their last contribution on any platform is more than 90 days before the end
        assert mine and max(mine) < _end(all_truth) - DAYS_90, key


def test_forum_has_answered_and_unanswered_questions_with_unique_titles(all_truth, discourse_topics):
    forum = all_truth["discourse"]
    # GIVEN the support topics THEN some are unanswered, most answered ones by maintainers, some solved
    assert forum["unanswered_topic_ids"] and forum["answered_by_maintainer_topic_ids"] and forum["accepted_answer_topic_ids"]
    assert len(forum["unanswered_topic_ids"]) < forum["questions"]
    # AND topics follow Discourse's rules: unique titles, post ids rising with time, a valid stream
    assert len({t["title"].lower() for t in discourse_topics}) == len(discourse_topics)
    posts = sorted((p for t in discourse_topics for p in t["post_stream"]["posts"]), key=lambda p: p["id"])
    assert [p["created_at"] for p in posts] == sorted(p["created_at"] for p in posts)
    for topic in discourse_topics:
        stream = topic["post_stream"]
        assert stream["stream"] == [p["id"] for p in stream["posts"]] and topic["posts_count"] == len(stream["posts"])
        assert [p["post_number"] for p in stream["posts"]] == list(range(1, len(stream["posts"]) + 1))
        assert all(p["reply_to_post_number"] is None or p["reply_to_post_number"] < p["post_number"] for p in stream["posts"])
