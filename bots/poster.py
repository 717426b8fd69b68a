"""What every chat adapter offers the rest of the product: post a notice to a channel.

Alerts (and anything else that speaks unprompted) build a platform-neutral `Notice`; each
adapter (`bots/slack/poster.py`, the Discord one) renders it its own way — Block Kit, an
embed — and posts it. Logic that decides *what* to say never learns which platform it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Notice:
    """A message with a title, a body, links to its evidence and an optional footnote."""

    title: str
    text: str
    links: tuple[tuple[str, str], ...] = ()  # (label, url)
    footnote: str | None = None  # e.g. which mart and week the figure comes from

    @property
    def plain(self) -> str:
        """The notice as plain text: the notification fallback every platform needs."""
        lines = [self.title, self.text]
        lines += [f"{label}: {url}" for label, url in self.links]
        if self.footnote:
            lines.append(self.footnote)
        return "\n".join(line for line in lines if line)


@runtime_checkable
class Poster(Protocol):
    """A chat platform that can post a notice; `platform` prefixes destinations (`slack:C123`)."""

    platform: str

    def post(self, channel: str, notice: Notice, thread: str | None = None) -> str:
        """Post `notice` to `channel` (a channel id, or a user id for a DM); return its message id."""
        ...


def parse_destination(destination: str) -> tuple[str, str]:
    """`slack:C123` → ("slack", "C123"); a clear error for anything else."""
    platform, sep, channel = destination.partition(":")
    if not sep or not platform or not channel:
        raise ValueError(
            f"destination {destination!r}: expected PLATFORM:CHANNEL, e.g. slack:C0123456"
        )
    return platform.strip().lower(), channel.strip()
