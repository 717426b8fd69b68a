"""Which export format a path holds, and the units to ingest from it.

`codeconvene ingest PATH…` auto-detects; `--format` overrides. Each connector module lists
its formats in a module-level `FORMATS`; folders are searched for every format they contain
(a demo export folder holds GitHub, Slack, Discord and Discourse side by side).
"""

from __future__ import annotations

import importlib
import os
from functools import cache
from pathlib import Path

from ingest.core.units import Format, Unit

CONNECTOR_MODULES = (
    "ingest.slack.files",
    "ingest.git.files",
    "ingest.discord.files",
    "ingest.discourse.files",
    "ingest.github.rest_files",
    "ingest.github.files",
)


# Which hints (CLI options) each format's `units(path, ...)` accepts.
HINTS_ACCEPTED: dict[str, tuple[str, ...]] = {
    "gharchive": ("repo", "org"),
    "github-rest": ("repo",),
    "slack-api-dump": ("channel",),
}


class UnknownFormat(ValueError):
    pass


def _units(fmt: Format, path: Path, hints: dict[str, str | None]) -> list[Unit]:
    given = {k: v for k, v in hints.items() if v and k in HINTS_ACCEPTED.get(fmt.name, ())}
    return fmt.units(path, **given)


@cache
def registry() -> tuple[Format, ...]:
    """Every known format, folder formats first; a connector not written yet is simply absent."""
    formats: list[Format] = []
    for name in CONNECTOR_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name or (exc.name and name.startswith(exc.name + ".")):
                continue
            raise
        formats.extend(module.FORMATS)
    return tuple(sorted(formats, key=lambda f: not f.folder))


def format_names() -> list[str]:
    return [f.name for f in registry()]


def by_name(name: str) -> Format:
    for fmt in registry():
        if fmt.name == name:
            return fmt
    raise UnknownFormat(f"unknown format {name!r}; known: {', '.join(format_names())}")


def detect(path: Path) -> str | None:
    for fmt in registry():
        if fmt.detect(path):
            return fmt.name
    return None


def discover(paths: list[Path], fmt: str | None = None, **hints: str | None) -> list[Unit]:
    """Every unit under `paths`; a path with nothing recognisable is an error naming it.

    `hints` (repo, org, channel) reach the formats that take them (see HINTS_ACCEPTED).
    """
    units: list[Unit] = []
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
        if fmt:
            units.extend(_units(by_name(fmt), path, hints))
            continue
        found = _discover_one(path, hints)
        if not found:
            raise UnknownFormat(
                f"{path}: no known export format found (known: {', '.join(format_names())}); use --format"
            )
        units.extend(found)
    return units


def discover_optional(paths: list[Path], formats: tuple[str, ...] | str) -> list[Unit]:
    """Units of the given formats under the paths that exist; nothing found is not an error here."""
    wanted = {formats} if isinstance(formats, str) else set(formats)
    units: list[Unit] = []
    for path in paths:
        if path.exists():
            units.extend(u for u in _discover_one(path) if u.fmt in wanted)
    return units


def _discover_one(path: Path, hints: dict[str, str | None] | None = None) -> list[Unit]:
    hints = hints or {}
    for fmt in registry():
        if fmt.detect(path):
            return _units(fmt, path, hints)
    if not path.is_dir():
        return []
    units: list[Unit] = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        here = Path(root)
        for name in list(dirs):
            sub = here / name
            folder_fmt = next((f for f in registry() if f.folder and f.detect(sub)), None)
            if folder_fmt:
                units.extend(_units(folder_fmt, sub, hints))
                dirs.remove(name)
        for name in sorted(files):
            file = here / name
            file_fmt = next((f for f in registry() if not f.folder and f.detect(file)), None)
            if file_fmt:
                units.extend(_units(file_fmt, file, hints))
    return units
