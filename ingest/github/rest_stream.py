"""Stream the top-level JSON values of a REST dump without loading the file whole.

A dump is either a JSON array (or `gh api --paginate`'s concatenated arrays `[…][…]`),
yielded element by element as `path[index]`, or JSON lines / concatenated objects, yielded
value by value as `path:line`. `ijson` is not in our environment, so this walks the text
with `json.JSONDecoder.raw_decode` over a sliding window: memory stays bounded by the
largest single record (capped at MAX_VALUE_CHARS, above the contract's payload limit).

A broken JSON line costs only itself (we resume at the next line); a syntax error inside an
array costs the rest of that array, because there is no safe place to resume. Invalid
UTF-8 is decoded with `surrogateescape` so it costs only the record that holds it.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ingest.core.records import Rejected

CHUNK = 1 << 20
MAX_VALUE_CHARS = 9 * 1024 * 1024
RAW_LIMIT = 4_000
_WS = re.compile(r"[ \t\n\r]*")
_BAD_UTF8 = re.compile("[\udc80-\udcff]")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Value:
    """One top-level JSON value, where it was, and its text (for quarantine messages)."""

    location: str
    value: object
    raw: str


class _Bad(ValueError):
    """A value that cannot be decoded however much more of the file is read."""


def readable(raw: str) -> str:
    """Text safe to store: escaped invalid bytes come back as U+FFFD."""
    return raw[:RAW_LIMIT].encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class _Window:
    """`buf[pos:]` is unread text; `line` is the 1-based line number at `pos`."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False

    def more(self, size: int | None = None) -> bool:
        if self.eof:
            return False
        data = self.handle.read(size or CHUNK)
        self.eof = not data
        if self.pos > CHUNK:
            self.buf, self.pos = self.buf[self.pos:], 0
        self.buf += self.decoder.decode(data, final=self.eof)
        return True

    def advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to

    def peek(self) -> str:
        """The next non-blank character ('' at the end of the file)."""
        while True:
            self.advance(_WS.match(self.buf, self.pos).end())
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos:self.pos + 1]

    def decode(self) -> tuple[object, int]:
        """The next value and where it ends; reads on while the value may be incomplete."""
        self.peek()
        size = CHUNK
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
                # a number at the window's edge may continue in the next chunk
                if end < len(self.buf) or self.eof:
                    return value, end
            except json.JSONDecodeError as exc:
                if self.eof or len(self.buf) - self.pos >= MAX_VALUE_CHARS:
                    raise _Bad(self._reason(exc)) from None
            except RecursionError:
                raise _Bad("JSON nested too deeply") from None
            self.more(size)
            size = min(size * 2, MAX_VALUE_CHARS)

    def _reason(self, exc: json.JSONDecodeError) -> str:
        line_end = self.buf.find("\n", self.pos)
        stop = len(self.buf) if line_end < 0 else max(line_end, exc.pos + 1)
        if _BAD_UTF8.search(self.buf, self.pos, stop):
            return "invalid UTF-8"
        line = self.line + self.buf.count("\n", self.pos, exc.pos)
        if exc.pos >= len(self.buf):
            return f"invalid JSON: the file ends inside a value (truncated?) at line {line}"
        column = exc.pos - self.buf.rfind("\n", 0, exc.pos)
        return f"invalid JSON at line {line} column {column}: {exc.msg}"

    def skip_line(self) -> str:
        """Drop the rest of the current line (a broken JSON line); returns its start."""
        kept = ""
        while True:
            end = self.buf.find("\n", self.pos)
            if end >= 0:
                kept += self.buf[self.pos:end]
                self.advance(end + 1)
                return kept[:RAW_LIMIT]
            kept = (kept + self.buf[self.pos:])[:RAW_LIMIT]
            self.pos = len(self.buf)
            if not self.more():
                return kept


def _value(window: _Window, location: str, value: object, end: int) -> Value | Rejected:
    raw = window.buf[window.pos:end]
    window.advance(end)
    if _BAD_UTF8.search(raw):
        return Rejected(location, "invalid UTF-8 in the record", readable(raw))
    return Value(location, value, raw)


def iter_values(handle: BinaryIO, name: str) -> Iterator[Value | Rejected]:
    """Every top-level value of the dump in `handle`; `name` prefixes the locations."""
    window = _Window(handle)
    window.more()
    if window.buf.startswith("\ufeff"):
        window.pos = 1
    first = window.peek()
    if not first:
        yield Rejected(name, "empty file: no JSON value")
    elif first == "[":
        yield from _arrays(window, name)
    else:
        yield from _lines(window, name)


def _arrays(window: _Window, name: str) -> Iterator[Value | Rejected]:
    index = 0
    while True:
        window.advance(window.pos + 1)  # the '['
        closed = window.peek() == "]"
        while not closed:
            location = f"{name}[{index}]"
            try:
                value, end = window.decode()
            except _Bad as bad:
                yield Rejected(location, f"{bad}; the rest of the array was not read",
                               readable(window.buf[window.pos:window.pos + RAW_LIMIT]))
                return
            yield _value(window, location, value, end)
            index += 1
            separator = window.peek()
            if separator == ",":
                window.advance(window.pos + 1)
            elif separator == "]":
                closed = True
            else:
                found = f"found {separator!r}" if separator else "the file ends (truncated?)"
                yield Rejected(f"{name}[{index}]", f"expected ',' or ']' after an element, {found}",
                               readable(window.buf[window.pos:window.pos + RAW_LIMIT]))
                return
        window.advance(window.pos + 1)  # the ']'
        following = window.peek()
        if not following:
            return
        if following != "[":
            yield Rejected(f"{name}:{window.line}", "unexpected content after the closing ']'",
                           readable(window.buf[window.pos:window.pos + RAW_LIMIT]))
            return


def _lines(window: _Window, name: str) -> Iterator[Value | Rejected]:
    while window.peek():
        location = f"{name}:{window.line}"
        try:
            value, end = window.decode()
        except _Bad as bad:
            yield Rejected(location, str(bad), readable(window.skip_line()))
            continue
        yield _value(window, location, value, end)
