"""Live GitHub connector: the configured repositories (and organizations' repositories)
pulled through PyGithub into the same raw_github tables, keys and payloads as REST dumps.

Objects become records through `ingest.github.rest_kinds.build`, the very mapping the dump
reader uses, so a live pull and a `gh api --paginate` dump of the same data upsert onto the
same rows. Each page lands in one transaction with its stream cursor
(meta.cursors source 'github', stream '<owner/repo>:<stream>'); see `api_streams` for how
each endpoint is made incremental and `api_client` for rate limits and token rotation.

Scope: `repos=[...]`, `orgs=[...]`, else codeconvene.yaml `github: {repos: [...], orgs: [...]}`
(top-level `repos:`/`orgs:` are accepted too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import duckdb

from ingest.core.cursors import get_cursor
from ingest.core.live import CheckResult, LiveError, SyncSummary, finish_run, land_page, start_run
from ingest.core.progress import NoProgress, Progress
from ingest.core.quarantine import now
from ingest.core.records import Record, Rejected
from ingest.github.api_client import ClientOptions, Clients, credentials
from ingest.github.api_streams import STREAMS, pages
from ingest.github.rest_kinds import Bad, build, dump, embedded_users

SOURCE = "github"
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
SCOPE_HINT = "list repositories under `github: repos:` in codeconvene.yaml, or pass --repo owner/name"


def configured_scope(settings: Any) -> tuple[list[str], list[str]]:
    config = settings.config or {}
    section = config.get("github") if isinstance(config.get("github"), dict) else {}
    repos = list(section.get("repos") or config.get("repos") or [])
    orgs = list(section.get("orgs") or config.get("orgs") or [])
    return [str(r).strip() for r in repos], [str(o).strip() for o in orgs]


def records_of(kind: str, items: list[dict], repo: str, location: str) -> Iterator[Record | Rejected]:
    """The page's records (the dump reader's mapping) and each embedded user once."""
    users: dict[str, Record] = {}
    for index, obj in enumerate(items):
        where = f"{location}[{index}]"
        try:
            record = build(kind, obj, where, repo)
        except Bad as bad:
            yield Rejected(where, f"{kind}: {bad}", dump(obj))
            continue
        yield record
        for user in embedded_users(obj):
            seen = users.get(user["login"])
            if seen is None or seen.updated_at < record.updated_at:
                users[user["login"]] = Record("raw_github.users", {"login": user["login"], "user_type": user["type"]},
                                              record.updated_at, dump(user), where)
    yield from users.values()


def _repos(clients: Clients, repos: list[str], orgs: list[str]) -> list[str]:
    names = list(dict.fromkeys(repos))
    for org in orgs:
        def listing(gh, org=org) -> list[str]:
            return [r._rawData["full_name"] for r in gh.get_organization(org).get_repos(type="all")]

        names += [n for n in clients.call(listing, f"organization {org}") if n not in names]
    bad = [n for n in names if not _REPO.match(n)]
    if bad:
        raise LiveError(f"not GitHub repositories (owner/name): {', '.join(map(repr, bad))}", hint=SCOPE_HINT)
    return names


def sync_stream(con: duckdb.DuckDBPyConnection, clients: Clients, repo: str, stream: str, batch_id: str,
                at: datetime, summary: SyncSummary, progress: Progress | None = None) -> int:
    """Land the stream page by page; `progress` hears of each page (pages are its units)."""
    progress = progress or NoProgress()
    kind = STREAMS[stream][0]
    key = f"{repo}:{stream}"
    fetched = 0
    for number, page in enumerate(pages(stream, clients, con, repo, get_cursor(con, SOURCE, key)), start=1):
        items = records_of(kind, page.items, repo, f"{clients.options.base_url}/repos/{repo} {stream} page {number}")
        land_page(con, f"{SOURCE}:{repo}", batch_id, at, items, {(SOURCE, key): page.cursor})
        fetched += len(page.items)
        progress.unit_finished(f"{repo}:{stream} page {number}", len(page.items), skipped=False)
        summary.pages += 1
        summary.cursor_updates += 1
    summary.add(stream, fetched)
    return fetched


def sync(settings: Any, con: duckdb.DuckDBPyConnection, *, progress: Progress | None = None,
         repos: list[str] | None = None, orgs: list[str] | None = None, repo: str | None = None,
         streams: list[str] | None = None, options: ClientOptions | None = None) -> SyncSummary:
    """Pull every stream of every repository in scope (`repo` = one, as `--repo` gives);
    raises LiveError for what the user must fix."""
    progress = progress or NoProgress()
    if repo:
        repos = [*(repos or []), repo]
    if repos is None and orgs is None:
        repos, orgs = configured_scope(settings)
    repos, orgs = list(repos or []), list(orgs or [])
    if not repos and not orgs:
        raise LiveError("no GitHub repositories to sync", hint=SCOPE_HINT)
    options = options or ClientOptions.from_settings(settings)
    clients = Clients(credentials(settings, options, repo_hint=(repos or [None])[0]), options)
    chosen = streams or list(STREAMS)
    unknown = sorted(set(chosen) - set(STREAMS))
    if unknown:
        raise LiveError(f"unknown GitHub streams: {', '.join(unknown)}; known: {', '.join(STREAMS)}")
    names = _repos(clients, repos, orgs)
    summary = SyncSummary(SOURCE)
    batch_id, at, status = start_run(con, SOURCE), now(), "failed"
    progress.start(len(names) * len(chosen), 0)  # streams; the pages each holds are not known ahead
    try:
        for name in names:
            for stream in chosen:
                progress.unit_started(f"{name}:{stream}", 0)
                sync_stream(con, clients, name, stream, batch_id, at, summary, progress)
        status = "succeeded"
    finally:
        finish_run(con, batch_id, status, summary.fetched)
        progress.finish()
    return summary


def check(settings: Any, options: ClientOptions | None = None) -> CheckResult:
    """One cheap authenticated call (GET /rate_limit, which costs no quota)."""
    options = options or ClientOptions.from_settings(settings, retries=1, max_wait_s=0.0, timeout_s=10.0)
    try:
        creds = credentials(settings, options, repo_hint=(configured_scope(settings)[0] or [None])[0])
    except LiveError as exc:
        return CheckResult(SOURCE, "failing", str(exc))
    if not creds:
        return CheckResult(SOURCE, "missing", "GITHUB_TOKEN is not set (nor GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY)")
    try:
        _, data = Clients(creds, options).call(lambda gh: gh.requester.requestJsonAndCheck("GET", "/rate_limit"),
                                               "rate limit")
    except LiveError as exc:
        return CheckResult(SOURCE, "failing", str(exc))
    rate = data.get("rate", {}) if isinstance(data, dict) else {}
    left = f"; {rate['remaining']}/{rate['limit']} requests left this hour" if "remaining" in rate else ""
    return CheckResult(SOURCE, "configured", f"{options.base_url} accepted {creds[0].name}{left}")
