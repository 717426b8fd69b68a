"""The safety rules every archive kind shares: member verdicts, limits, bounded reads.

A member is judged before anything reads it (name, type, declared sizes), and its bytes are
counted again while they inflate, because a header can lie.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30


class ArchiveError(ValueError):
    """An archive, or one member of it, that cannot be read safely; the message names it."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what an archive may inflate to; the defaults fit real community exports."""

    member_bytes: int = 1 * GiB  # uncompressed size of one member
    total_bytes: int = 32 * GiB  # uncompressed size of all accepted members together
    ratio: float = 100.0  # uncompressed / compressed, per member and for the whole archive
    ratio_floor: int = 1 * MiB  # smaller than this nothing is a bomb (tiny files compress oddly)
    members: int = 200_000
    chunk: int = 1 * MiB  # the most one read holds in memory


@dataclass(frozen=True)
class Member:
    """`name` is normalised ('/'-separated, no '.' parts); a refused member keeps its raw name."""

    name: str
    size: int  # declared uncompressed bytes
    compressed: int | None  # declared compressed bytes; None when unknown (compressed tars)
    problem: str | None = None
    ref: object = field(default=None, compare=False, repr=False)


def normalise_name(raw: str) -> tuple[str, str | None]:
    """The member's safe relative name, or why it has none."""
    name = raw.replace("\\", "/")
    if "\x00" in name:
        return raw, "the member name contains a NUL byte"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return raw, "absolute path: it would land outside the archive's folder (refused)"
    norm = posixpath.normpath(name)
    if norm == ".." or norm.startswith("../"):
        return raw, "path traversal: '..' leads outside the archive's folder (refused)"
    return norm, None


class Verdicts:
    """Judges members in archive order, keeping the running total the archive inflates to."""

    def __init__(self, limits: Limits, archive_bytes: int) -> None:
        self.limits, self.archive_bytes = limits, archive_bytes
        self.total = 0
        self.seen: set[str] = set()

    def judge(self, raw: str, size: int, compressed: int | None, problem: str | None, ref: object) -> Member:
        name, bad_name = normalise_name(raw)
        problem = bad_name or problem or self._size_problem(size, compressed)
        if problem is None and name in self.seen:
            problem = "duplicate member name: another member already has it (refused)"
        total, lim = self.total + size, self.limits
        if problem is None and total > lim.total_bytes:
            problem = f"the archive inflates past the {lim.total_bytes:,}-byte total limit"
        if problem is None and total > lim.ratio_floor and total > lim.ratio * self.archive_bytes:
            problem = f"the archive inflates to over {lim.ratio:g}x its size (an archive bomb?)"
        if problem is None:
            self.total = total
            self.seen.add(name)
        return Member(name, size, compressed, problem, ref)

    def _size_problem(self, size: int, compressed: int | None) -> str | None:
        lim = self.limits
        if size > lim.member_bytes:
            return f"inflates to {size:,} bytes, over the {lim.member_bytes:,}-byte member limit"
        if compressed is not None and size > lim.ratio_floor and size > lim.ratio * max(compressed, 1):
            return f"compression ratio {size / max(compressed, 1):,.0f}x is over the {lim.ratio:g}x limit (a zip bomb?)"
        return None


def bounded(chunks: Iterator[bytes], member: Member, limits: Limits, where: str) -> Iterator[bytes]:
    """Pass chunks on while counting them: stop the moment a member inflates past its bounds."""
    cap = min(member.size, limits.member_bytes)
    done = 0
    for chunk in chunks:
        done += len(chunk)
        if done > cap:
            raise ArchiveError(f"{where}: inflates past {cap:,} bytes (its header says {member.size:,}); refused")
        if member.compressed is not None and done > limits.ratio_floor and done > limits.ratio * max(member.compressed, 1):
            raise ArchiveError(f"{where}: inflates past {limits.ratio:g}x its compressed size; refused as a zip bomb")
        yield chunk
    if done != member.size:
        raise ArchiveError(f"{where}: {done:,} bytes inflated but the header says {member.size:,} (truncated or corrupt)")


READ_ERRORS = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, OSError, RuntimeError,
                NotImplementedError, struct.error, ValueError)


class Archive:
    """Members with their verdicts, and bounded reads of the accepted ones."""

    kind = "archive"

    def __init__(self, path: Path, limits: Limits, members: list[Member]) -> None:
        self.path, self.limits, self.members = path, limits, members

    def location(self, member: Member | str) -> str:
        return f"{self.path}!{member.name if isinstance(member, Member) else member}"

    def chunks(self, member: Member) -> Iterator[bytes]:
        where = self.location(member)
        if member.problem:
            raise ArchiveError(f"{where}: {member.problem}")
        try:
            yield from bounded(self._raw(member), member, self.limits, where)
        except ArchiveError:
            raise
        except READ_ERRORS as exc:
            raise ArchiveError(f"{where}: cannot be read ({type(exc).__name__}: {exc})") from exc

    def read_bytes(self, member: Member) -> bytes:
        return b"".join(self.chunks(member))

    def sha256(self, member: Member) -> str:
        digest = hashlib.sha256()
        for chunk in self.chunks(member):
            digest.update(chunk)
        return digest.hexdigest()

    def _raw(self, member: Member) -> Iterator[bytes]:
        raise NotImplementedError

    def close(self) -> None:
        pass
