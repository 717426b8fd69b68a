"""Where and since when: a channel or repo, a platform, a release tag named in a question.

Names are only ever *looked up*: the warehouse's own containers and release tags are read
with fixed SQL and compared with the question in Python; what gets bound to a metric query
is the warehouse's value, never the user's spelling. A name that matches nothing is an
honest "I don't know that channel" rather than a silent count over everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb

from bots.answer.periods import Period

PLATFORMS = ("github", "slack", "discord", "discourse", "git")
_PLATFORM = re.compile(r"\b(?:on|in|from|via)\s+(github|slack|discord|discourse|git)\b")
_HASHTAG = re.compile(r"(?<![\w&])#([a-z0-9][\w.-]*)")
_SINCE = re.compile(r"\bsince\s+(?:the\s+|release\s+|version\s+)?(v?\d+(?:\.\d+){0,3}(?:[-+][\w.]+)?)(?![\w.])")
_SINCE_LAST = re.compile(r"\bsince\s+(?:the\s+)?(?:last|latest|previous|most\s+recent)\s+release\b")

CONTAINERS_SQL = (
    "select distinct container from marts.fct_activities "
    "where container is not null and not coalesce(is_bot, false)"
)
RELEASES_SQL = (
    "select coalesce(nullif(regexp_extract(url, '/releases/tag/([^/?#]+)', 1), ''), "
    "split_part(text, chr(10), 1)) as tag, occurred_at from marts.fct_activities "
    "where activity_type = 'release' order by occurred_at"
)


class UnknownName(LookupError):
    """The question names a channel, repo or release the warehouse does not know."""


@dataclass(frozen=True)
class Scope:
    container: str | None = None
    platform: str | None = None

    @property
    def phrase(self) -> str:
        parts = []
        if self.container:
            parts.append(f"in {'#' if '/' not in self.container else ''}{self.container}")
        if self.platform:
            parts.append(f"on {self.platform.capitalize() if self.platform != 'github' else 'GitHub'}")
        return " ".join(parts)


def _mentions(text: str, name: str) -> bool:
    """`name` as a channel/repo reference: `#name`, `owner/name`, or beside "channel"/"repo"."""
    escaped = re.escape(name)
    if "/" in name:
        short = re.escape(name.split("/", 1)[1])
        return bool(re.search(rf"(?<![\w/-]){escaped}(?![\w/-])", text)
                    or re.search(rf"\b{short}\s+(?:repo|repository)\b", text)
                    or re.search(rf"\b(?:repo|repository)\s+{short}(?![\w/-])", text))
    return bool(re.search(rf"(?<![\w&])#{escaped}(?![\w-])", text)
                or re.search(rf"(?<![\w#-]){escaped}\s+(?:channel|category|forum)\b", text)
                or re.search(rf"\b(?:channel|category)\s+#?{escaped}(?![\w-])", text))


def find_scope(question: str, con: duckdb.DuckDBPyConnection) -> Scope:
    """The container and platform a question names (validated), or raise UnknownName."""
    text = question.lower()
    platform_match = _PLATFORM.search(text)
    platform = platform_match.group(1) if platform_match else None
    containers = [row[0] for row in con.execute(CONTAINERS_SQL).fetchall()]
    # longest first, so "convene-labs/convene-docs" wins over "convene-labs/convene"
    found = next((c for c in sorted(containers, key=len, reverse=True) if _mentions(text, c.lower())), None)
    if found is None:
        tag = _HASHTAG.search(text)
        if tag and not tag.group(1).isdigit():
            raise UnknownName(f"I don't know a channel called #{tag.group(1)}.")
    return Scope(container=found, platform=platform)


def wants_release(question: str) -> bool:
    text = question.lower()
    return bool(_SINCE.search(text) or _SINCE_LAST.search(text))


def _normalized_tag(tag: str) -> str:
    parts = tag.lower().strip().removeprefix("v").split(".")
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


def release_period(question: str, con: duckdb.DuckDBPyConnection, today: date) -> Period:
    """"since v2.0" → from that release's publication to today; UnknownName if no such tag."""
    text = question.lower()
    releases = [(tag.strip(), at) for tag, at in con.execute(RELEASES_SQL).fetchall() if tag]
    if not releases:
        raise UnknownName("I don't know any release: none is recorded in the warehouse.")
    if _SINCE_LAST.search(text):
        tag, at = releases[-1]
    else:
        wanted = _SINCE.search(text).group(1)
        exact = [r for r in releases if r[0].lower() == wanted]
        loose = [r for r in releases if _normalized_tag(r[0]) == _normalized_tag(wanted)]
        if not (exact or loose):
            known = ", ".join(tag for tag, _ in releases[-5:])
            raise UnknownName(f"I don't know a release called {wanted} (recent ones: {known}).")
        tag, at = (exact or loose)[0]
    start = at if isinstance(at, datetime) else datetime.combine(at, datetime.min.time())
    end = datetime.combine(today + timedelta(days=1), datetime.min.time())
    return Period(start, end, f"since {tag}")
