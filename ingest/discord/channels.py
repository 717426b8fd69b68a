"""Which channel a CSV or HTML export belongs to: these formats do not carry the channel id.

In order: the id DiscordChatExporter puts in its default file name (`Guild - Category -
Channel [123456].csv`, also `… [123456] [part 2].csv`); else a `channels.json` map beside the
export (the Komodo archive's `{category_id: {name, channels: {channel_id: name}}}`) matched
on the channel and category folder names; else the folder path, which is stable as long as
the export's own folder layout is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BRACKET_ID = re.compile(r"\[(\d{15,20})\]")
SIDECAR = "channels.json"
SIDECAR_DEPTH = 3


@dataclass(frozen=True)
class ChannelRef:
    channel_id: str
    name: str | None
    category: str | None = None
    category_id: str | None = None

    def payload(self) -> dict:
        """The JSON export's channel shape, holding only what the file layout told us."""
        return {"id": self.channel_id, "categoryId": self.category_id, "category": self.category, "name": self.name}


def _squash(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def sidecar_for(path: Path) -> Path | None:
    folder = path.parent
    for _ in range(SIDECAR_DEPTH):
        candidate = folder / SIDECAR
        if candidate.is_file():
            return candidate
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


@lru_cache(maxsize=32)
def _load_map(sidecar: Path, mtime_ns: int) -> tuple[tuple[str, str, str, str], ...]:
    """(category_id, category name, channel_id, channel name) rows; empty if not that shape."""
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    rows = []
    if isinstance(data, dict):
        for category_id, category in data.items():
            if isinstance(category, dict) and isinstance(category.get("channels"), dict):
                for channel_id, name in category["channels"].items():
                    if isinstance(name, str) and str(channel_id).isdigit():
                        rows.append((str(category_id), str(category.get("name") or ""), str(channel_id), name))
    return tuple(rows)


def _from_sidecar(path: Path) -> ChannelRef | None:
    sidecar = sidecar_for(path)
    if sidecar is None:
        return None
    rows = _load_map(sidecar, sidecar.stat().st_mtime_ns)
    channel_folder, category_folder = path.parent.name, path.parent.parent.name
    matches = [r for r in rows if r[3] == channel_folder]
    if len(matches) > 1:
        matches = [r for r in matches if _squash(r[1]) == _squash(category_folder)]
    if len(matches) != 1:
        return None
    category_id, category, channel_id, name = matches[0]
    return ChannelRef(channel_id, name, category, category_id)


def _from_file_name(path: Path) -> ChannelRef | None:
    found = BRACKET_ID.search(path.name)
    if not found:
        return None
    parts = path.name[:found.start()].strip().split(" - ")
    name = parts[-1] if parts[-1] else None
    category = parts[-2] if len(parts) >= 3 else None
    return ChannelRef(found.group(1), name, category)


def resolve(path: Path) -> ChannelRef:
    ref = _from_file_name(path) or _from_sidecar(path)
    if ref:
        return ref
    if path.stem.isdigit():  # page files: the folder is the channel
        return ChannelRef(f"path:{path.parent.parent.name}/{path.parent.name}", path.parent.name, path.parent.parent.name)
    return ChannelRef(f"path:{path.parent.name}/{path.stem}", path.stem, path.parent.name)


def export_root(path: Path) -> Path:
    """The folder that names the export in `_source`: where the channel map lives, else the file's."""
    sidecar = sidecar_for(path)
    return sidecar.parent if sidecar else path.parent
