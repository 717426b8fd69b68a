"""Which export format a path holds, and the units to ingest from it.

`codeconvene ingest PATH…` auto-detects; `--format` overrides. Folders are searched for
every format they contain (a demo export folder holds GitHub and Slack side by side).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.core.units import Unit
from ingest.github.files import gharchive_units, looks_like_gharchive
from ingest.slack.files import is_slack_export, slack_export_units

FORMATS: dict[str, Callable[[Path], list[Unit]]] = {
    "gharchive": gharchive_units,
    "slack-export": slack_export_units,
}


class UnknownFormat(ValueError):
    pass


def detect(path: Path) -> str | None:
    if is_slack_export(path):
        return "slack-export"
    if looks_like_gharchive(path):
        return "gharchive"
    return None


def discover(paths: list[Path], fmt: str | None = None) -> list[Unit]:
    """Every unit under `paths`; a path with nothing recognisable is an error naming it."""
    units: list[Unit] = []
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
        if fmt:
            if fmt not in FORMATS:
                raise UnknownFormat(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
            units.extend(FORMATS[fmt](path))
            continue
        found = _discover_one(path)
        if not found:
            raise UnknownFormat(
                f"{path}: no known export format found (known: {', '.join(FORMATS)}); use --format"
            )
        units.extend(found)
    return units


def _discover_one(path: Path) -> list[Unit]:
    kind = detect(path)
    if kind:
        return FORMATS[kind](path)
    if not path.is_dir():
        return []
    units: list[Unit] = []
    slack_roots = sorted(p for p in [path, *path.rglob("*")] if is_slack_export(p))
    for root in slack_roots:
        units.extend(slack_export_units(root))
    for file in sorted(path.rglob("*")):
        if any(root in file.parents for root in slack_roots):
            continue
        if looks_like_gharchive(file):
            units.extend(gharchive_units(file))
    return units


def discover_optional(paths: list[Path], fmt: str) -> list[Unit]:
    """Units of one format under the paths that exist; nothing found is not an error here."""
    units: list[Unit] = []
    for path in paths:
        if not path.exists():
            continue
        units.extend(u for u in _discover_one(path) if u.fmt == fmt)
    return units
