"""The repository's history as commits, taken from what GitHub saw: merged pull requests (their
branch commits, then a real merge commit) and maintainers' direct pushes to main.

Authors and emails are those of the PushEvent commits, so a git account links to the same
GitHub login. A sample is kept (at most MAX_COMMITS) so the repository stays small. Planted
on top: one contributor's first commits carry an old email that `.mailmap` maps to the
current one, and one branch commit credits a maintainer with a Co-authored-by trailer.
Author times are a little before the push that published the commit, never before the
window or the person's arrival.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ingest.simulate import names
from ingest.simulate.config import SimulationConfig, stream
from ingest.simulate.github_plan import GhAction, GithubPlan, Item
from ingest.simulate.timeline import Cast

MAX_COMMITS = 150
PR_SHARE = 0.7
GITHUB_COMMITTER = ("GitHub", "noreply@github.com")
DEPENDABOT_EMAIL = "49699333+dependabot[bot]@users.noreply.github.com"
_BUMP = re.compile(r"Bump (\S+) from \S+ to (\S+)")


@dataclass(eq=False)
class GitCommit:
    at: datetime  # author time, UTC
    author: tuple[str, str]  # (name, email) as written
    person: str | None  # the author's person key
    message: str
    files: dict[str, str]  # path → whole new content
    tz: int = 0  # author's UTC offset, seconds
    parents: list[GitCommit] = field(default_factory=list)
    committer: tuple[str, str] | None = None  # None: the author, at the author time
    co_authors: list[str] = field(default_factory=list)  # person keys
    ref: str = "refs/heads/main"
    sha: str = ""


@dataclass
class GitHistory:
    commits: list[GitCommit]  # in the order they are written (parents first)
    mailmap: dict[str, str]  # old email → current email
    mailmap_person: str | None


@dataclass
class _Push:
    at: datetime
    actor: str
    item: Item | None
    main: bool
    commits: list[dict]


def _pushes(plan: GithubPlan, events: list[dict]) -> list[_Push]:
    """Each PushEvent with the action that made it: render_github emits one event per action in time order."""
    actions: list[GhAction] = sorted(plan.actions, key=lambda a: a.at)
    return [_Push(a.at, a.actor, a.item, a.extra["ref"] == "refs/heads/main", e["payload"]["commits"])
            for a, e in zip(actions, events, strict=True) if a.type == "PushEvent"]


def plan_git(config: SimulationConfig, cast: Cast, plan: GithubPlan, events: list[dict]) -> GitHistory:
    rng = stream(config, "git")
    pushes = _pushes(plan, events)
    merges = {id(p.item): p for p in pushes if p.main and p.item is not None}
    prs = [i for i in sorted(plan.items, key=lambda i: i.created_at) if i.kind == "pr" and id(i) in merges]
    branch = {id(i): [p for p in pushes if not p.main and p.item is i] for i in prs}

    def cost(item: Item) -> int:  # its commits, or dependabot's one, plus the merge
        return max(sum(len(p.commits) for p in branch[id(item)]), 1) + 1

    chosen = sorted(_sample(rng, prs, cost, int(MAX_COMMITS * PR_SHARE)), key=lambda i: i.created_at)
    direct = _sample(rng, [p for p in pushes if p.main and p.item is None], lambda p: len(p.commits),
                     MAX_COMMITS - 2 - sum(cost(i) for i in chosen))
    humans = [i for i in chosen if branch[id(i)] and not cast.by_key[i.author].is_maintainer
              and merges[id(i)].at + timedelta(hours=1) < cast.window.end_at]  # room for the .mailmap commit
    old = humans[0] if humans else None
    co_authored = next((i for i in chosen if branch[id(i)] and i is not old), None)
    steps: list[tuple[datetime, int, str, object]] = [(p.at, 0, "direct", p) for p in direct]
    for i in chosen:
        steps.append((merges[id(i)].at, 2, "merge", i))
        steps += [(p.at, 1, "branch", (i, p)) for p in branch[id(i)]]
        if not branch[id(i)]:
            steps.append((i.created_at, 1, "bump", i))
    builder = _Builder(rng, cast)
    builder.initial(cast.overloaded)
    for n, (_, _, kind, thing) in enumerate(sorted(steps, key=lambda s: (s[0], s[1]))):
        if kind == "direct":
            builder.direct(thing)
        elif kind == "bump":
            builder.bump(thing)
        elif kind == "branch":
            item, push = thing
            last = push is branch[id(item)][-1]
            builder.branch_push(item, push, old_email=item is old, co_author=item is co_authored and last)
        else:
            builder.merge(thing, merges[id(thing)])
            if thing is old:
                builder.mailmap(cast.by_key[thing.author], merges[id(thing)])
    return GitHistory(builder.commits, builder.mapped, old.author if old and builder.mapped else None)


def _sample(rng: random.Random, items: list, cost, budget: int) -> list:
    pool = list(items)
    rng.shuffle(pool)
    out, spent = [], 0
    for item in pool:
        if spent + cost(item) <= budget:
            out.append(item)
            spent += cost(item)
    return out


class _Builder:
    """Writes commits in time order, keeping main's files and head, and each open branch."""

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        self.rng, self.cast = rng, cast
        self.commits: list[GitCommit] = []
        self.files: dict[str, str] = {}
        self.head: GitCommit | None = None
        self.tips: dict[int, GitCommit] = {}  # id(item) → branch tip
        self.changed: dict[int, dict[str, str]] = {}  # id(item) → files the branch wrote
        self.floor = cast.window.start_at + timedelta(hours=1)
        self.mapped: dict[str, str] = {}
        self.old: dict[str, str] = {}  # current email → the old one used instead

    def _add(self, commit: GitCommit) -> GitCommit:
        self.commits.append(commit)
        return commit

    def _when(self, person, at: datetime, back: int, parent: GitCommit) -> datetime:
        """`back` steps of a few minutes before `at`; never before the window, the person's
        arrival or the parent commit."""
        earlier = at - timedelta(minutes=sum(self.rng.randint(3, 25) for _ in range(back)))
        return max(earlier, self.floor, person.arrive, parent.at)

    def initial(self, maintainer) -> None:
        files = {"README.md": "# CodeConvene\n\nCommunity analytics for developer relations.\n",
                 "pyproject.toml": '[project]\nname = "codeconvene"\nversion = "0.3.0"\n'}
        at = self.cast.window.start_at + timedelta(minutes=30)
        self.files.update(files)
        self.head = self._add(GitCommit(at, (maintainer.display_name, maintainer.commit_email), maintainer.key,
                                        "Start the history of this clone", files, maintainer.tz_offset))

    def direct(self, push: _Push) -> None:
        person = self.cast.by_key[push.actor]
        for k, c in enumerate(push.commits):
            path = f"notes/{self.rng.choice(names.JOBS[:6]).lower().replace(' ', '-')}.md"
            files = {path: self.files.get(path, "") + f"- {c['message'].splitlines()[0]}\n"}
            self.files.update(files)
            at = self._when(person, push.at, len(push.commits) - k, self.head)
            self.head = self._add(GitCommit(at, (c["author"]["name"], c["author"]["email"]), person.key, c["message"],
                                            files, person.tz_offset, [self.head]))

    def _branch(self, item: Item) -> GitCommit:
        if id(item) not in self.tips:  # the branch starts from main as it is now
            self.tips[id(item)], self.changed[id(item)] = self.head, {}
        return self.tips[id(item)]

    def bump(self, item: Item) -> None:
        """Dependabot's commit (GitHub records no push event for it): one requirements file."""
        parent = self._branch(item)
        found = _BUMP.search(item.title)
        package, version = found.groups() if found else ("deps", "0")
        files = {f"requirements/{package}.txt": f"{package}=={version}\n"}
        at = max(item.created_at - timedelta(minutes=1), self.floor, parent.at)
        self.changed[id(item)].update(files)
        self.tips[id(item)] = self._add(GitCommit(at, ("dependabot[bot]", DEPENDABOT_EMAIL), item.author, item.title, files,
                                                  0, [parent], committer=GITHUB_COMMITTER, ref=f"refs/heads/{item.branch}"))

    def branch_push(self, item: Item, push: _Push, old_email: bool, co_author: bool) -> None:
        author, path = self.cast.by_key[item.author], f"changes/{item.number}.md"
        for k, c in enumerate(push.commits):
            parent = self._branch(item)
            text = self.changed[id(item)].get(path, f"# {item.title}\n\n") + f"- {c['message'].splitlines()[0]}\n"
            at = self._when(author, push.at, len(push.commits) - k, parent)
            email = self._old_email(author, c["author"]["email"]) if old_email else c["author"]["email"]
            message, credits = c["message"], []
            if co_author and k == len(push.commits) - 1:
                tiers = ((1.0, {"maintainer": 1, "overloaded_maintainer": 1}),)
                helper = self.cast.pick_tiered(self.rng, at, "github", tiers, exclude=[author.key])
                if helper is not None:
                    message += f"\n\nCo-authored-by: {helper.display_name} <{helper.commit_email}>"
                    credits = [helper.key]
            self.changed[id(item)][path] = text
            self.tips[id(item)] = self._add(GitCommit(at, (c["author"]["name"], email), author.key, message, {path: text},
                                                      author.tz_offset, [parent], co_authors=credits,
                                                      ref=f"refs/heads/{item.branch}"))

    def merge(self, item: Item, push: _Push) -> None:
        """GitHub's merge button: the merger authors it, GitHub commits it, main gets the branch's files."""
        merger, tip = self.cast.by_key[push.actor], self._branch(item)
        changed = self.changed.pop(id(item))
        self.files.update(changed)
        at = max(push.at, self.head.at, tip.at)
        self.head = self._add(GitCommit(at, (merger.display_name, merger.commit_email), merger.key,
                                        push.commits[0]["message"], changed, merger.tz_offset, [self.head, tip],
                                        committer=GITHUB_COMMITTER))
        del self.tips[id(item)]

    def _old_email(self, person, current: str) -> str:
        """The address at a former employer: a company domain not theirs, used by nobody else."""
        if current not in self.old:
            taken = {e.lower() for p in self.cast.people for e in (p.email, p.commit_email, p.slack_email) if e}
            options = [f"{person.first}.{person.last}@{d}".lower() for d in names.COMPANY_DOMAINS]
            self.old[current] = next(e for e in options if e not in taken and not current.endswith(e.split("@")[1]))
        return self.old[current]

    def mailmap(self, person, merge: _Push) -> None:
        """Right after that contributor's first merge, a maintainer maps their old address."""
        if not self.old:
            return
        (current, old), = self.old.items()
        maintainer = self.cast.by_key[merge.actor]
        at = max(merge.at + timedelta(minutes=10), self.head.at)
        if at >= self.cast.window.end_at:
            return
        self.mapped[old] = current
        files = {".mailmap": f"{person.display_name} <{current}> <{old}>\n"}
        self.files.update(files)
        self.head = self._add(GitCommit(at, (maintainer.display_name, maintainer.commit_email), maintainer.key,
                                        f"Add .mailmap entry for {person.display_name}", files, maintainer.tz_offset,
                                        [self.head]))
