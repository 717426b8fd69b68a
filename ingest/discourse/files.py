"""Discourse API JSON responses saved as files → raw_discourse users / categories / topics / posts.

One format, `discourse-json`, recognised by a Discourse-only key near the top of a `.json`
file; the reader then goes by the top-level keys:
- `/t/<slug>/<id>.json`  `{post_stream: {posts}, id, title, …}` → topic, posts, post authors;
- `/latest.json`         `{topic_list: {topics}, users}`          → topics, users;
- `/posts.json`          `{latest_posts}`                          → posts, post authors;
- `/categories.json`     `{category_list: {categories}}`          → categories (+ subcategories);
- `/u/<username>.json`   `{user}`                                  → the user.
API pages are small (Discourse pages at 20–50 items), so a file is parsed whole; a truncated
one is salvaged element by element up to the break.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from ingest.core.records import Record, Rejected
from ingest.core.units import Format, Unit, file_sha256
from ingest.discourse.records import (
    category_records,
    dump,
    post_author,
    post_record,
    topic_record,
    user_record,
)

SNIFF_BYTES = 64 * 1024
_MARKERS = re.compile(rb'"(post_stream|topic_list|latest_posts|category_list)"\s*:')
_USER = re.compile(rb'"user"\s*:\s*\{')
_ARRAYS = re.compile(r'"(posts|topics|latest_posts|categories)"\s*:\s*\[')
_BAD_UTF8 = re.compile(r"[\udc80-\udcff]")
ARRAY_PATHS = {"posts": "post_stream.posts", "topics": "topic_list.topics",
               "latest_posts": "latest_posts", "categories": "category_list.categories"}
KINDS = {"post_stream", "topic_list", "latest_posts", "category_list", "users", "user"}
_DECODER = json.JSONDecoder()
_WS = re.compile(r"\s*")


def looks_like_discourse(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() != ".json":
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return False
    return bool(_MARKERS.search(head)) or (bool(_USER.search(head)) and b'"avatar_template"' in head)


class _Emitter:
    """Checks each record for bad bytes and repeated keys; post authors are gathered once each."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}
        self.authors: dict[str, Record] = {}

    def __call__(self, item: Record | Rejected) -> Record | Rejected:
        if isinstance(item, Rejected):
            return item
        if _BAD_UTF8.search(item.payload):
            return Rejected(item.location, "invalid UTF-8 in record", item.payload)
        key = (item.table, "/".join(str(item.columns[k]) for k in _keys(item.table)))
        first = self.seen.setdefault(key, item.location)
        if first != item.location:
            return Rejected(item.location, f"duplicate {item.table} id {key[1]} (first at {first})", item.payload)
        return item

    def post(self, post: object, location: str, topic_id: str | None = None) -> Record | Rejected:
        item = self(post_record(post, location, topic_id))
        if isinstance(item, Record):
            author = post_author(post, f"{location[:-1]}.user]")
            if author is not None and not _BAD_UTF8.search(author.payload):
                self.authors.setdefault(author.columns["user_id"], author)
        return item

    def users(self) -> Iterator[Record]:
        for user_id, record in self.authors.items():
            if ("raw_discourse.users", user_id) not in self.seen:
                yield record


def _keys(table: str) -> tuple[str, ...]:
    return {"raw_discourse.posts": ("post_id",), "raw_discourse.topics": ("topic_id",),
            "raw_discourse.users": ("user_id",), "raw_discourse.categories": ("category_id",)}[table]


def _list(data: dict, outer: str, inner: str | None, path: Path) -> tuple[list, str] | Rejected:
    container = data.get(outer)
    where = f"{path}[{outer}]"
    if inner is not None:
        if not isinstance(container, dict):
            return Rejected(where, f"'{outer}' is not an object", dump(container))
        container, where = container.get(inner), f"{path}[{outer}.{inner}]"
    if not isinstance(container, list):
        return Rejected(where, "not an array", dump(container))
    return container, where[:-1]


def _records(data: dict, path: Path) -> Iterator[Record | Rejected]:
    if not KINDS & data.keys():
        yield Rejected(str(path), f"no Discourse content at the top level (expected one of {sorted(KINDS)})",
                       dump(sorted(data))[:4000])
        return
    emit = _Emitter()
    if "post_stream" in data:
        found = _list(data, "post_stream", "posts", path)
        if "title" in data or "created_at" in data:  # a full topic, not a bare /t/<id>/posts.json chunk
            yield emit(topic_record(data, f"{path}[topic]"))
        topic_id = str(data["id"]) if isinstance(data.get("id"), (int, str)) else None
        yield from _each(found, lambda post, where: emit.post(post, where, topic_id))
    if "topic_list" in data:
        yield from _each(_list(data, "topic_list", "topics", path), lambda t, where: emit(topic_record(t, where)))
    if "latest_posts" in data:
        yield from _each(_list(data, "latest_posts", None, path), emit.post)
    if "category_list" in data:
        found = _list(data, "category_list", "categories", path)
        yield from _each(found, lambda c, where: [emit(r) for r in category_records(c, where)])
    if isinstance(data.get("users"), list):
        yield from _each((data["users"], f"{path}[users"), lambda u, where: emit(user_record(u, where)))
    if isinstance(data.get("user"), dict):
        yield emit(user_record(data["user"], f"{path}[user]"))
    yield from emit.users()


def _each(found, build) -> Iterator[Record | Rejected]:
    if isinstance(found, Rejected):
        yield found
        return
    items, prefix = found
    for index, obj in enumerate(items):
        result = build(obj, f"{prefix}.{index}]")
        yield from result if isinstance(result, list) else (result,)


def _salvage(text: str, path: Path, error: json.JSONDecodeError) -> Iterator[Record | Rejected]:
    """A broken file: land the complete elements of its main array that precede the break."""
    yield Rejected(str(path), f"invalid or truncated JSON: {error.msg} (line {error.lineno}, column {error.colno})")
    found = _ARRAYS.search(text)
    if not found:
        return
    emit, key, pos, index = _Emitter(), found.group(1), found.end(), 0
    prefix = f"{path}[{ARRAY_PATHS[key]}"
    while True:
        pos = _WS.match(text, pos).end()
        if text.startswith("]", pos):
            break
        try:
            obj, pos = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError:
            yield Rejected(f"{prefix}.{index}]", "element cut off by the break", text[pos:pos + 4000])
            break
        where = f"{prefix}.{index}]"
        if key in ("posts", "latest_posts"):
            yield emit.post(obj, where)
        elif key == "topics":
            yield emit(topic_record(obj, where))
        else:
            yield from (emit(r) for r in category_records(obj, where))
        index += 1
        pos = _WS.match(text, pos).end()
        if not text.startswith(",", pos):
            break
        pos += 1
    yield from emit.users()


def read_discourse(path: Path) -> Iterator[Record | Rejected]:
    """Every record of one file; quarantined text has invalid bytes shown as U+FFFD."""
    for item in _read(path):
        if isinstance(item, Rejected) and item.raw_text and _BAD_UTF8.search(item.raw_text):
            item = Rejected(item.location, item.reason, _printable(item.raw_text))
        yield item


def _printable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _read(path: Path) -> Iterator[Record | Rejected]:
    text = path.read_bytes().decode("utf-8", "surrogateescape").lstrip("\ufeff")
    if not text.strip():
        yield Rejected(str(path), "empty file")
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield from _salvage(text, path, exc)
        return
    if not isinstance(data, dict):
        yield Rejected(str(path), f"top level is a JSON {type(data).__name__}, not an object", text[:4000])
        return
    yield from _records(data, path)


def discourse_units(path: Path) -> list[Unit]:
    files = [path] if not path.is_dir() else sorted(
        f for f in path.rglob("*.json") if looks_like_discourse(f))
    return [Unit(str(f.resolve()), f"discourse:{f.resolve().parent.name}", f.stat().st_size,
                 partial(file_sha256, f), partial(read_discourse, f), "discourse-json") for f in files]


FORMATS = [Format("discourse-json", looks_like_discourse, discourse_units)]
