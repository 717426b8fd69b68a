"""Zip archives: the central directory when it is there, the local headers when it is not.

A zip whose central directory is missing (a download cut short) is salvaged from its local
headers: the members before the cut stay readable, and the damage itself is listed as a
refused member so it reaches the quarantine instead of passing silently. Local headers carry
no file modes, so a salvaged symlink reads as its target's path text: harmless, since nothing
is ever extracted, and it fails as JSON downstream.
"""

from __future__ import annotations

import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ingest.core.archives.base import Archive, ArchiveError, KiB, Limits, Member, Verdicts

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SUPPORTED_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
DAMAGED = "<central directory>"


def _zip_problem(info: zipfile.ZipInfo) -> str | None:
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "symbolic link: links can point outside the archive (refused)"
    if mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        return "not a regular file (device, pipe or socket): refused"
    if info.flag_bits & 0x1:
        return "encrypted: password-protected members cannot be read; export without a password"
    if info.compress_type not in SUPPORTED_ZIP_METHODS:
        return f"compression method {info.compress_type} is not supported"
    return None


class ZipArchive(Archive):
    kind = "zip"

    def __init__(self, path: Path, limits: Limits) -> None:
        self._zip = zipfile.ZipFile(path)
        infos = [i for i in self._zip.infolist() if not i.is_dir()]
        if len(infos) > limits.members:
            self._zip.close()
            raise ArchiveError(f"{path}: {len(infos):,} members, over the {limits.members:,}-member limit")
        verdicts = Verdicts(limits, path.stat().st_size)
        members = [verdicts.judge(i.filename, i.file_size, i.compress_size, _zip_problem(i), i) for i in infos]
        super().__init__(path, limits, members)

    def _raw(self, member: Member) -> Iterator[bytes]:
        with self._zip.open(member.ref) as handle:  # type: ignore[arg-type]
            while chunk := handle.read(self.limits.chunk):
                yield chunk

    def close(self) -> None:
        self._zip.close()


_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # signature … crc, compressed, uncompressed, name and extra lengths


def _inflate(handle, start: int, compressed: int | None, chunk: int) -> Iterator[bytes]:
    """Raw deflate from `start`, at most `chunk` bytes at a time; returns the bytes it consumed."""
    handle.seek(start)
    inflater = zlib.decompressobj(-15)
    left = compressed if compressed is not None else 1 << 62
    consumed, pending = 0, b""
    while not inflater.eof:
        if not pending:
            pending = handle.read(min(64 * KiB, left))
            if not pending:
                raise EOFError("the archive ends inside this member")
            left -= len(pending)
            consumed += len(pending)
        piece = inflater.decompress(pending, chunk)
        pending = inflater.unconsumed_tail
        if piece:
            yield piece
    return consumed - len(inflater.unused_data) - len(pending)


class SalvagedZip(Archive):
    """A zip without a central directory: members are walked from their local headers."""

    kind = "zip"

    def __init__(self, path: Path, limits: Limits, why: str) -> None:
        super().__init__(path, limits, [])
        verdicts = Verdicts(limits, path.stat().st_size)
        with path.open("rb") as handle:
            self._walk(handle, verdicts)
        self.members.append(Member(DAMAGED, 0, 0, f"the zip's central directory is missing ({why}): "
                                   f"{len(self.members)} member(s) recovered from local headers; "
                                   "anything after the damage is lost (a truncated download?)"))

    def _walk(self, handle, verdicts: Verdicts) -> None:
        end, offset = self.path.stat().st_size, 0
        while len(self.members) < self.limits.members:
            handle.seek(offset)
            head = handle.read(_LOCAL.size)
            if len(head) < _LOCAL.size or head[:4] != ZIP_MAGIC[0]:
                return
            _, _, flags, method, _, _, crc, csize, usize, nlen, xlen = _LOCAL.unpack(head)
            raw = handle.read(nlen).decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
            start = offset + _LOCAL.size + nlen + xlen
            problem = _salvage_problem(flags, method, csize, usize)
            lost = bool(flags & 0x8) or 0xFFFFFFFF in (csize, usize)  # where it ends is not known yet
            if problem is None and lost:
                try:
                    csize, usize, crc = self._measure(handle, start)
                    lost = False
                except (EOFError, zlib.error, ArchiveError) as exc:
                    problem = f"cannot be recovered: {exc}"
            if not lost and start + csize > end:
                problem, lost = "cut off: the archive ends inside this member (a truncated download?)", True
            if lost:  # nothing after this member can be found
                self.members.append(Member(raw, usize, csize, problem))
                return
            if not raw.endswith("/"):
                self.members.append(verdicts.judge(raw, usize, csize, problem, (start, csize, method, crc)))
            offset = start + csize + (_descriptor_size(handle, start + csize) if flags & 0x8 else 0)

    def _measure(self, handle, start: int) -> tuple[int, int, int]:
        """Sizes and CRC of a member whose header defers them to after its data."""
        size, crc, inflating = 0, 0, _inflate(handle, start, None, self.limits.chunk)
        while True:
            try:
                piece = next(inflating)
            except StopIteration as done:
                return done.value, size, crc
            size += len(piece)
            crc = zlib.crc32(piece, crc)
            if size > self.limits.member_bytes:
                raise ArchiveError(f"inflates past the {self.limits.member_bytes:,}-byte member limit")

    def _raw(self, member: Member) -> Iterator[bytes]:
        start, csize, method, crc = member.ref  # type: ignore[misc]
        seen = 0
        with self.path.open("rb") as handle:
            if method == zipfile.ZIP_DEFLATED:
                pieces = _inflate(handle, start, csize, self.limits.chunk)
            else:
                pieces = _stored(handle, start, csize, self.limits.chunk)
            for piece in pieces:
                seen = zlib.crc32(piece, seen)
                yield piece
        if seen != crc:
            raise zipfile.BadZipFile("bad CRC-32: the member is corrupt")


def _stored(handle, start: int, size: int, chunk: int) -> Iterator[bytes]:
    handle.seek(start)
    while size > 0:
        piece = handle.read(min(chunk, size))
        if not piece:
            raise EOFError("the archive ends inside this member")
        size -= len(piece)
        yield piece


def _salvage_problem(flags: int, method: int, csize: int, usize: int) -> str | None:
    if flags & 0x1:
        return "encrypted: password-protected members cannot be read; export without a password"
    if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"compression method {method} cannot be recovered from a damaged zip"
    if 0xFFFFFFFF in (csize, usize):
        return "a zip64 member cannot be recovered from a damaged zip"
    if flags & 0x8 and method == zipfile.ZIP_STORED:
        return "a stored member without sizes cannot be recovered from a damaged zip"
    return None


def _descriptor_size(handle, at: int) -> int:
    handle.seek(at)
    return 16 if handle.read(4) == b"PK\x07\x08" else 12
