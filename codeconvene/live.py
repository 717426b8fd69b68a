"""`codeconvene ingest <source> --live`: find the source's connector, run it, show progress.

Connectors live in `ingest/<source>/api.py` and share one shape (`ingest.core.live`); they
are imported by name when used, so a source whose connector is not installed says so
instead of breaking the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

LIVE_SOURCES = ("github", "slack", "discord", "discourse")
# what each connector cannot start without (named in messages), and how to tell it is there
NEEDS = {
    "github": "GITHUB_TOKEN",
    "slack": "SLACK_BOT_TOKEN",
    "discord": "DISCORD_BOT_TOKEN",
    "discourse": "DISCOURSE_URL",
}


def _has(source: str):
    return lambda settings: settings.configured()[source]


HAS = {source: _has(source) for source in NEEDS}  # one definition of "configured": Settings.configured


class NotAvailable(Exception):
    """The source cannot be pulled: unknown, not configured, or its connector not installed."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def connector(source: str) -> ModuleType:
    if source not in LIVE_SOURCES:
        raise NotAvailable(f"no live connector for {source!r}", f"live sources: {', '.join(LIVE_SOURCES)}")
    try:
        return importlib.import_module(f"ingest.{source}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"ingest.{source}.api":
            raise
        raise NotAvailable(f"the {source} live connector is not installed in this build",
                           "ingest its export files instead; see `codeconvene ingest --help`") from None


def missing(settings, source: str) -> str | None:
    """The setting a source lacks, or None when it has what it needs."""
    return None if HAS[source](settings) else NEEDS[source]


def sources_to_pull(settings, source: str | None) -> list[str]:
    if source:
        lacking = missing(settings, source) if source in LIVE_SOURCES else None
        if lacking:
            raise NotAvailable(f"{source} is not configured: {lacking} is not set",
                               "set it in the environment or .env; `codeconvene doctor` shows what is set")
        connector(source)
        return [source]
    configured = [s for s in LIVE_SOURCES if not missing(settings, s)]
    if not configured:
        raise NotAvailable("no live source is configured",
                           "set a token (" + ", ".join(NEEDS.values()) + "); `codeconvene doctor` shows what is set")
    return configured


def scope_for(source: str, repo: str | None, channel: str | None) -> dict:
    scope = {}
    if repo and source == "github":
        scope["repo"] = repo
    if channel and source in ("slack", "discord"):
        scope["channel"] = channel
    return scope


class RichLiveProgress:
    """ingest.core.progress.Progress for pulls of unknown length: pages and records so far."""

    def __init__(self, source: str, console: Console | None = None) -> None:
        self._bar = Progress(SpinnerColumn(), TextColumn(f"[bold]{source}[/]"),
                             TextColumn("{task.fields[pages]} pages · {task.completed:.0f} records"),
                             TimeElapsedColumn(), TextColumn("[dim]{task.fields[current]}"),
                             console=console, transient=False)
        self._task = None
        self._pages = 0

    def start(self, total_units: int, total_bytes: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task("live", total=None, pages=0, current="")

    def unit_started(self, location: str, size: int) -> None:
        self._bar.update(self._task, current=location[:60])

    def unit_finished(self, location: str, records: int, skipped: bool) -> None:
        self._pages += 1
        self._bar.update(self._task, advance=records, pages=self._pages)

    def finish(self) -> None:
        self._bar.update(self._task, current="")
        self._bar.stop()


def summary_table(results: list) -> Table:
    table = Table(title="live ingest summary")
    for name, justify in (("source", "left"), ("stream", "left"), ("records", "right"), ("pages", "right"),
                          ("cursor updates", "right")):
        table.add_column(name, justify=justify)
    for summary in results:
        rows: Iterator = iter(sorted(summary.streams.items()) or [("-", 0)])
        for index, (stream, count) in enumerate(rows):
            first = index == 0
            table.add_row(summary.source if first else "", stream, str(count),
                          str(summary.pages) if first else "", str(summary.cursor_updates) if first else "")
    return table
