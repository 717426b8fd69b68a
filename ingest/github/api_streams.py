"""The GitHub REST streams of one repository, each as pages that carry their own cursor.

Every generator reads its cursor once, then yields `Page`s; the caller lands a page's
records and its cursor in one transaction before asking for the next, so a run that dies
on page 40 resumes at page 40. Three ways to be incremental, by what the endpoint allows:

- `since` streams (issues — PRs included —, issue comments, review comments): sorted by
  `updated` ascending and filtered by `since`; each page is asked for afresh from the newest
  `updated_at` landed so far (keyset paging), so an item updated mid-run cannot shift past
  us. Items at exactly that second are fetched again and upserted unchanged; a page made only
  of one second's items moves on by page number instead.
- sweep streams (pulls, releases: no `since`): newest first until an item older than the
  last finished sweep; the sweep's own page is kept, so a killed sweep continues there.
- append streams (stargazers with dates, forks oldest first): lists that only grow at the
  end; the cursor is the page to read next.
- reviews: per pull request, for those whose `updated_at` in raw_github.pull_requests moved
  past the cursor (a review bumps its PR), in `updated_at` order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
from github import Github
from github.PaginatedList import PaginatedList
from github.Repository import Repository

from ingest.github.api_client import Clients
from ingest.github.rest_kinds import Bad, updated_at


@dataclass(frozen=True)
class Page:
    items: list[dict]
    cursor: str


def raw(obj: Any) -> dict:
    """The JSON GitHub sent for a list item. `raw_data` would complete the object with one more
    request per item; list items already arrive whole, so the stored dict is read directly."""
    return obj._rawData


def _time(obj: dict) -> datetime | None:
    try:
        return updated_at(obj)
    except Bad:
        return None  # quarantined when built; it does not move the cursor


def _load(cursor: str | None, default: dict) -> dict:
    try:
        state = json.loads(cursor) if cursor else {}
    except ValueError:
        state = {}
    return {**default, **state} if isinstance(state, dict) else dict(default)


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


Listing = Callable[[Repository, datetime | None], PaginatedList]


def _page(clients: Clients, repo: str, listing: Listing, since: datetime | None, page: int, what: str) -> list[dict]:
    def fetch(gh: Github) -> list[dict]:
        return [raw(x) for x in listing(gh.get_repo(repo), since).get_page(page - 1)]

    return clients.call(fetch, what)


def since_pages(clients: Clients, repo: str, listing: Listing, cursor: str | None, what: str) -> Iterator[Page]:
    state = _load(cursor, {"since": None, "page": 1})
    per_page = clients.options.per_page
    while True:
        items = _page(clients, repo, listing, _parse(state["since"]), state["page"], what)
        times = [t for t in map(_time, items) if t]
        if not times:
            if items:
                yield Page(items, json.dumps(state))
            return
        newest, full = _iso(max(times)), len(items) >= per_page
        stuck = full and newest == state["since"]  # a whole page of one second: step by page number
        state = {"since": newest, "page": state["page"] + 1 if stuck else 1}
        yield Page(items, json.dumps(state))
        if not full:
            return


def sweep_pages(clients: Clients, repo: str, listing: Listing, cursor: str | None, what: str) -> Iterator[Page]:
    state = _load(cursor, {"done": None, "page": 1, "high": None})
    done = _parse(state["done"])
    per_page = clients.options.per_page
    while True:
        items = _page(clients, repo, listing, None, state["page"], what)
        times = [t for t in map(_time, items) if t]
        high = max([t for t in (_parse(state["high"]), *times) if t], default=None)
        finished = len(items) < per_page or (done is not None and bool(times) and min(times) <= done)
        if finished:
            state = {"done": _iso(high or done), "page": 1, "high": None}
        else:
            state = {"done": _iso(done), "page": state["page"] + 1, "high": _iso(high)}
        yield Page(items, json.dumps(state))
        if finished:
            return


def append_pages(clients: Clients, repo: str, listing: Listing, cursor: str | None, what: str) -> Iterator[Page]:
    state = _load(cursor, {"page": 1})
    per_page = clients.options.per_page
    while True:
        items = _page(clients, repo, listing, None, state["page"], what)
        full = len(items) >= per_page
        state = {"page": state["page"] + 1 if full else state["page"]}
        yield Page(items, json.dumps(state))
        if not full:
            return


def review_pages(clients: Clients, con: duckdb.DuckDBPyConnection, repo: str, cursor: str | None,
                 what: str) -> Iterator[Page]:
    state = _load(cursor, {"at": None, "number": 0})
    at = _parse(state["at"]) or datetime(1970, 1, 1)
    pulls = con.execute(
        """select number, updated_at from raw_github.pull_requests
           where repo_name = ? and (updated_at > ? or (updated_at = ? and number > ?))
           order by updated_at, number""",
        [repo, at, at, int(state["number"])],
    ).fetchall()
    for number, pull_updated in pulls:
        def fetch(gh: Github, number: int = number) -> list[dict]:
            return [raw(r) for r in gh.get_repo(repo).get_pull(number).get_reviews()]  # follows Link: next

        items = clients.call(fetch, f"{what} #{number}")
        yield Page(items, json.dumps({"at": _iso(pull_updated), "number": number}))


# stream → (rest kind, how it pages, the PyGithub listing)
STREAMS: dict[str, tuple[str, str, Listing | None]] = {
    "issues": ("issue", "since", lambda r, since: r.get_issues(
        state="all", sort="updated", direction="asc", **({"since": since} if since else {}))),
    "pulls": ("pull", "sweep", lambda r, _: r.get_pulls(state="all", sort="updated", direction="desc")),
    "reviews": ("review", "reviews", None),
    "issue_comments": ("issue_comment", "since", lambda r, since: r.get_issues_comments(
        sort="updated", direction="asc", **({"since": since} if since else {}))),
    "review_comments": ("review_comment", "since", lambda r, since: r.get_pulls_comments(
        sort="updated", direction="asc", **({"since": since} if since else {}))),
    "releases": ("release", "sweep", lambda r, _: r.get_releases()),
    "stargazers": ("star", "append", lambda r, _: r.get_stargazers_with_dates()),
    "forks": ("fork", "append", lambda r, _: PaginatedList(Repository, r.requester, f"{r.url}/forks",
                                                          {"sort": "oldest"})),
}
PAGERS = {"since": since_pages, "sweep": sweep_pages, "append": append_pages}


def pages(stream: str, clients: Clients, con: duckdb.DuckDBPyConnection, repo: str,
          cursor: str | None) -> Iterator[Page]:
    _, how, listing = STREAMS[stream]
    what = f"{repo} {stream}"
    if how == "reviews":
        return review_pages(clients, con, repo, cursor, what)
    return PAGERS[how](clients, repo, listing, cursor, what)
