"""A rich progress bar that speaks ingest's Progress protocol (overall bytes + current file)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn


class RichIngestProgress:
    def __init__(self, console: Console | None = None) -> None:
        self._progress = Progress(
            TextColumn("[bold]ingest[/]"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[files]}"),
            TimeRemainingColumn(),
            TextColumn("[dim]{task.fields[current]}"),
            console=console,
            transient=False,
        )
        self._task = None
        self._done_units = 0
        self._total_units = 0

    def start(self, total_units: int, total_bytes: int) -> None:
        self._total_units = total_units
        self._progress.start()
        self._task = self._progress.add_task("ingest", total=max(total_bytes, 1), files=f"0/{total_units} files", current="")

    def unit_started(self, location: str, size: int) -> None:
        self._progress.update(self._task, current=Path(location).name)
        self._size = size

    def unit_finished(self, location: str, records: int, skipped: bool) -> None:
        self._done_units += 1
        self._progress.update(self._task, advance=self._size, files=f"{self._done_units}/{self._total_units} files")

    def finish(self) -> None:
        self._progress.update(self._task, current="")
        self._progress.stop()
