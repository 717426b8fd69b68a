"""DiscordChatExporter exports → raw_discord.guilds / channels / members / messages.

Three file formats, each file one unit, told apart by their first bytes:
- JSON: opens with `{"guild": {` (DCE writes guild, channel, then messages);
- CSV: header `AuthorID,Author,Date,Content,Attachments,Reactions` (`;`-separated in old versions);
- HTML: an `<html>` page whose head holds DCE's `chatlog`/`preamble__` classes.
Given a folder with `--format`, every matching file under it is a unit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from ingest.core.records import Record, Rejected
from ingest.core.units import Format, Unit, file_sha256
from ingest.discord.channels import export_root, resolve
from ingest.discord.common import quarantine_safe
from ingest.discord.dce_csv import looks_like_dce_csv, read_dce_csv
from ingest.discord.dce_html import looks_like_dce_html, read_dce_html
from ingest.discord.dce_json import looks_like_dce_json, read_dce_json


def source_for(path: Path) -> str:
    """`discord:<export folder>`: the folder holding the channel map, else the file's folder."""
    return f"discord:{export_root(path.resolve()).name}"


def _unit(path: Path, fmt: str, read: Callable) -> Unit:
    reader = partial(quarantine_safe_read, read)
    return Unit(str(path.resolve()), source_for(path), path.stat().st_size, partial(file_sha256, path), reader, fmt)


def quarantine_safe_read(read: Callable[[], Iterator[Record | Rejected]]) -> Iterator[Record | Rejected]:
    return quarantine_safe(read())


def _files(path: Path, detect: Callable[[Path], bool]) -> list[Path]:
    if not path.is_dir():
        return [path]
    found = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        found.extend(Path(root) / name for name in sorted(files) if detect(Path(root) / name))
    return found


def json_units(path: Path) -> list[Unit]:
    return [_unit(f, "discord-dce-json", partial(read_dce_json, f)) for f in _files(path, looks_like_dce_json)]


def csv_units(path: Path) -> list[Unit]:
    return [_unit(f, "discord-dce-csv", partial(read_dce_csv, f, resolve(f.resolve())))
            for f in _files(path, looks_like_dce_csv)]


def html_units(path: Path) -> list[Unit]:
    return [_unit(f, "discord-dce-html", partial(read_dce_html, f, resolve(f.resolve())))
            for f in _files(path, looks_like_dce_html)]


FORMATS = [
    Format("discord-dce-json", looks_like_dce_json, json_units),
    Format("discord-dce-csv", looks_like_dce_csv, csv_units),
    Format("discord-dce-html", looks_like_dce_html, html_units),
]
