"""Discourse `cooked` HTML → readable text for raw_discourse.posts.text.

The text feeds search, sentiment and summaries, so it keeps what a reader sees: paragraphs,
list items, link text, code blocks (fenced, indentation intact) and quotes (`> ` lines under
the quoted user's name). Discourse chrome — avatars, quote controls, image metadata, icons —
is dropped; an image becomes `[image]`, an emoji its `:name:`, a link preview its URL.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

BLOCKS = {"p", "div", "blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
          "details", "summary", "header", "article", "aside", "section", "hr", "figure"}
DROP_CLASSES = {"quote-controls", "meta", "avatar", "onebox-avatar", "site-icon", "informations"}
DROP_TAGS = {"svg", "script", "style", "noscript"}
_SPACES = re.compile(r"[ \t\r\f\v\n]+")
_CODE = "\x00{}\x00"


def _classes(tag: Tag) -> set[str]:
    return set(tag.get("class") or [])


def _code_block(pre: Tag, codes: list[str]) -> str:
    code = pre.find("code")
    lang = ""
    for cls in _classes(code) if isinstance(code, Tag) else ():
        if cls.startswith("lang-") and cls not in ("lang-auto", "lang-nohighlight", "lang-plaintext"):
            lang = cls[5:]
    codes.append(f"```{lang}\n{pre.get_text().rstrip()}\n```")
    return "\n\n" + _CODE.format(len(codes) - 1) + "\n\n"


def _quote(aside: Tag, codes: list[str]) -> str:
    inner = aside.find("blockquote") or aside
    text = _finish(_render(inner, codes), codes).strip()
    lines = [f"> {line}".rstrip() for line in text.split("\n")]
    who = aside.get("data-username")
    head = [f"> {who}:"] if who else []
    return "\n\n" + "\n".join(head + lines) + "\n\n"


def _onebox(aside: Tag) -> str:
    url = aside.get("data-onebox-src")
    if not url:
        link = aside.find("a", href=True)
        url = link["href"] if link else aside.get_text(" ", strip=True)
    return f"\n\n{url}\n\n"


def _render(node: Tag, codes: list[str]) -> str:
    out: list[str] = []
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            out.append(_SPACES.sub(" ", str(child)))
            continue
        if not isinstance(child, Tag) or child.name in DROP_TAGS or _classes(child) & DROP_CLASSES:
            continue
        classes = _classes(child)
        if child.name == "br":
            out.append("\n")
        elif child.name == "pre":
            out.append(_code_block(child, codes))
        elif child.name == "code":
            out.append(f"`{child.get_text()}`")
        elif child.name == "img":
            out.append((child.get("alt") or child.get("title") or "") if "emoji" in classes else "[image]")
        elif child.name == "aside" and "quote" in classes:
            out.append(_quote(child, codes))
        elif child.name == "aside" and "onebox" in classes:
            out.append(_onebox(child))
        elif "lightbox-wrapper" in classes:
            out.append("[image]")
        elif child.name == "li":
            out.append("\n- " + _render(child, codes).strip())
        elif child.name in ("td", "th"):
            out.append(_render(child, codes).strip() + " | ")
        elif child.name in BLOCKS:
            out.append("\n\n" + _render(child, codes) + "\n\n")
        else:
            out.append(_render(child, codes))
    return "".join(out)


def _finish(text: str, codes: list[str]) -> str:
    lines = [line.strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], text)


def cooked_to_text(cooked: str | None) -> str:
    if not cooked:
        return ""
    codes: list[str] = []
    soup = BeautifulSoup(cooked, "html.parser")
    return _finish(_render(soup, codes), codes)
