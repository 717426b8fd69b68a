"""Stream a line-per-record file (plain or gzip) as Arrow batches, for bulk loaders.

Lines are split on `\\n` only and numbered from 1, exactly as a text reader opened with
`newline="\\n"` counts them, so `path:line` in the quarantine points at the right line. The
bytes are handed over as they are (no decoding): the loader decodes and checks UTF-8 in SQL,
so one bad line cannot sink the file. Splitting is vectorised (numpy on whole blocks), never
per line in Python, and decompression runs on a worker thread while DuckDB loads the previous
batch. Memory is bounded by the batch size, whatever the file size: a line longer than
`max_line_bytes` is flagged `oversized`, and not kept whole when it spans reads (only its first bytes).

Batch columns: `line_no` int64, `line` binary (without the newline), `bare` bool (non-empty
and neither starting nor ending with a byte that may be whitespace, so it needs no trim),
`oversized` bool.
"""

from __future__ import annotations

import queue
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa

BATCH_BYTES = 16 << 20
READ_BYTES = 4 << 20
OVERSIZED_PREFIX = 64 << 10
GZIP_MAGIC = b"\x1f\x8b"
SCHEMA = pa.schema([("line_no", pa.int64()), ("line", pa.binary()), ("text", pa.string()), ("bare", pa.bool_()),
                    ("oversized", pa.bool_())])

# bytes that may begin or end a whitespace character: ASCII whitespace (what str.strip()
# removes: \t \n \v \f \r \x1c-\x1f space) and every non-ASCII byte (U+0085, U+00A0, U+2000…)
_MAY_BE_SPACE = np.zeros(256, dtype=bool)
_MAY_BE_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_MAY_BE_SPACE[128:] = True


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def decompressed_blocks(path: Path) -> Iterator[bytes]:
    """The file's bytes, gunzipped when it is gzip (every member of a multi-member file).

    A truncated or corrupt gzip raises (EOFError / zlib.error) after the blocks before it.
    """
    with path.open("rb") as handle:
        if handle.read(2) != GZIP_MAGIC:
            handle.seek(0)
            while block := handle.read(READ_BYTES):
                yield block
            return
        handle.seek(0)
        inflater, pending, in_member = zlib.decompressobj(wbits=31), b"", False
        while True:
            if not pending:
                pending = handle.read(READ_BYTES)
                if not pending:
                    break
            in_member = True
            out = inflater.decompress(pending, READ_BYTES)
            pending = inflater.unconsumed_tail
            if out:
                yield out
            if inflater.eof:
                pending, in_member = inflater.unused_data + pending, False
                inflater = zlib.decompressobj(wbits=31)
        if in_member:
            raise EOFError("compressed file ended before the end-of-stream marker was reached")


def _batch(block: bytes | memoryview, first_line: int, final: bool, max_line_bytes: int) -> pa.RecordBatch:
    raw = np.frombuffer(block, dtype=np.uint8)
    is_newline = raw == 10
    newlines = np.flatnonzero(is_newline)
    ends = newlines if not final or (raw.size and raw[-1] == 10) else np.append(newlines, raw.size)
    starts = np.empty_like(ends)
    if ends.size:
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
    lengths = ends - starts
    offsets = np.zeros(ends.size + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    data = raw[~is_newline] if newlines.size else raw
    buffers = [pa.py_buffer(offsets), pa.py_buffer(data)]
    lines = pa.Array.from_buffers(pa.binary(), ends.size, [None, *buffers])
    bare = lengths > 0
    filled = np.flatnonzero(bare)
    bare[filled] = ~_MAY_BE_SPACE[raw[starts[filled]]] & ~_MAY_BE_SPACE[raw[ends[filled] - 1]]
    numbers = np.arange(first_line, first_line + ends.size, dtype=np.int64)
    return pa.record_batch([_int64s(numbers), lines, _text(lines, buffers), _bools(bare),
                            _bools(lengths > max_line_bytes)], schema=SCHEMA)


# Arrays are built from buffers: pa.array() would import pandas (seconds) to sniff its input.
def _int64s(values: np.ndarray) -> pa.Array:
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values.astype(np.int64))])


def _bools(values: np.ndarray) -> pa.Array:
    bits = np.packbits(values.astype(bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])


def _text(lines: pa.Array, buffers: list[pa.Buffer]) -> pa.Array:
    """The lines as strings over the same buffers; null where a line is not UTF-8."""
    text = pa.Array.from_buffers(pa.string(), len(lines), [None, *buffers])
    try:
        text.validate(full=True)
        return text
    except pa.ArrowInvalid:
        valid = np.array([_is_utf8(line) for line in lines.to_pylist()], dtype=bool)
        return pa.Array.from_buffers(pa.string(), len(lines), [_bools(valid).buffers()[1], *buffers])


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _oversized(line_no: int, prefix: bytes) -> pa.RecordBatch:
    """A one-line batch: the first bytes of a line too long to keep."""
    if not _is_utf8(prefix):  # it may end in the middle of a character
        prefix = prefix[:-3] if _is_utf8(prefix[:-3]) else prefix
    offsets = pa.py_buffer(np.array([0, len(prefix)], dtype=np.int32))
    data = pa.py_buffer(prefix)
    line = pa.Array.from_buffers(pa.binary(), 1, [None, offsets, data])
    return pa.record_batch([_int64s(np.array([line_no])), line, _text(line, [offsets, data]),
                            _bools(np.array([False])), _bools(np.array([True]))], schema=SCHEMA)


class _Splitter:
    """Cuts a byte stream into batches of whole lines of about `batch_bytes`."""

    def __init__(self, batch_bytes: int, max_line_bytes: int) -> None:
        self.batch_bytes, self.max_line_bytes = batch_bytes, max_line_bytes
        self.pieces: list[bytes] = []
        self.size = 0  # bytes held in pieces
        self.tail = 0  # of which after the last newline
        self.line_no = 1
        self.skipping: bytes | None = None  # prefix of an oversized line being skipped

    def _emit(self, block: bytes | memoryview, final: bool = False) -> Iterator[pa.RecordBatch]:
        if len(block):
            batch = _batch(block, self.line_no, final, self.max_line_bytes)
            self.line_no += batch.num_rows
            yield batch

    def feed(self, block: bytes) -> Iterator[pa.RecordBatch]:
        if self.skipping is not None:
            cut = block.find(b"\n")
            if cut < 0:
                return
            yield _oversized(self.line_no, self.skipping)
            self.line_no, self.skipping = self.line_no + 1, None
            block = block[cut + 1:]
            if not block:
                return
        last = block.rfind(b"\n")
        self.pieces.append(block)
        self.size += len(block)
        self.tail = self.tail + len(block) if last < 0 else len(block) - last - 1
        if self.tail > self.max_line_bytes:
            joined = b"".join(self.pieces)
            start = len(joined) - self.tail
            yield from self._emit(memoryview(joined)[:start])
            self.skipping = joined[start:start + OVERSIZED_PREFIX]
            self.pieces, self.size, self.tail = [], 0, 0
        elif self.size >= self.batch_bytes and self.size > self.tail:
            joined = b"".join(self.pieces)
            cut = len(joined) - self.tail
            yield from self._emit(memoryview(joined)[:cut])
            self.pieces, self.size = [joined[cut:]], self.tail

    def finish(self) -> Iterator[pa.RecordBatch]:
        if self.skipping is not None:
            yield _oversized(self.line_no, self.skipping)
        elif self.pieces:
            yield from self._emit(b"".join(self.pieces), final=True)


def line_batches(path: Path, batch_bytes: int = BATCH_BYTES, max_line_bytes: int = 32 << 20) -> Iterator[pa.RecordBatch]:
    """The file's lines as Arrow record batches (see the module docstring), in file order."""
    splitter = _Splitter(batch_bytes, max_line_bytes)
    for block in decompressed_blocks(path):
        yield from splitter.feed(block)
    yield from splitter.finish()


_DONE = object()
T = TypeVar("T")


def prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Run the iterator `items` on a worker thread, `depth` items ahead; its errors surface
    here, and when the consumer stops early the worker stops too (and closes `items`)."""
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(item: object) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not hand_over(item):
                    return
            hand_over(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises
            hand_over(exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # a generator's own cleanup runs here, on its thread

    worker = threading.Thread(target=work, name="prefetched", daemon=True)
    worker.start()
    try:
        while (item := slots.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            try:
                slots.get_nowait()
            except queue.Empty:
                worker.join(0.05)
