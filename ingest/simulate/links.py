"""The identity rules of docs/CONTRACTS.md, applied to the emitted data.

A Slack user and a GitHub login are one person when a commit pushed by that login carries
the Slack profile's email (lower-cased, trimmed), or when the Slack title contains
`github.com/<login>`. The ground truth reports the rule that the written data actually
supports, and the tests check these rules recover exactly the planted people.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ingest.simulate.slack_export import SlackExport

TITLE_LOGIN = re.compile(r"github\.com/([A-Za-z0-9-]+)")


def normalize_email(email: str | None) -> str:
    return (email or "").strip().lower()


def commit_emails(events: list[dict]) -> dict[str, set[str]]:
    """login (lower-cased) → emails of commits in pushes by that actor."""
    out: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e["type"] == "PushEvent":
            for commit in e["payload"]["commits"]:
                out[e["actor"]["login"].lower()].add(normalize_email(commit["author"]["email"]))
    return out


def resolve(events: list[dict], users: list[dict]) -> dict[str, dict[str, str]]:
    """Slack user id → {login: rule} for every login the rules link it to."""
    by_email: dict[str, set[str]] = defaultdict(set)
    for login, emails in commit_emails(events).items():
        for email in emails:
            by_email[email].add(login)
    links: dict[str, dict[str, str]] = {}
    for user in users:
        profile = user.get("profile") or {}
        found: dict[str, str] = {}
        for login in TITLE_LOGIN.findall(profile.get("title") or ""):
            found[login.lower()] = "title"
        for login in sorted(by_email.get(normalize_email(profile.get("email")), ())):
            found[login] = "email"
        if found:
            links[user["id"]] = dict(sorted(found.items()))
    return links


def link_rules(events: list[dict], export: SlackExport) -> dict[tuple[str, str], str]:
    """(slack user id, login) → the rule that links them."""
    return {(user, login): rule for user, logins in resolve(events, export.users).items() for login, rule in logins.items()}
