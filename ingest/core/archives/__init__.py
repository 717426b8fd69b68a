"""Read zip and tar archives safely, member by member, without extracting anything to disk.

Exports come from people and tools we do not control. A member named `../../.bashrc` or
`/etc/passwd`, a symlink, an encrypted member, or 200 KB that inflates to 200 GB must not
escape the archive, crash the run or exhaust memory. So every member gets a verdict before
anything reads it (its name, its type and its declared sizes against `Limits`), and reads go
through `Archive.chunks`, which counts the bytes that really inflate and stops at the
limit, because a header can lie. Every refusal names `archive!member` (docs/CONTRACTS.md).

A zip whose central directory is missing (a download cut short) is salvaged from its local
headers: the members before the cut stay readable and the damage itself is a refused member.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.core.archives.base import (
    READ_ERRORS,
    Archive,
    ArchiveError,
    GiB,
    KiB,
    Limits,
    Member,
    MiB,
    bounded,
    normalise_name,
)
from ingest.core.archives.tars import TarArchive
from ingest.core.archives.zips import DAMAGED, ZIP_MAGIC, SalvagedZip, ZipArchive

TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")

__all__ = [
    "DAMAGED",
    "Archive",
    "ArchiveError",
    "GiB",
    "KiB",
    "Limits",
    "Member",
    "MiB",
    "archive_kind",
    "bounded",
    "normalise_name",
    "open_archive",
]


def archive_kind(path: Path) -> str | None:
    """'zip' (by its magic bytes), 'tar' (by its name), or None; never raises."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return None
    if head in ZIP_MAGIC:
        return "zip"
    return "tar" if path.name.lower().endswith(TAR_SUFFIXES) else None


def open_archive(path: Path, limits: Limits | None = None) -> Archive:
    """The archive with a verdict on every member; ArchiveError when it cannot be listed at all."""
    limits = limits or Limits()
    kind = archive_kind(path)
    try:
        if kind == "zip":
            try:
                return ZipArchive(path, limits)
            except zipfile.BadZipFile as exc:
                salvaged = SalvagedZip(path, limits, str(exc))
                if len(salvaged.members) == 1:
                    raise ArchiveError(f"{path}: not a readable zip ({exc}) and nothing could be recovered") from exc
                return salvaged
        if kind == "tar":
            return TarArchive(path, limits)
    except ArchiveError:
        raise
    except READ_ERRORS as exc:
        raise ArchiveError(f"{path}: cannot be listed ({type(exc).__name__}: {exc})") from exc
    raise ArchiveError(f"{path}: not a zip or tar archive")
