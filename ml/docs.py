"""A project's own documentation as knowledge documents, one chunk per section.

Answers are best grounded in the docs, and a retrieved passage is only useful if it is
about one thing and says where it sits: so Markdown and reStructuredText files are cut at
their headings, each chunk keeps its heading path ("Install > Linux > Proxy") at the top of
its text, and sections longer than `max_chars` are split at paragraph boundaries. Headings
inside fenced code blocks are code, not structure, and are left alone.

Configured in `codeconvene.yaml`:

    docs: ./docs                      # a folder (e.g. the docs/ folder of a git checkout)
    # or
    docs: {path: ./docs, base_url: https://example.org/docs/}

Chunk URLs are `base_url` + the file's relative path + `#anchor` when a base URL is set,
else the file's `file://` URL, so a citation always opens the source.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ml.knowledge_sources import Document

SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".mdx": "markdown", ".rst": "rst"}
MAX_CHARS = 1500
SKIP_DIRS = {".git", "node_modules", "_build", "site", ".venv", "__pycache__"}
_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RST_ADORNMENT = re.compile(r"^([=\-~^\"'`#*+:._])\1{2,}\s*$")


@dataclass(frozen=True)
class DocsSource:
    path: Path
    base_url: str | None = None


@dataclass(frozen=True)
class Section:
    headings: tuple[str, ...]
    body: str


def docs_source(config: Mapping[str, Any], cwd: Path | None = None) -> DocsSource | None:
    """The `docs:` entry of codeconvene.yaml (a path or {path, base_url}); None if absent."""
    entry = config.get("docs")
    if not entry:
        return None
    raw, base_url = (entry, None) if isinstance(entry, str) else (entry.get("path"), entry.get("base_url"))
    if not raw:
        raise ValueError("codeconvene.yaml: `docs` needs a path")
    path = Path(str(raw)).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    return DocsSource(path=path.resolve(), base_url=base_url)


def slugify(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def markdown_sections(text: str) -> list[Section]:
    """Sections of a Markdown file under their ATX or setext heading path."""
    path: list[tuple[int, str]] = []
    sections: list[Section] = []
    body: list[str] = []
    fence: str | None = None

    def flush() -> None:
        sections.append(Section(tuple(h for _, h in path), "\n".join(body).strip()))
        body.clear()

    def open_heading(level: int, title: str) -> None:
        flush()
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, title.strip()))

    for line in _without_front_matter(text).splitlines():
        marker = _FENCE.match(line)
        if marker:
            fence = None if fence and marker.group(1)[0] == fence[0] else (fence or marker.group(1))
        if fence is None and not marker and (atx := _ATX.match(line)):
            open_heading(len(atx.group(1)), atx.group(2))
            continue
        setext = _SETEXT.match(line) if fence is None and not marker else None
        if setext and body and body[-1].strip() and not _is_list_or_table(body[-1]):
            title = body.pop()
            open_heading(1 if setext.group(1)[0] == "=" else 2, title)
            continue
        body.append(line)
    flush()
    return [s for s in sections if s.body]


def _without_front_matter(text: str) -> str:
    """Drop a leading YAML front-matter block (its closing `---` is not a setext heading)."""
    match = re.match(r"\A---\s*\n.*?\n---\s*\n", text, re.DOTALL)
    return text[match.end():] if match else text


def _is_list_or_table(line: str) -> bool:
    return bool(re.match(r"^\s*([-*+]|\d+\.)\s|^\s*\|", line))


def rst_sections(text: str) -> list[Section]:
    """Sections of an RST file; levels follow the order adornment styles first appear."""
    lines = text.splitlines()
    styles: list[tuple[str, bool]] = []
    path: list[tuple[int, str]] = []
    sections: list[Section] = []
    body: list[str] = []
    i = 0
    while i < len(lines):
        heading = _rst_heading(lines, i)
        if heading is None:
            body.append(lines[i])
            i += 1
            continue
        title, style, i = heading
        if style not in styles:
            styles.append(style)
        level = styles.index(style) + 1
        sections.append(Section(tuple(h for _, h in path), "\n".join(body).strip()))
        body = []
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, title))
    sections.append(Section(tuple(h for _, h in path), "\n".join(body).strip()))
    return [s for s in sections if s.body]


def _rst_heading(lines: list[str], i: int) -> tuple[str, tuple[str, bool], int] | None:
    """(title, (adornment char, has overline), next line) when a section title starts at i."""
    def adornment(k: int) -> str | None:
        return lines[k].strip() if k < len(lines) and _RST_ADORNMENT.match(lines[k]) else None

    over = adornment(i)
    if over and i + 2 < len(lines) and lines[i + 1].strip() and adornment(i + 2) == over:
        return lines[i + 1].strip(), (over[0], True), i + 3
    title = lines[i].strip()
    under = adornment(i + 1)
    if title and not over and under and len(under) >= len(title) and (i == 0 or not lines[i - 1].strip()):
        return title, (under[0], False), i + 2
    return None


def split_body(body: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Paragraph-aligned pieces of at most `max_chars` (a longer paragraph is cut hard)."""
    pieces: list[str] = []
    current = ""
    for paragraph in re.split(r"\n\s*\n", body):
        paragraph = paragraph.strip()
        while len(paragraph) > max_chars:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(paragraph[:max_chars])
            paragraph = paragraph[max_chars:]
        if current and len(current) + 2 + len(paragraph) > max_chars:
            pieces.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    if current:
        pieces.append(current)
    return [p for p in pieces if p.strip()]


def chunk_file(path: Path, root: Path, base_url: str | None = None,
               max_chars: int = MAX_CHARS) -> list[Document]:
    """One `doc` document per section piece, its text led by the heading path."""
    kind = SUFFIXES[path.suffix.lower()]
    text = path.read_text(encoding="utf-8", errors="replace")
    sections = markdown_sections(text) if kind == "markdown" else rst_sections(text)
    relative = path.relative_to(root).as_posix()
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    docs = []
    seen: Counter[str] = Counter()
    for section in sections:
        heading_path = " > ".join(section.headings)
        seen[heading_path] += 1
        anchor = slugify(section.headings[-1]) if section.headings else ""
        for n, piece in enumerate(split_body(section.body, max_chars)):
            key = hashlib.sha1(f"{heading_path}|{seen[heading_path]}|{n}".encode()).hexdigest()[:12]
            docs.append(Document(
                id=f"doc:{relative}#{key}",
                kind="doc",
                text=f"{heading_path}\n\n{piece}" if heading_path else piece,
                url=_url(path, relative, anchor, base_url),
                occurred_at=modified,
                platform="docs",
            ))
    return docs


def _url(path: Path, relative: str, anchor: str, base_url: str | None) -> str:
    fragment = f"#{anchor}" if anchor else ""
    if base_url:
        return f"{base_url.rstrip('/')}/{relative}{fragment}"
    return f"{path.resolve().as_uri()}{fragment}"


def doc_files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUFFIXES \
                and not SKIP_DIRS.intersection(path.relative_to(root).parts):
            yield path


def docs_documents(source: DocsSource | None, max_chars: int = MAX_CHARS) -> list[Document]:
    """Every chunk of every Markdown/RST file under the configured docs folder."""
    if source is None:
        return []
    if not source.path.exists():
        raise FileNotFoundError(f"docs folder {source.path} does not exist (codeconvene.yaml `docs`)")
    root = source.path if source.path.is_dir() else source.path.parent
    return [doc for path in doc_files(source.path)
            for doc in chunk_file(path, root, source.base_url, max_chars)]
