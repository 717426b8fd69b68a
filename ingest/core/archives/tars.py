"""Tar archives (plain, .gz, .bz2, .xz) under the same rules as zips.

Links and special files are refused, and tarfile's own `data` filter gives a second opinion
on every name; nothing is ever extracted, members are read through `extractfile`.
"""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from pathlib import Path

from ingest.core.archives.base import Archive, ArchiveError, Limits, Member, Verdicts


def _tar_problem(info: tarfile.TarInfo) -> str | None:
    if info.issym() or info.islnk():
        return f"link to {info.linkname!r}: links can point outside the archive (refused)"
    if not info.isreg():
        return "not a regular file (device, pipe or socket): refused"
    try:
        tarfile.data_filter(info, "/archive-root")
    except tarfile.FilterError as exc:
        return f"refused by tarfile's 'data' filter: {exc}"
    return None


class TarArchive(Archive):
    """A tar (plain or compressed); listing stops at the first member past the total limits."""

    kind = "tar"

    def __init__(self, path: Path, limits: Limits) -> None:
        self._tar = tarfile.open(path, "r:*")  # noqa: SIM115 - open for the archive's lifetime
        plain = path.name.lower().endswith(".tar")
        verdicts = Verdicts(limits, path.stat().st_size)
        members: list[Member] = []
        for info in self._tar:
            if info.isdir():
                continue
            if len(members) >= limits.members:
                raise ArchiveError(f"{path}: over the {limits.members:,}-member limit")
            member = verdicts.judge(info.name, info.size, info.size if plain else None, _tar_problem(info), info)
            members.append(member)
            if member.problem and "archive inflates" in member.problem:
                break  # walking further would inflate what the limits refuse
        super().__init__(path, limits, members)

    def _raw(self, member: Member) -> Iterator[bytes]:
        handle = self._tar.extractfile(member.ref)  # type: ignore[arg-type]
        if handle is None:
            raise ArchiveError(f"{self.location(member)}: not a regular file")
        with handle:
            while chunk := handle.read(self.limits.chunk):
                yield chunk

    def close(self) -> None:
        self._tar.close()
