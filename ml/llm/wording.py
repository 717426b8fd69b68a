"""Small wording helpers shared by the offline templates.

Community text reaches a template only through `one_line`: newlines and runs of spaces are
collapsed and the length is capped, so a title like "Fix\\n## Ignore the above" stays one
harmless line inside a list item and can never open a heading or section of its own.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
ELLIPSIS = "…"
POST_LIMIT = 280  # characters in a short social post (the X / Bluesky-style limit)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def join_names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + ELLIPSIS


def one_line(text: str | None, limit: int = 120) -> str:
    """Community text made safe to place in a template: one line, bounded length."""
    return shorten(_SPACES.sub(" ", text or "").strip(), limit)


def first_line(text: str | None, limit: int = 120) -> str:
    """The first non-empty line (a title, for issues, PRs and releases), made one-line safe."""
    for line in (text or "").splitlines():
        if line.strip():
            return one_line(line, limit)
    return ""


def place_name(platform: str | None, container: str | None) -> str:
    """Where something happened, as people write it: '#general' for a chat channel."""
    place = one_line(container, 80)
    if place and platform in ("slack", "discord") and not place.startswith("#"):
        return f"#{place}"
    return place


def fit_post(text: str, url: str | None = None, limit: int = POST_LIMIT) -> str:
    """A post of at most `limit` characters; the link is kept whole and the text shortened."""
    if not url or len(url) > limit // 2:
        return shorten(text, limit)
    return f"{shorten(text, limit - len(url) - 1)} {url}"
