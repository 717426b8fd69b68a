"""A unit of ingestion: one file (or archive member) that lands whole or not at all."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.core.records import Record, Rejected

HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Unit:
    """`location` names the input in errors and in meta.files; `read` yields its records.

    A unit is committed in one transaction together with its meta.files row, so a killed
    run leaves either all of a unit or none of it, and a re-run skips the finished ones.
    """

    location: str
    source: str
    size: int
    fingerprint: Callable[[], str]
    read: Callable[[], Iterator[Record | Rejected]]
    fmt: str = ""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Format:
    """An export format a connector reads.

    `detect(path)` answers cheaply (sniff a few bytes); `units(path)` lists what to ingest.
    A `folder` format (a Slack export, a git repository) claims its whole folder, so its
    files are not offered to the file formats.
    """

    name: str
    detect: Callable[[Path], bool]
    units: Callable[[Path], list[Unit]]
    folder: bool = False
