"""Line batches for bulk loaders: every line, in order, numbered as a text reader numbers it."""

from __future__ import annotations

import gzip
import random
import zlib
from pathlib import Path

import pytest

from ingest.core.lines import decompressed_blocks, line_batches, prefetched


def _lines(path: Path, **options) -> list[tuple[int, bytes, bool, bool]]:
    rows = []
    for batch in prefetched(line_batches(path, **options)):
        columns = batch.to_pydict()
        for line, text in zip(columns["line"], columns["text"], strict=True):
            assert text == _utf8(line)  # the text is the line's, exactly when the line is UTF-8
        rows += zip(columns["line_no"], columns["line"], columns["bare"], columns["oversized"], strict=True)
    return rows


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _expected(data: bytes) -> list[tuple[int, bytes]]:
    with_ends = data.split(b"\n")
    if data.endswith(b"\n"):
        with_ends.pop()
    return list(enumerate(with_ends, start=1))


@pytest.mark.parametrize("batch_bytes", [64, 1000, 1 << 20])
def test_every_line_comes_back_once_in_order_with_its_number(tmp_path, batch_bytes):
    # GIVEN a gzip file of random lines: empty, CRLF, spaces, non-UTF-8 bytes, NUL, no final newline
    rng = random.Random(batch_bytes)
    pieces = [b"", b"\r", b" ", b"\xff\xfe", b"\x00", "é\u00a0".encode(), b"{}", b"x" * 300]
    lines = [b"".join(rng.choices(pieces, k=rng.randint(0, 6))) for _ in range(500)]
    data = b"\n".join(lines)
    path = tmp_path / "lines.json.gz"
    path.write_bytes(gzip.compress(data))
    # WHEN it is read in batches of `batch_bytes`
    got = _lines(path, batch_bytes=batch_bytes)
    # THEN each line is there once, in file order, numbered from 1, without its newline
    assert [(n, line) for n, line, _, _ in got] == _expected(data)
    # AND `bare` is set exactly on non-empty lines with no whitespace-like byte at either end
    for _, line, bare, _ in got:
        assert bare == (bool(line) and line[:1].strip() == line[:1] and line[-1:].strip() == line[-1:]
                        and line[0] < 128 and line[-1] < 128)


def test_plain_and_multi_member_gzip_files_read_the_same(tmp_path):
    # GIVEN the same lines as a plain file and as a gzip of two members
    data = b"".join(b'{"n": %d}\n' % i for i in range(1000))
    plain = tmp_path / "a.json"
    plain.write_bytes(data)
    members = tmp_path / "a.json.gz"
    members.write_bytes(gzip.compress(data[:5000]) + gzip.compress(data[5000:]))
    # WHEN both are read
    # THEN they give the same lines
    assert _lines(plain) == _lines(members)
    assert len(_lines(plain)) == 1000


def test_a_truncated_gzip_raises_after_the_lines_before_the_cut(tmp_path):
    # GIVEN a gzip file missing its last bytes
    data = b"".join(b'{"n": %d, "pad": "%s"}\n' % (i, b"y" * (i % 50)) for i in range(5000))
    path = tmp_path / "cut.json.gz"
    whole = gzip.compress(data)
    path.write_bytes(whole[: len(whole) - 10])
    # WHEN it is read
    # THEN reading fails with an error instead of ending quietly
    with pytest.raises((EOFError, zlib.error)):
        list(decompressed_blocks(path))
    with pytest.raises((EOFError, zlib.error)):
        _lines(path)


def test_an_oversized_line_is_cut_to_its_prefix_and_the_count_goes_on(tmp_path):
    # GIVEN a gzip file whose second line is longer than the line limit and spans many reads
    path = tmp_path / "big.json.gz"
    path.write_bytes(gzip.compress(b"first\n" + b"z" * (9 << 20)
                                   + b"\nthird\n" + b"q" * 70_000 + b"\n"))
    # WHEN it is read with a 64 kB line limit and small batches
    got = _lines(path, batch_bytes=1 << 12, max_line_bytes=64 << 10)
    # THEN line 2 comes back flagged and cut to its first bytes, line 4 (whole in one read) is
    # flagged too, and the numbering goes on
    assert [(n, len(line), oversized) for n, line, _, oversized in got] == [
        (1, 5, False), (2, 64 << 10, True), (3, 5, False), (4, 70_000, True)]


def test_a_consumer_that_stops_early_stops_the_reader(tmp_path):
    # GIVEN a file of many batches
    path = tmp_path / "many.json"
    path.write_bytes(b"line\n" * 100_000)
    # WHEN the consumer takes one batch and leaves
    batches = prefetched(line_batches(path, batch_bytes=1 << 10))
    first = next(batches)
    batches.close()
    # THEN nothing hangs and the batch it got starts at line 1
    assert first.column("line_no")[0].as_py() == 1
