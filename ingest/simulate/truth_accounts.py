"""Every person's accounts on every platform, and the rule that links them in the written data.

The link rules are applied to the files' content, not to the plan: a Discord or Discourse
account is linked to a Slack user or GitHub login when its username and its full name both
equal theirs (Slack users.json `name` + `real_name`; a GitHub login + the author name of the
commits it pushed), compared lower-cased with whitespace collapsed. Git emails (after
.mailmap) are the commit emails GitHub already links by, so they need no new rule. The
planted people must be recovered exactly: a match with someone else's account is a bug.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from ingest.simulate.community import Community
from ingest.simulate.git_history import GitHistory
from ingest.simulate.people import Person
from ingest.simulate.slack_export import SlackExport

LINK_RULE = "username+name"


def normalize(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=None)


def github_names(events: list[dict]) -> dict[str, set[str]]:
    """login (lower-cased) → normalized author names of the commits that login pushed."""
    out: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if e["type"] == "PushEvent":
            for c in e["payload"]["commits"]:
                out[e["actor"]["login"].lower()].add(normalize(c["author"]["name"]))
    return out


def username_index(events: list[dict], slack: SlackExport) -> dict[tuple[str, str], set[str]]:
    """(username, full name) → the Slack and GitHub accounts carrying both."""
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for user in slack.users:
        if not user["is_bot"]:
            index[(normalize(user["name"]), normalize(user["real_name"]))].add(f"slack:{user['id']}")
    for login, found in github_names(events).items():
        for name in found:
            index[(login, name)].add(f"github:{login}")
    return index


def platform_people(people: list[Person], community: Community | None, events: list[dict], slack: SlackExport,
                    history: GitHistory | None) -> list[dict]:
    index = username_index(events, slack)
    emails: dict[str, set[str]] = defaultdict(set)
    raw: dict[str, set[str]] = defaultdict(set)
    by_key = {p.key: p for p in people}
    if history is not None:
        for c in history.commits:
            emails[c.person].add(history.mailmap.get(c.author[1], c.author[1]))
            raw[c.person].add(c.author[1])
            for key in c.co_authors:  # a Co-authored-by trailer names the person's commit email
                emails[key].add(by_key[key].commit_email)
                raw[key].add(by_key[key].commit_email)
    out = []
    for p in sorted(people, key=lambda p: p.key):
        own = {a for a in (f"slack:{p.slack_id}" if p.slack_id else None,
                           f"github:{p.github_login.lower()}" if p.github_login else None) if a}
        row = {"person_key": p.key, "display_name": p.display_name, "role": p.role, "is_bot": p.is_bot,
               "github_login": p.github_login, "slack_user_id": p.slack_id,
               "discord_user_id": None, "discord_username": None, "discourse_user_id": None, "discourse_username": None,
               "git_emails": sorted(emails.get(p.key, ())), "git_raw_emails": sorted(raw.get(p.key, ())),
               "link_rules": {}}
        for platform in ("discord", "discourse"):
            account = (community.discord if platform == "discord" else community.discourse).get(p.key) if community else None
            if account is None:
                continue
            row[f"{platform}_user_id"] = account.user_id
            row[f"{platform}_username"] = account.username
            name = account.nickname if platform == "discord" else account.name
            found = index.get((normalize(account.username), normalize(name)), set()) if not p.is_bot else set()
            if found - own:
                raise AssertionError(f"{platform} account of {p.key} matches another person's accounts: {sorted(found - own)}")
            row["link_rules"][platform] = LINK_RULE if found else None
        row["platforms"] = [name for name, present in (
            ("github", p.github_login), ("slack", p.slack_id), ("discord", row["discord_user_id"]),
            ("discourse", row["discourse_user_id"] is not None), ("git", row["git_emails"])) if present]
        out.append(row)
    return out
