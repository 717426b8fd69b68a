"""Deterministic GH Archive hour files for the ingest benchmark.

Events have the shapes GH Archive stores (`id, type, actor, repo, payload, public,
created_at, org?`), with the type mix and payload objects of a real hour (pushes with
commits, issues and pull requests with bodies, comments, reviews, forks, releases). They are
written from string templates rather than `json.dumps` so that millions of events take
seconds; every string is drawn from a JSON-safe vocabulary, so each line is valid JSON.
"""

from __future__ import annotations

import gzip
import random
from datetime import datetime, timedelta
from pathlib import Path

API = "https://api.github.com"
WEB = "https://github.com"
_VOCABULARY = (
    "the a to of and in is it for on this that with be not we can as but build test fix "
    "error when release docs update crash memory flaky windows linux install config cli api "
    "issue version support python rust node the of should would could please thanks merge "
    "branch commit review feature bug regression slow timeout cache token parser schema"
)
WORDS = tuple(_VOCABULARY.split())
# share of events by type in a GH Archive hour (rounded), most frequent first
TYPE_WEIGHTS = {
    "PushEvent": 50, "CreateEvent": 13, "WatchEvent": 8, "PullRequestEvent": 8,
    "IssueCommentEvent": 6, "DeleteEvent": 4, "PullRequestReviewEvent": 3, "IssuesEvent": 3,
    "ForkEvent": 2, "PullRequestReviewCommentEvent": 2, "ReleaseEvent": 1, "GollumEvent": 0.5,
    "MemberEvent": 0.3, "PublicEvent": 0.2, "CommitCommentEvent": 0.2,
}
START = datetime(2026, 3, 2, 0, 0, 0)


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high)))


def _sha(rng: random.Random) -> str:
    return f"{rng.getrandbits(160):040x}"


def _user(login: str, uid: int) -> str:
    return (f'{{"login":"{login}","id":{uid},"node_id":"MDQ6VXNlcj{uid}","avatar_url":'
            f'"https://avatars.githubusercontent.com/u/{uid}?v=4","url":"{API}/users/{login}",'
            f'"html_url":"{WEB}/{login}","type":"User","site_admin":false}}')


class _World:
    """Repositories and people an hour of events is drawn from."""

    def __init__(self, rng: random.Random, repos: int = 4_000, people: int = 20_000) -> None:
        self.people = [(f"dev{rng.randrange(10**7)}-{i}", 1_000_000 + i * 7) for i in range(people)]
        self.repos = [
            (f"org{rng.randrange(3_000)}", f"proj-{i}", 100_000_000 + i * 13) for i in range(repos)
        ]


def _payload(rng: random.Random, kind: str, owner: str, name: str, rid: int, user: str, at: str) -> str:
    full = f"{owner}/{name}"
    number = rng.randint(1, 40_000)
    if kind == "PushEvent":
        size = rng.choice((1, 1, 1, 2, 3, 5))
        commits = ",".join(
            f'{{"sha":"{_sha(rng)}","author":{{"email":"dev{rng.randrange(10**6)}@users.noreply.github.com",'
            f'"name":"{rng.choice(WORDS)} {rng.choice(WORDS)}"}},"message":"{_text(rng, 3, 25)}",'
            f'"distinct":true,"url":"{API}/repos/{full}/commits/{_sha(rng)}"}}'
            for _ in range(size)
        )
        return (f'{{"repository_id":{rid},"push_id":{rng.randrange(10**10)},"size":{size},'
                f'"distinct_size":{size},"ref":"refs/heads/main","head":"{_sha(rng)}",'
                f'"before":"{_sha(rng)}","commits":[{commits}]}}')
    if kind in ("CreateEvent", "DeleteEvent"):
        ref_type = rng.choice(("branch", "branch", "tag", "repository"))
        extra = f',"master_branch":"main","description":"{_text(rng, 2, 12)}"' if kind == "CreateEvent" else ""
        return f'{{"ref":"{rng.choice(WORDS)}-{number}","ref_type":"{ref_type}"{extra},"pusher_type":"user"}}'
    if kind == "WatchEvent":
        return '{"action":"started"}'
    if kind == "ForkEvent":
        return (f'{{"forkee":{{"id":{rng.randrange(10**9)},"name":"{name}","full_name":"dev/{name}",'
                f'"private":false,"owner":{user},"html_url":"{WEB}/dev/{name}","description":'
                f'"{_text(rng, 3, 15)}","fork":true,"created_at":"{at}","updated_at":"{at}",'
                f'"pushed_at":"{at}","stargazers_count":0,"forks_count":0,"default_branch":"main",'
                f'"public":true}}}}')
    if kind == "ReleaseEvent":
        return (f'{{"action":"published","release":{{"id":{rng.randrange(10**9)},"tag_name":"v{number}",'
                f'"name":"v{number}","body":"{_text(rng, 20, 120)}","author":{user},'
                f'"created_at":"{at}","published_at":"{at}","draft":false,"prerelease":false}}}}')
    if kind == "GollumEvent":
        return (f'{{"pages":[{{"page_name":"{rng.choice(WORDS)}","title":"{_text(rng, 1, 4)}",'
                f'"action":"edited","sha":"{_sha(rng)}","html_url":"{WEB}/{full}/wiki/{number}"}}]}}')
    if kind == "MemberEvent":
        return f'{{"member":{user},"action":"added"}}'
    if kind == "PublicEvent":
        return "{}"
    issue = (f'{{"url":"{API}/repos/{full}/issues/{number}","html_url":"{WEB}/{full}/issues/{number}",'
             f'"id":{rng.randrange(10**9)},"number":{number},"title":"{_text(rng, 3, 12)}",'
             f'"user":{user},"labels":[],"state":"open","locked":false,"assignees":[],'
             f'"comments":{rng.randint(0, 30)},"created_at":"{at}","updated_at":"{at}",'
             f'"closed_at":null,"author_association":"CONTRIBUTOR","body":"{_text(rng, 10, 90)}",'
             f'"reactions":{{"total_count":0,"+1":0,"-1":0,"laugh":0,"hooray":0}}}}')
    if kind == "IssuesEvent":
        return f'{{"action":"{rng.choice(("opened", "closed", "reopened"))}","issue":{issue}}}'
    comment = (f'{{"id":{rng.randrange(10**10)},"html_url":"{WEB}/{full}/issues/{number}#c",'
               f'"user":{user},"created_at":"{at}","updated_at":"{at}",'
               f'"author_association":"MEMBER","body":"{_text(rng, 5, 60)}"}}')
    if kind == "IssueCommentEvent":
        return f'{{"action":"created","issue":{issue},"comment":{comment}}}'
    if kind == "CommitCommentEvent":
        return f'{{"comment":{comment}}}'
    pull = (f'{{"id":{rng.randrange(10**10)},"number":{number},"state":"open","title":'
            f'"{_text(rng, 3, 12)}","user":{user},"body":"{_text(rng, 10, 80)}","created_at":"{at}",'
            f'"updated_at":"{at}","closed_at":null,"merged_at":null,"head":{{"ref":"feature-{number}",'
            f'"sha":"{_sha(rng)}"}},"base":{{"ref":"main","sha":"{_sha(rng)}"}},"draft":false,'
            f'"commits":{rng.randint(1, 9)},"additions":{rng.randint(1, 900)},'
            f'"deletions":{rng.randint(0, 300)},"changed_files":{rng.randint(1, 30)}}}')
    if kind == "PullRequestEvent":
        return f'{{"action":"{rng.choice(("opened", "closed", "synchronize"))}","number":{number},"pull_request":{pull}}}'
    if kind == "PullRequestReviewEvent":
        return (f'{{"action":"created","review":{{"id":{rng.randrange(10**10)},"user":{user},'
                f'"body":"{_text(rng, 0, 30)}","state":"approved","submitted_at":"{at}"}},'
                f'"pull_request":{pull}}}')
    return f'{{"action":"created","comment":{comment},"pull_request":{pull}}}'


def write_hour(path: Path, events: int, first_id: int, hour: int, seed: int) -> None:
    """One `.json.gz` hour file of `events` events with ids from `first_id` upwards."""
    rng = random.Random(seed * 1_000_003 + hour)
    world = _World(random.Random(seed))
    kinds = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()), k=events)
    start = START + timedelta(hours=hour)
    lines = []
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        for i, kind in enumerate(kinds):
            login, uid = rng.choice(world.people)
            owner, name, rid = rng.choice(world.repos)
            at = (start + timedelta(seconds=i * 3600 // events)).strftime("%Y-%m-%dT%H:%M:%SZ")
            user = _user(login, uid)
            org = (f',"org":{{"id":{rid + 7},"login":"{owner}","gravatar_id":"",'
                   f'"url":"{API}/orgs/{owner}","avatar_url":"https://avatars.githubusercontent.com/u/{rid + 7}?"}}'
                   if rng.random() < 0.4 else "")
            lines.append(
                f'{{"id":"{first_id + i}","type":"{kind}","actor":{{"id":{uid},"login":"{login}",'
                f'"display_login":"{login}","gravatar_id":"","url":"{API}/users/{login}",'
                f'"avatar_url":"https://avatars.githubusercontent.com/u/{uid}?"}},"repo":{{"id":{rid},'
                f'"name":"{owner}/{name}","url":"{API}/repos/{owner}/{name}"}},'
                f'"payload":{_payload(rng, kind, owner, name, rid, user, at)},"public":true,'
                f'"created_at":"{at}"{org}}}\n'
            )
            if len(lines) >= 5_000:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))
