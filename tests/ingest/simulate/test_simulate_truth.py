"""The ground truth agrees with the files, recomputed here by other code, and plants the
communities' stories: churners, one overloaded night-owl maintainer, linkable identities."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from ingest.simulate.issue_text import COMPONENTS

DAYS_90 = timedelta(days=90)


def _window(truth: dict) -> tuple[datetime, datetime]:
    start, end = (date.fromisoformat(truth["window"][k]) for k in ("start", "end"))
    return datetime(start.year, start.month, start.day), datetime(end.year, end.month, end.day) + timedelta(days=1)


def _label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def test_new_contributors_sum_to_the_humans_who_contributed(truth, activities, people):
    # GIVEN the humans with at least one contribution in the files
    contributors = {a.person for a in activities if a.is_contribution}
    # THEN each is new exactly once, and only they have a first contribution
    assert sum(truth["new_contributors_by_week"].values()) == len(contributors)
    assert set(truth["first_contribution_at"]) == contributors
    assert not any(people[k]["is_bot"] for k in contributors)


def test_weekly_series_cover_every_week_of_the_window_in_order(truth, small_config):
    # GIVEN a 16-week window ending on a Sunday
    weeks = truth["window"]["iso_weeks"]
    assert len(weeks) == small_config.weeks and weeks == sorted(weeks)
    # THEN every weekly series has exactly these weeks, zeros included
    for series in ("new_contributors_by_week", "active_by_week", "inactive_by_week"):
        assert list(truth[series]) == weeks


def test_weekly_figures_match_a_recomputation_from_the_files(truth, activities):
    # GIVEN the contributions read back from the files
    contribs = [a for a in activities if a.is_contribution]
    times: dict[str, list[datetime]] = defaultdict(list)
    for a in contribs:
        times[a.person].append(a.at)
    start, end = _window(truth)
    # WHEN active, new, inactive and the bus factor are recomputed by their definitions
    active = Counter(w for ts in times.values() for w in {_label(t.date()) for t in ts})
    new = Counter(_label(min(ts).date()) for ts in times.values())
    inactive = {}
    for label in truth["window"]["iso_weeks"]:
        monday = datetime.strptime(label + "-1", "%G-W%V-%u")
        lasts = [max((t for t in ts if t < monday + timedelta(days=7)), default=None) for ts in times.values()]
        inactive[label] = sum(1 for t in lasts if t and monday - DAYS_90 <= t < monday + timedelta(days=7) - DAYS_90)
    recent = Counter(a.person for a in contribs if end - DAYS_90 <= a.at < end)
    shares, k = sorted(recent.values(), reverse=True), 0
    while sum(shares[:k]) * 2 <= sum(shares):
        k += 1
    # THEN the truth says the same
    assert truth["active_by_week"] == {w: active.get(w, 0) for w in truth["window"]["iso_weeks"]}
    assert truth["new_contributors_by_week"] == {w: new.get(w, 0) for w in truth["window"]["iso_weeks"]}
    assert truth["inactive_by_week"] == inactive
    assert truth["bus_factor_90d"] == k
    assert sum(inactive.values()) > 0, "a 16-week window must already show inactive contributors"
    assert all(start <= a.at < end for a in activities)


def test_churners_stop_more_than_90_days_before_the_end(truth, activities, people):
    # GIVEN the planted churners
    churners = truth["churners"]
    assert churners and all(people[k]["role"] == "churner" for k in churners)
    _, end = _window(truth)
    for key in churners:
        mine = [a.at for a in activities if a.person == key and a.is_contribution]
        # THEN they contributed before, and never in the final 90 days
        assert len(mine) >= 2, key
        assert max(mine) < end - DAYS_90, key


def test_overloaded_maintainer_answers_most_and_works_nights_and_weekends(truth, activities, slack, gh_events, people):
    key = truth["overloaded_maintainer"]
    assert people[key]["role"] == "overloaded_maintainer"
    # GIVEN replies and first responses read back from the files
    replies = Counter(a.person for a in activities if a.is_reply)
    assert replies.most_common(1)[0][0] == key
    firsts = _first_responders(gh_events, slack, people)
    assert firsts.most_common(1)[0][0] == key and firsts[key] * 2 > sum(firsts.values())
    # AND everyone's share of activity at 21:00-03:00 in their own Slack timezone
    offsets = {u["id"]: u["tz_offset"] for u in slack["users"]}
    counts: Counter = Counter()
    nights: Counter = Counter()
    for a in activities:
        slack_id = people[a.person]["slack_user_id"]
        if a.is_contribution and slack_id:
            hour = (a.at + timedelta(seconds=offsets[slack_id])).hour
            counts[a.person] += 1
            nights[a.person] += hour >= 21 or hour < 3
    share = {k: nights[k] / n for k, n in counts.items() if n >= 20}
    # THEN theirs is the highest by far, and they work weekends too
    assert max(share, key=share.get) == key and share[key] > 0.5
    weekend = [a for a in activities if a.person == key and a.at.weekday() >= 5]
    assert len(weekend) > 0.15 * counts[key]


def _first_responders(gh_events, slack, people) -> Counter:
    human_login = {p["github_login"]: k for k, p in people.items() if p["github_login"] and not p["is_bot"]}
    human_slack = {p["slack_user_id"]: k for k, p in people.items() if p["slack_user_id"] and not p["is_bot"]}
    firsts: Counter = Counter()
    authors, done = {}, set()
    for _, e in sorted(gh_events, key=lambda pe: (pe[1]["created_at"], int(pe[1]["id"]))):
        p = e["payload"]
        thing = p.get("issue") or p.get("pull_request")
        if thing is None:
            continue
        if p.get("action") == "opened":
            authors[thing["number"]] = thing["user"]["login"]
        elif e["type"] != "IssuesEvent" and e["type"] != "PullRequestEvent" and thing["number"] not in done:
            login = e["actor"]["login"]
            if login in human_login and login != authors.get(thing["number"]):
                done.add(thing["number"])
                firsts[human_login[login]] += 1
    for items in slack["messages"].values():
        roots = {m["ts"]: m["user"] for _, m in items if m.get("thread_ts") == m["ts"]}
        seen = set()
        for _, m in sorted(items, key=lambda dm: dm[1]["ts"]):
            root = m.get("thread_ts")
            if root and root != m["ts"] and root not in seen and m["user"] in human_slack and m["user"] != roots[root]:
                seen.add(root)
                firsts[human_slack[m["user"]]] += 1
    return firsts


def test_cross_platform_people_link_by_exactly_the_contract_rules(gh_events, slack, people, truth):
    # GIVEN the contract's rules applied to the files: pushed commit emails and Slack titles
    emails: dict[str, set[str]] = defaultdict(set)
    for _, e in gh_events:
        if e["type"] == "PushEvent":
            for c in e["payload"]["commits"]:
                emails[e["actor"]["login"].lower()].add(c["author"]["email"].strip().lower())
    logins = sorted(emails.keys() | {e["actor"]["login"].lower() for _, e in gh_events})
    found: dict[tuple[str, str], str] = {}
    for user in slack["users"]:
        profile = user["profile"]
        for login in logins:
            if f"github.com/{login}" in (profile.get("title") or "").lower():
                found[(user["id"], login)] = "title"
            if profile.get("email") and profile["email"].strip().lower() in emails[login]:
                found[(user["id"], login)] = "email"
    # THEN they link every planted cross-platform person, and nobody else
    planted = {(p["slack_user_id"], p["github_login"]) for p in people.values()
               if p["slack_user_id"] and p["github_login"] and not p["is_bot"]}
    assert set(found) == planted
    assert {found[(p["slack_user_id"], p["github_login"])] for p in people.values()
            if (p["slack_user_id"], p["github_login"]) in planted} == {"email", "title"}
    assert all(p["link_rule"] == found.get((p["slack_user_id"], p["github_login"])) for p in truth["people"])
    # AND some Slack emails differ from commit emails only in case (the rule normalizes)
    assert any(u["profile"].get("email") and u["profile"]["email"] != u["profile"]["email"].lower() for u in slack["users"])
    # AND there are Slack-only and GitHub-only humans too
    humans = [p for p in people.values() if not p["is_bot"]]
    assert any(p["slack_user_id"] and not p["github_login"] for p in humans)
    assert any(p["github_login"] and not p["slack_user_id"] for p in humans)


def test_roles_hold_one_overloaded_maintainer_among_three_to_five(people, truth):
    roles = Counter(p["role"] for p in people.values())
    assert roles["overloaded_maintainer"] == 1
    assert 3 <= roles["overloaded_maintainer"] + roles["maintainer"] <= 5
    assert sorted(truth["maintainers"]) == sorted(k for k, p in people.items() if "maintainer" in p["role"])
    assert roles["newcomer"] > 0 and roles["regular"] > 0 and roles["bot"] == 3


def test_duplicate_issues_paraphrase_an_earlier_issue(truth, gh_events):
    # GIVEN the opened issues by number
    opened = {e["payload"]["issue"]["number"]: e["payload"]["issue"] for _, e in gh_events
              if e["type"] == "IssuesEvent" and e["payload"]["action"] == "opened"}
    pairs = truth["duplicate_issues"]
    assert pairs
    for dup, original in pairs:
        # THEN the duplicate is later, worded differently, about the same component and kind
        assert dup > original and dup in opened and original in opened
        a, b = opened[dup], opened[original]
        assert a["title"] != b["title"] and a["body"] != b["body"]
        assert [c for c in COMPONENTS if c in a["title"]] == [c for c in COMPONENTS if c in b["title"]]
        assert [lab["name"] for lab in a["labels"]][:1] == [lab["name"] for lab in b["labels"]][:1]


def test_repeated_questions_are_real_help_threads(truth, slack):
    # GIVEN the top-level #help messages
    help_top = {m["ts"]: m for _, m in slack["messages"]["help"] if m.get("thread_ts", m["ts"]) == m["ts"]}
    questions = truth["repeated_questions"]
    assert questions and any(len(q["variants"]) >= 2 for q in questions)
    for q in questions:
        # THEN each listed ts is a top-level question whose text is one of the variants
        assert q["count"] == len(q["slack_ts"]) >= 2
        assert all(help_top[ts]["text"] in q["variants"] for ts in q["slack_ts"])
    # AND #help has both answered and unanswered questions
    answered = [m for m in help_top.values() if m.get("reply_count")]
    assert answered and len(answered) < len(help_top)


def test_counts_match_the_files(truth, gh_events, slack):
    counts = truth["counts"]
    assert counts["github_events"] == len(gh_events)
    assert counts["github_events_by_type"] == dict(Counter(e["type"] for _, e in gh_events))
    assert counts["slack_messages_by_channel"] == {c: len(m) for c, m in slack["messages"].items()}
    assert counts["slack_users"] == len(slack["users"])
