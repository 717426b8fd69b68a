"""A Slack workspace export, as a folder or an archive (zip, tar), → units.

The layout (Slack's "Export data", and slackdump's): `users.json`; the conversation lists
`channels.json` (public), `groups.json` (private), `dms.json` and `mpims.json` (group DMs);
one folder per conversation holding a JSON array per UTC day, `<folder>/YYYY-MM-DD.json`.
Channels are foldered by name, DMs by id, group DMs by name (Slack) or id (slackdump), so a
folder resolves to its conversation id through the lists: a renamed channel keeps one key.

An archive is read member by member through `ingest.core.archives` (nothing is extracted),
and its members that are refused there become quarantine rows naming `archive!member`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ingest.core.archives import Archive, ArchiveError, archive_kind, open_archive
from ingest.core.records import Record, Rejected
from ingest.core.units import Unit, file_sha256
from ingest.slack.records import channel_record, message_record, parse_list, records_of, user_record

FMT = "slack-export"
CONVERSATION_LISTS = ("channels.json", "groups.json", "mpims.json", "dms.json")
LISTS = ("users.json", *CONVERSATION_LISTS)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}\.json")
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")


@dataclass(frozen=True)
class Entry:
    """One file of the export, wherever it lives; `problem` is an archive's refusal of it."""

    rel: str  # path from the export root, '/'-separated
    location: str
    size: int
    fingerprint: Callable[[], str]
    read_bytes: Callable[[], bytes]
    problem: str | None = None


def _wanted(rel: str) -> bool:
    parts = rel.split("/")
    if len(parts) == 1:
        return rel in LISTS
    return len(parts) == 2 and not parts[0].startswith((".", "__MACOSX")) and DAY.fullmatch(parts[1]) is not None


def _first_char(data: bytes) -> str:
    return data.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")[:1]


def is_slack_export(path: Path) -> bool:
    """A folder with users.json and channels.json, where users.json is not an API response."""
    try:
        if not (path.is_dir() and (path / "users.json").is_file() and (path / "channels.json").is_file()):
            return False
        with (path / "users.json").open("rb") as handle:
            return _first_char(handle.read(256)) != "{"
    except OSError:
        return False


def export_root(names: list[str]) -> str | None:
    """'' or 'folder/': where users.json and channels.json sit (at most one folder deep)."""
    present = set(names)
    roots = sorted({n[: -len("users.json")] for n in names if n.endswith("users.json")}, key=len)
    for root in roots:
        if root.count("/") <= 1 and (root == "" or root.endswith("/")) and f"{root}channels.json" in present:
            return root
    return None


def is_slack_export_archive(path: Path) -> bool:
    """A zip or tar whose listing holds an export root; never raises."""
    if not archive_kind(path):
        return False
    try:
        archive = open_archive(path)
    except Exception:  # noqa: BLE001 - detection must never raise; units() reports the damage
        return False
    try:
        return export_root([m.name for m in archive.members if not m.problem]) is not None
    finally:
        archive.close()


def folder_entries(root: Path) -> list[Entry]:
    files = [root / name for name in LISTS]
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files.extend(sorted(folder.glob("*.json")))
    entries = []
    for file in files:
        rel = file.relative_to(root).as_posix()
        if file.is_file() and _wanted(rel):
            entries.append(Entry(rel, str(file.resolve()), file.stat().st_size, partial(file_sha256, file), file.read_bytes))
    return entries


def archive_entries(archive: Archive) -> list[Entry]:
    """Every refused member (whatever it is), and the export's files under its root."""
    root = export_root([m.name for m in archive.members if not m.problem]) or ""
    entries = []
    for member in archive.members:
        location = archive.location(member)
        if member.problem:  # never read: its fingerprint is the verdict, so a rerun skips it
            digest = hashlib.sha256(f"{location}\0{member.size}\0{member.problem}".encode()).hexdigest()
            entries.append(Entry(member.name, location, 0, partial(str, digest), bytes, member.problem))
        elif member.name.startswith(root) and _wanted(member.name[len(root):]):
            entries.append(Entry(member.name[len(root):], location, member.size,
                                 partial(archive.sha256, member), partial(archive.read_bytes, member)))
    return entries


def _read_list(entry: Entry, make) -> Iterator[Record | Rejected]:
    items = parse_list(entry.read_bytes(), entry.location)
    if isinstance(items, Rejected):
        yield items
        return
    yield from records_of(items, entry.location, make)


def _read_day(entry: Entry, channel_id: str) -> Iterator[Record | Rejected]:
    yield from _read_list(entry, partial(_message, channel_id))


def _message(channel_id: str, obj: object, location: str) -> Record | Rejected:
    return message_record(obj, channel_id, location)


def _refused(entry: Entry) -> Iterator[Rejected]:
    yield Rejected(entry.location, f"archive member refused: {entry.problem}")


def _unlisted(entry: Entry, folder: str) -> Iterator[Rejected]:
    yield Rejected(entry.location, f"conversation folder {folder!r} is not listed by id or name in "
                                   f"{', '.join(CONVERSATION_LISTS)}")


def folder_ids(lists: dict[str, Entry]) -> dict[str, str]:
    """Folder name → conversation id: names first (channels, groups, mpims), then ids (all, DMs)."""
    by_name: dict[str, str] = {}
    by_id: dict[str, str] = {}
    for name in CONVERSATION_LISTS:
        if name not in lists:
            continue
        try:
            items = parse_list(lists[name].read_bytes(), lists[name].location)
        except (ArchiveError, OSError):
            continue  # the list's own unit reports it
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
                by_id[item["id"]] = item["id"]
                if isinstance(item.get("name"), str) and item["name"]:
                    by_name.setdefault(item["name"], item["id"])
    return {**by_id, **by_name}


def units_from_entries(entries: list[Entry], source: str) -> list[Unit]:
    def unit(entry: Entry, read) -> Unit:
        return Unit(entry.location, source, entry.size, entry.fingerprint, read, FMT)

    lists = {e.rel: e for e in entries if e.rel in LISTS and not e.problem}
    ids = folder_ids(lists)
    units = []
    for entry in entries:
        if entry.problem:
            units.append(unit(entry, partial(_refused, entry)))
        elif entry.rel == "users.json":
            units.append(unit(entry, partial(_read_list, entry, user_record)))
        elif entry.rel in LISTS:
            units.append(unit(entry, partial(_read_list, entry, channel_record)))
        else:
            folder = entry.rel.split("/")[0]
            read = partial(_read_day, entry, ids[folder]) if folder in ids else partial(_unlisted, entry, folder)
            units.append(unit(entry, read))
    return units


def _source_name(path: Path) -> str:
    name = path.name
    for suffix in ARCHIVE_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _broken_archive(path: Path, error: ArchiveError) -> Unit:
    """An archive that cannot even be listed: one unit whose reading reports why."""
    def fail():
        raise error
    return Unit(str(path.resolve()), f"slack:{_source_name(path)}", path.stat().st_size, fail, fail, FMT)


def slack_export_units(path: Path) -> list[Unit]:
    """Units of an export folder or archive: the lists first, then day files in order."""
    source = f"slack:{_source_name(path.resolve())}"
    if path.is_dir():
        entries = folder_entries(path)
    else:
        try:
            archive = open_archive(path.resolve())
        except ArchiveError as exc:
            return [_broken_archive(path, exc)]
        entries = archive_entries(archive)
    order = {name: i for i, name in enumerate(LISTS)}
    entries.sort(key=lambda e: (e.problem is None, order.get(e.rel, len(order)), e.rel))
    return units_from_entries(entries, source)
