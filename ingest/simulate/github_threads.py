"""Conversations on GitHub: an issue's triage and replies, a pull request's review loop,
dependabot's weekly bumps.

Every step goes through `GithubPlanner.emit`; when a participant may no longer act (left,
or past the window's end) the thread simply stops there, so late issues stay open and
churners never act after they leave.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ingest.simulate import issue_text as it
from ingest.simulate.clock import after
from ingest.simulate.github_plan import GithubPlanner, Item
from ingest.simulate.people import Person
from ingest.simulate.timeline import MAINTAINERS, OPENERS, RESPONDERS, REVIEWERS

KIND_WEIGHTS = {"bug": 0.45, "enhancement": 0.25, "docs": 0.12, "question": 0.18}
DUPLICATE_SHARE = 0.1


def issue(planner: GithubPlanner, opener: Person, at: datetime, duplicate: bool = False) -> bool:
    """Open an issue (a paraphrased duplicate of an earlier one if drawn or asked); True if opened."""
    rng = planner.rng
    originals = [i for i in planner.items if i.kind == "issue" and i.duplicate_of is None and i.created_at < at]
    original = rng.choice(originals) if originals and (duplicate or rng.random() < DUPLICATE_SHARE) else None
    fresh = None if original else planner.next_topic(rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0])
    if fresh is None and original is None:
        if not originals:
            return False
        original = rng.choice(originals)  # every topic used: a re-report is the honest option
    if original is not None:
        kind, topic, phrasing = original.category, original.topic, 1 - original.phrasing
    else:
        assert fresh is not None
        (kind, topic), phrasing = fresh, rng.randint(0, 1)
    title, body = it.issue_text(kind, topic, phrasing, planner.version_at(at), rng)
    labels = [it.KIND_LABEL[kind]]
    if kind in ("enhancement", "docs") and rng.random() < 0.4:
        labels.append("good first issue")
    item = Item("issue", opener.key, title, body, at.replace(microsecond=0), labels, kind, topic, phrasing,
                duplicate_of=original)
    if not planner.emit(opener, at, "IssuesEvent", "opened", item):
        return False
    planner.items.append(item)
    _issue_conversation(planner, item, opener, item.created_at)
    return True


def _issue_conversation(planner: GithubPlanner, item: Item, opener: Person, t: datetime) -> None:
    rng, cast = planner.rng, planner.cast
    if rng.random() > 0.85:
        _unanswered(planner, item, opener, t)
        return
    if item.duplicate_of is not None and rng.random() < 0.5:
        closer = cast.pick_tiered(rng, t, "github", MAINTAINERS, exclude=[opener.key])
        if closer is not None:
            t = after(closer, rng, t, 6)
            if planner.emit(closer, t, "IssueCommentEvent", "created", item, "Duplicate of #{dup}", refs={"dup": item.duplicate_of}):
                planner.emit(closer, t + timedelta(seconds=20), "IssuesEvent", "closed", item)
        return
    responder = cast.pick_tiered(rng, t, "github", RESPONDERS, exclude=[opener.key])
    if responder is None:
        return
    t = after(responder, rng, t, 4 if responder.night_owl else 14)
    if not planner.emit(responder, t, "IssueCommentEvent", "created", item, rng.choice(it.ISSUE_REPLIES[item.category])):
        return
    for _ in range(rng.choice((0, 1, 1, 2))):
        happy = rng.random() < 0.7
        t = after(opener, rng, t, 10)
        text = rng.choice(it.AUTHOR_FOLLOWUPS_OK if happy else it.AUTHOR_FOLLOWUPS_BAD)
        if not planner.emit(opener, t, "IssueCommentEvent", "created", item, text):
            return
        t = after(responder, rng, t, 6)
        if not planner.emit(responder, t, "IssueCommentEvent", "created", item, "Thanks for confirming, noted."):
            return
    if rng.random() < 0.2:
        _me_too(planner, item, opener, t)
    if rng.random() < 0.75:
        closer = responder if responder.is_maintainer else cast.pick_tiered(rng, t, "github", MAINTAINERS)
        if closer is not None:
            t = after(closer, rng, t, 30)
            if rng.random() < 0.4 and planner.emit(closer, t, "IssueCommentEvent", "created", item, rng.choice(it.CLOSING)):
                t += timedelta(seconds=15)
            planner.emit(closer, t, "IssuesEvent", "closed", item)


def _unanswered(planner: GithubPlanner, item: Item, opener: Person, t: datetime) -> None:
    """No human answer: maybe a "+1", and the stale bot after 30 days (a bot is not a response)."""
    if planner.rng.random() < 0.3:
        _me_too(planner, item, opener, t)
    stale_at = t + timedelta(days=30, hours=planner.rng.uniform(0, 12))
    planner.emit(planner.cast.bot("bot-github-actions"), stale_at, "IssueCommentEvent", "created", item, it.STALE)


def _me_too(planner: GithubPlanner, item: Item, opener: Person, t: datetime) -> None:
    rng = planner.rng
    other = planner.cast.pick(rng, t, "github", {k: v for k, v in OPENERS.items() if "maintainer" not in k}, [opener.key])
    if other is not None:
        planner.emit(other, after(other, rng, t, 48), "IssueCommentEvent", "created", item, rng.choice(it.ME_TOO))


def pull_request(planner: GithubPlanner, author: Person, at: datetime) -> None:
    rng, cast = planner.rng, planner.cast
    title, body, branch = it.pr_text(rng, rng.choice(it.COMPONENTS))
    item = Item("pr", author.key, title, body, at, branch=branch)
    if not planner.push(author, at, f"refs/heads/{branch}", planner.commits(rng.randint(1, 3)), item):
        return
    t = (at + timedelta(minutes=rng.uniform(2, 40))).replace(microsecond=0)
    item.created_at = t
    if not planner.emit(author, t, "PullRequestEvent", "opened", item):
        return
    planner.items.append(item)
    _ci(planner, item, t)
    if rng.random() > 0.85:
        return
    reviewer = cast.pick_tiered(rng, t, "github", REVIEWERS, exclude=[author.key])
    if reviewer is None:
        return
    for round_ in range(3):
        t = after(reviewer, rng, t, 5 if reviewer.night_owl else 16)
        state = "approved" if round_ == 2 else rng.choices(["approved", "changes_requested", "commented"], [0.5, 0.35, 0.15])[0]
        for k in range(rng.randint(0, 1 if state == "approved" else 2)):
            if not planner.emit(reviewer, t + timedelta(seconds=k), "PullRequestReviewCommentEvent", "created", item,
                                rng.choice(it.REVIEW_COMMENTS)):
                return
        t += timedelta(seconds=5)
        if not planner.emit(reviewer, t, "PullRequestReviewEvent", "created", item, rng.choice(it.REVIEW_BODIES[state]), state=state):
            return
        if state == "approved":
            break
        t = after(author, rng, t, 12)
        if not planner.push(author, t, f"refs/heads/{branch}", planner.commits(1), item):
            return
        if rng.random() < 0.5:
            t += timedelta(minutes=rng.uniform(1, 5))
            planner.emit(author, t, "IssueCommentEvent", "created", item, rng.choice(it.PR_AUTHOR_REPLIES))
        _ci(planner, item, t)
    if rng.random() < 0.88:
        merger = reviewer if reviewer.is_maintainer else cast.pick_tiered(rng, t, "github", MAINTAINERS, [author.key])
        if merger is not None:
            _merge(planner, item, merger, after(merger, rng, t, 3))
    elif rng.random() < 0.5:  # closed unmerged: by a maintainer reviewer, else the author gives up
        closer = reviewer if reviewer.is_maintainer else author
        planner.emit(closer, after(closer, rng, t, 24), "PullRequestEvent", "closed", item, merged=False)


def _ci(planner: GithubPlanner, item: Item, t: datetime) -> None:
    bot = planner.cast.bot("bot-github-actions")
    text = planner.rng.choice(it.CI_COMMENTS).format(n=planner.rng.randint(78, 96))
    planner.emit(bot, t + timedelta(minutes=planner.rng.uniform(3, 20)), "IssueCommentEvent", "created", item, text)


def _merge(planner: GithubPlanner, item: Item, merger: Person, t: datetime) -> None:
    """A merge via the UI: the PR closes merged, and the merger pushes the merge commit to main.

    The merge commit is authored by the merger, never by the PR author: a commit email in a
    push is evidence about the pusher's identity (docs/CONTRACTS.md), so it must be theirs.
    """
    t = t.replace(microsecond=0)
    if planner.emit(merger, t, "PullRequestEvent", "closed", item, merged=True):
        item.merged_at = t
        owner = planner.config.repo.split("/")[0]
        message = f"Merge pull request #{{pr}} from {owner}/{item.branch}\n\n{item.title}"
        planner.emit(merger, t + timedelta(seconds=1), "PushEvent", item=item, ref="refs/heads/main",
                     messages=[message], refs={"pr": item})


def dependabot_pr(planner: GithubPlanner, monday: date) -> None:
    rng, cast = planner.rng, planner.cast
    bot = cast.bot("bot-dependabot")
    package = rng.choice(it.PACKAGES)
    versions = planner.versions
    old = versions.get(package, (1, rng.randint(0, 9), 0))
    new = (old[0], old[1], old[2] + 1) if rng.random() < 0.7 else (old[0], old[1] + 1, 0)
    versions[package] = new
    title, body, branch = it.dependabot_text(package, ".".join(map(str, old)), ".".join(map(str, new)))
    at = datetime(monday.year, monday.month, monday.day, 5, rng.randint(0, 59), rng.randint(0, 59))
    item = Item("pr", bot.key, title, body, at, labels=["dependencies"], category="dependabot", branch=branch)
    if not planner.emit(bot, at, "PullRequestEvent", "opened", item):
        return
    planner.items.append(item)
    _ci(planner, item, at)
    if rng.random() < 0.8:
        merger = cast.pick_tiered(rng, at, "github", MAINTAINERS)
        if merger is not None:
            t = after(merger, rng, at, 30)
            if rng.random() < 0.5 and planner.emit(merger, t, "PullRequestReviewEvent", "created", item, "", state="approved"):
                t += timedelta(minutes=1)
            _merge(planner, item, merger, t)
