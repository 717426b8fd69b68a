"""Read one big top-level JSON object without loading it: small members whole, one array lazily.

DiscordChatExporter writes a channel as `{"guild": …, "channel": …, "messages": [ … ]}`, and a
busy channel makes that file gigabytes long. `ijson` is not in the environment, so this is a
small pull parser on top of `json.JSONDecoder.raw_decode`: it decodes one array element at a
time from a sliding text buffer, so memory stays at one element plus one read chunk.

A broken element does not end the file: the parser skips ahead to the next element start it
can recognise (`resync`), so the records after a corrupt one still land.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

CHUNK = 1 << 20
MAX_ELEMENT_CHARS = 64 << 20
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class JsonStreamError(ValueError):
    """The text is not the JSON it should be; `at` is the character offset in the file.

    `truncated`: the file ended early. `reported`: already yielded as a `Broken` element, so
    the caller should not report it a second time.
    """

    def __init__(self, message: str, at: int, truncated: bool = False, reported: bool = False) -> None:
        super().__init__(message)
        self.at = at
        self.truncated = truncated
        self.reported = reported


@dataclass(frozen=True)
class Member:
    """A top-level member decoded whole (`index` None), or one element of the streamed array."""

    key: str
    value: Any
    raw: str
    index: int | None = None


@dataclass(frozen=True)
class Broken:
    """An element of the streamed array that could not be decoded; `raw` is the skipped text."""

    key: str
    index: int
    reason: str
    raw: str
    is_element: bool = True  # False: stray text between two elements, not a lost element


class _Buffer:
    def __init__(self, handle: TextIO) -> None:
        self.handle = handle
        self.text = ""
        self.pos = 0
        self.base = 0  # file offset of text[0]
        self.eof = False

    def compact(self) -> None:
        """Drop consumed text; only called between elements, so saved positions stay valid."""
        if self.pos > CHUNK:
            self.base += self.pos
            self.text = self.text[self.pos:]
            self.pos = 0

    def more(self, size: int | None = None) -> bool:
        if self.eof:
            return False
        chunk = self.handle.read(size or CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.text += chunk
        return True

    def offset(self) -> int:
        return self.base + self.pos

    def skip_ws(self) -> None:
        while True:
            self.pos = _WS.match(self.text, self.pos).end()
            if self.pos < len(self.text) or not self.more():
                return

    def peek(self) -> str:
        self.skip_ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, chars: str) -> str:
        char = self.peek()
        if not char:
            raise JsonStreamError(f"file ends where one of {chars!r} was expected", self.offset(), truncated=True)
        if char not in chars:
            raise JsonStreamError(f"expected one of {chars!r}, found {char!r}", self.offset())
        self.pos += 1
        return char

    def value(self) -> tuple[Any, str]:
        """Decode the value at the cursor, reading more text until it is complete."""
        self.skip_ws()
        read = CHUNK
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                ran_out = exc.pos >= len(self.text) - 8 or exc.msg.startswith("Unterminated string")
                if ran_out and len(self.text) - self.pos > MAX_ELEMENT_CHARS:
                    raise JsonStreamError(f"value longer than {MAX_ELEMENT_CHARS} characters", self.offset()) from None
                if ran_out and self.more(read):
                    read *= 2
                    continue
                if ran_out and self.eof:
                    raise JsonStreamError("file ends inside this value", self.base + exc.pos, truncated=True) from None
                raise JsonStreamError(f"invalid JSON: {exc.msg}", self.base + exc.pos) from None
            if end == len(self.text) and self.more(read):
                continue  # a number may go on in the next chunk
            raw = self.text[self.pos:end]
            self.pos = end
            return value, raw

    def resync(self, pattern: re.Pattern[str]) -> str | None:
        """Skip to the next match of `pattern`; returns the skipped text, None at end of file."""
        start = self.pos
        while True:
            found = pattern.search(self.text, self.pos + 1)
            if found:
                skipped = self.text[start:found.start()]
                self.pos = found.start()
                return skipped
            if len(self.text) - start > MAX_ELEMENT_CHARS or not self.more():
                self.pos = len(self.text)
                return None


def iter_object(handle: TextIO, stream_key: str, element_start: re.Pattern[str]) -> Iterator[Member | Broken]:
    """Yield the members of the top-level object in file order; `stream_key`'s array lazily.

    Raises JsonStreamError for damage outside the streamed array (the caller reports it as
    one rejected location); damage inside it is yielded as `Broken` and parsing goes on at
    the next `element_start` match.
    """
    buf = _Buffer(handle)
    buf.expect("{")
    if buf.peek() == "}":
        buf.pos += 1
        return
    while True:
        key, _ = buf.value()
        if not isinstance(key, str):
            raise JsonStreamError("object key is not a string", buf.offset())
        buf.expect(":")
        if key == stream_key and buf.peek() == "[":
            buf.pos += 1
            yield from _iter_array(buf, key, element_start)
        else:
            value, raw = buf.value()
            yield Member(key, value, raw)
        if buf.expect(",}") == "}":
            break
    if buf.peek():
        raise JsonStreamError("text after the end of the top-level object", buf.offset())


def _iter_array(buf: _Buffer, key: str, element_start: re.Pattern[str]) -> Iterator[Member | Broken]:
    index = 0
    if buf.peek() == "]":
        buf.pos += 1
        return
    while True:
        buf.compact()
        buf.skip_ws()
        start = buf.pos
        try:
            value, raw = buf.value()
        except JsonStreamError as exc:
            if exc.truncated:
                yield Broken(key, index, f"truncated JSON: {exc} (offset {exc.at})", buf.text[start:start + 4000])
                raise JsonStreamError(str(exc), exc.at, truncated=True, reported=True) from None
            skipped = buf.resync(element_start)
            yield Broken(key, index, f"{exc} (offset {exc.at})", (buf.text[start:] if skipped is None else skipped)[:4000])
            if skipped is None:
                raise JsonStreamError("no element start found after a broken one", exc.at, reported=True) from None
            index += 1
            continue
        yield Member(key, value, raw, index)
        index += 1
        try:
            separator = buf.expect(",]")
        except JsonStreamError as exc:
            if exc.truncated:
                raise
            at = buf.offset()
            skipped = buf.resync(element_start)
            yield Broken(key, index - 1, f"{exc} after this element (offset {at})", (skipped or "")[:4000], False)
            if skipped is None:
                raise JsonStreamError("no element start found after a broken one", at, reported=True) from None
            continue
        if separator == "]":
            return
